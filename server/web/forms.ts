// The one pattern every HTML form follows: validate, run one service action, then redirect; on a
// validation error or a duplicate, re-render the same form with each bad field marked and the
// user's input kept (422, or 409 for a duplicate).
import type { Request, Response } from 'express';
import type Joi from 'joi';
import { ConflictError, FieldConflictError, ValidationError } from '../errors.ts';
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
  /** The page's data besides the form values and errors (option lists, titles). */
  viewModel: () => Promise<Record<string, unknown>>;
  action: (input: T) => Promise<{ redirectTo: string; flash?: string }>;
}

export async function submitForm<T>({ req, res, schema, view, labels, viewModel, action }: FormSubmission<T>): Promise<void> {
  const language = languageOf(req);
  try {
    const input = validate(schema, req.body, { form: true, labels });
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
    const { _csrf, ...values } = (req.body ?? {}) as Record<string, unknown>;
    void _csrf;
    res.status(error instanceof ValidationError ? 422 : 409).render(view, { ...(await viewModel()), values, errors, errorList: details });
  }
}
