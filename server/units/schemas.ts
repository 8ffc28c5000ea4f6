import Joi from 'joi';
import { calendarDate, choice, id, nameText, text } from '../web/validate.ts';
import { pageKeys, type PageRequest } from '../web/pagination.ts';

export const UNIT_KINDS = ['province', 'district', 'commune', 'agency', 'organisation'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export interface UnitInput {
  code: string;
  name: string;
  kind: UnitKind;
  blockCode?: string | null;
  parentId?: number | null;
  validFrom?: string | null;
  validTo?: string | null;
  successorId?: number | null;
}

const validTo = calendarDate()
  .allow(null)
  .custom((value: string | null, helpers) => {
    const from = helpers.state.ancestors[0]?.validFrom as string | null | undefined;
    return value && from && value < from ? helpers.error('date.order') : value;
  });

export const unitSchema = Joi.object<UnitInput, true>({
  code: Joi.string().trim().uppercase().max(40).pattern(/^[A-Z0-9][A-Z0-9._-]*$/, 'unitCode').required(),
  name: nameText(200).min(2).required(),
  kind: choice(UNIT_KINDS, 'unitKind').required(),
  blockCode: Joi.string().trim().max(40).allow(null),
  parentId: id().allow(null),
  validFrom: calendarDate().allow(null),
  validTo,
  successorId: id().allow(null),
});

export interface UnitListQuery extends PageRequest {
  q?: string;
  includeEnded?: boolean;
}

export const unitListSchema = Joi.object<UnitListQuery, true>({
  ...pageKeys,
  q: text(100),
  includeEnded: Joi.boolean().default(true),
});

export interface UnitSearchQuery {
  q?: string;
  includeEnded: boolean;
  kind?: UnitKind[];
}

/** The unit picker's search (GET /units/search): the text typed, whether ended units count, which kinds. */
export const unitSearchSchema = Joi.object<UnitSearchQuery, true>({
  q: text(100).allow(''),
  includeEnded: Joi.boolean().truthy('1').falsy('0').default(true),
  kind: Joi.array().items(choice(UNIT_KINDS, 'unitKind')).single().max(UNIT_KINDS.length),
});
