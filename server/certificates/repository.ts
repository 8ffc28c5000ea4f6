// All SQL for certificates: the records a sheet is printed from, the print log, print jobs and
// their stored chunks, reissues and revocations, the print layouts, and models' certificates.
// Every function takes the database, or the transaction it runs in, first.
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Database } from '../db/database.ts';
import type { CertificateEmblemsTable, CertificatesTable, ModelCertificatesTable, PrintJobsTable, PrintLayoutsTable, PrintLogTable } from '../db/schema.ts';
import type { Caller } from '../auth/caller.ts';
import { actingFor, certificateVisible } from '../awards/repository.ts';
import { NotFoundError } from '../errors.ts';
import type { CertificateRecord } from './rendering/sheets.ts';
import { DEFAULT_PREPRINTED, PREPRINTED_LINES, type EmblemAsset, type Layout, type PreprintedLine, type PrintMode, type TemplateName } from './rendering/templates.ts';

const isPreprintedLine = (line: string): line is PreprintedLine => (PREPRINTED_LINES as readonly string[]).includes(line);

// ------------------------------------------------------------------ certificate records

/** A certificate with everything its sheet says: decision, round, award kind, issuer, nomination. */
function certificateRecords(db: Database) {
  return db
    .selectFrom('certificates')
    .innerJoin('decisions', 'decisions.id', 'certificates.decision_id')
    .innerJoin('award_rounds', 'award_rounds.id', 'decisions.round_id')
    .innerJoin('award_kinds', 'award_kinds.code', 'award_rounds.award_kind')
    .innerJoin('units as issuer', 'issuer.id', 'decisions.issuing_unit_id')
    .innerJoin('nominations', 'nominations.id', 'certificates.nomination_id')
    .innerJoin('units as nominee_unit', 'nominee_unit.id', 'nominations.unit_id')
    .leftJoin('users as revoker', 'revoker.id', 'certificates.revoked_by')
    .select(['certificates.revoked_at', 'certificates.revoke_reason', 'revoker.full_name as revoked_by_name'])
    .select([
      'certificates.id', 'certificates.decision_id', 'certificates.nomination_id', 'certificates.register_number', 'certificates.year', 'certificates.recipient_kind',
      'certificates.recipient_name', 'certificates.verification_code', 'certificates.status', 'certificates.copy_number', 'nominations.gender', 'certificates.corrects_id',
      'decisions.number_text as decision_number', 'decisions.signed_on', 'decisions.signer_name',
      'decisions.signer_title', 'issuer.name as issuer_name', 'issuer.kind as issuer_kind', 'issuer.code as issuer_code', 'award_rounds.award_kind', 'award_kinds.name as award_name', 'award_kinds.name_en as award_name_en',
      'award_kinds.template', 'award_rounds.id as round_id', 'decisions.issuing_unit_id',
    ])
    // A corrected certificate prints its own text where it differs from the nomination (sql/0023).
    .select((eb) => [
      eb.fn.coalesce('certificates.position', 'nominations.position').as('position'),
      eb.fn.coalesce('certificates.achievement', 'nominations.achievement').as('achievement'),
      eb.fn.coalesce('certificates.unit_name', 'nominee_unit.name').as('nominee_unit_name'),
      eb.selectFrom('certificates as newer').select('newer.id').whereRef('newer.corrects_id', '=', 'certificates.id').as('replaced_by_id'),
    ]);
}

/**
 * Certificates the viewer may see, in register order: all of a body it acts for and those of its own
 * units' nominees; `acting` keeps only those of bodies it acts for (printing, reissue, revoke).
 */
export async function listVisibleCertificates(db: Database, viewer: Caller, where: { id?: number; decisionId?: number; acting?: boolean }): Promise<CertificateRecord[]> {
  let query = certificateRecords(db).where(where.acting ? actingFor(viewer, 'certificates.issuing_unit_id') : (eb) => certificateVisible(eb, viewer));
  if (where.id !== undefined) query = query.where('certificates.id', '=', where.id);
  // A decision's certificates are its current ones: a replaced one gives way to its correction.
  if (where.decisionId !== undefined) query = query.where('certificates.decision_id', '=', where.decisionId).where('certificates.status', '<>', 'replaced');
  return query.orderBy('certificates.register_number').execute();
}

