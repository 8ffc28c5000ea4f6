import Joi from 'joi';
import { calendarDate, choice, confirmation, id, longText, nameText, text } from '../web/validate.ts';
import { pageKeys, type PageRequest } from '../web/pagination.ts';
import { pagerKeys, type PageSize } from '../web/pager.ts';
import { APPROVAL_CHOICES, QUORUM_CHOICES, type ApprovalChoice, type QuorumChoice } from './rule.ts';
import { GENDERS, NOMINATION_STATUSES, NOMINEE_KINDS, VOTES, type Gender, type NominationStatus, type NomineeKind, type Vote } from './status.ts';

const thisYear = new Date().getFullYear();
const year = () => Joi.number().integer().min(2000).max(thisYear + 1);
const code = () => Joi.string().trim().max(60).pattern(/^[a-z][a-z0-9_]*$/, 'referenceCode');

export interface RoundInput {
  title: string;
  year: number;
  awardKind: string;
  issuingUnitId: number;
  closesOn: string;
  quorum?: QuorumChoice;
  approval?: ApprovalChoice;
  publicComment?: boolean;
  decisionSuffix?: string;
}

export const roundSchema = Joi.object<RoundInput, true>({
  title: text(300).min(3).required(),
  year: year().required(),
  awardKind: code().required(),
  issuingUnitId: id().required(),
  closesOn: calendarDate().required(),
  quorum: Joi.string().valid(...Object.keys(QUORUM_CHOICES)),
  approval: Joi.string().valid(...Object.keys(APPROVAL_CHOICES)),
  publicComment: Joi.boolean().truthy('on', '1', 'true').falsy('0', 'false'),
  decisionSuffix: text(40).pattern(/^[\p{L}0-9.-]+$/u, 'decisionSuffix'),
});

export interface NominationInput {
  roundId: number;
  nomineeKind: NomineeKind;
  unitId: number;
  nomineeName: string;
  position?: string | null;
  gender?: Gender | null;
  birthYear?: number | null;
  achievement: string;
  modelIds?: number[];
  /** The clerk keeps a position that already holds the unit's name (see positionRepeatsUnit in names.ts). */
  positionRepeatsUnit?: boolean;
}

const nominationKeys = {
  roundId: id(),
  nomineeKind: choice(NOMINEE_KINDS, 'nomineeKind'),
  unitId: id(),
  nomineeName: nameText(200).min(2),
  position: text(200).allow(null),
  gender: choice(GENDERS, 'gender').allow(null),
  birthYear: Joi.number().integer().min(1920).max(thisYear - 16).allow(null),
  achievement: longText(2000).min(10),
  // Forms send one value or several; the API sends an array.
  modelIds: Joi.array().single().items(id()).max(20).unique(),
  positionRepeatsUnit: Joi.boolean().truthy('on', '1').falsy('0'),
};

export const nominationSchema = Joi.object<NominationInput, true>({
  ...nominationKeys,
  roundId: nominationKeys.roundId.required(),
  nomineeKind: nominationKeys.nomineeKind.required(),
  unitId: nominationKeys.unitId.required(),
  nomineeName: nominationKeys.nomineeName.required(),
  achievement: nominationKeys.achievement.required(),
  // An individual is named with gender and birth year, as the certificate register needs.
  gender: nominationKeys.gender.when('nomineeKind', { is: 'individual', then: Joi.required().invalid(null) }),
  birthYear: nominationKeys.birthYear.when('nomineeKind', { is: 'individual', then: Joi.required().invalid(null) }),
  position: nominationKeys.position.when('nomineeKind', { is: 'individual', then: Joi.required().invalid(null) }),
});

export type NominationChanges = Partial<Omit<NominationInput, 'roundId'>>;
export const nominationChangesSchema = Joi.object<NominationChanges, true>({
  nomineeKind: nominationKeys.nomineeKind,
  unitId: nominationKeys.unitId,
  nomineeName: nominationKeys.nomineeName,
  position: nominationKeys.position,
  gender: nominationKeys.gender,
  birthYear: nominationKeys.birthYear,
  achievement: nominationKeys.achievement,
  modelIds: nominationKeys.modelIds,
  positionRepeatsUnit: nominationKeys.positionRepeatsUnit,
}).min(1);

export interface VoteInput {
  vote: Vote;
  comment?: string;
}
export const voteSchema = Joi.object<VoteInput, true>({
  vote: choice(VOTES, 'vote').required(),
  comment: longText(1000),
});

/** `POST /award-rounds/:id/votes`: one vote on several of the round's nominations at once (the round page's ticks). */
export interface BulkVoteInput extends VoteInput {
  nominationIds: number[];
}
export const bulkVoteSchema = Joi.object<BulkVoteInput, true>({
  nominationIds: Joi.array().single().items(id()).min(1).max(500).unique().required(),
  vote: choice(VOTES, 'vote').required(),
  comment: longText(1000),
});

export interface ReturnInput {
  reason: string;
}
export const returnSchema = Joi.object<ReturnInput, true>({ reason: longText(1000).min(5).required() });

