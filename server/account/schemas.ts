import Joi from 'joi';
import type { Language } from '../web/i18n/index.ts';
import { email } from '../users/schemas.ts';

/** What a user sets for themself: where notifications are e-mailed, whether they are, the interface language. */
export interface OwnSettings {
  /** A new address, or null to remove it. */
  email?: string | null;
  emailNotifications?: boolean;
  language?: Language;
}

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

const language = Joi.string().valid('vi', 'en');

export const ownSettingsSchema = Joi.object<OwnSettings, true>({
  email: email().allow(null),
  emailNotifications: Joi.boolean(),
  language,
});

/** The page's form sends every field: an empty address removes it, an unticked box is absent (off). */
export const ownSettingsFormSchema = Joi.object<OwnSettings, true>({
  email: email().allow('').empty('').default(null),
  emailNotifications: Joi.boolean().default(false),
  language: language.required(),
});

export const passwordChangeSchema = Joi.object<PasswordChange, true>({
  currentPassword: Joi.string().max(200).required(),
  newPassword: Joi.string().min(10).max(200).required(),
});
