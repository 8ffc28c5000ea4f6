// All SQL for award rounds, nominations, votes, dossier files, decisions and their certificates.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { unitAndEverythingUnder } from '../auth/scope.ts';
import { NotFoundError } from '../errors.ts';
import type { Caller } from '../auth/caller.ts';
import { certificateVisible, nominationVisible, roundVisible } from './viewer.ts';
import type { NominationStatus } from './status.ts';

export async function listAwardKinds(db: Database) {
  return db.selectFrom('award_kinds').select(['code', 'name', 'name_en', 'template']).orderBy('sort_order').orderBy('code').execute();
}

export async function awardKindExists(db: Database, code: string): Promise<boolean> {
  return (await db.selectFrom('award_kinds').select('code').where('code', '=', code).executeTakeFirst()) !== undefined;
}

const roundColumns = [
  'award_rounds.id', 'award_rounds.title', 'award_rounds.year', 'award_rounds.award_kind', 'award_rounds.issuing_unit_id', 'award_rounds.closes_on',
  'award_rounds.quorum_num', 'award_rounds.quorum_den', 'award_rounds.approval_num', 'award_rounds.approval_den', 'award_rounds.approval_strict',
  'award_rounds.public_comment', 'award_rounds.decision_suffix', 'award_rounds.status', 'award_rounds.published_at', 'award_rounds.closed_at',
  'award_rounds.created_at', 'award_rounds.updated_at',
] as const;

function roundQuery(db: Database) {
  return db
    .selectFrom('award_rounds')
    .innerJoin('units', 'units.id', 'award_rounds.issuing_unit_id')
    .innerJoin('award_kinds', 'award_kinds.code', 'award_rounds.award_kind')
    .select([...roundColumns, 'units.name as issuing_unit_name', 'award_kinds.name as award_kind_name', 'award_kinds.name_en as award_kind_name_en']);
}

export type Round = Awaited<ReturnType<typeof getRound>>;

export async function getRound(db: Database, id: number, viewer: Caller) {
  const round = await roundQuery(db).where('award_rounds.id', '=', id).where((eb) => roundVisible(eb, viewer)).executeTakeFirst();
  if (!round) throw new NotFoundError();
  return round;
}

/** Locks the round row: closing it and everything that must happen before it closes take turns. */
export async function lockRound(db: Database, id: number, viewer: Caller) {
  const round = await db.selectFrom('award_rounds').select(roundColumns).where('id', '=', id).where((eb) => roundVisible(eb, viewer)).forUpdate().executeTakeFirst();
  if (!round) throw new NotFoundError();
  return round;
}

/** Takes a share lock on the round: many nominations may change at once, but not while it closes. */
export async function shareLockRound(db: Database, id: number) {
  return db.selectFrom('award_rounds').select(roundColumns).where('id', '=', id).forShare().executeTakeFirstOrThrow();
}

export async function listRounds(db: Database, viewer: Caller, filter: { year?: number }, page: { offset: number; limit: number }) {
  let query = db
    .selectFrom('award_rounds')
    .where((eb) => roundVisible(eb, viewer));
  if (filter.year) query = query.where('award_rounds.year', '=', filter.year);
  const [rows, total] = await Promise.all([
    roundQuery(db)
      .where((eb) => roundVisible(eb, viewer))
      .$if(filter.year !== undefined, (q) => q.where('award_rounds.year', '=', filter.year!))
      .select((eb) => [
        eb.selectFrom('nominations').select(eb.fn.countAll<number>().as('n')).whereRef('nominations.round_id', '=', 'award_rounds.id').where('nominations.status', '<>', 'draft').as('submitted_count'),
      ])
      .orderBy('award_rounds.year', 'desc')
      .orderBy('award_rounds.id', 'desc')
      .offset(page.offset)
      .limit(page.limit)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.count) };
}

const nominationColumns = [
  'nominations.id', 'nominations.round_id', 'nominations.unit_id', 'nominations.nominee_kind', 'nominations.nominee_name', 'nominations.position',
  'nominations.gender', 'nominations.birth_year', 'nominations.achievement', 'nominations.status', 'nominations.return_reason',
  'nominations.submitted_at', 'nominations.returned_at', 'nominations.approvals', 'nominations.rejections', 'nominations.eligible_voters',
  'nominations.decided_at', 'nominations.decision_id', 'nominations.created_at', 'nominations.updated_at',
] as const;

