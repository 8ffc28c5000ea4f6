// The document settings table and the issuing body's unit with the chain above it. Functions take
// the db handle (or trx) first.
import { sql, type Selectable } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DocumentSettingsTable } from '../db/schema.ts';
import type { BodyUnit, DocumentSettings } from './settings.ts';

/** The body's unit and the units above it, nearest first; undefined when there is no such unit. */
export async function findBodyUnit(db: Database, unitId: number): Promise<BodyUnit | undefined> {
  const { rows } = await sql<{ id: number; name: string; kind: BodyUnit['kind']; is_centre: boolean; depth: number }>`
    WITH RECURSIVE chain(id, parent_id, depth) AS (
      SELECT id, parent_id, 0 FROM units WHERE id = ${unitId}::integer
      UNION ALL
      SELECT units.id, units.parent_id, chain.depth + 1 FROM units JOIN chain ON units.id = chain.parent_id WHERE chain.depth < 20
    )
    SELECT units.id, units.name, units.kind, units.is_centre, chain.depth FROM chain JOIN units ON units.id = chain.id ORDER BY chain.depth`.execute(db);
  const [own, ...above] = rows;
  if (!own) return undefined;
  return { id: own.id, name: own.name, kind: own.kind, isCentre: own.is_centre, above: above.map((unit) => ({ name: unit.name, kind: unit.kind })) };
}

export type SettingsRow = Selectable<DocumentSettingsTable>;

export async function findSettings(db: Database, unitId: number): Promise<SettingsRow | undefined> {
  return db.selectFrom('document_settings').selectAll().where('issuing_unit_id', '=', unitId).executeTakeFirst();
}

export function settingsOf(row: SettingsRow): DocumentSettings {
  return {
    placeName: row.place_name, superiorLine: row.superior_line, issuerLines: row.issuer_lines, authorityName: row.authority_name, legalBases: row.legal_bases,
    proposer: row.proposer, rewardClause: row.reward_clause, executors: row.executors, recipients: row.recipients, standingOrgan: row.standing_organ,
    proposalSymbol: row.proposal_symbol, proposalSignerTitle: row.proposal_signer_title, proposalSignerName: row.proposal_signer_name,
    modelSignerTitle: row.model_signer_title, modelSignerName: row.model_signer_name,
  };
}

/** Writes the body's settings whole (insert or replace). */
export async function saveSettings(db: Database, unitId: number, settings: DocumentSettings, userId: number): Promise<void> {
  const values = {
    place_name: settings.placeName, superior_line: settings.superiorLine, issuer_lines: settings.issuerLines, authority_name: settings.authorityName,
    legal_bases: settings.legalBases, proposer: settings.proposer, reward_clause: settings.rewardClause, executors: settings.executors,
    recipients: settings.recipients, standing_organ: settings.standingOrgan, proposal_symbol: settings.proposalSymbol,
    proposal_signer_title: settings.proposalSignerTitle, proposal_signer_name: settings.proposalSignerName,
    model_signer_title: settings.modelSignerTitle, model_signer_name: settings.modelSignerName, updated_by: userId, updated_at: new Date(),
  };
  await db
    .insertInto('document_settings')
    .values({ issuing_unit_id: unitId, ...values })
    .onConflict((conflict) => conflict.column('issuing_unit_id').doUpdateSet(values))
    .execute();
}

/** Takes the row lock of the body's unit, so two saves of its settings take turns. */
export async function lockBodyUnit(db: Database, unitId: number): Promise<boolean> {
  return (await db.selectFrom('units').select('id').where('id', '=', unitId).forUpdate().executeTakeFirst()) !== undefined;
}

/**
 * How many collectives and individuals a decision awards, whoever reads it: its Article 1 says so. A
 * corrected certificate stands in for the one it replaced, which is not counted twice.
 */
export async function decisionCounts(db: Database, decisionId: number): Promise<{ collectives: number; individuals: number }> {
  const rows = await db.selectFrom('certificates').select(['recipient_kind', (eb) => eb.fn.countAll<number>().as('n')]).where('decision_id', '=', decisionId).where('status', '<>', 'replaced').groupBy('recipient_kind').execute();
  const count = (kind: string) => Number(rows.find((row) => row.recipient_kind === kind)?.n ?? 0);
  return { collectives: count('collective'), individuals: count('individual') };
}

/** The rounds above that nominations of this round were sent up to: each has its proposal (`?forwardedTo=`). */
export async function forwardedTargets(db: Database, roundId: number): Promise<{ id: number; title: string }[]> {
  return db
    .selectFrom('nominations as lower')
    .innerJoin('nominations as twin', 'twin.forwarded_from_id', 'lower.id')
    .innerJoin('award_rounds', 'award_rounds.id', 'twin.round_id')
    .select(['award_rounds.id', 'award_rounds.title'])
    .distinct()
    .where('lower.round_id', '=', roundId)
    .orderBy('award_rounds.id')
    .execute();
}
