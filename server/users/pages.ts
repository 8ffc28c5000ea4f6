// The account pages (administrators only): the list and the account form.
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireRole } from '../auth/guards.ts';
import { ALL_UNITS } from '../auth/scope.ts';
import { ROLES } from '../auth/user.ts';
import { submitForm } from '../web/forms.ts';
import { LANGUAGES, translate, type Language } from '../web/i18n/index.ts';
import { actorOf, languageOf, takeFlash } from '../web/request.ts';
import { idParams, validate } from '../web/validate.ts';
import { unitPickers, type UnitPickerSpec } from '../units/picker.ts';
import * as repository from './repository.ts';
import { newUserSchema, userFormSchema } from './schemas.ts';
import { createUser, updateUser, userJson } from './service.ts';

/** A user belongs to a unit in force. */
const UNIT_PICKERS: UnitPickerSpec[] = [{ name: 'unitId', label: 'users.unit', includeEnded: false }];

export function userPages(db: Database): Router {
  const router = Router();
  router.use('/admin/users', requireRole('admin'));

  const pickers = (language: Language) => unitPickers(db, ALL_UNITS, language, UNIT_PICKERS);

  const formModel = (language: Language, extra: Record<string, unknown>) => async (values: Record<string, unknown>) => ({
    ...extra,
    roles: ROLES.map((role) => ({ value: role, label: translate(language, `role.${role}`) })),
    languages: LANGUAGES.map((value) => ({ value, label: translate(language, `language.${value}`) })),
    ...(await pickers(language).views(values)),
  });

  router.get('/admin/users', async (req, res) => {
    const language = languageOf(req);
    const { rows, total } = await repository.listUsers(db, ALL_UNITS);
    const flash = takeFlash(req);
    res.render('users/index', { title: translate(language, 'users.title'), users: rows, total, flash });
  });

  router.get('/admin/users/new', async (req, res) => {
    const language = languageOf(req);
    const values = { language: 'vi' };
    res.render('users/form', { ...(await formModel(language, { title: translate(language, 'users.new'), action: '/admin/users' })(values)), values });
  });

  router.post('/admin/users', async (req, res) => {
    const language = languageOf(req);
    await submitForm({
      req,
      res,
      schema: newUserSchema,
      view: 'users/form',
      prepare: pickers(language).prepare,
      viewModel: formModel(language, { title: translate(language, 'users.new'), action: '/admin/users' }),
      action: async (input) => {
        const user = await createUser(db, { actor: actorOf(req) }, input);
        return { redirectTo: '/admin/users', flash: translate(language, 'users.created', { name: user.username }) };
      },
    });
  });

  router.get('/admin/users/:id/edit', async (req, res) => {
    const language = languageOf(req);
    const { id } = validate(idParams, req.params);
    const user = await repository.getUser(db, id, ALL_UNITS);
    const values = { ...userJson(user), unitId: String(user.unit_id), email: user.email ?? '' };
    const model = await formModel(language, { title: translate(language, 'users.editTitle', { name: user.username }), action: `/admin/users/${id}`, editing: true, username: user.username })(values);
    res.render('users/form', { ...model, values });
  });

  router.post('/admin/users/:id', async (req, res) => {
    const language = languageOf(req);
    const { id } = validate(idParams, req.params);
    const user = await repository.getUser(db, id, ALL_UNITS);
    await submitForm({
      req,
      res,
      schema: userFormSchema,
      view: 'users/form',
      prepare: pickers(language).prepare,
      viewModel: formModel(language, { title: translate(language, 'users.editTitle', { name: user.username }), action: `/admin/users/${id}`, editing: true, username: user.username }),
      action: async (changes) => {
        const updated = await updateUser(db, { actor: actorOf(req) }, id, changes);
        return { redirectTo: '/admin/users', flash: translate(language, 'users.updated', { name: updated.username }) };
      },
    });
  });

  return router;
}
