// The certificates API (/api/v1): print a certificate or a decision's sheets, record a print,
// queue and fetch print jobs, reissue and revoke. Thin: validate, one service call, the PDF or JSON.
import { Router } from 'express';
import { callerOf } from '../web/request.ts';
import { idParams, validate } from '../web/validate.ts';
import * as service from './service.ts';
import { correctionSchema, modeQuery, printJobListSchema, printJobSchema, printLogSchema, reasonSchema } from './schemas.ts';
import { committee, pdfDownloads, printDeps, printers, queueOf, sendPdf, type CertificateDeps } from './http.ts';

export function certificateApi(deps: CertificateDeps): Router {
  const router = Router();
  const { db } = deps;
  const downloads = pdfDownloads(deps);

  router.get('/certificates/:id.pdf', printers, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const { mode } = validate(modeQuery, req.query);
    const { pdf, record } = await service.printCertificate(printDeps(deps), viewer, id, mode);
    sendPdf(res, pdf, `bang-khen-${record.register_number}-${record.year}.pdf`, true);
  });

  router.get('/decisions/:id/certificates.pdf', printers, downloads.decision);

  // Before the decision: what the certificates will look like, marked as a preview; nothing written.
  router.get('/award-rounds/:id/preview.pdf', committee, downloads.preview);

  // Downloading is not printing: a print is recorded here (or by a print job).
  router.post('/certificates/:id/print-log', printers, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const { mode } = validate(printLogSchema, req.body ?? {});
    const row = await service.recordPrint(db, viewer, id, mode);
    res.status(201).json({ id: Number(row.id), certificateId: row.certificate_id, copyNumber: row.copy_number, mode: row.mode, channel: row.channel, printedBy: row.printed_by, printedAt: row.printed_at.toISOString() });
  });

  router.post('/decisions/:id/print-jobs', printers, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const { mode, ...serials } = validate(printJobSchema, req.body ?? {}, { labels: 'printJob' });
    const job = await service.enqueuePrintJob(db, queueOf(deps), viewer, id, mode, serials);
    res.status(202).location(`/api/v1/print-jobs/${job.id}`).json({ id: job.id, status: job.status, done: job.done, total: job.total, blankSerialFrom: job.blank_serial_from, blankSerialTo: job.blank_serial_to });
  });

  router.get('/print-jobs', printers, async (req, res) => {
    const viewer = await callerOf(req, db);
    const page = validate(printJobListSchema, req.query);
    const { items, nextCursor, total } = await service.listPrintJobs(db, viewer, page);
    res.json({
      items: items.map((job) => ({
        id: job.id, decisionId: job.decision_id, decisionNumber: job.number_text, mode: job.mode, status: job.status, done: job.done, total: job.total,
        createdBy: job.created_by_name, createdAt: job.created_at.toISOString(), finishedAt: job.finished_at?.toISOString() ?? null, blankSerialFrom: job.blank_serial_from, blankSerialTo: job.blank_serial_to, fileUrl: job.status === 'done' ? `/api/v1/print-jobs/${job.id}/file` : null,
      })),
      nextCursor,
      total,
    });
  });

  router.get('/print-jobs/:id', printers, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const job = await service.getPrintJob(db, viewer, id);
    res.json({ id: job.id, decisionId: job.decision_id, mode: job.mode, status: job.status, done: job.done, total: job.total, leftOut: job.leftOut, error: job.error, blankSerialFrom: job.blank_serial_from, blankSerialTo: job.blank_serial_to, fileUrl: job.status === 'done' ? `/api/v1/print-jobs/${job.id}/file` : null });
  });

  router.get('/print-jobs/:id/file', printers, downloads.jobFile);

  router.post('/certificates/:id/reissue', printers, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const { reason } = validate(reasonSchema, req.body, { labels: 'certificate' });
    res.status(201).json(await service.reissueCertificate(db, viewer, id, reason));
  });

  router.post('/certificates/:id/revoke', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const { reason } = validate(reasonSchema, req.body, { labels: 'certificate' });
    const revoked = await service.revokeCertificate(db, viewer, id, reason);
    res.json({ id: revoked.id, status: revoked.status, revokedAt: revoked.revoked_at?.toISOString(), reason: revoked.revoke_reason });
  });

  router.post('/certificates/:id/correct', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const input = validate(correctionSchema, req.body, { labels: 'certificate' });
    const corrected = await service.correctCertificate(db, viewer, id, input);
    res.status(201).location(`/api/v1/certificates/${corrected.id}.pdf`).json(correctionJson(corrected));
  });

  return router;
}

/** The corrected certificate as the API answers it (API.md: `correctsId`, the same register number, a new code). */
function correctionJson(c: Awaited<ReturnType<typeof service.correctCertificate>>) {
  return {
    id: c.id, correctsId: c.corrects_id, decisionId: c.decision_id, nominationId: c.nomination_id, recipientName: c.recipientName, position: c.position, unitName: c.unitName,
    achievement: c.achievement, registerNumber: c.register_number, year: c.year, verificationCode: c.verification_code, status: c.status, reason: c.reason, createdAt: c.created_at.toISOString(),
  };
}
