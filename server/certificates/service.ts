// Printing certificates: one, a whole decision, or a print job for large batches; reissue and
// revoke; and the public verification answer. A batch is rendered in chunks (one PDF per chunk,
// then joined), so memory stays bounded however many certificates a decision holds.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { recordAction } from '../audit/audit.ts';
import type { Caller } from '../auth/caller.ts';
import { actingFor, certificateVisible } from '../awards/viewer.ts';
import { enforce } from '../policy.ts';
import { canPrint, canRevoke } from './policy.ts';
import { ConflictError, NotFoundError, RateLimitedError } from '../errors.ts';
import type { CertificateRenderer } from './rendering/renderer.ts';
import { renderCertificates } from './rendering/chunks.ts';
import { inTransaction, PRINT_QUEUE, type JobQueue } from '../jobs/queue.ts';
import { certificateQuery, sheetOf, type CertificateRecord } from './rendering/sheets.ts';
import { verifyModelCertificate } from './model-certificates.ts';
import type { Layout, PrintMode } from './rendering/templates.ts';

/** Print jobs waiting or running at once per issuing unit; beyond that its new one is refused with 429. */
export const MAX_OPEN_JOBS = 20;

export interface PrintDeps {
  db: Database;
  renderer: CertificateRenderer;
  publicUrl: string;
}

export async function layoutFor(db: Database, template: string, mode: PrintMode): Promise<Layout> {
  const row = await db.selectFrom('print_layouts').selectAll().where('template', '=', template).where('mode', '=', mode).executeTakeFirst();
  if (!row) return { mode, paperWidthMm: 297, paperHeightMm: 210, offsetXMm: 0, offsetYMm: 0 };
  return { mode, paperWidthMm: Number(row.paper_width_mm), paperHeightMm: Number(row.paper_height_mm), offsetXMm: Number(row.offset_x_mm), offsetYMm: Number(row.offset_y_mm) };
}

/**
 * Certificates the viewer may see, in register order: all of a body it acts for and those of its own
 * units' nominees; `acting` keeps only those of bodies it acts for (printing, reissue, revoke).
 */
export async function visibleCertificates(db: Database, viewer: Caller, where: { id?: number; decisionId?: number; acting?: boolean }): Promise<CertificateRecord[]> {
  let query = certificateQuery(db).where(where.acting ? actingFor(viewer, 'certificates.issuing_unit_id') : (eb) => certificateVisible(eb, viewer));
  if (where.id !== undefined) query = query.where('certificates.id', '=', where.id);
  if (where.decisionId !== undefined) query = query.where('certificates.decision_id', '=', where.decisionId);
  return query.orderBy('certificates.register_number').execute();
}

/**
 * One certificate as a PDF. Downloading or previewing is not printing: nothing is logged (see
 * recordPrint). A revoked one is never printed (409).
 */
export async function printCertificate(deps: PrintDeps, viewer: Caller, id: number, mode: PrintMode): Promise<{ pdf: Buffer; record: CertificateRecord }> {
  enforce(canPrint(viewer));
  const [record] = await visibleCertificates(deps.db, viewer, { id, acting: true });
  if (!record) throw new NotFoundError();
  if (record.status !== 'valid') throw new ConflictError('revoked_not_printed', 'certificates.revokedNotPrinted');
  const pdf = await renderCertificates(deps, [record], await layoutFor(deps.db, record.template, mode));
  return { pdf, record };
}