/** The certificate a verification code names, whoever asks (the public verification). */
export async function findCertificateByCode(db: Database, code: string): Promise<CertificateRecord | undefined> {
  return certificateRecords(db).where('certificates.verification_code', '=', code).executeTakeFirst();
}

/** A decision's valid certificates in register order: what its print job prints. */
export async function listValidCertificatesOfDecision(db: Database, decisionId: number): Promise<CertificateRecord[]> {
  return certificateRecords(db).where('certificates.decision_id', '=', decisionId).where('certificates.status', '=', 'valid').orderBy('certificates.register_number').execute();
}

/** Locks a certificate of a body the viewer acts for (print log, reissue, revoke); 404 otherwise. */
export async function lockActingCertificate(trx: Database, viewer: Caller, id: number) {
  const row = await trx
    .selectFrom('certificates')
    .innerJoin('decisions', 'decisions.id', 'certificates.decision_id')
    .innerJoin('award_rounds', 'award_rounds.id', 'decisions.round_id')
    .select([
      'certificates.id', 'certificates.status', 'certificates.copy_number', 'certificates.register_number', 'certificates.recipient_name', 'certificates.decision_id',
      'certificates.nomination_id', 'certificates.issuing_unit_id', 'certificates.year', 'certificates.recipient_kind', 'certificates.position', 'certificates.unit_name',
      'certificates.achievement', 'certificates.verification_code',
    ])
    .where('certificates.id', '=', id)
    .where(actingFor(viewer, 'certificates.issuing_unit_id'))
    .forUpdate('certificates')
    .executeTakeFirst();
  if (!row) throw new NotFoundError();
  return row;
}

// ------------------------------------------------------------------ the print log

export async function insertPrintLogEntry(trx: Database, entry: Insertable<PrintLogTable>) {
  return trx
    .insertInto('print_log')
    .values(entry)
    .returning(['id', 'certificate_id', 'copy_number', 'mode', 'channel', 'printed_by', 'printed_at'])
    .executeTakeFirstOrThrow();
}

/** A finished job's prints, each certificate once per job however often the job was retried. */
export async function insertJobPrints(trx: Database, jobId: number, mode: PrintMode, printedBy: number | null, certificates: readonly { id: number; copy_number: number }[]): Promise<void> {
  await trx
    .insertInto('print_log')
    .values(certificates.map((c) => ({ certificate_id: c.id, copy_number: c.copy_number, mode, channel: 'job' as const, job_id: jobId, printed_by: printedBy })))
    .onConflict((c) => c.columns(['job_id', 'certificate_id']).doNothing())
    .execute();
}

/** The latest prints of a certificate, newest first, with who printed. */
export async function listLatestPrints(db: Database, certificateId: number, limit = 50) {
  return db
    .selectFrom('print_log')
    .leftJoin('users', 'users.id', 'print_log.printed_by')
    .select(['print_log.printed_at', 'print_log.mode', 'print_log.channel', 'print_log.copy_number', 'users.full_name'])
    .where('certificate_id', '=', certificateId)
    .orderBy('print_log.id', 'desc')
    .limit(limit)
    .execute();
}

// ------------------------------------------------------------------ reissue and revoke

export async function listReissues(db: Database, certificateId: number) {
  return db
    .selectFrom('certificate_reissues')
    .leftJoin('users', 'users.id', 'certificate_reissues.created_by')
    .select(['copy_number', 'reason', 'certificate_reissues.created_at', 'users.full_name'])
    .where('certificate_id', '=', certificateId)
    .orderBy('copy_number')
    .execute();
}

/** Moves a certificate from its current copy to the next; nothing when another reissue got there first. */
export async function setCopyNumber(trx: Database, id: number, from: number, to: number): Promise<void> {
  await trx.updateTable('certificates').set({ copy_number: to }).where('id', '=', id).where('copy_number', '=', from).execute();
}

