// Printing certificates and what follows a print: one certificate or a decision's as a PDF, the
// print log, print jobs for large batches, reissue and revoke, and calibrating the print layouts.
// Each write is one transaction with its audit row; the SQL is in repository.ts, the PDFs are made
// in rendering/.
import type { Database } from '../db/database.ts';
import { recordAction } from '../audit/audit.ts';
import type { Caller } from '../auth/caller.ts';
import { enforce } from '../policy.ts';
import { canCorrect, canPrint, canRevoke } from './policy.ts';
import { ConflictError, NotFoundError, RateLimitedError, ValidationError, type FieldProblem } from '../errors.ts';
import { inTransaction, PRINT_QUEUE, type JobQueue } from '../jobs/queue.ts';
import * as repository from './repository.ts';
import { layoutAssets, renderCertificates, renderChunk, type RenderDeps } from './rendering/chunks.ts';
import { renderSigned } from '../signatures/sign.ts';
import type { SignerBook } from '../signatures/signers.ts';
import { bodyName } from '../units/names.ts';
import { calibrationGrid, calibrationSheet } from './rendering/calibration.ts';
import type { CertificateRecord } from './rendering/sheets.ts';
import { certificateDocument, emblemUrlOf, renderSheet, type PrintMode, type TemplateName } from './rendering/templates.ts';
import { PAPER_SIZES, type CorrectionInput, type LayoutInput } from './schemas.ts';
import { checkEmblem } from './emblems.ts';
import { blankSerialRange, type BlankSerials } from './serials.ts';
import { cleanFileName } from '../awards/dossier.ts';
import { newVerificationCode } from '../awards/service.ts';
import { decodeCursor, encodeCursor } from '../web/pagination.ts';
import { positionRepeatsUnit } from '../awards/names.ts';
import { setRevoked as setCredentialRevoked } from '../credentials/repository.ts';

/** Print jobs waiting or running at once per issuing unit; beyond that its new one is refused with 429. */
export const MAX_OPEN_JOBS = 20;

export interface PrintDeps extends RenderDeps {
  db: Database;
  /** The bodies' signing keys: a single certificate in full mode, the digital copy, is signed with its body's. */
  signers?: SignerBook;
}

/**
 * One certificate as a PDF. Downloading or previewing is not printing: nothing is logged (see
 * recordPrint). A revoked one is never printed (409).
 */
export async function printCertificate(deps: PrintDeps, viewer: Caller, id: number, mode: PrintMode): Promise<{ pdf: Buffer; record: CertificateRecord }> {
  enforce(canPrint(viewer));
  const [record] = await repository.listVisibleCertificates(deps.db, viewer, { id, acting: true });
  if (!record) throw new NotFoundError();
  refuseReplaced(record.status);
  if (record.status !== 'valid') throw new ConflictError('revoked_not_printed', 'certificates.revokedNotPrinted');
  const layout = await repository.layoutFor(deps.db, record.template, mode);
  if (mode !== 'full') return { pdf: await renderCertificates(deps, [record], layout), record };
  // Full mode is also the digital copy: signed with the body's key when it has one (paper is signed by hand).
  const body = { code: record.issuer_code ?? '', name: bodyName(record.issuer_name, record.issuer_kind) };
  const { pdf } = await renderSigned(deps.signers, body, 'Ký số bằng khen', (stamp) => (stamp ? renderChunk(deps, [record], layout, { tagged: true }, stamp) : renderCertificates(deps, [record], layout)));
  return { pdf, record };
}

/** Records that the viewer printed a certificate (its current copy) in a mode, with its audit row. A revoked one is refused (409). */
export async function recordPrint(db: Database, viewer: Caller, id: number, mode: PrintMode) {
  enforce(canPrint(viewer));
  return db.transaction().execute(async (trx) => {
    const certificate = await repository.lockActingCertificate(trx, viewer, id);
    refuseReplaced(certificate.status);
    if (certificate.status !== 'valid') throw new ConflictError('revoked_not_printed', 'certificates.revokedNotPrinted');
    const row = await repository.insertPrintLogEntry(trx, { certificate_id: id, copy_number: certificate.copy_number, mode, channel: 'single', job_id: null, printed_by: viewer.user.id });
    await recordAction(trx, viewer.actor, { action: 'certificate.print', entityType: 'certificate', entityId: id, after: { printLogId: row.id, mode, copyNumber: certificate.copy_number } });
    return row;
  });
}

