// The unit pages (administrators): the list with the 2025 mergers, and the unit form; and for
// everyone signed in, the unit picker's search (JSON for views/assets/unit-picker.js).
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin, requireRole } from '../auth/guards.ts';
import { ALL_UNITS } from '../auth/scope.ts';
import { submitForm } from '../web/forms.ts';
import { formatNumber, translate } from '../web/i18n/index.ts';
import { decodeCursor, encodeCursor } from '../web/pagination.ts';
import { actorOf, languageOf, scopeOf, takeFlash } from '../web/request.ts';
import { idParams, validate } from '../web/validate.ts';
import { SEARCH_LIMIT, unitPickers, type UnitPickerSpec } from './picker.ts';
import { unitChoiceJson, unitJson } from './present.ts';
import * as repository from './repository.ts';
import { unitSchema, unitSearchSchema, UNIT_KINDS } from './schemas.ts';
import { createUnit, updateUnit } from './service.ts';

/** A unit's parent and successor: any unit, ended ones too (a unit that ended in 2025 may be recorded with its successor). */
/** Rows a page of the administrator's unit list. */
const ADMIN_PAGE_SIZE = 50;

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

  // Fifty units a page in the administrator's order (repository.pageUnitsForAdmin), with the API's
  // search: a name without diacritics, our code or the state's code. The cursor also carries how many
  // rows came before, for "Hiển thị 51–100 trong 3.420 đơn vị".
  router.get('/admin/units', async (req, res) => {
    const language = languageOf(req);
    const showEnded = req.query.ended === '1';
    const q = typeof req.query.q === 'string' ? req.query.q.normalize('NFC').trim().slice(0, 100) : '';
    const after = decodeCursor(typeof req.query.cursor === 'string' ? req.query.cursor : undefined, repository.isAdminUnitCursor);
    const { rows, total } = await repository.pageUnitsForAdmin(db, { q: q || undefined, includeEnded: showEnded, after, limit: ADMIN_PAGE_SIZE + 1 });
    const page = rows.slice(0, ADMIN_PAGE_SIZE);
    const shown = after?.[3] ?? 0;
    const last = page[page.length - 1];
    const filterQuery: [string, string][] = [...(q ? [['q', q] as [string, string]] : []), ...(showEnded ? [['ended', '1'] as [string, string]] : [])];
    const link = (extra: [string, string][]) => {
      const query = new URLSearchParams([...filterQuery, ...extra]).toString();
      return query ? `/admin/units?${query}` : '/admin/units';
    };
    const nextCursor = rows.length > ADMIN_PAGE_SIZE && last ? encodeCursor([Number(last.sort_rank), last.sort_official, last.code, shown + page.length]) : null;
    const flash = takeFlash(req);
    res.render('units/index', {
      title: translate(language, 'units.title'),
      units: page.map((unit) => ({ ...unit, block: language === 'en' ? unit.block_name_en : unit.block_name, ended: unit.valid_to !== null && unit.successor_id !== null })),
      total,
      range: page.length > 0 ? translate(language, 'units.range', { from: formatNumber(shown + 1), to: formatNumber(shown + page.length), total: formatNumber(total) }) : null,
      q,
      showEnded,
      flash,
      firstPage: after ? link([]) : null,
      nextPage: nextCursor ? link([['cursor', nextCursor]]) : null,
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
        return { redirectTo: `/admin/units?q=${encodeURIComponent(unit.code)}`, flash: translate(language, 'units.created', { name: unit.name }) };
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
        return { redirectTo: `/admin/units?ended=1&q=${encodeURIComponent(updated.code)}`, flash: translate(language, 'units.updated', { name: updated.name }) };
      },
    });
  });

  return router;
}
