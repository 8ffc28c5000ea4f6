import Joi from 'joi';
import type { Credentials } from './service.ts';

export const credentialsSchema = Joi.object<Credentials, true>({
  username: Joi.string().trim().max(100).required(),
  password: Joi.string().max(200).required(),
});

export interface LoginForm extends Credentials {
  next?: string;
}

export const loginFormSchema = Joi.object<LoginForm, true>({
  username: Joi.string().trim().max(100).required(),
  password: Joi.string().max(200).required(),
  next: Joi.string().max(500),
});