/**
 * Every valid certificate of a decision in one PDF, not logged; revoked ones are left out and counted
 * (`leftOut`), and a decision whose certificates are all revoked is refused (409). For a few
 * hundred; larger batches go through a print job.
 */
export async function printDecision(deps: PrintDeps, viewer: Caller, decisionId: number, mode: PrintMode): Promise<{ pdf: Buffer; records: CertificateRecord[]; leftOut: number }> {
  enforce(canPrint(viewer));
  const all = await repository.listVisibleCertificates(deps.db, viewer, { decisionId, acting: true });
  if (all.length === 0) throw new NotFoundError();
  const records = all.filter((record) => record.status === 'valid');
  if (records.length === 0) throw new ConflictError('all_revoked', 'certificates.allRevoked');
  const pdf = await renderCertificates(deps, records, await repository.layoutFor(deps.db, records[0]!.template, mode));
  return { pdf, records, leftOut: all.length - records.length };
}

/** A decision the viewer prints for (404 otherwise): where the decision page's download goes on to. */
export async function decisionToPrint(db: Database, viewer: Caller, decisionId: number) {
  enforce(canPrint(viewer));
  const decision = await repository.findActingDecision(db, viewer, decisionId);
  if (!decision) throw new NotFoundError();
  return decision;
}

/**
 * Queues a print job for a decision's valid certificates, in one transaction with its queue entry;
 * a worker renders it chunk by chunk (jobs.ts), with the serials of the blank forms used if given
 * (serials.ts: 422). Refused (409) when every certificate is revoked.
 */
export async function enqueuePrintJob(db: Database, queue: JobQueue, viewer: Caller, decisionId: number, mode: PrintMode, serials: BlankSerials = {}) {
  enforce(canPrint(viewer));
  return db.transaction().execute(async (trx) => {
    const decision = await repository.findActingDecision(trx, viewer, decisionId);
    if (!decision) throw new NotFoundError();
    // The bound is per issuing unit, so one body's printer never blocks another's. Enqueuers of a
    // unit are serialised on a lock so the bound holds under concurrency.
    await repository.lockPrintJobQueueOf(trx, decision.issuing_unit_id);
    if ((await repository.countOpenPrintJobs(trx, decision.issuing_unit_id)) >= MAX_OPEN_JOBS) throw new RateLimitedError('print_queue_full', 'certificates.queueFull', {}, 30);
    const counts = await repository.countCertificatesOfDecision(trx, decisionId);
    if (counts.all > 0 && counts.valid === 0) throw new ConflictError('all_revoked', 'certificates.allRevoked');
    // The blank forms used, when given: checked against the mode and the job's count (422 otherwise).
    const range = blankSerialRange(serials, mode, counts.valid);
    if (Array.isArray(range)) throw new ValidationError(range);
    const job = await repository.insertPrintJob(trx, { decision_id: decisionId, mode, total: counts.valid, created_by: viewer.user.id, blank_serial_from: range?.from ?? null, blank_serial_to: range?.to ?? null });
    await queue.send(PRINT_QUEUE, { printJobId: job.id }, { db: inTransaction(trx) });
    await recordAction(trx, viewer.actor, { action: 'print_job.create', entityType: 'print_job', entityId: job.id, after: job });
    return job;
  });
}

