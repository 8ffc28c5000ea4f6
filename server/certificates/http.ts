// What the certificates API and pages share over HTTP: their dependencies, the printing roles,
// and sending a PDF (a certificate, a decision's sheets, a finished print job).
import type { Request, Response } from 'express';
import { requireRole } from '../auth/guards.ts';
import { idParams, validate } from '../web/validate.ts';
import { callerOf } from '../web/request.ts';
import * as service from './service.ts';
import { modeQuery, previewSchema, splitIdList } from './schemas.ts';
import { previewCertificates } from './preview.ts';
import type { Database } from '../db/database.ts';
import type { CertificateRenderer } from './rendering/renderer.ts';
import { UnavailableError } from '../errors.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { PRINTING_ROLES } from './policy.ts';
import type { SignerBook } from '../signatures/signers.ts';

export const printers = requireRole(...PRINTING_ROLES);

export const committee = requireRole('secretary', 'admin');

export interface CertificateDeps {
  db: Database;
  /** Undefined when no Chromium was found: printing answers 503 with a one-line reason. */
  renderer: CertificateRenderer | undefined;
  /** The job queue print jobs go through; undefined means they are refused like missing Chromium. */
  queue: JobQueue | undefined;
  publicUrl: string;
  /** The bodies' signing keys (SIGNING_P12...); undefined or empty: nothing is signed. */
  signers?: SignerBook;
}

export function printDeps(deps: CertificateDeps): service.PrintDeps {
  if (!deps.renderer) throw new UnavailableError('no_browser', 'certificates.noBrowser');
  return { db: deps.db, renderer: deps.renderer, publicUrl: deps.publicUrl, signers: deps.signers };
}

export function queueOf(deps: CertificateDeps): JobQueue {
  if (!deps.queue) throw new UnavailableError('no_browser', 'certificates.noBrowser');
  return deps.queue;
}

export function sendPdf(res: Response, pdf: Buffer, fileName: string, download: boolean) {
  res.set({
    'Content-Type': 'application/pdf',
    'Content-Length': String(pdf.length),
    'Content-Disposition': `${download ? 'attachment' : 'inline'}; filename="${fileName}"`,
    'Cache-Control': 'private, no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(pdf);
}

export const fileNameOf = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();


/** The two downloads the API and the pages answer alike (the pages' session, the API's token). */
export function pdfDownloads(deps: CertificateDeps) {
  const { db } = deps;
  return {
    async decision(req: Request, res: Response) {
      const viewer = await callerOf(req, db);
      const { id } = validate(idParams, req.params);
      const { mode } = validate(modeQuery, req.query);
      const { pdf, records, leftOut } = await service.printDecision(printDeps(deps), viewer, id, mode);
      res.set('X-Revoked-Left-Out', String(leftOut)); // revoked certificates not in the PDF
      sendPdf(res, pdf, `quyet-dinh-${fileNameOf(records[0]!.decision_number)}.pdf`, true);
    },
    /** The certificates of a round's approved nominations before the decision (API: query; page: the decision form's fields). */
    async preview(req: Request, res: Response) {
      const viewer = await callerOf(req, db);
      const { id } = validate(idParams, req.params);
      const sent = req.method === 'GET' ? req.query : req.body ?? {};
      const { roundId: _ignored, ...input } = validate(previewSchema, splitIdList(sent as Record<string, unknown>), { form: req.method !== 'GET', labels: 'award' });
      const { pdf } = await previewCertificates(printDeps(deps), viewer, id, input);
      sendPdf(res, pdf, `xem-truoc-bang-khen-dot-${id}.pdf`, false);
    },
    async jobFile(req: Request, res: Response) {
      const viewer = await callerOf(req, db);
      const { id } = validate(idParams, req.params);
      sendPdf(res, await service.printJobFile(db, viewer, id), `lenh-in-${id}.pdf`, true);
    },
  };
}
