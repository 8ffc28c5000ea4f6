// All SQL for award rounds, nominations, votes, dossier files, decisions and their certificates,
// and the viewer's reach (awards/viewer.ts) written as SQL conditions.
import { sql, type Expression, type ExpressionBuilder, type Insertable, type Selectable, type SelectQueryBuilder, type SqlBool, type Updateable } from 'kysely';
import type { Database } from '../db/database.ts';
import type { AwardRoundsTable, CertificatesTable, DB, DecisionsTable, NominationFilesTable, NominationsTable } from '../db/schema.ts';
import { scopedUnitIds, unitAndEverythingUnder } from '../auth/scope.ts';
import { NotFoundError } from '../errors.ts';
import type { Caller } from '../auth/caller.ts';
import { nominationReach, roundUnitIds } from './viewer.ts';
import { sourcesOf, targetOf, type NominationStatus, type NomineeKind } from './status.ts';
import type { DossierKind } from './schemas.ts';
import { vietnameseOrder } from '../db/vietnamese.ts';

export function anyOf(ids: readonly number[]) {
  return sql<number>`ANY(${sql.val(ids)}::integer[])`;
}

/** The rounds the viewer sees (viewer.ts#roundUnitIds), as a condition on `award_rounds`. */
export function roundVisible(eb: ExpressionBuilder<DB, 'award_rounds'>, viewer: Caller): Expression<SqlBool> {
  const ids = roundUnitIds(viewer);
  return ids === null ? sql<boolean>`true` : eb('award_rounds.issuing_unit_id', '=', anyOf(ids));
}

/** viewer.ts#actsFor as SQL over an issuing unit column (a constant of the code, never user input). */
export function actingFor(viewer: Caller, issuingUnitColumn: 'award_rounds.issuing_unit_id' | 'certificates.issuing_unit_id'): Expression<SqlBool> {
  const scoped = scopedUnitIds(viewer.scope);
  return scoped === null ? sql<boolean>`true` : sql<boolean>`${sql.ref(issuingUnitColumn)} = ${anyOf(scoped)}`;
}

/** The nominations the viewer reads (viewer.ts#nominationReach). Needs `award_rounds` joined to the nominations. */
export function nominationVisible(eb: ExpressionBuilder<DB, 'nominations' | 'award_rounds'>, viewer: Caller): Expression<SqlBool> {
  const reach = nominationReach(viewer);
  if (reach === null) return sql<boolean>`true`;
  const ownUnits = eb('nominations.unit_id', '=', anyOf(reach.ownUnitIds));
  if (reach.submittedToBodyIds === null) return ownUnits;
  // The round's body first: for whoever reviews a round it holds for every row, and PostgreSQL tests
  // an OR in the order written (the own units come second, a scan of a long list on every row).
  return eb.and([eb.or([eb('award_rounds.issuing_unit_id', '=', anyOf(reach.submittedToBodyIds)), ownUnits]), eb('nominations.status', '<>', 'draft')]);
}

/**
 * Certificates the viewer may read: all of a body it acts for, and those of nominees of its own
 * units. Needs `certificates` and `nominations` joined.
 */
export function certificateVisible(eb: ExpressionBuilder<DB, 'certificates' | 'nominations'>, viewer: Caller): Expression<SqlBool> {
  const scoped = scopedUnitIds(viewer.scope);
  if (scoped === null) return sql<boolean>`true`;
  return eb.or([eb('certificates.issuing_unit_id', '=', anyOf(scoped)), eb('nominations.unit_id', '=', anyOf(scoped))]);
}

export async function listAwardKinds(db: Database) {
  return db.selectFrom('award_kinds').select(['code', 'name', 'name_en', 'template', 'required_files']).orderBy('sort_order').orderBy('code').execute();
}