/** A print job of a body the viewer acts for, with how many revoked certificates it leaves out. */
export async function getPrintJob(db: Database, viewer: Caller, id: number) {
  enforce(canPrint(viewer));
  const job = await repository.findActingPrintJob(db, viewer, id);
  if (!job) throw new NotFoundError();
  // The job prints the valid certificates (`total`); the others of the decision are revoked ones left out.
  const { certificates, ...rest } = job;
  return { ...rest, leftOut: Math.max(0, Number(certificates) - job.total) };
}

/** The print jobs of the bodies the viewer prints for, newest first, a page at a time (`cursor`: the last job id seen). */
export async function listPrintJobs(db: Database, viewer: Caller, page: { limit: number; cursor?: string }) {
  enforce(canPrint(viewer));
  const after = decodeCursor(page.cursor, isIdCursor);
  const [found, total] = await Promise.all([repository.listActingPrintJobs(db, viewer, { afterId: after?.id, limit: page.limit }), repository.countActingPrintJobs(db, viewer)]);
  const items = found.slice(0, page.limit);
  const last = items.at(-1);
  return { items, nextCursor: found.length > page.limit && last ? encodeCursor({ id: last.id }) : null, total };
}

const isIdCursor = (value: unknown): value is { id: number } => typeof value === 'object' && value !== null && Number.isInteger((value as { id?: unknown }).id);

/** A finished print job's PDF; refused (409) until it is done. */
export async function printJobFile(db: Database, viewer: Caller, id: number): Promise<Buffer> {
  const job = await getPrintJob(db, viewer, id);
  if (job.status !== 'done') throw new ConflictError('job_not_done', 'certificates.jobNotDone');
  const file = await repository.getPrintJobFile(db, id);
  if (!file) throw new ConflictError('job_not_done', 'certificates.jobNotDone');
  return Buffer.from(file);
}

/** A new copy of a lost or damaged certificate: same register number, next copy number, reason kept. */
export async function reissueCertificate(db: Database, viewer: Caller, id: number, reason: string) {
  enforce(canPrint(viewer));
  return db.transaction().execute(async (trx) => {
    const certificate = await repository.lockActingCertificate(trx, viewer, id);
    refuseReplaced(certificate.status);
    if (certificate.status !== 'valid') throw new ConflictError('certificate_revoked', 'certificates.revoked');
    const copyNumber = certificate.copy_number + 1;
    await repository.setCopyNumber(trx, id, certificate.copy_number, copyNumber);
    const reissue = await repository.insertReissue(trx, { certificateId: id, copyNumber, reason, createdBy: viewer.user.id });
    await recordAction(trx, viewer.actor, { action: 'certificate.reissue', entityType: 'certificate', entityId: id, before: { copyNumber: certificate.copy_number }, after: { copyNumber, reason } });
    return { id, copyNumber, registerNumber: certificate.register_number, reason: reissue.reason };
  });
}

/** Withdraws an award: the certificate verifies as revoked from now on. Never deleted. */
export async function revokeCertificate(db: Database, viewer: Caller, id: number, reason: string) {
  enforce(canRevoke(viewer));
  return db.transaction().execute(async (trx) => {
    const certificate = await repository.lockActingCertificate(trx, viewer, id);
    refuseReplaced(certificate.status);
    const revoked = await repository.markRevoked(trx, id, { reason, revokedBy: viewer.user.id });
    if (!revoked) throw new ConflictError('certificate_revoked', 'certificates.revoked');
    // Its digital credential, if one was issued, reads revoked in the public status list from now on.
    await setCredentialRevoked(trx, certificate.verification_code);
    // An unfinished print job of the decision may hold the certificate in a chunk already rendered:
    // drop that job's chunks, so the worker renders them again without it (see jobs.ts).
    await repository.dropOpenJobChunksOfCertificate(trx, id);
    await recordAction(trx, viewer.actor, { action: 'certificate.revoke', entityType: 'certificate', entityId: id, before: { status: 'valid' }, after: revoked });
    return revoked;
  });
}

/**
 * Corrects (đính chính) what a valid certificate says: a new certificate with the same decision,
 * nomination and register number, the corrected text and a new verification code; the old one is
 * kept as 'replaced' and its code then verifies as replaced. At least one field must change; a
 * position that names the unit needs `positionRepeatsUnit`. Revoked or replaced ones: 409.
 */
