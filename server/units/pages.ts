// The unit pages (administrators): the list with the 2025 mergers, and the unit form; and for
// everyone signed in, the unit picker's search (JSON for views/assets/unit-picker.js).
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin, requireRole } from '../auth/guards.ts';
import { ALL_UNITS } from '../auth/scope.ts';
import { submitForm } from '../web/forms.ts';
import { translate } from '../web/i18n/index.ts';
import { actorOf, languageOf, scopeOf, takeFlash } from '../web/request.ts';
import { idParams, validate } from '../web/validate.ts';
import { SEARCH_LIMIT, unitPickers, type UnitPickerSpec } from './picker.ts';
import { unitChoiceJson, unitJson } from './present.ts';
import * as repository from './repository.ts';
import { unitSchema, unitSearchSchema, UNIT_KINDS } from './schemas.ts';
import { createUnit, updateUnit } from './service.ts';

/** A unit's parent and successor: any unit, ended ones too (a unit that ended in 2025 may be recorded with its successor). */
const UNIT_PICKERS: UnitPickerSpec[] = [
  { name: 'parentId', label: 'units.parent', includeEnded: true },
  { name: 'successorId', label: 'units.successor', includeEnded: true },
];

export function unitPages(db: Database): Router {
  const router = Router();
  router.use('/admin/units', requireRole('admin'));

  // The session's twin of GET /api/v1/units?q= for the pickers' script: the same scope (other
  // units are invisible), the likeliest units first, at most SEARCH_LIMIT.
  router.get('/units/search', requireLogin, async (req, res) => {
    const query = validate(unitSearchSchema, req.query);
    const rows = await repository.searchUnits(db, await scopeOf(req, db), { q: query.q || undefined, includeEnded: query.includeEnded, kinds: query.kind, limit: SEARCH_LIMIT + 1 });
    const language = languageOf(req);
    res.json({ items: rows.slice(0, SEARCH_LIMIT).map((unit) => unitChoiceJson(unit, language)), more: rows.length > SEARCH_LIMIT });
  });

  router.get('/admin/units', async (req, res) => {
    const language = languageOf(req);
    const showEnded = req.query.ended === '1';
    const q = typeof req.query.q === 'string' ? req.query.q.normalize('NFC').slice(0, 100) : '';
    const { rows, total } = await repository.listUnits(db, ALL_UNITS, { q: q || undefined, includeEnded: showEnded });
    const flash = takeFlash(req);
    res.render('units/index', {
      title: translate(language, 'units.title'),
      units: rows.map((unit) => ({ ...unit, block: language === 'en' ? unit.block_name_en : unit.block_name, ended: unit.valid_to !== null && unit.successor_id !== null })),
      total,
      q,
      showEnded,
      flash,
    });
  });

  const pickers = (language: 'vi' | 'en') => unitPickers(db, ALL_UNITS, language, UNIT_PICKERS);

  const formModel = (language: 'vi' | 'en', extra: Record<string, unknown>) => async (values: Record<string, unknown>) => ({
    ...extra,
    kinds: UNIT_KINDS.map((kind) => ({ value: kind, label: translate(language, `unitKind.${kind}`) })),
    blocks: (await repository.listBlocks(db)).map((block) => ({ value: block.code, label: language === 'en' ? block.name_en : block.name })),
    ...(await pickers(language).views(values)),
  });

  router.get('/admin/units/new', async (req, res) => {
    const language = languageOf(req);
    res.render('units/form', { ...(await formModel(language, { title: translate(language, 'units.new'), action: '/admin/units' })({})), values: {} });
  });

  router.post('/admin/units', async (req, res) => {
    const language = languageOf(req);
    await submitForm({
      req,
      res,
      schema: unitSchema,
      view: 'units/form',
      prepare: pickers(language).prepare,
      viewModel: formModel(language, { title: translate(language, 'units.new'), action: '/admin/units' }),
      action: async (input) => {
        const unit = await createUnit(db, { actor: actorOf(req) }, input);
        return { redirectTo: '/admin/units', flash: translate(language, 'units.created', { name: unit.name }) };
      },
    });
  });

  router.get('/admin/units/:id/edit', async (req, res) => {
    const language = languageOf(req);
    const { id } = validate(idParams, req.params);
    const unit = await repository.getUnit(db, id, ALL_UNITS);
    const values = { ...unitJson(unit), validFrom: unit.valid_from ?? '', validTo: unit.valid_to ?? '' };
    const model = await formModel(language, { title: translate(language, 'units.editTitle', { name: unit.name }), action: `/admin/units/${id}`, editing: true })(values);
    res.render('units/form', { ...model, values });
  });

  router.post('/admin/units/:id', async (req, res) => {
    const language = languageOf(req);
    const { id } = validate(idParams, req.params);
    const unit = await repository.getUnit(db, id, ALL_UNITS);
    await submitForm({
      req,
      res,
      schema: unitSchema,
      view: 'units/form',
      prepare: pickers(language).prepare,
      viewModel: formModel(language, { title: translate(language, 'units.editTitle', { name: unit.name }), action: `/admin/units/${id}`, editing: true }),
      action: async (input) => {
        const updated = await updateUnit(db, { actor: actorOf(req) }, id, input);
        return { redirectTo: '/admin/units', flash: translate(language, 'units.updated', { name: updated.name }) };
      },
    });
  });

  return router;
}
