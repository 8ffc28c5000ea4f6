import Joi from 'joi';
import { calendarDate, choice, id, longText, text, vnNumber } from '../web/validate.ts';
import { pageKeys, type PageRequest } from '../web/pagination.ts';
import { pagerKeys, type PageSize } from '../web/pager.ts';
import { MODEL_KINDS, MODEL_STATUSES, type ModelKind, type ModelStatus } from './status.ts';

const thisYear = new Date().getFullYear();
const year = () => Joi.number().integer().min(2000).max(thisYear + 1);
const code = () => Joi.string().trim().max(40).pattern(/^[a-z][a-z0-9_]*$/, 'referenceCode');

export interface ModelInput {
  title: string;
  unitId: number;
  year: number;
  fieldCode: string;
  blockCode?: string;
  kind: ModelKind;
  summary: string;
  goals?: string | null;
  startedOn?: string | null;
  participants?: string | null;
  contact?: string | null;
  /** The replicated model: its id, or its code (`MH-2024-000008`), resolved within the caller's units. */
  replicatesModelId?: number | string | null;
}

/** A model's code as the registry prints it: MH (model) or DH (exemplar), the year, six digits; lower case is read as upper. */
export const MODEL_CODE = /^(MH|DH)-\d{4}-\d{6}$/;

const modelKeys = {
  title: text(300).min(3),
  unitId: id(),
  year: year(),
  fieldCode: code(),
  blockCode: code(),
  kind: choice(MODEL_KINDS, 'modelKind'),
  summary: longText(5000).min(10),
  goals: longText(3000).allow(null),
  startedOn: calendarDate().allow(null),
  participants: longText(1000).allow(null),
  contact: text(300).allow(null),
  // A number is an id (its own messages); text is a model's code.
  replicatesModelId: Joi.alternatives()
    .conditional(Joi.number(), { then: id(), otherwise: Joi.string().trim().uppercase().max(40).pattern(MODEL_CODE, 'modelCode') })
    .allow(null),
};

export const modelSchema = Joi.object<ModelInput, true>({
  ...modelKeys,
  title: modelKeys.title.required(),
  unitId: modelKeys.unitId.required(),
  year: modelKeys.year.required(),
  fieldCode: modelKeys.fieldCode.required(),
  kind: modelKeys.kind.required(),
  summary: modelKeys.summary.required(),
});

export type ModelChanges = Partial<ModelInput>;
export const modelChangesSchema = Joi.object<ModelChanges, true>(modelKeys).min(1);

export interface ReportInput {
  status: ModelStatus;
  reportedOn: string;
  note: string;
  peopleReached?: number;
  fundsVnd?: number;
  workdays?: number;
}

// Figures as typed in Viet Nam ("1.200", "15.000.000") or plain; see parseVietnameseNumber.
export const reportSchema = Joi.object<ReportInput, true>({
  status: choice(MODEL_STATUSES, 'modelStatus').required(),
  reportedOn: calendarDate().required(),
  note: longText(3000).min(3).required(),
  peopleReached: vnNumber().integer().min(0).max(100_000_000),
  fundsVnd: vnNumber().integer().min(0).max(1e15),
  workdays: vnNumber().integer().min(0).max(100_000_000),
});

export const MODEL_SORTS = ['newest', 'code', 'title', 'year', 'status'] as const;
export type ModelSort = (typeof MODEL_SORTS)[number];

export interface ModelListQuery extends PageRequest {
  year?: number;
  fieldCode?: string;
  blockCode?: string;
  status?: ModelStatus;
  unitId?: number;
  kind?: ModelKind;
  q?: string;
  sort: ModelSort;
  /** Page number and rows per page of the HTML list (the API pages with `cursor` and `limit`). */
  page?: number;
  size: PageSize;
}

export const modelListSchema = Joi.object<ModelListQuery, true>({
  ...pageKeys,
  year: year(),
  fieldCode: code(),
  blockCode: code(),
  status: choice(MODEL_STATUSES, 'modelStatus'),
  unitId: id(),
  kind: choice(MODEL_KINDS, 'modelKind'),
  q: text(200),
  sort: Joi.string().valid(...MODEL_SORTS).default('newest'),
  ...pagerKeys,
});

/** `?separator=semicolon`: the .csv for an Excel set to Vietnamese (fields separated by `;`). */
export const exportFormatSchema = Joi.object<{ separator?: 'comma' | 'semicolon' }, true>({
  separator: Joi.string().valid('comma', 'semicolon'),
});