function nominationQuery(db: Database, viewer: Caller) {
  return db
    .selectFrom('nominations')
    .innerJoin('award_rounds', 'award_rounds.id', 'nominations.round_id')
    .innerJoin('units', 'units.id', 'nominations.unit_id')
    .select([...nominationColumns, 'units.name as unit_name', 'award_rounds.title as round_title', 'award_rounds.status as round_status', 'award_rounds.issuing_unit_id'])
    .where((eb) => nominationVisible(eb, viewer));
}

export type Nomination = Awaited<ReturnType<typeof getNomination>>;

export async function findNomination(db: Database, id: number, viewer: Caller) {
  return nominationQuery(db, viewer).where('nominations.id', '=', id).executeTakeFirst();
}

export async function getNomination(db: Database, id: number, viewer: Caller) {
  const nomination = await findNomination(db, id, viewer);
  if (!nomination) throw new NotFoundError();
  return nomination;
}

/** Locks a visible nomination for a change of content or status; 404 outside what the viewer sees. */
export async function lockNomination(db: Database, id: number, viewer: Caller) {
  const nomination = await db
    .selectFrom('nominations')
    .innerJoin('award_rounds', 'award_rounds.id', 'nominations.round_id')
    .select([...nominationColumns, 'award_rounds.issuing_unit_id'])
    .where('nominations.id', '=', id)
    .where((eb) => nominationVisible(eb, viewer))
    .forUpdate('nominations')
    .executeTakeFirst();
  if (!nomination) throw new NotFoundError();
  return nomination;
}

export interface NominationFilter {
  roundId?: number;
  status?: NominationStatus;
  unitIds?: readonly number[];
}

export async function listNominations(db: Database, viewer: Caller, filter: NominationFilter, page?: { afterId?: number; limit: number }) {
  let query = nominationQuery(db, viewer);
  if (filter.roundId) query = query.where('nominations.round_id', '=', filter.roundId);
  if (filter.status) query = query.where('nominations.status', '=', filter.status);
  if (filter.unitIds) query = query.where('nominations.unit_id', '=', sql<number>`ANY(${sql.val(filter.unitIds)}::integer[])`);
  const total = page
    ? Number((await query.clearSelect().select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()).count)
    : undefined;
  if (page?.afterId) query = query.where('nominations.id', '>', page.afterId);
  const rows = await query.orderBy('nominations.id').$if(page !== undefined, (q) => q.limit(page!.limit)).execute();
  return { rows, total: total ?? rows.length };
}

export async function nominationModels(db: Database, nominationIds: readonly number[]) {
  if (nominationIds.length === 0) return [];
  return db
    .selectFrom('nomination_models')
    .innerJoin('models', 'models.id', 'nomination_models.model_id')
    .innerJoin('units', 'units.id', 'models.unit_id')
    .select(['nomination_models.nomination_id', 'models.id', 'models.code', 'models.title', 'models.year', 'models.status', 'units.name as unit_name'])
    .where('nomination_models.nomination_id', '=', sql<number>`ANY(${sql.val(nominationIds)}::integer[])`)
    .orderBy('models.code')
    .execute();
}

export async function replaceNominationModels(db: Database, nominationId: number, modelIds: readonly number[]) {
  await db.deleteFrom('nomination_models').where('nomination_id', '=', nominationId).execute();
  if (modelIds.length > 0) await db.insertInto('nomination_models').values(modelIds.map((model_id) => ({ nomination_id: nominationId, model_id }))).execute();
}

/** The models among `ids` registered by a unit of the given scope. */
export async function modelsOfUnits(db: Database, ids: readonly number[], unitIds: readonly number[] | null): Promise<number[]> {
  if (ids.length === 0) return [];
  let query = db.selectFrom('models').select('id').where('id', '=', sql<number>`ANY(${sql.val(ids)}::integer[])`);
  if (unitIds !== null) query = query.where('unit_id', '=', sql<number>`ANY(${sql.val(unitIds)}::integer[])`);
  return (await query.execute()).map((row) => row.id);
}