export async function insertReissue(trx: Database, reissue: { certificateId: number; copyNumber: number; reason: string; createdBy: number }) {
  return trx
    .insertInto('certificate_reissues')
    .values({ certificate_id: reissue.certificateId, copy_number: reissue.copyNumber, reason: reissue.reason, created_by: reissue.createdBy })
    .returning(['id', 'copy_number', 'reason', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** Revokes a valid certificate; undefined when it was revoked already. */
export async function markRevoked(trx: Database, id: number, revocation: { reason: string; revokedBy: number }) {
  return trx
    .updateTable('certificates')
    .set({ status: 'revoked', revoked_at: new Date(), revoke_reason: revocation.reason, revoked_by: revocation.revokedBy })
    .where('id', '=', id)
    .where('status', '=', 'valid')
    .returning(['id', 'status', 'revoked_at', 'revoke_reason'])
    .executeTakeFirst();
}

/** Marks a valid certificate replaced by its correction; undefined when it is no longer valid. */
export async function markReplaced(trx: Database, id: number) {
  return trx.updateTable('certificates').set({ status: 'replaced' }).where('id', '=', id).where('status', '=', 'valid').returning('id').executeTakeFirst();
}

/** The corrected certificate: the replaced one's decision, nomination and register number, its own text and code. */
export async function insertCorrection(trx: Database, row: Omit<Insertable<CertificatesTable>, 'id' | 'status' | 'copy_number'>) {
  return trx
    .insertInto('certificates')
    .values(row)
    .returning(['id', 'decision_id', 'nomination_id', 'corrects_id', 'register_number', 'year', 'recipient_name', 'verification_code', 'status', 'created_at'])
    .executeTakeFirstOrThrow();
}

/** The certificates a certificate replaced and was replaced by (sql/0023), with their codes. */
export async function correctionLinks(db: Database, id: number) {
  const [older, newer] = await Promise.all([
    db.selectFrom('certificates as c').innerJoin('certificates as older', 'older.id', 'c.corrects_id').select(['older.id', 'older.verification_code', 'c.correction_reason']).where('c.id', '=', id).executeTakeFirst(),
    db.selectFrom('certificates').select(['id', 'verification_code']).where('corrects_id', '=', id).executeTakeFirst(),
  ]);
  return { correctionOf: older, replacedBy: newer };
}

/** Drops the stored chunks of the open print jobs of a certificate's decision (they may hold it). */
export async function dropOpenJobChunksOfCertificate(trx: Database, certificateId: number): Promise<void> {
  await trx
    .deleteFrom('print_job_chunks')
    .where('job_id', 'in', (eb) => eb.selectFrom('print_jobs').select('id').where('status', 'in', ['queued', 'running']).where('decision_id', '=', (sub) => sub.selectFrom('certificates').select('decision_id').where('id', '=', certificateId)))
    .execute();
}

// ------------------------------------------------------------------ print jobs

/** A decision of a body the viewer acts for, with that body; undefined otherwise. */
export async function findActingDecision(db: Database, viewer: Caller, decisionId: number) {
  return db
    .selectFrom('decisions')
    .innerJoin('award_rounds', 'award_rounds.id', 'decisions.round_id')
    .select(['decisions.id', 'award_rounds.issuing_unit_id'])
    .where('decisions.id', '=', decisionId)
    .where(actingFor(viewer, 'award_rounds.issuing_unit_id'))
    .executeTakeFirst();
}

/** Serialises the enqueuers of one issuing unit until the transaction ends. */
export async function lockPrintJobQueueOf(trx: Database, issuingUnitId: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('print_jobs_enqueue'), ${issuingUnitId})`.execute(trx);
}

/** Print jobs waiting or running for an issuing unit's decisions. */
export async function countOpenPrintJobs(db: Database, issuingUnitId: number): Promise<number> {
  const open = await db
    .selectFrom('print_jobs')
    .innerJoin('decisions', 'decisions.id', 'print_jobs.decision_id')
    .innerJoin('award_rounds', 'award_rounds.id', 'decisions.round_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('print_jobs.status', 'in', ['queued', 'running'])
    .where('award_rounds.issuing_unit_id', '=', issuingUnitId)
    .executeTakeFirstOrThrow();
  return Number(open.n);
}

/** How many certificates a decision holds, and how many of them are valid. */
export async function countCertificatesOfDecision(db: Database, decisionId: number): Promise<{ all: number; valid: number }> {
  const counts = await db
    .selectFrom('certificates')
    .select((eb) => [eb.fn.countAll<number>().as('all'), eb.fn.countAll<number>().filterWhere('status', '=', 'valid').as('valid')])
    .where('decision_id', '=', decisionId)
    .where('status', '<>', 'replaced') // a replaced certificate is its correction, counted once
    .executeTakeFirstOrThrow();
  return { all: Number(counts.all), valid: Number(counts.valid) };
}

export async function insertPrintJob(trx: Database, job: Pick<Insertable<PrintJobsTable>, 'decision_id' | 'mode' | 'total' | 'created_by' | 'blank_serial_from' | 'blank_serial_to'>) {
  return trx.insertInto('print_jobs').values(job).returning(['id', 'decision_id', 'mode', 'status', 'total', 'done', 'created_at', 'blank_serial_from', 'blank_serial_to']).executeTakeFirstOrThrow();
}

/** A print job of a body the viewer acts for, with its decision's number and certificate count. */
export async function findActingPrintJob(db: Database, viewer: Caller, id: number) {
  return db
    .selectFrom('print_jobs')
    .innerJoin('decisions', 'decisions.id', 'print_jobs.decision_id')
    .innerJoin('award_rounds', 'award_rounds.id', 'decisions.round_id')
    .select(['print_jobs.id', 'print_jobs.decision_id', 'print_jobs.mode', 'print_jobs.status', 'print_jobs.total', 'print_jobs.done', 'print_jobs.error', 'print_jobs.attempts', 'print_jobs.created_at', 'print_jobs.finished_at', 'print_jobs.blank_serial_from', 'print_jobs.blank_serial_to', 'decisions.number_text'])
    .select((eb) => eb.selectFrom('certificates').select((c) => c.fn.countAll<number>().as('n')).whereRef('certificates.decision_id', '=', 'print_jobs.decision_id').where('certificates.status', '<>', 'replaced').as('certificates'))
    .where('print_jobs.id', '=', id)
    .where(actingFor(viewer, 'award_rounds.issuing_unit_id'))
    .executeTakeFirst();
}

/** The print jobs of the bodies the viewer acts for, newest first, after a job id (the page's cursor); one more than `limit` tells there is a next page. */
export async function listActingPrintJobs(db: Database, viewer: Caller, page: { afterId?: number; limit: number }) {
  let query = db
    .selectFrom('print_jobs')
    .innerJoin('decisions', 'decisions.id', 'print_jobs.decision_id')
    .innerJoin('award_rounds', 'award_rounds.id', 'decisions.round_id')
    .leftJoin('users', 'users.id', 'print_jobs.created_by')
    .select(['print_jobs.id', 'print_jobs.decision_id', 'print_jobs.mode', 'print_jobs.status', 'print_jobs.total', 'print_jobs.done', 'print_jobs.created_at', 'print_jobs.finished_at', 'print_jobs.blank_serial_from', 'print_jobs.blank_serial_to', 'decisions.number_text', 'users.full_name as created_by_name'])
    .where(actingFor(viewer, 'award_rounds.issuing_unit_id'));
  if (page.afterId !== undefined) query = query.where('print_jobs.id', '<', page.afterId);
  return query.orderBy('print_jobs.id', 'desc').limit(page.limit + 1).execute();
}

export async function countActingPrintJobs(db: Database, viewer: Caller): Promise<number> {
  const row = await db
    .selectFrom('print_jobs')
    .innerJoin('decisions', 'decisions.id', 'print_jobs.decision_id')
    .innerJoin('award_rounds', 'award_rounds.id', 'decisions.round_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(actingFor(viewer, 'award_rounds.issuing_unit_id'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A decision's number as printed ("12/QĐ-UBND"). */
export async function decisionNumberText(db: Database, decisionId: number): Promise<string> {
  return (await db.selectFrom('decisions').select('number_text').where('id', '=', decisionId).executeTakeFirstOrThrow()).number_text;
}

/** A print job's joined PDF; null until it is done. */
export async function getPrintJobFile(db: Database, id: number): Promise<Buffer | null> {
  const row = await db.selectFrom('print_jobs').select('file').where('id', '=', id).executeTakeFirstOrThrow();
  return row.file;
}

/** Jobs still waiting or running (after a restore, they are queued again). */
export async function listOpenPrintJobIds(db: Database): Promise<number[]> {
  const rows = await db.selectFrom('print_jobs').select('id').where('status', 'in', ['queued', 'running']).orderBy('id').execute();
  return rows.map((row) => row.id);
}

/** Starts an attempt at a waiting or running job; undefined when it has finished or failed already. */
export async function startPrintJobAttempt(db: Database, id: number) {
  return db
    .updateTable('print_jobs')
    .set({ status: 'running', attempts: sql`attempts + 1`, started_at: sql`coalesce(started_at, now())`, heartbeat_at: new Date() })
    .where('id', '=', id)
    .where('status', 'in', ['queued', 'running'])
    .returning(['id', 'decision_id', 'mode', 'created_by'])
    .executeTakeFirst();
}

/** Ends a failed attempt: queued again for a retry, or failed after the last one. */
export async function endFailedAttempt(db: Database, id: number, status: 'queued' | 'failed', error: string): Promise<void> {
  await db.updateTable('print_jobs').set({ status, error }).where('id', '=', id).where('status', '=', 'running').execute();
}

/** The chunks of a job stored so far. */
export async function listStoredChunkIndexes(db: Database, jobId: number): Promise<number[]> {
  return (await db.selectFrom('print_job_chunks').select('chunk_index').where('job_id', '=', jobId).execute()).map((chunk) => chunk.chunk_index);
}

/** Of these certificates, the ids still valid, locked against a revocation until the transaction ends. */
export async function lockStillValid(trx: Database, ids: readonly number[]): Promise<number[]> {
  return (await trx.selectFrom('certificates').select('id').where('id', 'in', ids).where('status', '=', 'valid').forShare().execute()).map((row) => row.id);
}

/** Stores a rendered chunk (again, on a retry) and counts the job's stored pages as its progress. */
export async function storeChunk(trx: Database, jobId: number, chunk: { index: number; pages: number; pdf: Buffer }): Promise<void> {
  const { index, pages, pdf } = chunk;
  await trx
    .insertInto('print_job_chunks')
    .values({ job_id: jobId, chunk_index: index, pages, pdf })
    .onConflict((c) => c.columns(['job_id', 'chunk_index']).doUpdateSet({ pdf, pages }))
    .execute();
  await trx
    .updateTable('print_jobs')
    .set({ done: sql`(SELECT coalesce(sum(pages), 0) FROM print_job_chunks WHERE job_id = ${jobId})`, heartbeat_at: new Date() })
    .where('id', '=', jobId)
    .execute();
}

/** A job's stored chunks in order. */
export async function listChunks(db: Database, jobId: number) {
  return db.selectFrom('print_job_chunks').select(['pdf', 'pages']).where('job_id', '=', jobId).orderBy('chunk_index').execute();
}

export async function countChunks(db: Database, jobId: number): Promise<number> {
  const count = await db.selectFrom('print_job_chunks').select((eb) => eb.fn.countAll<number>().as('n')).where('job_id', '=', jobId).executeTakeFirstOrThrow();
  return Number(count.n);
}

/** A decision's valid certificates in register order, locked against a revocation until the transaction ends. */
export async function lockValidCertificatesOfDecision(trx: Database, decisionId: number) {
  return trx.selectFrom('certificates').select(['id', 'copy_number']).where('decision_id', '=', decisionId).where('status', '=', 'valid').orderBy('register_number').forShare().execute();
}

/** Marks a running job done with its file; false when it was not running (another worker finished it). */
export async function markPrintJobDone(trx: Database, jobId: number, file: Buffer | null, printed: number): Promise<boolean> {
  const done = await trx
    .updateTable('print_jobs')
    .set({ status: 'done', file, done: printed, total: printed, finished_at: new Date(), heartbeat_at: new Date(), error: null })
    .where('id', '=', jobId)
    .where('status', '=', 'running')
    .returning('id')
    .executeTakeFirst();
  return done !== undefined;
}

export async function deleteChunks(trx: Database, jobId: number): Promise<void> {
  await trx.deleteFrom('print_job_chunks').where('job_id', '=', jobId).execute();
}

// ------------------------------------------------------------------ print layouts

/**
 * A template's layout for a print mode, with the lines its blank form carries and its uploaded
 * emblem; A4 landscape without offsets until it is calibrated, the placeholder until an emblem is uploaded.
 */
export async function layoutFor(db: Database, template: string, mode: PrintMode): Promise<Layout> {
  const row = await db.selectFrom('print_layouts').selectAll().where('template', '=', template).where('mode', '=', mode).executeTakeFirst();
  const emblem = await db.selectFrom('certificate_emblems').select(['content', 'content_type', 'sha256']).where('template', '=', template as TemplateName).executeTakeFirst();
  const asset: EmblemAsset | null = emblem ? { path: `/emblems/${template}-${emblem.sha256.slice(0, 16)}`, contentType: emblem.content_type, body: Buffer.from(emblem.content) } : null;
  if (!row) return { mode, paperWidthMm: 297, paperHeightMm: 210, offsetXMm: 0, offsetYMm: 0, preprinted: DEFAULT_PREPRINTED, emblem: asset };
  return {
    mode, paperWidthMm: Number(row.paper_width_mm), paperHeightMm: Number(row.paper_height_mm), offsetXMm: Number(row.offset_x_mm), offsetYMm: Number(row.offset_y_mm),
    preprinted: row.preprinted.filter(isPreprintedLine), emblem: asset,
  };
}

// ------------------------------------------------------------------ emblems

/** A template's uploaded emblem without its bytes; undefined while the placeholder prints. */
export async function findEmblemInfo(db: Database, template: TemplateName) {
  return db.selectFrom('certificate_emblems').select(['template', 'content_type', 'file_name', 'sha256', 'uploaded_at', (eb) => sql<number>`octet_length(${eb.ref('content')})`.as('size')]).where('template', '=', template).executeTakeFirst();
}

export async function listEmblemInfo(db: Database) {
  return db.selectFrom('certificate_emblems').select(['template', 'content_type', 'file_name', 'sha256', 'uploaded_at', (eb) => sql<number>`octet_length(${eb.ref('content')})`.as('size')]).execute();
}

/** A template's emblem with its bytes (the print-layouts page shows it). */
export async function findEmblem(db: Database, template: TemplateName) {
  return db.selectFrom('certificate_emblems').select(['content', 'content_type', 'sha256']).where('template', '=', template).executeTakeFirst();
}

/** Stores (or replaces) a template's emblem. */
export async function saveEmblem(trx: Database, emblem: Insertable<CertificateEmblemsTable>): Promise<void> {
  const { template: _template, ...values } = emblem;
  await trx.insertInto('certificate_emblems').values(emblem).onConflict((c) => c.column('template').doUpdateSet({ ...values, uploaded_at: new Date() })).execute();
}

/** Removes a template's emblem (the placeholder prints again); false when there was none. */
export async function deleteEmblem(trx: Database, template: TemplateName): Promise<boolean> {
  const deleted = await trx.deleteFrom('certificate_emblems').where('template', '=', template).returning('template').executeTakeFirst();
  return deleted !== undefined;
}

export async function listPrintLayouts(db: Database): Promise<Selectable<PrintLayoutsTable>[]> {
  return db.selectFrom('print_layouts').selectAll().orderBy('template').orderBy('mode').execute();
}

/** Locks a layout's row for an update; undefined when the template and mode were never calibrated. */
export async function lockPrintLayout(trx: Database, template: string, mode: PrintMode): Promise<Selectable<PrintLayoutsTable> | undefined> {
  return trx.selectFrom('print_layouts').selectAll().where('template', '=', template).where('mode', '=', mode).forUpdate().executeTakeFirst();
}

export async function savePrintLayout(trx: Database, template: string, mode: PrintMode, values: Omit<Insertable<PrintLayoutsTable>, 'template' | 'mode'>): Promise<void> {
  await trx
    .insertInto('print_layouts')
    .values({ template, mode, ...values })
    .onConflict((c) => c.columns(['template', 'mode']).doUpdateSet(values))
    .execute();
}

// ------------------------------------------------------------------ models' certificates

export async function findModelCertificate(db: Database, modelId: number): Promise<Selectable<ModelCertificatesTable> | undefined> {
  return db.selectFrom('model_certificates').selectAll().where('model_id', '=', modelId).executeTakeFirst();
}

/** Inserts a model's certificate; undefined when a simultaneous first print inserted it first. */
export async function insertModelCertificate(trx: Database, certificate: Insertable<ModelCertificatesTable>): Promise<Selectable<ModelCertificatesTable> | undefined> {
  return trx.insertInto('model_certificates').values(certificate).onConflict((c) => c.column('model_id').doNothing()).returningAll().executeTakeFirst();
}

/** The top ancestor of a unit (its province): the body that certifies the unit's models. */
export async function topAncestorOf(db: Database, unitId: number): Promise<number> {
  const { rows } = await sql<{ id: number }>`
      WITH RECURSIVE chain(id, parent_id, depth) AS (
        SELECT id, parent_id, 0 FROM units WHERE id = ${unitId}::integer
        UNION ALL
        SELECT units.id, units.parent_id, chain.depth + 1 FROM units JOIN chain ON units.id = chain.parent_id
      )
      SELECT id FROM chain ORDER BY depth DESC LIMIT 1`.execute(db);
  return rows[0]!.id;
}

/** The date of the report that last recognised the model. */
export async function recognitionDate(db: Database, modelId: number): Promise<string> {
  const report = await db.selectFrom('model_reports').select('reported_on').where('model_id', '=', modelId).where('to_status', '=', 'recognized').orderBy('id', 'desc').executeTakeFirstOrThrow();
  return report.reported_on;
}

/** The issuing body's name and kind, as its certificate's authority line writes them. */
export async function getIssuer(db: Database, unitId: number) {
  return db.selectFrom('units').select(['name', 'kind', 'code']).where('id', '=', unitId).executeTakeFirstOrThrow();
}

/** What a model certificate's code certifies, and its issuer; undefined for an unknown code. */
export async function findModelCertificateByCode(db: Database, code: string) {
  return db
    .selectFrom('model_certificates')
    .innerJoin('units as issuer', 'issuer.id', 'model_certificates.issuing_unit_id')
    .select([
      'model_certificates.status', 'model_certificates.certified_title as title', 'model_certificates.certified_code as code', 'model_certificates.certified_unit_name as unit_name',
      'model_certificates.certified_year as year', 'model_certificates.certified_field_name as field_name', 'model_certificates.recognized_on', 'issuer.name as issuer_name', 'issuer.kind as issuer_kind',
    ])
    .where('model_certificates.verification_code', '=', code)
    .executeTakeFirst();
}

// ------------------------------------------------------------------ previews

/** A round of a body the viewer acts for, with what its certificates print; undefined otherwise. */
export async function findActingRound(db: Database, viewer: Caller, roundId: number) {
  return db
    .selectFrom('award_rounds')
    .innerJoin('award_kinds', 'award_kinds.code', 'award_rounds.award_kind')
    .innerJoin('units as issuer', 'issuer.id', 'award_rounds.issuing_unit_id')
    .select([
      'award_rounds.id', 'award_rounds.issuing_unit_id', 'award_rounds.award_kind', 'award_rounds.decision_suffix', 'award_kinds.name as award_name', 'award_kinds.template',
      'issuer.name as issuer_name', 'issuer.kind as issuer_kind',
    ])
    .where('award_rounds.id', '=', roundId)
    .where(actingFor(viewer, 'award_rounds.issuing_unit_id'))
    .executeTakeFirst();
}

/** A round's nominations named (or, without ids, its approved ones awaiting a decision), with what a certificate prints of them. */
export async function listPreviewNominations(db: Database, roundId: number, ids: readonly number[] | undefined) {
  let query = db
    .selectFrom('nominations')
    .innerJoin('units', 'units.id', 'nominations.unit_id')
    .select([
      'nominations.id', 'nominations.status', 'nominations.decision_id', 'nominations.nominee_kind', 'nominations.nominee_name', 'nominations.position', 'nominations.gender',
      'nominations.achievement', 'units.name as unit_name',
    ])
    .where('nominations.round_id', '=', roundId);
  query = ids === undefined ? query.where('nominations.status', '=', 'approved').where('nominations.decision_id', 'is', null) : query.where('nominations.id', 'in', ids.length > 0 ? ids : [0]);
  return query.orderBy('nominations.id').execute();
}
