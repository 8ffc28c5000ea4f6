// The counts behind the work queue. Each takes the unit ids the caller acts for (null: every unit)
// and answers how many items wait and where they are: the one round, nomination or decision they
// are all in when there is only one, so the queue can link straight to it.
import { sql, type SqlBool, type Expression } from 'kysely';
import type { Database } from '../db/database.ts';

export interface Pile {
  count: number;
  /** The round (or nomination, decision) every item is in, when they are all in one; else null. */
  onlyRoundId: number | null;
  onlyItemId: number | null;
}

const ids = (unitIds: readonly number[]) => sql<number>`ANY(${sql.val(unitIds)}::integer[])`;

function within(column: Expression<number> | string, unitIds: readonly number[] | null): Expression<SqlBool> {
  const ref = typeof column === 'string' ? sql.ref(column) : column;
  return unitIds === null ? sql<SqlBool>`true` : sql<SqlBool>`${ref} = ${ids(unitIds)}`;
}

/** The figures of a pile: how many items, and the one round and item they are all in, if so. */
function pileColumns(roundColumn: string, itemColumn: string) {
  const [round, item] = [sql.ref(roundColumn), sql.ref(itemColumn)];
  return [
    sql<number>`count(*)`.as('count'),
    sql<number>`count(DISTINCT ${round})`.as('rounds'),
    sql<number>`min(${round})`.as('round_id'),
    sql<number>`count(DISTINCT ${item})`.as('items'),
    sql<number>`min(${item})`.as('item_id'),
  ];
}

function pile(row: { count: string | number; rounds: string | number; round_id: number | null; items: string | number; item_id: number | null } | undefined): Pile {
  const count = Number(row?.count ?? 0);
  return {
    count,
    onlyRoundId: count > 0 && Number(row!.rounds) === 1 ? row!.round_id : null,
    onlyItemId: count > 0 && Number(row!.items) === 1 ? row!.item_id : null,
  };
}

/** Nominations returned to their keepers: a unit's own (not forwarded), or the twins a lower body forwarded. */
export async function returnedNominations(db: Database, keeper: { ownUnitIds: readonly number[] | null } | { forwardingUnitIds: readonly number[] | null }): Promise<Pile> {
  const row = await db
    .selectFrom('nominations')
    .select(pileColumns('round_id', 'id'))
    .where('status', '=', 'returned')
    .where((eb) => ('ownUnitIds' in keeper
      ? eb.and([eb('forwarding_unit_id', 'is', null), within('nominations.unit_id', keeper.ownUnitIds)])
      : eb.and([eb('forwarding_unit_id', 'is not', null), within('nominations.forwarding_unit_id', keeper.forwardingUnitIds)])))
    .executeTakeFirst();
  return pile(row);
}

/** Submitted nominations waiting in the open rounds of the bodies given. */
export async function nominationsToReview(db: Database, bodyIds: readonly number[] | null): Promise<Pile> {
  const row = await db
    .selectFrom('nominations')
    .innerJoin('award_rounds', 'award_rounds.id', 'nominations.round_id')
    .select(pileColumns('nominations.round_id', 'nominations.id'))
    .where('nominations.status', '=', 'submitted')
    .where('award_rounds.status', '=', 'open')
    .where(within('award_rounds.issuing_unit_id', bodyIds))
    .executeTakeFirst();
  return pile(row);
}

/** Open rounds of the bodies given whose closing date has passed. */
export async function roundsPastClosing(db: Database, bodyIds: readonly number[] | null, today: string): Promise<Pile> {
  const row = await db
    .selectFrom('award_rounds')
    .select(pileColumns('id', 'id'))
    .where('status', '=', 'open')
    .where('closes_on', '<', today)
    .where(within('award_rounds.issuing_unit_id', bodyIds))
    .executeTakeFirst();
  return pile(row);
}