export async function listFiles(db: Database, nominationIds: readonly number[]) {
  if (nominationIds.length === 0) return [];
  return db
    .selectFrom('nomination_files')
    .select(['id', 'nomination_id', 'kind', 'file_name', 'content_type', 'size_bytes', 'sha256', 'uploaded_at'])
    .where('nomination_id', '=', sql<number>`ANY(${sql.val(nominationIds)}::integer[])`)
    .orderBy('id')
    .execute();
}

export async function fileContent(db: Database, fileId: number) {
  const row = await db.selectFrom('nomination_file_contents').select('content').where('file_id', '=', fileId).executeTakeFirstOrThrow();
  return row.content;
}

/**
 * The units that count as the nominating unit for conflicts of interest: the unit as it is today
 * (a unit merged in 2025 counts as its successor), with everything under it and merged into it.
 */
export async function nominatingUnits(db: Database, unitId: number): Promise<readonly number[]> {
  const { rows } = await sql<{ id: number }>`
    WITH RECURSIVE chain(id, successor_id, depth) AS (
      SELECT id, successor_id, 0 FROM units WHERE id = ${unitId}::integer
      UNION ALL
      SELECT units.id, units.successor_id, chain.depth + 1 FROM units JOIN chain ON units.id = chain.successor_id WHERE chain.depth < 20
    )
    SELECT id FROM chain ORDER BY depth DESC LIMIT 1`.execute(db);
  return unitAndEverythingUnder(db, rows[0]?.id ?? unitId);
}

/** Active committee members of an issuing body: members whose unit is the body or under it. */
export async function committeeMembers(db: Database, issuingUnitId: number) {
  const units = await unitAndEverythingUnder(db, issuingUnitId);
  return db
    .selectFrom('users')
    .select(['id', 'full_name', 'unit_id'])
    .where('role', '=', 'member')
    .where('disabled_at', 'is', null)
    .where('unit_id', '=', sql<number>`ANY(${sql.val(units)}::integer[])`)
    .orderBy('full_name')
    .execute();
}

export async function listVotes(db: Database, nominationIds: readonly number[]) {
  if (nominationIds.length === 0) return [];
  return db
    .selectFrom('votes')
    .innerJoin('users', 'users.id', 'votes.member_id')
    .select(['votes.nomination_id', 'votes.member_id', 'votes.vote', 'votes.comment', 'votes.voted_at', 'users.full_name as member_name', 'users.unit_id as member_unit_id'])
    .where('votes.nomination_id', '=', sql<number>`ANY(${sql.val(nominationIds)}::integer[])`)
    .orderBy('users.full_name')
    .execute();
}

/**
 * Takes `count` numbers from a counter row (per issuing unit and year) and answers the last one. The
 * upsert locks the row until the transaction ends, so concurrent issuers wait their turn, and a
 * rollback gives the numbers back: no gap, no duplicate.
 */
export async function takeNumbers(db: Database, counter: 'decision_counters' | 'register_counters', issuingUnitId: number, year: number, count: number): Promise<number> {
  const row = await db
    .insertInto(counter)
    .values({ issuing_unit_id: issuingUnitId, year, last_number: count })
    .onConflict((conflict) => conflict.columns(['issuing_unit_id', 'year']).doUpdateSet({ last_number: sql`${sql.ref(`${counter}.last_number`)} + ${count}` }))
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return row.last_number;
}

/** Records a decision number chosen by hand, so the next automatic one follows it. */
export async function raiseDecisionCounter(db: Database, issuingUnitId: number, year: number, atLeast: number) {
  await db
    .insertInto('decision_counters')
    .values({ issuing_unit_id: issuingUnitId, year, last_number: atLeast })
    .onConflict((conflict) => conflict.columns(['issuing_unit_id', 'year']).doUpdateSet({ last_number: sql`greatest(decision_counters.last_number, ${atLeast})` }))
    .execute();
}

export async function decisionNumberTaken(db: Database, issuingUnitId: number, year: number, number: number): Promise<boolean> {
  return (await db.selectFrom('decisions').select('id').where('issuing_unit_id', '=', issuingUnitId).where('year', '=', year).where('number', '=', number).executeTakeFirst()) !== undefined;
}

export type Decision = Awaited<ReturnType<typeof getDecision>>;

