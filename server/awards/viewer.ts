// Who is looking at awards, and which records that lets them see or act on. Everyone sees the rounds
// of the bodies above their unit (to take part in them) and of the bodies in their scope. Acting for
// an issuing body (managing its rounds, deciding, printing) needs the body inside the viewer's own
// scope: its unit or one under it, never one above. A nomination is read by its own units, by whoever
// acts for its body, and by the body's committee, never another unit's draft. Administrators see everything.
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Caller } from '../auth/caller.ts';
import { scopedUnitIds, scopeIncludes } from '../auth/scope.ts';

const anyOf = (ids: readonly number[]) => sql<number>`ANY(${sql.val(ids)}::integer[])`;

/** The issuing units whose rounds the viewer sees: those it serves and those under it. */
function roundUnitIds(viewer: Caller): readonly number[] | null {
  const scoped = scopedUnitIds(viewer.scope);
  return scoped === null ? null : [...new Set([...viewer.servedUnitIds, ...scoped])];
}

export function roundVisible(eb: ExpressionBuilder<DB, 'award_rounds'>, viewer: Caller): Expression<SqlBool> {
  const ids = roundUnitIds(viewer);
  return ids === null ? sql<boolean>`true` : eb('award_rounds.issuing_unit_id', '=', anyOf(ids));
}

/** The one rule for acting in an issuing body's name: the body is the viewer's unit or under it. */
export function actsFor(viewer: Caller, issuingUnitId: number): boolean {
  return scopeIncludes(viewer.scope, issuingUnitId);
}

/** `actsFor` as SQL over an issuing unit column (a constant of the code, never user input). */
export function actingFor(viewer: Caller, issuingUnitColumn: 'award_rounds.issuing_unit_id' | 'certificates.issuing_unit_id'): Expression<SqlBool> {
  const scoped = scopedUnitIds(viewer.scope);
  return scoped === null ? sql<boolean>`true` : sql<boolean>`${sql.ref(issuingUnitColumn)} = ${anyOf(scoped)}`;
}

/** A member sits on the committee of the bodies at or above their unit (the body's subtree holds the member). */
function onCommitteeOf(viewer: Caller): readonly number[] {
  return viewer.user.role === 'member' ? viewer.servedUnitIds : [];
}

/** Needs `award_rounds` joined to the nominations. */
export function nominationVisible(eb: ExpressionBuilder<DB, 'nominations' | 'award_rounds'>, viewer: Caller): Expression<SqlBool> {
  const scoped = scopedUnitIds(viewer.scope);
  if (scoped === null) return sql<boolean>`true`;
  const ownUnits = eb('nominations.unit_id', '=', anyOf(scoped));
  if (viewer.user.role === 'agency') return ownUnits;
  // Beyond its own units, a viewer reads what was submitted to a body it acts for or sits on the
  // committee of; a unit's draft is its own until submitted.
  const bodies = [...scoped, ...onCommitteeOf(viewer)];
  return eb.and([eb.or([ownUnits, eb('award_rounds.issuing_unit_id', '=', anyOf(bodies))]), eb('nominations.status', '<>', 'draft')]);
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
