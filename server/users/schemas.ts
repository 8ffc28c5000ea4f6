import Joi from 'joi';
import { ROLES, type Role } from '../auth/user.ts';
import { choice, id, nameText } from '../web/validate.ts';
import { pageKeys, type PageRequest } from '../web/pagination.ts';
import type { Language } from '../web/i18n/index.ts';

export interface NewUserInput {
  username: string;
  password: string;
  fullName: string;
  role: Role;
  unitId: number;
  language?: Language;
  /** Where notifications are e-mailed (optional). */
  email?: string | null;
}

export interface UserChanges {
  fullName?: string;
  role?: Role;
  unitId?: number;
  language?: Language;
  disabled?: boolean;
  password?: string;
  /** A new address, or null (the API) to remove it. */
  email?: string | null;
}

const username = Joi.string().trim().lowercase().pattern(/^[a-z0-9][a-z0-9._-]{2,39}$/, 'username');
const password = Joi.string().min(10).max(200);
/** An e-mail address for notifications (Joi checks its form and its top-level domain); null removes it. */
export const email = () => Joi.string().trim().max(254).email();

export const newUserSchema = Joi.object<NewUserInput, true>({
  username: username.required(),
  password: password.required(),
  fullName: nameText(120).min(2).required(),
  role: choice(ROLES, 'role').required(),
  unitId: id().required(),
  language: Joi.string().valid('vi', 'en'),
  email: email().allow(null),
});

export const userChangesSchema = Joi.object<UserChanges, true>({
  fullName: nameText(120).min(2),
  role: choice(ROLES, 'role'),
  unitId: id(),
  language: Joi.string().valid('vi', 'en'),
  disabled: Joi.boolean(),
  password,
  email: email().allow(null),
});

/** The edit form always sends every field; an unchecked box is simply absent. */
export const userFormSchema = userChangesSchema.keys({
  fullName: nameText(120).min(2).required(),
  role: choice(ROLES, 'role').required(),
  unitId: id().required(),
  language: Joi.string().valid('vi', 'en').required(),
  disabled: Joi.boolean().default(false),
  // The form always shows the field: left empty, the address is removed.
  email: email().default(null),
});

export const userListSchema = Joi.object<PageRequest, true>(pageKeys);