/** The documents a nomination of the round must carry (its award kind's checklist), and those it carries. */
export async function dossierChecklist(db: Database, nominationId: number): Promise<{ required: DossierKind[]; present: DossierKind[] }> {
  const row = await db
    .selectFrom('nominations')
    .innerJoin('award_rounds', 'award_rounds.id', 'nominations.round_id')
    .innerJoin('award_kinds', 'award_kinds.code', 'award_rounds.award_kind')
    .select('award_kinds.required_files')
    .select((eb) => eb.fn.coalesce(
      eb.selectFrom('nomination_files').select(sql<string[]>`array_agg(DISTINCT kind)`.as('kinds')).whereRef('nomination_files.nomination_id', '=', 'nominations.id'),
      sql<string[]>`'{}'::text[]`,
    ).as('present'))
    .where('nominations.id', '=', nominationId)
    .executeTakeFirstOrThrow();
  return { required: row.required_files as DossierKind[], present: row.present as DossierKind[] };
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

/** A round's own columns (roundColumns): what lockRound and shareLockRound answer. */
export type RoundRow = Pick<
  Selectable<AwardRoundsTable>,
  | 'id' | 'title' | 'year' | 'award_kind' | 'issuing_unit_id' | 'closes_on' | 'quorum_num' | 'quorum_den' | 'approval_num' | 'approval_den'
  | 'approval_strict' | 'public_comment' | 'decision_suffix' | 'status' | 'published_at' | 'closed_at' | 'created_at' | 'updated_at'
>;

/** A round with its issuing body's and award's names: what getRound answers. */
export interface Round extends RoundRow {
  issuing_unit_name: string;
  issuing_unit_kind: string;
  award_kind_name: string;
  award_kind_name_en: string;
}

function roundQuery(db: Database) {
  return db
    .selectFrom('award_rounds')
    .innerJoin('units', 'units.id', 'award_rounds.issuing_unit_id')
    .innerJoin('award_kinds', 'award_kinds.code', 'award_rounds.award_kind')
    .select([...roundColumns, 'units.name as issuing_unit_name', 'units.kind as issuing_unit_kind', 'award_kinds.name as award_kind_name', 'award_kinds.name_en as award_kind_name_en']);
}

export async function getRound(db: Database, id: number, viewer: Caller): Promise<Round> {
  const round = await roundQuery(db).where('award_rounds.id', '=', id).where((eb) => roundVisible(eb, viewer)).executeTakeFirst();
  if (!round) throw new NotFoundError();
  return round;
}

/** Locks the round row: closing it and everything that must happen before it closes take turns. */
export async function lockRound(db: Database, id: number, viewer: Caller): Promise<RoundRow> {
  const round = await db.selectFrom('award_rounds').select(roundColumns).where('id', '=', id).where((eb) => roundVisible(eb, viewer)).forUpdate().executeTakeFirst();
  if (!round) throw new NotFoundError();
  return round;
}

/** Takes a share lock on the round: many nominations may change at once, but not while it closes. */
export async function shareLockRound(db: Database, id: number): Promise<RoundRow> {
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
  'nominations.forwarded_from_id', 'nominations.forwarding_unit_id', 'nominations.forwarded_at',
] as const;

/** A nomination's columns (nominationColumns) with its round's issuing body: what lockNomination answers. */
export type NominationRow = Pick<
  Selectable<NominationsTable>,
  | 'id' | 'round_id' | 'unit_id' | 'nominee_kind' | 'nominee_name' | 'position' | 'gender' | 'birth_year' | 'achievement' | 'status' | 'return_reason'
  | 'submitted_at' | 'returned_at' | 'approvals' | 'rejections' | 'eligible_voters' | 'decided_at' | 'decision_id' | 'created_at' | 'updated_at'
  | 'forwarded_from_id' | 'forwarding_unit_id' | 'forwarded_at'
> & { issuing_unit_id: number };

/**
 * A nomination with its unit's name and its round's title and status, and across levels: the twin it
 * was forwarded to, and for a forwarded one the lower committee's tally. What getNomination answers.
 */
export interface Nomination extends NominationRow {
  unit_name: string;
  round_title: string;
  round_year: number;
  round_status: Selectable<AwardRoundsTable>['status'];
  decision_number: string | null;
  forwarding_unit_name: string | null;
  forwarded_to_id: number | null;
  upper_round_id: number | null;
  upper_round_title: string | null;
  upper_status: Selectable<NominationsTable>['status'] | null;
  upper_return_reason: string | null;
  upper_decision_number: string | null;
  lower_approvals: number | null;
  lower_rejections: number | null;
  lower_eligible_voters: number | null;
}

function nominationQuery(db: Database, viewer: Caller) {
  return db
    .selectFrom('nominations')
    .innerJoin('award_rounds', 'award_rounds.id', 'nominations.round_id')
    .innerJoin('units', 'units.id', 'nominations.unit_id')
    .leftJoin('decisions', 'decisions.id', 'nominations.decision_id')
    .leftJoin('nominations as lower', 'lower.id', 'nominations.forwarded_from_id')
    .leftJoin('units as forwarding_unit', 'forwarding_unit.id', 'nominations.forwarding_unit_id')
    // The twin above, at most one (forwarded_from_id is unique); the lower body sees how it fares there.
    .leftJoin('nominations as upper', 'upper.forwarded_from_id', 'nominations.id')
    .leftJoin('award_rounds as upper_round', 'upper_round.id', 'upper.round_id')
    .leftJoin('decisions as upper_decision', 'upper_decision.id', 'upper.decision_id')
    .select([...nominationColumns, 'units.name as unit_name', 'award_rounds.title as round_title', 'award_rounds.year as round_year', 'award_rounds.status as round_status', 'award_rounds.issuing_unit_id'])
    .select(['decisions.number_text as decision_number', 'forwarding_unit.name as forwarding_unit_name', 'lower.approvals as lower_approvals', 'lower.rejections as lower_rejections', 'lower.eligible_voters as lower_eligible_voters'])
    .select([
      'upper.id as forwarded_to_id', 'upper.round_id as upper_round_id', 'upper_round.title as upper_round_title', 'upper.status as upper_status',
      'upper.return_reason as upper_return_reason', 'upper_decision.number_text as upper_decision_number',
    ])
    .where((eb) => nominationVisible(eb, viewer));
}

export async function findNomination(db: Database, id: number, viewer: Caller): Promise<Nomination | undefined> {
  return nominationQuery(db, viewer).where('nominations.id', '=', id).executeTakeFirst();
}

export async function getNomination(db: Database, id: number, viewer: Caller): Promise<Nomination> {
  const nomination = await findNomination(db, id, viewer);
  if (!nomination) throw new NotFoundError();
  return nomination;
}

/** Locks a visible nomination for a change of content or status; 404 outside what the viewer sees. */
export async function lockNomination(db: Database, id: number, viewer: Caller): Promise<NominationRow> {
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
  /** The rounds' year. */
  year?: number;
}

/** The filter's conditions, on any query over the nominations joined to their round. */
function narrowed<Q extends SelectQueryBuilder<DB, 'nominations' | 'award_rounds', object>>(query: Q, filter: NominationFilter): Q {
  let narrow: SelectQueryBuilder<DB, 'nominations' | 'award_rounds', object> = query;
  if (filter.roundId) narrow = narrow.where('nominations.round_id', '=', filter.roundId);
  if (filter.status) narrow = narrow.where('nominations.status', '=', filter.status);
  if (filter.year) narrow = narrow.where('award_rounds.year', '=', filter.year);
  if (filter.unitIds) narrow = narrow.where('nominations.unit_id', '=', sql<number>`ANY(${sql.val(filter.unitIds)}::integer[])`);
  return narrow as Q;
}

/**
 * The nominations the viewer sees, in id order; a page is the `limit` after `afterId`, with the total.
 * A page's ids are chosen first, from the nominations and their round alone (an index-only scan of
 * sql/0018), then joined to the rest (units, decisions, the twins): joined first, the planner read
 * every row of a round's tab, or walked the whole table by id, before keeping 50 (README, Benchmarks,
 * "Forwarding up a level").
 */
export async function listNominations(db: Database, viewer: Caller, filter: NominationFilter, page?: { afterId?: number; limit: number; newestFirst?: boolean }) {
  if (!page) {
    const rows = await narrowed(nominationQuery(db, viewer), filter).orderBy('nominations.id').execute();
    return { rows, total: rows.length };
  }
  const matching = narrowed(db.selectFrom('nominations').innerJoin('award_rounds', 'award_rounds.id', 'nominations.round_id').where((eb) => nominationVisible(eb, viewer)), filter);
  // Every nomination has its round and its unit, so the count needs no other join.
  const total = Number((await matching.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()).count);
  // Newest first (a unit's own list across rounds), the cursor is the last id shown and the page goes down from it.
  const direction = page.newestFirst ? 'desc' : 'asc';
  const ids = matching
    .select('nominations.id')
    .$if(page.afterId !== undefined, (q) => q.where('nominations.id', page.newestFirst ? '<' : '>', page.afterId!))
    .orderBy('nominations.id', direction)
    .limit(page.limit);
  // ANY(ARRAY(...)): the page's ids are taken once, then each row is fetched by its key (an IN made
  // the planner read the whole table by id and join it before filtering).
  const rows = await nominationQuery(db, viewer).where('nominations.id', '=', sql<number>`ANY(ARRAY(${ids}))`).orderBy('nominations.id', direction).execute();
  return { rows, total };
}


/** The years of the rounds the viewer's nominations are in, latest first: the year filter of a unit's own list. */
export async function nominationYears(db: Database, viewer: Caller): Promise<number[]> {
  const rows = await db
    .selectFrom('nominations')
    .innerJoin('award_rounds', 'award_rounds.id', 'nominations.round_id')
    .where((eb) => nominationVisible(eb, viewer))
    .select('award_rounds.year')
    .distinct()
    .orderBy('award_rounds.year', 'desc')
    .execute();
  return rows.map((row) => row.year);
}

/** How many nominations the viewer sees, by status (listNominations' reach): the tabs of a round page or of a unit's own list. */
export async function countNominationsByStatus(db: Database, viewer: Caller, filter: Omit<NominationFilter, 'status'>): Promise<Partial<Record<NominationStatus, number>>> {
  const rows = await narrowed(db.selectFrom('nominations').innerJoin('award_rounds', 'award_rounds.id', 'nominations.round_id').where((eb) => nominationVisible(eb, viewer)), filter)
    .select((eb) => ['nominations.status', eb.fn.countAll<number>().as('count')])
    .groupBy('nominations.status')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

/** How many nominations the viewer sees that match the filter, up to and including `id`: where a page after `id` starts. */
export async function countNominationsThrough(db: Database, viewer: Caller, filter: NominationFilter, id: number): Promise<number> {
  const row = await narrowed(db.selectFrom('nominations').innerJoin('award_rounds', 'award_rounds.id', 'nominations.round_id').where((eb) => nominationVisible(eb, viewer)), filter)
    .where('nominations.id', '<=', id)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * A round's approved nominations the viewer sees that have no twin above yet, in id order: the first
 * `limit` with their unit's name, and how many there are in all.
 */
export async function nominationsToForward(db: Database, viewer: Caller, roundId: number, limit: number) {
  const query = db
    .selectFrom('nominations')
    .innerJoin('award_rounds', 'award_rounds.id', 'nominations.round_id')
    .where((eb) => nominationVisible(eb, viewer))
    .where('nominations.round_id', '=', roundId)
    .where('nominations.status', '=', 'approved')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('nominations as upper').select('upper.id').whereRef('upper.forwarded_from_id', '=', 'nominations.id'))));
  const [rows, total] = await Promise.all([
    query.innerJoin('units', 'units.id', 'nominations.unit_id').select(['nominations.id', 'nominations.nominee_name', 'units.name as unit_name']).orderBy('nominations.id').limit(limit).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.count) };
}

