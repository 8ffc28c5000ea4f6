// The decision page's signing panel: opening a session shows its two one-time links on the page
// (for the VGCA tool, or to paste into it), and the signed copy downloads from the decision.
import { Router } from 'express';
import { committee } from '../certificates/http.ts';
import { annexModel } from '../awards/queries.ts';
import { languageOf } from '../web/request.ts';
import { openSession, sendSignedCopy, type SigningDeps } from './http.ts';
import { signingPanel } from './present.ts';
import * as service from './service.ts';

export function signingPages(deps: SigningDeps): Router {
  const router = Router();
  const { db } = deps;

  router.post('/decisions/:id/signing-sessions', committee, async (req, res) => {
    const { viewer, decisionId, sourceUrl, uploadUrl, expiresAt } = await openSession(deps, req, res);
    const language = languageOf(req);
    const model = await annexModel(db, viewer, decisionId, language);
    const status = await service.signingStatus(db, viewer, decisionId, model.decision.issuing_unit_id);
    // Shown once, here: the tokens are kept only hashed. No redirect, so they never sit in a flash or a URL.
    res.set('Cache-Control', 'no-store').render('awards/decision', { ...model, signing: status && signingPanel(language, decisionId, status, { sourceUrl, uploadUrl, expiresAt }) });
  });

  router.get('/decisions/:id/signed.pdf', committee, (req, res) => sendSignedCopy(db, req, res));
  return router;
}
