// Sending the committee's documents, for the API and the pages alike: validate, one service call,
// the words (official.ts), then the Word file (docx-writer.ts) or the PDF printed from the same
// model (views/documents/official.hbs through the certificates' renderer).
import type { Request, Response } from 'express';
import type { Database } from '../db/database.ts';
import type { CertificateRenderer } from '../certificates/rendering/renderer.ts';
import { viewToPdf } from '../certificates/rendering/view-pdf.ts';
import { fileNameOf, sendPdf } from '../certificates/http.ts';
import { ruleText } from '../awards/pages.ts';
import { UnavailableError } from '../errors.ts';
import { summaryFor } from '../reports/http.ts';
import { callerOf } from '../web/request.ts';
import type { Caller } from '../auth/caller.ts';
import { idParams, validate } from '../web/validate.ts';
import { DOCX_TYPE, officialDocx } from './docx-writer.ts';
import { decisionDocument, proposalDocument, type OfficialDocument } from './official.ts';
import { summaryDocx } from './report.ts';
import { proposalQuery } from './schemas.ts';
import { renderSigned } from '../signatures/sign.ts';
import type { SignatureStamp } from '../signatures/stamp.ts';
import type { SignerBook } from '../signatures/signers.ts';
import { bodyName } from '../units/names.ts';
import { decisionFacts, proposalFacts } from './service.ts';

export interface DocumentDeps {
  db: Database;
  /** Undefined when no Chromium was found: the PDF answers 503, the Word files are still made. */
  renderer: CertificateRenderer | undefined;
  /** The bodies' signing keys: the whole decision is signed with its body's (server/signatures). */
  signers?: SignerBook;
}

export function sendDocx(res: Response, bytes: Buffer, fileName: string): void {
  res.set({
    'Content-Type': DOCX_TYPE,
    'Content-Length': String(bytes.length),
    'Content-Disposition': `attachment; filename="${fileName}"`,
    'Cache-Control': 'private, no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(bytes);
}

async function decisionOf(db: Database, req: Request) {
  const { id } = validate(idParams, req.params);
  return decisionFor(db, await callerOf(req, db), id);
}

async function decisionFor(db: Database, viewer: Caller, id: number) {
  const { decision, facts, settings, listed, counts } = await decisionFacts(db, viewer, id);
  // An extract (a reader who sees only some of those awarded) is a copy for reading, never signed.
  const whole = listed.length === counts.collectives + counts.individuals;
  return { decision, document: decisionDocument(settings, facts, listed, counts), whole };
}

export async function sendDecisionDocx({ db }: DocumentDeps, req: Request, res: Response): Promise<void> {
  const { decision, document } = await decisionOf(db, req);
  sendDocx(res, await officialDocx(document), `quyet-dinh-${fileNameOf(decision.number_text)}.docx`);
}

export async function sendDecisionPdf({ db, renderer, signers }: DocumentDeps, req: Request, res: Response): Promise<void> {
  if (!renderer) throw new UnavailableError('no_browser', 'certificates.noBrowser');
  const { decision, document, whole } = await decisionOf(db, req);
  const body = whole ? { code: decision.issuing_unit_code, name: bodyName(decision.issuing_unit_name, decision.issuing_unit_kind) } : undefined;
  const { pdf } = await renderSigned(signers, body, 'Ký số quyết định khen thưởng', (stamp) => officialPdf(res, renderer, document, stamp));
  sendPdf(res, pdf, `quyet-dinh-${fileNameOf(decision.number_text)}.pdf`, true);
}

/** The whole decision as a PDF, unsigned: what a signing session hands the USB token's tool. */
export async function unsignedDecisionPdf({ db, renderer }: DocumentDeps, res: Response, viewer: Caller, id: number): Promise<Buffer> {
  if (!renderer) throw new UnavailableError('no_browser', 'certificates.noBrowser');
  const { document } = await decisionFor(db, viewer, id);
  return officialPdf(res, renderer, document, null);
}

/** An official document on A4 from views/documents/official.hbs, with the body's signature stamp or none. */
function officialPdf(res: Response, renderer: CertificateRenderer, document: OfficialDocument, digitalSignature: SignatureStamp | null): Promise<Buffer> {
  return viewToPdf(res, renderer, 'documents/official', { document, digitalSignature, title: document.fileTitle, lang: 'vi' }, 'official-print.css', { widthMm: 210, heightMm: 297 });
}

export async function sendProposalDocx({ db }: DocumentDeps, req: Request, res: Response): Promise<void> {
  const { id } = validate(idParams, req.params);
  const { forwardedTo } = validate(proposalQuery, req.query, { labels: 'documents' });
  const { round, settings, listed, figures } = await proposalFacts(db, await callerOf(req, db), id, forwardedTo);
  const document = proposalDocument(settings, { ...figures, ruleText: ruleText('vi', round) }, listed);
  sendDocx(res, await officialDocx(document), `to-trinh-${fileNameOf(round.title).slice(0, 80)}${forwardedTo ? `-len-dot-${forwardedTo}` : ''}.docx`);
}

export async function sendSummaryDocx({ db }: DocumentDeps, req: Request, res: Response): Promise<void> {
  const { language, summary, paragraph } = await summaryFor(db, req);
  sendDocx(res, await summaryDocx(summary, paragraph, language), `bao-cao-dan-van-kheo-${summary.year}.docx`);
}