const latestScoringSet = sql`(SELECT max(e2.set_id) FROM evaluations e2 WHERE e2.model_id = models.id AND e2.status = 'submitted')`;

export async function nominationModels(db: Database, nominationIds: readonly number[]) {
  if (nominationIds.length === 0) return [];
  return db
    .selectFrom('nomination_models')
    .innerJoin('models', 'models.id', 'nomination_models.model_id')
    .innerJoin('units', 'units.id', 'models.unit_id')
    .select(['nomination_models.nomination_id', 'models.id', 'models.code', 'models.title', 'models.year', 'models.status', 'units.name as unit_name'])
    // The model's result in the latest criteria set that scored it (issue 21): what the nomination cites.
    .select([
      sql<string | null>`(SELECT round(avg(e.total), 2) FROM evaluations e WHERE e.model_id = models.id AND e.status = 'submitted' AND e.set_id = ${latestScoringSet})`.as('evaluation_average'),
      sql<string | null>`(SELECT sum(c.max_score) FROM criteria c WHERE c.set_id = ${latestScoringSet})`.as('evaluation_scale'),
      sql<string | null>`(SELECT s.title FROM criteria_sets s WHERE s.id = ${latestScoringSet})`.as('evaluation_set'),
    ])
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

/** The body's committee as it votes: the member accounts it lists, active ones only. */
export async function committeeMembers(db: Database, issuingUnitId: number) {
  return db
    .selectFrom('committee_members')
    .innerJoin('users', 'users.id', 'committee_members.user_id')
    .select(['users.id', 'users.full_name', 'users.unit_id'])
    .where('committee_members.issuing_unit_id', '=', issuingUnitId)
    .where('users.role', '=', 'member')
    .where('users.disabled_at', 'is', null)
    .orderBy(vietnameseOrder('users.full_name'))
    .execute();
}

/** Whether the body's committee lists this active member account. */
export async function sitsOnCommittee(db: Database, issuingUnitId: number, userId: number): Promise<boolean> {
  const row = await db
    .selectFrom('committee_members')
    .innerJoin('users', 'users.id', 'committee_members.user_id')
    .select('users.id')
    .where('committee_members.issuing_unit_id', '=', issuingUnitId)
    .where('committee_members.user_id', '=', userId)
    .where('users.role', '=', 'member')
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listVotes(db: Database, nominationIds: readonly number[]) {
  if (nominationIds.length === 0) return [];
  return db
    .selectFrom('votes')
    .innerJoin('users', 'users.id', 'votes.member_id')
    .select(['votes.nomination_id', 'votes.member_id', 'votes.vote', 'votes.comment', 'votes.voted_at', 'users.full_name as member_name', 'users.unit_id as member_unit_id'])
    .where('votes.nomination_id', '=', sql<number>`ANY(${sql.val(nominationIds)}::integer[])`)
    .orderBy(vietnameseOrder('users.full_name'))
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

/** A decision with its issuing body's, round's and award's names: what getDecision answers. */
export type Decision = Pick<Selectable<DecisionsTable>, 'id' | 'round_id' | 'issuing_unit_id' | 'year' | 'number' | 'number_text' | 'signed_on' | 'signer_name' | 'signer_title' | 'created_at'> & {
  issuing_unit_name: string;
  issuing_unit_kind: string;
  issuing_unit_code: string;
  round_title: string;
  award_kind_name: string;
  award_kind_name_en: string;
};

export async function getDecision(db: Database, id: number, viewer: Caller): Promise<Decision> {
  const decision = await db
    .selectFrom('decisions')
    .innerJoin('award_rounds', 'award_rounds.id', 'decisions.round_id')
    .innerJoin('units', 'units.id', 'decisions.issuing_unit_id')
    .innerJoin('award_kinds', 'award_kinds.code', 'award_rounds.award_kind')
    .select([
      'decisions.id', 'decisions.round_id', 'decisions.issuing_unit_id', 'decisions.year', 'decisions.number', 'decisions.number_text', 'decisions.signed_on',
      'decisions.signer_name', 'decisions.signer_title', 'decisions.created_at', 'units.name as issuing_unit_name', 'units.kind as issuing_unit_kind', 'units.code as issuing_unit_code', 'award_rounds.title as round_title',
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
      'certificates.verification_code', 'certificates.status', 'certificates.year', 'nominations.gender', 'nominations.birth_year', 'certificates.corrects_id',
    ])
    // A corrected certificate's own text where it differs from the nomination (sql/0023).
    .select((eb) => [
      eb.fn.coalesce('certificates.position', 'nominations.position').as('position'),
      eb.fn.coalesce('certificates.achievement', 'nominations.achievement').as('achievement'),
      eb.fn.coalesce('certificates.unit_name', 'units.name').as('unit_name'),
      // Printed at least once (a print recorded by hand or by a print job): the decision page marks the rest.
      eb.exists(eb.selectFrom('print_log').select(sql`1`.as('one')).whereRef('print_log.certificate_id', '=', 'certificates.id')).as('printed'),
    ])
    .where('certificates.decision_id', '=', decisionId)
    // The current certificates: a corrected one stands in the annex for the one it replaced.
    .where('certificates.status', '<>', 'replaced')
    .where((eb) => certificateVisible(eb, viewer))
    .orderBy('certificates.register_number')
    .execute();
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

// ----- Writes, each inside the service's transaction (`trx`).

export async function insertRound(trx: Database, values: Omit<Insertable<AwardRoundsTable>, 'id' | 'status' | 'published_at' | 'closed_at' | 'created_at' | 'updated_at'>): Promise<number> {
  return (await trx.insertInto('award_rounds').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

/** Publishes the round for public comment, once. */
export async function markRoundPublished(trx: Database, roundId: number): Promise<void> {
  await trx.updateTable('award_rounds').set({ published_at: new Date(), updated_at: new Date() }).where('id', '=', roundId).where('published_at', 'is', null).execute();
}

/** Closes an open round; false when it was not open. */
export async function markRoundClosed(trx: Database, roundId: number): Promise<boolean> {
  const closed = await trx.updateTable('award_rounds').set({ status: 'closed', closed_at: new Date(), updated_at: new Date() }).where('id', '=', roundId).where('status', '=', 'open').returning('id').executeTakeFirst();
  return closed !== undefined;
}

/** Opens a closed round again; answers false when it was not closed. */
export async function markRoundReopened(trx: Database, roundId: number): Promise<boolean> {
  const opened = await trx.updateTable('award_rounds').set({ status: 'open', closed_at: null, updated_at: new Date() }).where('id', '=', roundId).where('status', '=', 'closed').returning('id').executeTakeFirst();
  return opened !== undefined;
}

/** Undoes a reopened round's outcomes: approved and rejected nominations are submitted again, tallies cleared. */
export async function undoOutcomes(trx: Database, roundId: number): Promise<number[]> {
  const rows = await trx
    .updateTable('nominations')
    .set({ status: targetOf('reopen'), approvals: null, rejections: null, eligible_voters: null, decided_at: null, updated_at: new Date() })
    .where('round_id', '=', roundId)
    .where('status', '=', sql<NominationStatus>`ANY(${sql.val(sourcesOf('reopen'))}::text[])`)
    .where('decision_id', 'is', null)
    .returning('id')
    .execute();
  return rows.map((row) => row.id).sort((a, b) => a - b);
}

/** Whether a round has a decision, or nominations that went up to a body above (then it stays closed), and approved ones no decision names yet. */
export async function roundCommitted(trx: Database, roundId: number): Promise<{ decided: boolean; forwarded: boolean; awaitingDecision: boolean }> {
  const row = await trx
    .selectFrom('award_rounds')
    .select((eb) => [
      eb.exists(eb.selectFrom('decisions').select('decisions.id').whereRef('decisions.round_id', '=', 'award_rounds.id')).as('decided'),
      eb.exists(
        eb.selectFrom('nominations').select('nominations.id').whereRef('nominations.round_id', '=', 'award_rounds.id').where('nominations.status', '=', 'approved').where('nominations.decision_id', 'is', null),
      ).as('awaiting'),
      eb.exists(eb.selectFrom('nominations as lower').innerJoin('nominations as twin', 'twin.forwarded_from_id', 'lower.id').select('lower.id').whereRef('lower.round_id', '=', 'award_rounds.id')).as('forwarded'),
    ])
    .where('award_rounds.id', '=', roundId)
    .executeTakeFirstOrThrow();
  return { decided: Boolean(row.decided), forwarded: Boolean(row.forwarded), awaitingDecision: Boolean(row.awaiting) };
}

/** The columns a nomination's unit writes: the nominee and the achievement. */
export type NominationDetails = Pick<Insertable<NominationsTable>, 'unit_id' | 'nominee_kind' | 'nominee_name' | 'nominee_key' | 'position' | 'gender' | 'birth_year' | 'achievement'>;

export async function insertNomination(trx: Database, values: NominationDetails & Pick<Insertable<NominationsTable>, 'round_id' | 'created_by'>): Promise<number> {
  return (await trx.insertInto('nominations').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateNominationDetails(trx: Database, id: number, details: NominationDetails): Promise<void> {
  await trx.updateTable('nominations').set({ ...details, updated_at: new Date() }).where('id', '=', id).execute();
}

/** What a status move writes beside the status (the dates and the reason of a submission or a return). */
export type NominationMoveChanges = Pick<Updateable<NominationsTable>, 'submitted_at' | 'returned_at' | 'return_reason'>;

/** Moves the status only from `from`, with the move's changes; false when the status was no longer `from`. */
export async function moveNominationStatus(trx: Database, id: number, from: NominationStatus, to: NominationStatus, changes: NominationMoveChanges): Promise<boolean> {
  const updated = await trx.updateTable('nominations').set({ ...changes, status: to, updated_at: new Date() }).where('id', '=', id).where('status', '=', from).returning('id').executeTakeFirst();
  return updated !== undefined;
}

/** Another nomination of the same nominee (by kind and key) in the round, if any. */
export async function findSameNominee(trx: Database, roundId: number, kind: NomineeKind, key: string, exceptId?: number) {
  let query = trx.selectFrom('nominations').select('id').where('round_id', '=', roundId).where('nominee_kind', '=', kind).where('nominee_key', '=', key);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return query.executeTakeFirst();
}

/** The round's submitted nominations, locked, in id order: what closing the round decides. */
export async function lockSubmittedNominations(trx: Database, roundId: number) {
  return trx.selectFrom('nominations').select(['id', 'unit_id']).where('round_id', '=', roundId).where('status', '=', 'submitted').orderBy('id').forUpdate().execute();
}

/** Writes a submitted nomination's outcome and tally. */
export async function recordNominationOutcome(trx: Database, id: number, status: 'approved' | 'rejected', tally: { approvals: number; rejections: number; eligibleVoters: number }): Promise<void> {
  await trx
    .updateTable('nominations')
    .set({ status, approvals: tally.approvals, rejections: tally.rejections, eligible_voters: tally.eligibleVoters, decided_at: new Date(), updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'submitted')
    .execute();
}

/** A member's vote on a nomination, if cast. */
export async function findVote(trx: Database, nominationId: number, memberId: number) {
  return trx.selectFrom('votes').select(['vote', 'comment']).where('nomination_id', '=', nominationId).where('member_id', '=', memberId).executeTakeFirst();
}

/** Casts a member's vote, or changes the one cast. */
// ----- Recusals: a member standing aside on a nomination (conflict of interest).

/** The recusals on these nominations, with the member's name, by name. */
export async function listRecusals(db: Database, nominationIds: readonly number[]) {
  if (nominationIds.length === 0) return [];
  return db
    .selectFrom('recusals')
    .innerJoin('users', 'users.id', 'recusals.member_id')
    .select(['recusals.nomination_id', 'recusals.member_id', 'recusals.reason', 'recusals.declared_at', 'users.full_name as member_name'])
    .where('recusals.nomination_id', '=', anyOf(nominationIds))
    .orderBy(vietnameseOrder('users.full_name'))
    .execute();
}

/** Records a member's recusal; answers undefined when the member had already stood aside. */
export async function insertRecusal(trx: Database, nominationId: number, memberId: number, reason: string): Promise<{ declared_at: Date } | undefined> {
  return trx
    .insertInto('recusals')
    .values({ nomination_id: nominationId, member_id: memberId, reason })
    .onConflict((oc) => oc.columns(['nomination_id', 'member_id']).doNothing())
    .returning('declared_at')
    .executeTakeFirst();
}

export async function hasRecused(trx: Database, nominationId: number, memberId: number): Promise<boolean> {
  return (await trx.selectFrom('recusals').select('member_id').where('nomination_id', '=', nominationId).where('member_id', '=', memberId).executeTakeFirst()) !== undefined;
}

/** Withdraws a member's vote (a recusal takes it back); answers the vote withdrawn, if any. */
export async function deleteVote(trx: Database, nominationId: number, memberId: number) {
  return trx.deleteFrom('votes').where('nomination_id', '=', nominationId).where('member_id', '=', memberId).returning(['vote', 'comment']).executeTakeFirst();
}

export async function upsertVote(trx: Database, nominationId: number, memberId: number, vote: 'approve' | 'reject', comment: string | null) {
  return trx
    .insertInto('votes')
    .values({ nomination_id: nominationId, member_id: memberId, vote, comment })
    .onConflict((conflict) => conflict.columns(['nomination_id', 'member_id']).doUpdateSet({ vote, comment, voted_at: new Date() }))
    .returning(['nomination_id', 'member_id', 'vote', 'comment', 'voted_at'])
    .executeTakeFirstOrThrow();
}

export async function countFiles(trx: Database, nominationId: number): Promise<number> {
  return Number((await trx.selectFrom('nomination_files').select((eb) => eb.fn.countAll<number>().as('n')).where('nomination_id', '=', nominationId).executeTakeFirstOrThrow()).n);
}

/** Stores a dossier file: its description, and its bytes in a table of their own. */
export async function insertFile(trx: Database, values: Omit<Insertable<NominationFilesTable>, 'id' | 'uploaded_at'>, content: Buffer) {
  const file = await trx
    .insertInto('nomination_files')
    .values(values)
    .returning(['id', 'nomination_id', 'kind', 'file_name', 'content_type', 'size_bytes', 'sha256', 'uploaded_at'])
    .executeTakeFirstOrThrow();
  await trx.insertInto('nomination_file_contents').values({ file_id: file.id, content }).execute();
  return file;
}

/** Deletes a nomination's dossier file; undefined when it has no such file. */
export async function deleteFile(trx: Database, nominationId: number, fileId: number) {
  return trx.deleteFrom('nomination_files').where('id', '=', fileId).where('nomination_id', '=', nominationId).returning(['id', 'file_name', 'sha256']).executeTakeFirst();
}

/** The nominations a decision is to cover, locked, in id order (those that do not exist are missing). */
export async function lockNominationsForDecision(trx: Database, ids: readonly number[]) {
  return trx.selectFrom('nominations').select(['id', 'status', 'decision_id', 'nominee_kind', 'nominee_name', 'round_id']).where('id', '=', anyOf(ids)).orderBy('id').forUpdate().execute();
}

export async function insertDecision(trx: Database, values: Omit<Insertable<DecisionsTable>, 'id' | 'created_at'>): Promise<number> {
  return (await trx.insertInto('decisions').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

/** Puts approved nominations without a decision under this one; answers how many it took. */
export async function assignDecision(trx: Database, decisionId: number, nominationIds: readonly number[]): Promise<number> {
  const assigned = await trx.updateTable('nominations').set({ decision_id: decisionId, updated_at: new Date() }).where('id', '=', anyOf(nominationIds)).where('status', '=', 'approved').where('decision_id', 'is', null).returning('id').execute();
  return assigned.length;
}

export async function insertCertificates(trx: Database, rows: Omit<Insertable<CertificatesTable>, 'id'>[]) {
  return trx.insertInto('certificates').values(rows).returning(['id', 'nomination_id', 'recipient_name', 'register_number', 'verification_code']).execute();
}

// ----- Forwarding up a level, each inside the service's transaction.

/** The nominations to forward, among those the viewer sees, locked, with their round's body. */
export async function lockNominationsToForward(trx: Database, ids: readonly number[], viewer: Caller) {
  return trx
    .selectFrom('nominations')
    .innerJoin('award_rounds', 'award_rounds.id', 'nominations.round_id')
    .select([
      'nominations.id', 'nominations.round_id', 'nominations.unit_id', 'nominations.status', 'nominations.nominee_kind', 'nominations.nominee_name',
      'nominations.nominee_key', 'nominations.position', 'nominations.gender', 'nominations.birth_year', 'nominations.achievement', 'award_rounds.issuing_unit_id',
    ])
    .where('nominations.id', '=', anyOf(ids))
    .where((eb) => nominationVisible(eb, viewer))
    .orderBy('nominations.id')
    .forUpdate('nominations')
    .execute();
}

/** The twins already made of these lower nominations, locked: a returned one is sent again. */
export async function lockTwins(trx: Database, lowerIds: readonly number[]) {
  return trx.selectFrom('nominations').select(['id', 'forwarded_from_id', 'round_id', 'status']).where('forwarded_from_id', '=', anyOf(lowerIds)).orderBy('id').forUpdate().execute();
}

/** Which of these nominee keys (by kind) the round already holds. */
export async function nomineesInRound(trx: Database, roundId: number, keys: readonly string[]) {
  if (keys.length === 0) return [];
  return trx.selectFrom('nominations').select(['nominee_kind', 'nominee_key']).where('round_id', '=', roundId).where('nominee_key', '=', sql<string>`ANY(${sql.val(keys)}::text[])`).execute();
}

/** Inserts the twins in the upper round, submitted; answers each new id with the lower id it came from. */
export async function insertTwins(trx: Database, rows: (NominationDetails & Pick<Insertable<NominationsTable>, 'round_id' | 'created_by' | 'forwarded_from_id' | 'forwarding_unit_id'>)[]) {
  if (rows.length === 0) return [];
  const now = new Date();
  return trx
    .insertInto('nominations')
    .values(rows.map((row) => ({ ...row, status: 'submitted' as const, submitted_at: now, forwarded_at: now })))
    .returning(['id', 'forwarded_from_id'])
    .execute();
}

/** Gives each twin its lower nomination's cited models. */
export async function copyModelsToTwins(trx: Database, twinIds: readonly number[]): Promise<void> {
  if (twinIds.length === 0) return;
  await sql`
    INSERT INTO nomination_models (nomination_id, model_id)
    SELECT twin.id, cited.model_id FROM nominations twin JOIN nomination_models cited ON cited.nomination_id = twin.forwarded_from_id
    WHERE twin.id = ANY(${sql.val(twinIds)}::integer[])`.execute(trx);
}

/**
 * Gives each twin a copy of its lower nomination's dossier files, bytes included, in one statement:
 * new ids are drawn first so each file row and its content row are written together.
 */
export async function copyFilesToTwins(trx: Database, twinIds: readonly number[]): Promise<void> {
  if (twinIds.length === 0) return;
  await sql`
    WITH mapped AS (
      SELECT file.id AS old_id, nextval(pg_get_serial_sequence('nomination_files', 'id')) AS new_id, twin.id AS twin_id,
             file.kind, file.file_name, file.content_type, file.size_bytes, file.sha256, file.uploaded_by, file.uploaded_at
      FROM nominations twin JOIN nomination_files file ON file.nomination_id = twin.forwarded_from_id
      WHERE twin.id = ANY(${sql.val(twinIds)}::integer[])
    ), files AS (
      INSERT INTO nomination_files (id, nomination_id, kind, file_name, content_type, size_bytes, sha256, uploaded_by, uploaded_at)
      OVERRIDING SYSTEM VALUE
      SELECT new_id, twin_id, kind, file_name, content_type, size_bytes, sha256, uploaded_by, uploaded_at FROM mapped
      RETURNING id
    )
    INSERT INTO nomination_file_contents (file_id, content)
    SELECT mapped.new_id, content.content FROM mapped JOIN nomination_file_contents content ON content.file_id = mapped.old_id`.execute(trx);
}

/** Sends returned twins back to their round: submitted again, the return reason cleared. */
export async function resubmitTwins(trx: Database, twinIds: readonly number[]): Promise<number> {
  if (twinIds.length === 0) return 0;
  const now = new Date();
  const moved = await trx
    .updateTable('nominations')
    .set({ status: 'submitted', submitted_at: now, forwarded_at: now, return_reason: null, updated_at: now })
    .where('id', '=', anyOf(twinIds))
    .where('status', '=', 'returned')
    .returning('id')
    .execute();
  return moved.length;
}

/** Nominations by id as getNomination answers them, for the viewer, in id order. */
export async function nominationsByIds(db: Database, ids: readonly number[], viewer: Caller): Promise<Nomination[]> {
  if (ids.length === 0) return [];
  return nominationQuery(db, viewer).where('nominations.id', '=', anyOf(ids)).orderBy('nominations.id').execute();
}

/** Open rounds of the given bodies: where a lower body may send its approved nominations. */
export async function openRoundsOf(db: Database, bodyIds: readonly number[]) {
  if (bodyIds.length === 0) return [];
  return roundQuery(db).where('award_rounds.issuing_unit_id', '=', anyOf(bodyIds)).where('award_rounds.status', '=', 'open').orderBy('award_rounds.closes_on').orderBy('award_rounds.id').execute();
}
