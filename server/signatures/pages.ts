// The decision page's signing panel: opening a session shows its two one-time links on the page
// (for the VGCA tool, or to paste into it), and the signed copy downloads from the decision.
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import type { CertificateRenderer } from '../certificates/rendering/renderer.ts';
import { committee, fileNameOf, sendPdf } from '../certificates/http.ts';
import { decisionNumberText } from '../certificates/repository.ts';
import { annexModel } from '../awards/queries.ts';
import { unsignedDecisionPdf } from '../documents/http.ts';
import { callerOf, languageOf } from '../web/request.ts';
import { idParams, validate } from '../web/validate.ts';
import { signingPanel } from './present.ts';
import * as service from './service.ts';

export function signingPages({ db, renderer, publicUrl }: { db: Database; renderer: CertificateRenderer | undefined; publicUrl: string }): Router {
  const router = Router();
  const base = publicUrl.replace(/\/+$/, '');

  router.post('/decisions/:id/signing-sessions', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const session = await service.openSigningSession(db, viewer, id, () => unsignedDecisionPdf({ db, renderer }, res, viewer, id));
    const language = languageOf(req);
    const model = await annexModel(db, viewer, id, language);
    const status = await service.signingStatus(db, viewer, id, model.decision.issuing_unit_id);
    const links = { sourceUrl: `${base}/api/v1/signing/${session.sourceToken}/source.pdf`, uploadUrl: `${base}/api/v1/signing/${session.uploadToken}/signed.pdf`, expiresAt: session.expiresAt };
    // Shown once, here: the tokens are kept only hashed. No redirect, so they never sit in a flash or a URL.
    res.set('Cache-Control', 'no-store').render('awards/decision', { ...model, signing: status && signingPanel(language, id, status, links) });
  });

  router.get('/decisions/:id/signed.pdf', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const copy = await service.signedDecisionCopy(db, viewer, id);
    sendPdf(res, copy.pdf, `quyet-dinh-${fileNameOf(await decisionNumberText(db, id))}-da-ky-so.pdf`, true);
  });
  return router;
}