export interface DecisionInput {
  roundId: number;
  signedOn: string;
  signerName: string;
  signerTitle: string;
  nominationIds: number[];
  /** A number already taken in the office's register of documents; the next free one otherwise. */
  number?: number | string;
}
const decisionKeys = {
  roundId: id().required(),
  signedOn: calendarDate().required(),
  signerName: nameText(120).min(2).required(),
  signerTitle: text(200).min(2).required(),
  nominationIds: Joi.array().single().items(id()).min(1).max(2000).unique().required(),
  number: Joi.alternatives(
    // strict: a string goes to the pattern below, so "1E2", "08" or "1.00" are refused, not read as 100, 8 or 1.
    Joi.number().strict().integer().min(1).max(999_999),
    Joi.string().trim().max(60).pattern(/^[1-9][0-9]{0,5}(\/[\p{L}0-9.-]+)?$/u, 'decisionNumber'),
  ),
};
export const decisionSchema = Joi.object<DecisionInput, true>(decisionKeys);
/** The page's decision form: the same, and the box that says the list was checked (numbers are taken, certificates follow). */
export const decisionFormSchema = Joi.object<DecisionInput & { confirmed: true }, true>({ ...decisionKeys, confirmed: confirmation() });

export interface NominationListQuery extends PageRequest {
  roundId?: number;
  status?: NominationStatus;
  unitId?: number;
  /** The rounds' year. */
  year?: number;
}
export const nominationListSchema = Joi.object<NominationListQuery, true>({
  ...pageKeys,
  roundId: id(),
  status: Joi.string().valid(...NOMINATION_STATUSES),
  unitId: id(),
  year: year(),
});

/** `GET /awards/:id?status=&cursor=`: a tab of the round page and the API's cursor into it (other keys, such as the language, pass). */
export interface RoundPageQuery {
  status?: NominationStatus;
  cursor?: string;
}
export const roundPageSchema = Joi.object<RoundPageQuery, true>({
  status: Joi.string().valid(...NOMINATION_STATUSES),
  cursor: pageKeys.cursor,
}).unknown(true);

/** `GET /nominations?status=&year=&cursor=`: a unit's own dossiers across rounds, newest first. */
export interface OwnNominationsQuery {
  status?: NominationStatus;
  year?: number;
  cursor?: string;
}

/** The rounds page (/awards): its page number and rows per page (the API's list takes roundListSchema). */
export const roundsPageSchema = Joi.object<{ page?: number; size: PageSize }, true>({ ...pagerKeys });

export const ownNominationsSchema = Joi.object<OwnNominationsQuery, true>({
  status: Joi.string().valid(...NOMINATION_STATUSES).empty(''),
  year: year().empty(''),
  cursor: pageKeys.cursor,
}).unknown(true);

export type RoundListQuery = PageRequest & { year?: number };
export const roundListSchema = Joi.object<RoundListQuery, true>({ ...pageKeys, year: year() });

export const DOSSIER_KINDS = ['proposal', 'minutes', 'achievement_report', 'other'] as const;
export type DossierKind = (typeof DOSSIER_KINDS)[number];
export const dossierSchema = Joi.object<{ kind: DossierKind }, true>({ kind: choice(DOSSIER_KINDS, 'dossierKind').required() });

/** `POST /nominations/:id/forward`: the upper round to send it to. */
export interface ForwardInput {
  roundId: number;
}
export const forwardSchema = Joi.object<ForwardInput, true>({ roundId: id().required() });

/** `POST /award-rounds/:id/forward`: several approved nominations of the round, to one upper round. */
export interface ForwardManyInput {
  roundId: number;
  nominationIds: number[];
}
export const forwardManySchema = Joi.object<ForwardManyInput, true>({
  roundId: id().required(),
  nominationIds: Joi.array().single().items(id()).min(1).max(2000).unique().required(),
});

/** `POST /award-rounds/:id/close`: before the closing date, only on purpose and with a reason. */
export interface CloseInput {
  early: boolean;
  reason?: string;
}
const closeKeys = {
  early: Joi.boolean().truthy('on', '1').falsy('', '0').default(false),
  reason: Joi.string().trim().min(3).max(1000).when('early', { is: true, then: Joi.required(), otherwise: Joi.optional().allow('') }),
};
export const closeSchema = Joi.object<CloseInput, true>(closeKeys);

/** `POST /award-rounds/:id/reopen`: why a closed round without a decision opens again. */
export interface ReopenInput {
  reason: string;
}
export const reopenSchema = Joi.object<ReopenInput, true>({ reason: Joi.string().trim().min(3).max(1000).required() });

/** The page's close form: the same, and the box that says the secretary has checked (closing is final). */
export const closeFormSchema = Joi.object<CloseInput & { confirmed: true }, true>({ ...closeKeys, confirmed: confirmation() });

/** `POST /nominations/:id/recusals`: why the member stands aside (a conflict of interest). */
export interface RecusalInput {
  reason: string;
}
export const recusalSchema = Joi.object<RecusalInput, true>({ reason: Joi.string().trim().min(3).max(1000).required() });
