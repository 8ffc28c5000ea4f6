import Joi from 'joi';
import type { Credentials } from './service.ts';
import { text } from '../web/validate.ts';

export const credentialsSchema = Joi.object<Credentials, true>({
  username: text(100).required(), // no NUL or other control character: PostgreSQL refuses them (a 500)
  password: Joi.string().max(200).required(),
});

export interface LoginForm extends Credentials {
  next?: string;
}

export const loginFormSchema = Joi.object<LoginForm, true>({
  username: text(100).required(), // no NUL or other control character: PostgreSQL refuses them (a 500)
  password: Joi.string().max(200).required(),
  next: Joi.string().max(500),
});