export async function correctCertificate(db: Database, viewer: Caller, id: number, input: CorrectionInput) {
  enforce(canCorrect(viewer));
  return db.transaction().execute(async (trx) => {
    const locked = await repository.lockActingCertificate(trx, viewer, id);
    refuseReplaced(locked.status);
    if (locked.status !== 'valid') throw new ConflictError('certificate_revoked', 'certificates.revoked');
    const [current] = await repository.listVisibleCertificates(trx, viewer, { id, acting: true });
    if (!current) throw new NotFoundError();
    const individual = locked.recipient_kind === 'individual';
    const printed = { recipientName: current.recipient_name, position: current.position ?? '', unitName: current.nominee_unit_name, achievement: current.achievement };
    const corrected = {
      recipientName: input.recipientName ?? printed.recipientName,
      position: input.position ?? printed.position,
      unitName: input.unitName ?? printed.unitName,
      achievement: input.achievement ?? printed.achievement,
    };
    const problems: FieldProblem[] = [];
    // A collective's certificate prints no position.
    if (!individual && input.position) problems.push({ field: 'position', reason: 'not_allowed_value', key: 'certificates.positionCollective' });
    const changed = (Object.keys(corrected) as (keyof typeof corrected)[]).filter((key) => corrected[key] !== printed[key]);
    if (changed.length === 0) problems.push({ field: 'body', reason: 'no_change', key: 'certificates.noChange' });
    if (individual && !input.positionRepeatsUnit && (changed.includes('position') || changed.includes('unitName')) && positionRepeatsUnit(corrected.position, corrected.unitName)) {
      problems.push({ field: 'positionRepeatsUnit', reason: 'position_repeats_unit', key: 'awards.positionRepeatsUnit', params: { unit: corrected.unitName } });
    }
    if (problems.length > 0) throw new ValidationError(problems);

    if (!(await repository.markReplaced(trx, id))) throw new ConflictError('certificate_revoked', 'certificates.revoked');
    // The replaced certificate's credential is revoked: the correction's own code has its own.
    await setCredentialRevoked(trx, locked.verification_code);
    // The override columns keep what earlier corrections set; a field corrected now takes its new text.
    const inserted = await repository.insertCorrection(trx, {
      decision_id: locked.decision_id, nomination_id: locked.nomination_id, issuing_unit_id: locked.issuing_unit_id, year: locked.year, register_number: locked.register_number,
      recipient_kind: locked.recipient_kind, recipient_name: corrected.recipientName, verification_code: newVerificationCode(), corrects_id: id,
      position: changed.includes('position') ? corrected.position : locked.position,
      unit_name: changed.includes('unitName') ? corrected.unitName : locked.unit_name,
      achievement: changed.includes('achievement') ? corrected.achievement : locked.achievement,
      correction_reason: input.reason, created_by: viewer.user.id,
    });
    // An unfinished print job of the decision may hold the old sheet: it renders again (see revokeCertificate).
    await repository.dropOpenJobChunksOfCertificate(trx, id);
    const before = Object.fromEntries(changed.map((key) => [key, printed[key]]));
    const after = Object.fromEntries(changed.map((key) => [key, corrected[key]]));
    await recordAction(trx, viewer.actor, { action: 'certificate.correct', entityType: 'certificate', entityId: id, before, after: { ...after, reason: input.reason, correctedById: inserted.id, registerNumber: inserted.register_number } });
    return { ...inserted, ...corrected, position: individual ? corrected.position || null : null, reason: input.reason };
  });
}

/** A replaced certificate is history: its correction is the one to act on (409). */
function refuseReplaced(status: string): void {
  if (status === 'replaced') throw new ConflictError('certificate_replaced', 'certificates.replaced');
}

/**
 * Calibrates a template's paper size (a named size or custom) and text offsets (millimetres) for one
 * print mode, and in overlay mode the lines its blank form carries (a list for full mode: 422).
 */
