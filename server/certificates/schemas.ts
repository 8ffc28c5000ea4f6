// The shapes certificate requests take: print mode, reasons, verification codes, print layouts.
import Joi from 'joi';
import { confirmation, id, longText, nameText, text, vnNumber } from '../web/validate.ts';
import { decisionSchema } from '../awards/schemas.ts';
import { pageKeys, type PageRequest } from '../web/pagination.ts';
import type { PreviewInput } from './preview.ts';
import type { BlankSerials } from './serials.ts';
import { PREPRINTED_LINES, PRINT_MODES, TEMPLATE_NAMES, type PreprintedLine, type PrintMode, type TemplateName } from './rendering/templates.ts';

const serial = text(40).pattern(/\d$/, 'serial');
/** A print job (the decision page's print form, also its download, and the API's body): the mode and, onto blank forms, the serials of the forms used (serials.ts). */
export const printJobSchema = Joi.object<{ mode: PrintMode } & BlankSerials, true>({
  mode: Joi.string().valid(...PRINT_MODES).default('full'),
  blankSerialFrom: serial,
  blankSerialTo: serial,
});
export const modeQuery = Joi.object({ mode: Joi.string().valid(...PRINT_MODES).default('full'), download: Joi.string().valid('1', '0') });

export const printLogSchema = Joi.object<{ mode: PrintMode }, true>({ mode: Joi.string().valid(...PRINT_MODES).required() });

export const reasonSchema = Joi.object<{ reason: string }, true>({ reason: longText(500).min(5).required() });

export const codeParam = Joi.object({ code: Joi.string().pattern(/^[A-Za-z0-9_-]{22,64}$/).required() });

export const layoutParams = Joi.object<{ template: TemplateName; mode: PrintMode }, true>({
  template: Joi.string().valid(...TEMPLATE_NAMES).required(),
  mode: Joi.string().valid(...PRINT_MODES).required(),
});

export const templateParams = Joi.object<{ template: TemplateName }, true>({ template: Joi.string().valid(...TEMPLATE_NAMES).required() });

/** The paper sizes offered by name (landscape, millimetres); "custom" takes the width and height typed. */
export const PAPER_SIZES = { a4: { widthMm: 297, heightMm: 210 }, a3: { widthMm: 420, heightMm: 297 } } as const;
export type PaperSizeName = keyof typeof PAPER_SIZES | 'custom';

export interface LayoutInput {
  /** A named size, or "custom" (the default: a form without it sends its width and height). */
  paperSize: PaperSizeName;
  /** Required for "custom"; a named size sets them. */
  paperWidthMm?: number;
  paperHeightMm?: number;
  offsetXMm: number;
  offsetYMm: number;
  /** Overlay mode: the lines the blank form carries; left out, they stay as they are. */
  preprinted?: PreprintedLine[];
}

// "2,5" or "2.5" (parseVietnameseNumber).
const millimetres = (min: number, max: number) => vnNumber().min(min).max(max).precision(1).required();
// A named size sets the width and height: what the custom fields hold then is ignored.
const paperSide = Joi.when('paperSize', { is: 'custom', then: millimetres(100, 600), otherwise: Joi.any().strip() }) as unknown as Joi.NumberSchema;

export const layoutSchema = Joi.object<LayoutInput, true>({
  paperSize: Joi.string().valid('a4', 'a3', 'custom').default('custom'),
  paperWidthMm: paperSide,
  paperHeightMm: paperSide,
  offsetXMm: millimetres(-50, 50),
  offsetYMm: millimetres(-50, 50),
  // The form sends "none" beside its checkboxes, so none ticked still says so (a form without the field keeps the stored lines).
  preprinted: Joi.array().single().items(Joi.string().valid(...PREPRINTED_LINES, 'none')).custom((lines: string[]) => [...new Set(lines.filter((line) => line !== 'none'))]),
});

/**
 * A preview's request: the ticked nominations (the API's `?nominationIds=1,2`, or a form's repeated
 * field), the decision form's fields when it has them, and the mode. The form's `roundId` is the
 * path's and is ignored.
 */
const fromDecision = <S extends Joi.Schema>(key: string) => decisionSchema.extract(key).optional() as S;
export const previewSchema = Joi.object<PreviewInput & { roundId?: number }, true>({
  roundId: id(),
  nominationIds: Joi.array().single().items(id()).min(1).max(2000).unique(),
  signedOn: fromDecision<Joi.StringSchema>('signedOn'),
  signerName: fromDecision<Joi.StringSchema>('signerName'),
  signerTitle: fromDecision<Joi.StringSchema>('signerTitle'),
  number: fromDecision<Joi.AlternativesSchema>('number'),
  mode: Joi.string().valid(...PRINT_MODES).default('full'),
});

/** `?nominationIds=1,2` as the list the schema reads. */
export function splitIdList(input: Record<string, unknown>): Record<string, unknown> {
  const ids = input.nominationIds;
  return typeof ids === 'string' ? { ...input, nominationIds: ids.split(',') } : input;
}

/** `POST /certificates/:id/revoke` from the page: the reason, and the box that says the secretary has checked (revoking is final). */
export const revokeFormSchema = Joi.object<{ reason: string; confirmed: true }, true>({
  reason: reasonSchema.extract('reason') as Joi.StringSchema,
  confirmed: confirmation(),
});

/** A correction (đính chính): the fields that change, the reason, and the confirmation of a position that names the unit. */
export interface CorrectionInput {
  recipientName?: string;
  /** An individual's position; an empty text (API) prints none. */
  position?: string;
  unitName?: string;
  achievement?: string;
  reason: string;
  /** The clerk has seen that the position holds the unit's name and keeps it (position_repeats_unit). */
  positionRepeatsUnit?: boolean;
}
export const correctionSchema = Joi.object<CorrectionInput, true>({
  recipientName: nameText(200).min(2),
  position: text(200).allow(''),
  unitName: text(300).min(2),
  achievement: longText(2000).min(10),
  reason: longText(1000).min(5).required(),
  positionRepeatsUnit: Joi.boolean().truthy('on', '1').falsy('0'),
});

/** `GET /print-jobs?limit=&cursor=` (the page takes the language too). */
export const printJobListSchema = Joi.object<PageRequest, true>(pageKeys);
