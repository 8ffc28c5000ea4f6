// The committee's documents from the pages: the session's twins of the API downloads, linked from the
// decision, round and reports pages, and the page where a body's secretariat edits its document
// settings (/committees/:id/documents).
import { Router, type Request } from 'express';
import type { Caller } from '../auth/caller.ts';
import { requireLogin, requireRole } from '../auth/guards.ts';
import { getUnit } from '../units/repository.ts';
import { ALL_UNITS } from '../auth/scope.ts';
import { submitForm } from '../web/forms.ts';
import { translate } from '../web/i18n/index.ts';
import { callerOf, languageOf, takeFlash } from '../web/request.ts';
import { idParams, validate } from '../web/validate.ts';
import { sendDecisionDocx, sendDecisionPdf, sendProposalDocx, sendSummaryDocx, type DocumentDeps } from './http.ts';
import { settingsFormSchema } from './schemas.ts';
import { getDocumentSettings, updateDocumentSettings } from './service.ts';
import type { DocumentSettings } from './settings.ts';

const secretariat = requireRole('secretary', 'admin');

/** The settings as the form shows them: each list one item per line. */
function formValues(settings: DocumentSettings): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).map(([key, value]) => [key, Array.isArray(value) ? value.join('\n') : String(value)]));
}

export function documentPages(deps: DocumentDeps): Router {
  const router = Router();
  const { db } = deps;
  router.get('/decisions/:id/decision.docx', requireLogin, (req, res) => sendDecisionDocx(deps, req, res));
  router.get('/decisions/:id/decision.pdf', requireLogin, (req, res) => sendDecisionPdf(deps, req, res));
  router.get('/awards/:id/proposal.docx', secretariat, (req, res) => sendProposalDocx(deps, req, res));
  router.get('/reports/summary.docx', requireLogin, (req, res) => sendSummaryDocx(deps, req, res));

  async function settingsView(req: Request, caller: Caller, unitId: number) {
    const language = languageOf(req);
    const { settings, customised } = await getDocumentSettings(db, { caller, unitId });
    const body = await getUnit(db, unitId, ALL_UNITS);
    return {
      title: translate(language, 'documents.settings.title', { name: body.name }),
      intro: translate(language, 'documents.settings.intro', { name: body.name }),
      body: { id: body.id, name: body.name },
      customised,
      stored: formValues(settings),
    };
  }

  router.get('/committees/:id/documents', requireLogin, async (req, res) => {
    const { id } = validate(idParams, req.params);
    const view = await settingsView(req, await callerOf(req, db), id);
    res.render('documents/settings', { ...view, values: view.stored, flash: takeFlash(req) });
  });

  router.post('/committees/:id/documents', requireLogin, async (req, res) => {
    const { id } = validate(idParams, req.params);
    const caller = await callerOf(req, db);
    const view = await settingsView(req, caller, id); // 403/404 before the form is read
    await submitForm({
      req, res, schema: settingsFormSchema, view: 'documents/settings', labels: 'documents',
      viewModel: async () => view,
      action: async (settings) => {
        await updateDocumentSettings(db, { caller, unitId: id, settings });
        return { redirectTo: `/committees/${id}/documents`, flash: translate(languageOf(req), 'documents.settings.saved') };
      },
    });
  });
  return router;
}
