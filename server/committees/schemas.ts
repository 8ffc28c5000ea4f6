import Joi from 'joi';
import { id } from '../web/validate.ts';

export interface CommitteeInput {
  members: number[];
}

/** A committee of up to 100 accounts, each named once. */
export const committeeSchema = Joi.object<CommitteeInput, true>({
  members: Joi.array().items(id()).unique().max(100).required(),
});

/** The committee form: checkboxes send one value, several, or none at all (an empty committee). */
export const committeeFormSchema = Joi.object<CommitteeInput, true>({
  members: Joi.array().single().items(id()).unique().max(100).default([]),
});