/** Records that the viewer printed a certificate (its current copy) in a mode, with its audit row. A revoked one is refused (409). */
export async function recordPrint(db: Database, viewer: Caller, id: number, mode: PrintMode) {
  enforce(canPrint(viewer));
  return db.transaction().execute(async (trx) => {
    const certificate = await lockVisibleCertificate(trx, viewer, id);
    if (certificate.status !== 'valid') throw new ConflictError('revoked_not_printed', 'certificates.revokedNotPrinted');
    const row = await trx
      .insertInto('print_log')
      .values({ certificate_id: id, copy_number: certificate.copy_number, mode, channel: 'single', job_id: null, printed_by: viewer.user.id })
      .returning(['id', 'certificate_id', 'copy_number', 'mode', 'channel', 'printed_by', 'printed_at'])
      .executeTakeFirstOrThrow();
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
  const all = await visibleCertificates(deps.db, viewer, { decisionId, acting: true });
  if (all.length === 0) throw new NotFoundError();
  const records = all.filter((record) => record.status === 'valid');
  if (records.length === 0) throw new ConflictError('all_revoked', 'certificates.allRevoked');
  const pdf = await renderCertificates(deps, records, await layoutFor(deps.db, records[0]!.template, mode));
  return { pdf, records, leftOut: all.length - records.length };
}

/**
 * Queues a print job for a decision's valid certificates, in one transaction with its queue entry;
 * a worker renders it chunk by chunk. Refused (409) when every certificate is revoked.
 */
export async function enqueuePrintJob(db: Database, queue: JobQueue, viewer: Caller, decisionId: number, mode: PrintMode) {
  enforce(canPrint(viewer));
  return db.transaction().execute(async (trx) => {
    const decision = await trx.selectFrom('decisions').innerJoin('award_rounds', 'award_rounds.id', 'decisions.round_id').select(['decisions.id', 'award_rounds.issuing_unit_id']).where('decisions.id', '=', decisionId).where(actingFor(viewer, 'award_rounds.issuing_unit_id')).executeTakeFirst();
    if (!decision) throw new NotFoundError();
    // The bound is per issuing unit, so one body's printer never blocks another's. Enqueuers of a
    // unit are serialised on a lock so the bound holds under concurrency.
    await sql`SELECT pg_advisory_xact_lock(hashtext('print_jobs_enqueue'), ${decision.issuing_unit_id})`.execute(trx);
    const open = await trx
      .selectFrom('print_jobs')
      .innerJoin('decisions', 'decisions.id', 'print_jobs.decision_id')
      .innerJoin('award_rounds', 'award_rounds.id', 'decisions.round_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('print_jobs.status', 'in', ['queued', 'running'])
      .where('award_rounds.issuing_unit_id', '=', decision.issuing_unit_id)
      .executeTakeFirstOrThrow();
    if (Number(open.n) >= MAX_OPEN_JOBS) throw new RateLimitedError('print_queue_full', 'certificates.queueFull', {}, 30);
    const counts = await trx
      .selectFrom('certificates')
      .select((eb) => [eb.fn.countAll<number>().as('all'), eb.fn.countAll<number>().filterWhere('status', '=', 'valid').as('valid')])
      .where('decision_id', '=', decisionId)
      .executeTakeFirstOrThrow();
    if (Number(counts.all) > 0 && Number(counts.valid) === 0) throw new ConflictError('all_revoked', 'certificates.allRevoked');
    const job = await trx
      .insertInto('print_jobs')
      .values({ decision_id: decisionId, mode, total: Number(counts.valid), created_by: viewer.user.id })
      .returning(['id', 'decision_id', 'mode', 'status', 'total', 'done', 'created_at'])
      .executeTakeFirstOrThrow();
    await queue.send(PRINT_QUEUE, { printJobId: job.id }, { db: inTransaction(trx) });
    await recordAction(trx, viewer.actor, { action: 'print_job.create', entityType: 'print_job', entityId: job.id, after: job });
    return job;
  });
}

export async function getPrintJob(db: Database, viewer: Caller, id: number) {
  enforce(canPrint(viewer));
  const job = await db
    .selectFrom('print_jobs')
    .innerJoin('decisions', 'decisions.id', 'print_jobs.decision_id')
    .innerJoin('award_rounds', 'award_rounds.id', 'decisions.round_id')
    .select(['print_jobs.id', 'print_jobs.decision_id', 'print_jobs.mode', 'print_jobs.status', 'print_jobs.total', 'print_jobs.done', 'print_jobs.error', 'print_jobs.attempts', 'print_jobs.created_at', 'print_jobs.finished_at', 'decisions.number_text'])
    // The job prints the valid certificates (`total`); the others of the decision are revoked ones left out.
    .select((eb) => eb.selectFrom('certificates').select((c) => c.fn.countAll<number>().as('n')).whereRef('certificates.decision_id', '=', 'print_jobs.decision_id').as('certificates'))
    .where('print_jobs.id', '=', id)
    .where(actingFor(viewer, 'award_rounds.issuing_unit_id'))
    .executeTakeFirst();
  if (!job) throw new NotFoundError();
  const { certificates, ...rest } = job;
  return { ...rest, leftOut: Math.max(0, Number(certificates) - job.total) };
}

export async function printJobFile(db: Database, viewer: Caller, id: number): Promise<Buffer> {
  const job = await getPrintJob(db, viewer, id);
  if (job.status !== 'done') throw new ConflictError('job_not_done', 'certificates.jobNotDone');
  const row = await db.selectFrom('print_jobs').select('file').where('id', '=', id).executeTakeFirstOrThrow();
  if (!row.file) throw new ConflictError('job_not_done', 'certificates.jobNotDone');
  return Buffer.from(row.file);
}

async function lockVisibleCertificate(trx: Database, viewer: Caller, id: number) {
  const row = await trx
    .selectFrom('certificates')
    .innerJoin('decisions', 'decisions.id', 'certificates.decision_id')
    .innerJoin('award_rounds', 'award_rounds.id', 'decisions.round_id')
    .select(['certificates.id', 'certificates.status', 'certificates.copy_number', 'certificates.register_number', 'certificates.recipient_name'])
    .where('certificates.id', '=', id)
    .where(actingFor(viewer, 'certificates.issuing_unit_id'))
    .forUpdate('certificates')
    .executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

/** A new copy of a lost or damaged certificate: same register number, next copy number, reason kept. */
export async function reissueCertificate(db: Database, viewer: Caller, id: number, reason: string) {
  enforce(canPrint(viewer));
  return db.transaction().execute(async (trx) => {
    const certificate = await lockVisibleCertificate(trx, viewer, id);
    if (certificate.status !== 'valid') throw new ConflictError('certificate_revoked', 'certificates.revoked');
    const copyNumber = certificate.copy_number + 1;
    await trx.updateTable('certificates').set({ copy_number: copyNumber }).where('id', '=', id).where('copy_number', '=', certificate.copy_number).execute();
    const reissue = await trx.insertInto('certificate_reissues').values({ certificate_id: id, copy_number: copyNumber, reason, created_by: viewer.user.id }).returning(['id', 'copy_number', 'reason', 'created_at']).executeTakeFirstOrThrow();
    await recordAction(trx, viewer.actor, { action: 'certificate.reissue', entityType: 'certificate', entityId: id, before: { copyNumber: certificate.copy_number }, after: { copyNumber, reason } });
    return { id, copyNumber, registerNumber: certificate.register_number, reason: reissue.reason };
  });
}

/** Withdraws an award: the certificate verifies as revoked from now on. Never deleted. */
export async function revokeCertificate(db: Database, viewer: Caller, id: number, reason: string) {
  enforce(canRevoke(viewer));
  return db.transaction().execute(async (trx) => {
    await lockVisibleCertificate(trx, viewer, id);
    const revoked = await trx
      .updateTable('certificates')
      .set({ status: 'revoked', revoked_at: new Date(), revoke_reason: reason, revoked_by: viewer.user.id })
      .where('id', '=', id)
      .where('status', '=', 'valid')
      .returning(['id', 'status', 'revoked_at', 'revoke_reason'])
      .executeTakeFirst();
    if (!revoked) throw new ConflictError('certificate_revoked', 'certificates.revoked');
    // An unfinished print job of the decision may hold the certificate in a chunk already rendered:
    // drop that job's chunks, so the worker renders them again without it (see jobs.ts).
    await trx
      .deleteFrom('print_job_chunks')
      .where('job_id', 'in', (eb) => eb.selectFrom('print_jobs').select('id').where('status', 'in', ['queued', 'running']).where('decision_id', '=', (sub) => sub.selectFrom('certificates').select('decision_id').where('id', '=', id)))
      .execute();
    await recordAction(trx, viewer.actor, { action: 'certificate.revoke', entityType: 'certificate', entityId: id, before: { status: 'valid' }, after: revoked });
    return revoked;
  });
}

/** The public answer for a verification code: status, recipient, award, decision and issuer — nothing more. */
export async function verifyCertificate(db: Database, code: string) {
  const record = await certificateQuery(db).where('certificates.verification_code', '=', code).executeTakeFirst();
  if (!record) {
    const model = await verifyModelCertificate(db, code);
    if (!model) throw new NotFoundError();
    // What was certified (sql/0012), not the model as it reads today.
    const certified = { code: model.code, title: model.title, unitName: model.unit_name, year: model.year, fieldName: model.field_name };
    return { status: model.status as 'valid' | 'revoked', recipientName: `${model.title} (${model.unit_name})`, awardTitle: 'Chứng nhận mô hình "Dân vận khéo"', decisionNumber: model.code, decisionDate: model.recognized_on, issuer: model.issuer_name, model: certified };
  }
  return {
    status: record.status as 'valid' | 'revoked',
    recipientName: record.recipient_name,
    awardTitle: record.award_name,
    decisionNumber: record.decision_number,
    decisionDate: record.signed_on,
    issuer: record.issuer_name,
    ...(record.copy_number > 0 ? { copy: record.copy_number } : {}),
  };
}

/** Calibrates a template's paper size and text offsets (millimetres) for one print mode. */
export async function updateLayout(db: Database, viewer: Caller, template: string, mode: PrintMode, input: { paperWidthMm: number; paperHeightMm: number; offsetXMm: number; offsetYMm: number }) {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('print_layouts').selectAll().where('template', '=', template).where('mode', '=', mode).forUpdate().executeTakeFirst();
    const values = { paper_width_mm: String(input.paperWidthMm), paper_height_mm: String(input.paperHeightMm), offset_x_mm: String(input.offsetXMm), offset_y_mm: String(input.offsetYMm), updated_by: viewer.user.id, updated_at: new Date() };
    await trx
      .insertInto('print_layouts')
      .values({ template, mode, ...values })
      .onConflict((c) => c.columns(['template', 'mode']).doUpdateSet(values))
      .execute();
    await recordAction(trx, viewer.actor, { action: 'print_layout.update', entityType: 'print_layout', entityId: `${template}/${mode}`, before, after: input });
  });
}