export async function getDecision(db: Database, id: number, viewer: Caller) {
  const decision = await db
    .selectFrom('decisions')
    .innerJoin('award_rounds', 'award_rounds.id', 'decisions.round_id')
    .innerJoin('units', 'units.id', 'decisions.issuing_unit_id')
    .innerJoin('award_kinds', 'award_kinds.code', 'award_rounds.award_kind')
    .select([
      'decisions.id', 'decisions.round_id', 'decisions.issuing_unit_id', 'decisions.year', 'decisions.number', 'decisions.number_text', 'decisions.signed_on',
      'decisions.signer_name', 'decisions.signer_title', 'decisions.created_at', 'units.name as issuing_unit_name', 'award_rounds.title as round_title',
      'award_kinds.name as award_kind_name', 'award_kinds.name_en as award_kind_name_en',
    ])
    .where('decisions.id', '=', id)
    .where((eb) => roundVisible(eb, viewer))
    .executeTakeFirst();
  if (!decision) throw new NotFoundError();
  return decision;
}

export async function listDecisions(db: Database, roundId: number) {
  return db
    .selectFrom('decisions')
    .select(['id', 'number_text', 'signed_on', 'signer_name', (eb) => eb.selectFrom('certificates').select(eb.fn.countAll<number>().as('n')).whereRef('certificates.decision_id', '=', 'decisions.id').as('certificate_count')])
    .where('round_id', '=', roundId)
    .orderBy('id')
    .execute();
}

/** The decision's certificates the viewer may see (see certificateVisible), in register order. */
export async function decisionCertificates(db: Database, decisionId: number, viewer: Caller) {
  return db
    .selectFrom('certificates')
    .innerJoin('nominations', 'nominations.id', 'certificates.nomination_id')
    .innerJoin('units', 'units.id', 'nominations.unit_id')
    .select([
      'certificates.id', 'certificates.nomination_id', 'certificates.recipient_kind', 'certificates.recipient_name', 'certificates.register_number',
      'certificates.verification_code', 'certificates.status', 'certificates.year', 'nominations.position', 'nominations.gender', 'nominations.birth_year',
      'nominations.achievement', 'units.name as unit_name',
    ])
    .where('certificates.decision_id', '=', decisionId)
    .where((eb) => certificateVisible(eb, viewer))
    .orderBy('certificates.register_number')
    .execute();
}

export function anyOf(ids: readonly number[]) {
  return sql<number>`ANY(${sql.val(ids)}::integer[])`;
}

/** Models a nomination form offers: the unit's own, from the round's year and the four before it. */
export async function modelChoices(db: Database, unitIds: readonly number[] | null, sinceYear: number) {
  let query = db.selectFrom('models').select(['id', 'code', 'title', 'year']).where('year', '>=', sinceYear).orderBy('year', 'desc').orderBy('code').limit(300);
  if (unitIds !== null) query = query.where('unit_id', '=', anyOf(unitIds));
  return query.execute();
}

/** A round whose nominees are published for public comment, or undefined. */
export async function findPublishedRound(db: Database, id: number) {
  return db
    .selectFrom('award_rounds')
    .innerJoin('units', 'units.id', 'award_rounds.issuing_unit_id')
    .innerJoin('award_kinds', 'award_kinds.code', 'award_rounds.award_kind')
    .select(['award_rounds.id', 'award_rounds.title', 'award_rounds.year', 'award_rounds.published_at', 'units.name as issuer', 'award_kinds.name as award_name', 'award_kinds.name_en as award_name_en'])
    .where('award_rounds.id', '=', id)
    .where('award_rounds.public_comment', '=', true)
    .where('award_rounds.published_at', 'is not', null)
    .executeTakeFirst();
}

/** What the public sees of a published round's nominees: kind, name, position, unit and achievement. */
export async function publishedNominees(db: Database, roundId: number) {
  return db
    .selectFrom('nominations')
    .innerJoin('units', 'units.id', 'nominations.unit_id')
    .select(['nominations.nominee_kind', 'nominations.nominee_name', 'nominations.position', 'nominations.achievement', 'units.name as unit_name'])
    .where('nominations.round_id', '=', roundId)
    .where('nominations.status', 'in', ['submitted', 'approved'])
    .execute();
}