export async function updateLayout(db: Database, viewer: Caller, template: string, mode: PrintMode, input: LayoutInput) {
  if (mode === 'full' && input.preprinted?.length) throw new ValidationError([{ field: 'preprinted', reason: 'not_allowed_value', key: 'layouts.preprintedOverlayOnly' }]);
  const paper = input.paperSize === 'custom' ? { widthMm: input.paperWidthMm!, heightMm: input.paperHeightMm! } : PAPER_SIZES[input.paperSize];
  return db.transaction().execute(async (trx) => {
    const before = await repository.lockPrintLayout(trx, template, mode);
    await repository.savePrintLayout(trx, template, mode, {
      paper_width_mm: String(paper.widthMm), paper_height_mm: String(paper.heightMm), offset_x_mm: String(input.offsetXMm), offset_y_mm: String(input.offsetYMm),
      ...(mode === 'overlay' && input.preprinted ? { preprinted: input.preprinted } : {}),
      updated_by: viewer.user.id, updated_at: new Date(),
    });
    const after = { paperWidthMm: paper.widthMm, paperHeightMm: paper.heightMm, offsetXMm: input.offsetXMm, offsetYMm: input.offsetYMm, ...(mode === 'overlay' && input.preprinted ? { preprinted: input.preprinted } : {}) };
    await recordAction(trx, viewer.actor, { action: 'print_layout.update', entityType: 'print_layout', entityId: `${template}/${mode}`, before, after });
  });
}

/** Stores a template's emblem (PNG, or an SVG with nothing active in it: emblems.ts), replacing the one before; 422 otherwise. */
export async function uploadEmblem(db: Database, viewer: Caller, template: TemplateName, file: { fileName: string; content: Buffer }) {
  const checked = checkEmblem(file.content);
  if (!('sha256' in checked)) throw new ValidationError([checked]);
  return db.transaction().execute(async (trx) => {
    const before = await repository.findEmblemInfo(trx, template);
    await repository.saveEmblem(trx, { template, content_type: checked.contentType, content: checked.content, file_name: cleanFileName(file.fileName), sha256: checked.sha256, uploaded_by: viewer.user.id });
    const after = { contentType: checked.contentType, fileName: cleanFileName(file.fileName), sizeBytes: checked.content.length, sha256: checked.sha256 };
    await recordAction(trx, viewer.actor, { action: 'certificate_emblem.upload', entityType: 'certificate_emblem', entityId: template, before: before ? emblemAudit(before) : null, after });
    return after;
  });
}

/** Removes a template's emblem: the placeholder prints again. 404 when it has none. */
export async function removeEmblem(db: Database, viewer: Caller, template: TemplateName) {
  return db.transaction().execute(async (trx) => {
    const before = await repository.findEmblemInfo(trx, template);
    if (!before || !(await repository.deleteEmblem(trx, template))) throw new NotFoundError();
    await recordAction(trx, viewer.actor, { action: 'certificate_emblem.remove', entityType: 'certificate_emblem', entityId: template, before: emblemAudit(before), after: null });
  });
}

const emblemAudit = (info: { content_type: string; file_name: string; size: number; sha256: string }) => ({ contentType: info.content_type, fileName: info.file_name, sizeBytes: Number(info.size), sha256: info.sha256 });

/** The calibration test print: a sample sheet with the layout being calibrated, then a millimetre grid. */
export async function printCalibration(deps: PrintDeps, template: TemplateName, mode: PrintMode): Promise<Buffer> {
  const layout = await repository.layoutFor(deps.db, template, mode);
  const html = certificateDocument([renderSheet(template, calibrationSheet(deps.publicUrl, emblemUrlOf(layout))), calibrationGrid()], layout, 'Bản mẫu căn chỉnh');
  return deps.renderer.renderPdf(html, { widthMm: layout.paperWidthMm, heightMm: layout.paperHeightMm }, { assets: layoutAssets(layout) });
}
