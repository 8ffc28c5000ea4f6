// What a criteria set, a member's scores and a recusal may be, as the API and the forms take them.
import Joi from 'joi';
import { calendarDate, choice, id, longText, text, vnNumber } from '../web/validate.ts';
import { MODEL_KINDS, type ModelKind } from '../models/status.ts';
import { UNIT_KINDS, type UnitKind } from '../units/schemas.ts';

export interface CriterionInput {
  code: string;
  name: string;
  maxScore: number;
  group?: string;
}

export interface CriteriaSetInput {
  title: string;
  year: number;
  issuingUnitId: number;
  threshold: number;
  criteria: CriterionInput[];
  fieldCodes?: string[];
  kinds?: ModelKind[];
  /** What the set scores: its year's models (the default) or the units under its body. */
  subject?: 'models' | 'units';
  unitKinds?: UnitKind[];
  opensOn?: string;
  closesOn?: string;
}

/** A score or a maximum: points with at most two decimals ("7,5" typed the Vietnamese way). */
const points = () => vnNumber().min(0).max(1000).precision(2);

export const criterionSchema = Joi.object<CriterionInput, true>({
  code: Joi.string().trim().pattern(/^[A-Za-z0-9._-]{1,20}$/, 'criterionCode').required(),
  name: longText(1000).min(3).required(),
  maxScore: points().greater(0).required(),
  group: text(300).allow(''),
});

export const criteriaSetSchema = Joi.object<CriteriaSetInput, true>({
  title: text(300).min(3).required(),
  year: Joi.number().integer().min(2000).max(2100).required(),
  issuingUnitId: id().required(),
  threshold: points().required(),
  criteria: Joi.array().items(criterionSchema).min(1).max(100).required(),
  fieldCodes: Joi.array().items(Joi.string().trim().max(60).pattern(/^[a-z][a-z0-9_]*$/, 'referenceCode')).max(50),
  kinds: Joi.array().items(choice(MODEL_KINDS, 'modelKind')).max(2),
  subject: choice(['models', 'units'] as const, 'evaluation.subject'),
  unitKinds: Joi.array().items(choice(UNIT_KINDS, 'unitKind')).max(UNIT_KINDS.length),
  opensOn: calendarDate(),
  closesOn: calendarDate(),
});

/** Copying a set into another year (the criteria and the rules, no scores). */
export const copySchema = Joi.object<{ year: number; title?: string }, true>({
  year: Joi.number().integer().min(2000).max(2100).required(),
  title: text(300).min(3),
});

export interface ScoreInput {
  code: string;
  score: number;
  comment?: string;
}

export const scoresSchema = Joi.object<{ scores: ScoreInput[]; submit?: boolean }, true>({
  scores: Joi.array().items(Joi.object({ code: Joi.string().trim().max(20).required(), score: points().required(), comment: longText(1000).allow('') })).max(100).required(),
  submit: Joi.boolean(),
});

export const recusalSchema = Joi.object<{ reason: string }, true>({ reason: longText(500).min(5).required() });

export const setModelParams = Joi.object({ id: id().required(), modelId: id().required() });
export const setUnitParams = Joi.object({ id: id().required(), unitId: id().required() });
