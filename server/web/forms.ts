// The one pattern every HTML form follows: validate, run one service action, then redirect; on a
// validation error or a duplicate, re-render the same form with each bad field marked and the
// user's input kept (422, or 409 for a duplicate).
import type { Request, Response } from 'express';
import type Joi from 'joi';
import { ConflictError, FieldConflictError, ValidationError, type FieldProblem } from '../errors.ts';
import { translateProblems, type FieldError } from './errors.ts';
import { languageOf } from './request.ts';
import { validate } from './validate.ts';

interface FormSubmission<T> {
  req: Request;
  res: Response;
  schema: Joi.ObjectSchema<T>;
  view: string;
  /** Label namespace for field names that mean different things per feature (see validate). */
  labels?: string;
  /**
   * Turns what the form sent into what the schema takes before validation (a unit typed by name into
   * its id: units/picker.ts); its problems are shown with the schema's, and its values re-shown.
   */
  prepare?: (sent: Record<string, unknown>) => Promise<PreparedForm>;
  /** The page's data besides the form values and errors (option lists, titles), given the values re-shown. */
  viewModel: (values: Record<string, unknown>) => Promise<Record<string, unknown>>;
  action: (input: T) => Promise<{ redirectTo: string; flash?: string }>;
}

export interface PreparedForm {
  body: Record<string, unknown>;
  values: Record<string, unknown>;
  problems: FieldProblem[];
}

export async function submitForm<T>({ req, res, schema, view, labels, prepare, viewModel, action }: FormSubmission<T>): Promise<void> {
  const language = languageOf(req);
  const { _csrf, ...sent } = (req.body ?? {}) as Record<string, unknown>;
  void _csrf;
  const prepared = prepare ? await prepare(sent) : undefined;
  try {
    let input: T;
    try {
      input = validate(schema, prepared ? prepared.body : req.body, { form: true, labels });
    } catch (error) {
      throw withProblems(error, prepared?.problems ?? []);
    }
    if (prepared?.problems.length) throw new ValidationError(prepared.problems);
    const { redirectTo, flash } = await action(input);
    if (flash) req.session.flash = flash;
    res.redirect(303, redirectTo);
  } catch (error) {
    let details: FieldError[];
    if (error instanceof ValidationError) details = translateProblems(language, error.details);
    // A duplicate is shown on its field; another conflict (the record changed meanwhile) on the form.
    else if (error instanceof ConflictError) details = translateProblems(language, [{ field: error instanceof FieldConflictError ? error.field : 'form', reason: error.reason, key: error.messageKey, params: error.params }]);
    else throw error;
    const errors = Object.fromEntries(details.map((detail) => [detail.field, detail.message]));
    const values = prepared ? prepared.values : sent;
    res.status(error instanceof ValidationError ? 422 : 409).render(view, { ...(await viewModel(values)), values, errors, errorList: details });
  }
}

/** The schema's problems with the form's own (which win on their field), or the error as it was. */
function withProblems(error: unknown, problems: FieldProblem[]): unknown {
  if (problems.length === 0 || !(error instanceof ValidationError)) return error;
  return new ValidationError([...problems, ...error.details.filter((detail) => !problems.some((problem) => problem.field === detail.field))]);
}
