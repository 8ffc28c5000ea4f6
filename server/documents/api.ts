// The committee's documents in the API (/api/v1): the decision as .docx and PDF, a closed round's
// proposal as .docx, the year-end report as .docx, and an issuing body's document settings.
import { Router } from 'express';
import { requireLogin, requireRole } from '../auth/guards.ts';
import { callerOf } from '../web/request.ts';
import { idParams, validate } from '../web/validate.ts';
import { sendDecisionDocx, sendDecisionPdf, sendProposalDocx, sendSummaryDocx, type DocumentDeps } from './http.ts';
import { settingsApiSchema } from './schemas.ts';
import { getDocumentSettings, updateDocumentSettings } from './service.ts';

const secretariat = requireRole('secretary', 'admin');

export function documentApi(deps: DocumentDeps): Router {
  const router = Router();
  const { db } = deps;
  router.get('/decisions/:id/decision.docx', requireLogin, (req, res) => sendDecisionDocx(deps, req, res));
  router.get('/decisions/:id/decision.pdf', requireLogin, (req, res) => sendDecisionPdf(deps, req, res));
  router.get('/award-rounds/:id/proposal.docx', secretariat, (req, res) => sendProposalDocx(deps, req, res));
  router.get('/reports/summary.docx', requireLogin, (req, res) => sendSummaryDocx(deps, req, res));

  router.get('/issuing-bodies/:id/document-settings', requireLogin, async (req, res) => {
    const { id } = validate(idParams, req.params);
    res.json({ unitId: id, ...(await getDocumentSettings(db, { caller: await callerOf(req, db), unitId: id })) });
  });
  router.put('/issuing-bodies/:id/document-settings', requireLogin, async (req, res) => {
    const { id } = validate(idParams, req.params);
    const caller = await callerOf(req, db);
    await getDocumentSettings(db, { caller, unitId: id }); // 403/404 before the body is read
    const settings = validate(settingsApiSchema, req.body, { labels: 'documents' });
    res.json({ unitId: id, ...(await updateDocumentSettings(db, { caller, unitId: id, settings })) });
  });
  return router;
}
