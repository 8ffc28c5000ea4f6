// Who is looking at awards, and which records that lets them see. Agency staff see their own
// units' nominations; the committee (secretary, members) and printing staff see the rounds of the
// bodies they serve (their unit and the units above it) and every nomination submitted to them,
// never another unit's drafts. Administrators see everything.
import type { Request } from 'express';
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import type { Actor } from '../audit/audit.ts';
import { scopedUnitIds, unitAndEverythingAbove, type UnitScope } from '../auth/scope.ts';
import type { SessionUser } from '../auth/user.ts';
import type { Language } from '../web/i18n/index.ts';
import { actorOf, currentUser, languageOf, scopeOf } from '../web/request.ts';

export interface AwardViewer {
  user: SessionUser;
  /** The user's unit and the units under it. */
  scope: UnitScope;
  /** The user's unit and the units above it: the issuing bodies whose rounds the user takes part in. */
  servedUnitIds: readonly number[];
  actor: Actor;
  language: Language;
}

const viewers = new WeakMap<Request, Promise<AwardViewer>>();

export function viewerOf(req: Request, db: Database): Promise<AwardViewer> {
  let viewer = viewers.get(req);
  if (!viewer) {
    const user = currentUser(req);
    viewer = Promise.all([scopeOf(req, db), unitAndEverythingAbove(db, user.unitId)]).then(([scope, above]) => ({
      user, scope, servedUnitIds: above, actor: actorOf(req), language: languageOf(req),
    }));
    viewers.set(req, viewer);
  }
  return viewer;
}

const anyOf = (ids: readonly number[]) => sql<number>`ANY(${sql.val(ids)}::integer[])`;

/** The issuing units whose rounds the viewer sees: those it serves and those under it. */
function roundUnitIds(viewer: AwardViewer): readonly number[] | null {
  const scoped = scopedUnitIds(viewer.scope);
  return scoped === null ? null : [...new Set([...viewer.servedUnitIds, ...scoped])];
}

export function roundVisible(eb: ExpressionBuilder<DB, 'award_rounds'>, viewer: AwardViewer): Expression<SqlBool> {
  const ids = roundUnitIds(viewer);
  return ids === null ? sql<boolean>`true` : eb('award_rounds.issuing_unit_id', '=', anyOf(ids));
}

export function canSeeRoundOf(viewer: AwardViewer, issuingUnitId: number): boolean {
  const ids = roundUnitIds(viewer);
  return ids === null || ids.includes(issuingUnitId);
}

/** Needs `award_rounds` joined to the nominations. */
export function nominationVisible(eb: ExpressionBuilder<DB, 'nominations' | 'award_rounds'>, viewer: AwardViewer): Expression<SqlBool> {
  const scoped = scopedUnitIds(viewer.scope);
  if (scoped === null) return sql<boolean>`true`;
  const ownUnits = eb('nominations.unit_id', '=', anyOf(scoped));
  if (viewer.user.role === 'agency') return ownUnits;
  // The committee's scope covers the units under it too, but a unit's draft is its own until submitted.
  return eb.and([eb.or([ownUnits, eb('award_rounds.issuing_unit_id', '=', anyOf(viewer.servedUnitIds))]), eb('nominations.status', '<>', 'draft')]);
}
