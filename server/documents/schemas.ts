// The document settings as the API sends them (lists as arrays) and as the page's form sends them
// (lists as one line per item in a text area): the same rules, so both refuse the same input.
import Joi from 'joi';
import { text } from '../web/validate.ts';
import type { DocumentSettings } from './settings.ts';

const LIMITS = { issuerLines: 3, legalBases: 12, recipients: 15 } as const;

const line = (max: number) => text(max).min(1);

/** A list field: an array of single lines in JSON; a text area with one item per line in a form. */
function list(max: number, lines: number, form: boolean): Joi.ArraySchema<string[]> {
  if (!form) return Joi.array().items(line(max).required()).min(1).max(lines).required();
  return Joi.string().max((max + 1) * lines).required().custom((value: string, helpers) => {
    const items = value.replace(/\r\n?/g, '\n').split('\n').map((item) => item.trim()).filter(Boolean);
    if (items.length === 0) return helpers.error('any.required');
    if (items.length > lines) return helpers.error('array.max', { limit: lines });
    for (const item of items) {
      if (item.length > max) return helpers.error('string.max', { limit: max });
      const { error } = line(max).validate(item);
      if (error) return helpers.error('string.unsafe');
    }
    return items;
  }) as unknown as Joi.ArraySchema<string[]>; // the text area becomes the same array the API sends
}

function settingsSchema(form: boolean) {
  return Joi.object<DocumentSettings, true>({
    placeName: line(100).required(),
    superiorLine: text(200).allow('').default(''),
    issuerLines: list(100, LIMITS.issuerLines, form),
    authorityName: text(200).min(3).required(),
    legalBases: list(400, LIMITS.legalBases, form),
    proposer: text(300).min(3).required(),
    rewardClause: text(600).min(3).required(),
    executors: text(600).min(3).required(),
    recipients: list(200, LIMITS.recipients, form),
    standingOrgan: text(200).min(3).required(),
    proposalSymbol: line(40).required(),
    proposalSignerTitle: line(200).required(),
    proposalSignerName: text(100).allow('').default(''),
    modelSignerTitle: text(200).allow('').default(''), // empty: the default of the body's kind (services fill it)
    modelSignerName: text(100).allow('').default(''),
  });
}

export const settingsApiSchema = settingsSchema(false);
export const settingsFormSchema = settingsSchema(true);

/** `?forwardedTo=<upper round id>`: the proposal over the nominations sent up to that round. */
export const proposalQuery = Joi.object<{ forwardedTo?: number }, true>({
  forwardedTo: Joi.number().integer().min(1).max(2_147_483_647),
});
