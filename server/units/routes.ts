// Unit pages (administrators) and the units API; reference lists for every signed-in user.
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireRole, requireLogin } from '../auth/guards.ts';
import { ALL_UNITS } from '../auth/scope.ts';
import { submitForm } from '../web/forms.ts';
import { translate } from '../web/i18n/index.ts';
import { decodeCursor, encodeCursor } from '../web/pagination.ts';
import { actorOf, languageOf, scopeOf } from '../web/request.ts';
import { id as idSchema, validate } from '../web/validate.ts';
import Joi from 'joi';
import { unitJson } from './present.ts';
import * as repository from './repository.ts';
import { unitListSchema, unitSchema, UNIT_KINDS } from './schemas.ts';
import { createUnit, updateUnit } from './service.ts';

const idParam = Joi.object({ id: idSchema().required() });
const isCode = (value: unknown): value is string => typeof value === 'string';

export function unitPages(db: Database): Router {
  const router = Router();
  router.use('/admin/units', requireRole('admin'));

  router.get('/admin/units', async (req, res) => {
    const language = languageOf(req);
    const showEnded = req.query.ended === '1';
    const q = typeof req.query.q === 'string' ? req.query.q.normalize('NFC').slice(0, 100) : '';
    const { rows, total } = await repository.listUnits(db, ALL_UNITS, { q: q || undefined, includeEnded: showEnded });
    const flash = req.session.flash;
    delete req.session.flash;
    res.render('units/index', {
      title: translate(language, 'units.title'),
      units: rows.map((unit) => ({ ...unit, block: language === 'en' ? unit.block_name_en : unit.block_name, ended: unit.valid_to !== null && unit.successor_id !== null })),
      total,
      q,
      showEnded,
      flash,
    });
  });

  const formModel = (language: 'vi' | 'en', extra: Record<string, unknown>) => async () => ({
    ...extra,
    kinds: UNIT_KINDS.map((kind) => ({ value: kind, label: translate(language, `unitKind.${kind}`) })),
    blocks: (await repository.listBlocks(db)).map((block) => ({ value: block.code, label: language === 'en' ? block.name_en : block.name })),
    units: (await repository.listUnits(db, ALL_UNITS)).rows.map((unit) => ({ value: String(unit.id), label: `${unit.code} — ${unit.name}` })),
  });

  router.get('/admin/units/new', async (req, res) => {
    const language = languageOf(req);
    res.render('units/form', { ...(await formModel(language, { title: translate(language, 'units.new'), action: '/admin/units' })()), values: {} });
  });

  router.post('/admin/units', async (req, res) => {
    const language = languageOf(req);
    await submitForm({
      req,
      res,
      schema: unitSchema,
      view: 'units/form',
      viewModel: formModel(language, { title: translate(language, 'units.new'), action: '/admin/units' }),
      action: async (input) => {
        const unit = await createUnit(db, { actor: actorOf(req) }, input);
        return { redirectTo: '/admin/units', flash: translate(language, 'units.created', { name: unit.name }) };
      },
    });
  });

  router.get('/admin/units/:id/edit', async (req, res) => {
    const language = languageOf(req);
    const { id } = validate(idParam, req.params);
    const unit = await repository.getUnit(db, id, ALL_UNITS);
    const model = await formModel(language, { title: translate(language, 'units.editTitle', { name: unit.name }), action: `/admin/units/${id}`, editing: true })();
    res.render('units/form', { ...model, values: { ...unitJson(unit), validFrom: unit.valid_from ?? '', validTo: unit.valid_to ?? '' } });
  });

  router.post('/admin/units/:id', async (req, res) => {
    const language = languageOf(req);
    const { id } = validate(idParam, req.params);
    const unit = await repository.getUnit(db, id, ALL_UNITS);
    await submitForm({
      req,
      res,
      schema: unitSchema,
      view: 'units/form',
      viewModel: formModel(language, { title: translate(language, 'units.editTitle', { name: unit.name }), action: `/admin/units/${id}`, editing: true }),
      action: async (input) => {
        const updated = await updateUnit(db, { actor: actorOf(req) }, id, input);
        return { redirectTo: '/admin/units', flash: translate(language, 'units.updated', { name: updated.name }) };
      },
    });
  });

  return router;
}

export function unitApi(db: Database): Router {
  const router = Router();

  router.get('/units', requireLogin, async (req, res) => {
    const query = validate(unitListSchema, req.query);
    const afterCode = decodeCursor(query.cursor, isCode);
    const { rows, total } = await repository.listUnits(db, await scopeOf(req, db), { q: query.q, includeEnded: query.includeEnded, afterCode, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    res.json({ items: page.map(unitJson), nextCursor: rows.length > query.limit && last ? encodeCursor(last.code) : null, total });
  });

  router.get('/units/:id', requireLogin, async (req, res) => {
    const { id } = validate(idParam, req.params);
    res.json(unitJson(await repository.getUnit(db, id, await scopeOf(req, db))));
  });

  router.post('/units', requireRole('admin'), async (req, res) => {
    const input = validate(unitSchema, req.body);
    res.status(201).json(unitJson(await createUnit(db, { actor: actorOf(req) }, input)));
  });

  router.put('/units/:id', requireRole('admin'), async (req, res) => {
    const { id } = validate(idParam, req.params);
    const input = validate(unitSchema, req.body);
    res.json(unitJson(await updateUnit(db, { actor: actorOf(req) }, id, input)));
  });

  router.get('/blocks', requireLogin, async (req, res) => {
    const en = languageOf(req) === 'en';
    res.json({ items: (await repository.listBlocks(db)).map((b) => ({ code: b.code, name: en ? b.name_en : b.name })) });
  });

  router.get('/fields', requireLogin, async (req, res) => {
    const en = languageOf(req) === 'en';
    res.json({ items: (await repository.listFields(db)).map((f) => ({ code: f.code, name: en ? f.name_en : f.name })) });
  });

  return router;
}