/** Closed rounds of the bodies given with approved nominations no decision names yet. */
export async function roundsAwaitingDecision(db: Database, bodyIds: readonly number[] | null): Promise<Pile> {
  const row = await db
    .selectFrom('award_rounds')
    .select(pileColumns('id', 'id'))
    .where('status', '=', 'closed')
    .where(within('award_rounds.issuing_unit_id', bodyIds))
    .where(({ exists, selectFrom }) => exists(
      selectFrom('nominations').select(sql`1`.as('one')).whereRef('nominations.round_id', '=', 'award_rounds.id').where('nominations.status', '=', 'approved').where('nominations.decision_id', 'is', null),
    ))
    .executeTakeFirst();
  return pile(row);
}

/**
 * Submitted nominations in the open rounds of the bodies whose committee the member sits on, that the
 * member has not voted on nor stood aside from, and may vote on (not of the member's own unit or a unit above it).
 */
export async function votesNotCast(db: Database, member: { userId: number; committeeBodyIds: readonly number[]; ownUnitAndAbove: readonly number[] }): Promise<Pile> {
  if (member.committeeBodyIds.length === 0) return pile(undefined);
  const row = await db
    .selectFrom('nominations')
    .innerJoin('award_rounds', 'award_rounds.id', 'nominations.round_id')
    .select(pileColumns('nominations.round_id', 'nominations.id'))
    .where('nominations.status', '=', 'submitted')
    .where('award_rounds.status', '=', 'open')
    .where('award_rounds.issuing_unit_id', '=', ids(member.committeeBodyIds))
    .where('nominations.unit_id', '!=', sql<number>`ALL(${sql.val(member.ownUnitAndAbove)}::integer[])`)
    .where(({ not, exists, selectFrom }) => not(exists(
      selectFrom('votes').select(sql`1`.as('one')).whereRef('votes.nomination_id', '=', 'nominations.id').where('votes.member_id', '=', member.userId),
    )))
    .where(({ not, exists, selectFrom }) => not(exists(
      selectFrom('recusals').select(sql`1`.as('one')).whereRef('recusals.nomination_id', '=', 'nominations.id').where('recusals.member_id', '=', member.userId),
    )))
    .executeTakeFirst();
  return pile(row);
}

/** Valid certificates of the bodies given never printed yet. */
export async function certificatesNotPrinted(db: Database, bodyIds: readonly number[] | null): Promise<Pile> {
  const row = await db
    .selectFrom('certificates')
    .innerJoin('decisions', 'decisions.id', 'certificates.decision_id')
    .select(pileColumns('decisions.round_id', 'certificates.decision_id'))
    .where('certificates.status', '=', 'valid')
    .where(within('certificates.issuing_unit_id', bodyIds))
    .where(({ not, exists, selectFrom }) => not(exists(
      selectFrom('print_log').select(sql`1`.as('one')).whereRef('print_log.certificate_id', '=', 'certificates.id'),
    )))
    .executeTakeFirst();
  return pile(row);
}

/**
 * The criteria sets that score the unit (sets of the bodies above it, its kind among theirs, still
 * open) and have no self-assessment sent from it yet: the unit's staff have one to fill.
 */
export async function selfAssessmentsToSend(db: Database, unitId: number, bodyIds: readonly number[], today: string): Promise<Pile> {
  const others = bodyIds.filter((id) => id !== unitId);
  if (others.length === 0) return pile(undefined);
  const row = await db
    .selectFrom('criteria_sets')
    .innerJoin('units as unit', (join) => join.on('unit.id', '=', unitId))
    .select(pileColumns('criteria_sets.id', 'criteria_sets.id'))
    .where('criteria_sets.subject', '=', 'units')
    .where(within('criteria_sets.issuing_unit_id', others))
    .where('unit.valid_to', 'is', null)
    .where(sql<SqlBool>`(cardinality(criteria_sets.unit_kinds) = 0 OR unit.kind = ANY(criteria_sets.unit_kinds))`)
    .where(sql<SqlBool>`(criteria_sets.closes_on IS NULL OR criteria_sets.closes_on >= ${today}::date)`)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('evaluations').select('evaluations.id').whereRef('evaluations.set_id', '=', 'criteria_sets.id').where('evaluations.unit_id', '=', unitId).where('evaluations.self_assessment', '=', true).where('evaluations.status', '=', 'submitted'))),
    )
    .executeTakeFirst();
  return pile(row);
}
