// All SQL of dossier packages: how big a round's package would be (counted before anything is read),
// and the names of the bodies that forwarded nominations. The nominations, models and files
// themselves are read through awards/repository.ts, with its visibility rules.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Caller } from '../auth/caller.ts';
import { anyOf, nominationVisible } from '../awards/repository.ts';
import type { NominationStatus } from '../awards/status.ts';

/** The nominations of the round the viewer sees in the given statuses, and the bytes of their dossier files. */
export async function packageFigures(db: Database, roundId: number, viewer: Caller, statuses: readonly NominationStatus[]): Promise<{ nominations: number; bytes: number }> {
  const row = await db
    .selectFrom('nominations')
    .innerJoin('award_rounds', 'award_rounds.id', 'nominations.round_id')
    .select((eb) => [
      eb.fn.countAll<number>().as('nominations'),
      sql<number>`COALESCE(SUM((SELECT COALESCE(SUM(f.size_bytes), 0) FROM nomination_files f WHERE f.nomination_id = nominations.id)), 0)`.as('bytes'),
    ])
    .where('nominations.round_id', '=', roundId)
    .where('nominations.status', 'in', [...statuses])
    .where((eb) => nominationVisible(eb, viewer))
    .executeTakeFirstOrThrow();
  return { nominations: Number(row.nominations), bytes: Number(row.bytes) };
}

/** Unit names by id (the bodies that forwarded nominations); a name is public, scoping is the caller's. */
export async function unitNames(db: Database, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('units').select(['id', 'name']).where('id', '=', anyOf(ids)).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}
