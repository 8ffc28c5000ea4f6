// The committee page (/committees/:id): the body's council as a list of named member accounts, kept by
// the administrator or the body's own secretariat with one form of checkboxes.
import { Router, type Request } from 'express';
import type { Database } from '../db/database.ts';
import type { Caller } from '../auth/caller.ts';
import { requireLogin } from '../auth/guards.ts';
import { compareVietnameseNames } from '../awards/names.ts';
import { getUnit } from '../units/repository.ts';
import { ALL_UNITS } from '../auth/scope.ts';
import { submitForm } from '../web/forms.ts';
import { translate } from '../web/i18n/index.ts';
import { callerOf, languageOf, takeFlash } from '../web/request.ts';
import { idParams, validate } from '../web/validate.ts';
import { committeeJson } from './present.ts';
import * as repository from './repository.ts';
import { committeeFormSchema } from './schemas.ts';
import { getCommittee, setCommittee } from './service.ts';

export function committeePages(db: Database): Router {
  const router = Router();

  /** The page's data: the seated accounts, and every member account the caller could seat. */
  async function committeeView(req: Request, caller: Caller, bodyId: number) {
    const language = languageOf(req);
    const seats = await getCommittee(db, { caller, bodyId });
    const body = await getUnit(db, bodyId, ALL_UNITS);
    const candidates = await repository.memberAccountsInScope(db, caller.scope);
    const offered = new Map(candidates.map((account) => [account.id, account]));
    for (const seat of seats) offered.set(seat.id, seat); // a seated account outside the scope stays listed
    return {
      title: translate(language, 'committees.title', { name: body.name }),
      body: { id: body.id, name: body.name },
      committee: committeeJson(bodyId, seats).accounts,
      options: [...offered.values()]
        .sort((a, b) => compareVietnameseNames(a.full_name, b.full_name))
        .map((account) => ({ value: String(account.id), label: `${account.full_name} — ${account.unit_name} (${account.username})` })),
      values: { members: seats.map((seat) => String(seat.id)) },
    };
  }

  router.get('/committees/:id', requireLogin, async (req, res) => {
    const { id } = validate(idParams, req.params);
    res.render('committees/show', { ...(await committeeView(req, await callerOf(req, db), id)), flash: takeFlash(req) });
  });

  router.post('/committees/:id', requireLogin, async (req, res) => {
    const { id } = validate(idParams, req.params);
    const caller = await callerOf(req, db);
    const view = await committeeView(req, caller, id); // 403/404 before the form is read
    await submitForm({
      req, res, schema: committeeFormSchema, view: 'committees/show',
      viewModel: async () => view,
      action: async ({ members }) => {
        const seats = await setCommittee(db, { caller, bodyId: id, members });
        return { redirectTo: `/committees/${id}`, flash: translate(languageOf(req), 'committees.saved', { count: seats.length }) };
      },
    });
  });

  return router;
}
