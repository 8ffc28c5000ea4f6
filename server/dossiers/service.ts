// Dossier packages (issue 17): what one nomination, or a whole round, sends to the ministry's
// electronic system, gathered for whoever may take it away, and audited. The service answers the
// domain's records and a reader of the files' bytes; package.ts turns them into the ZIP.
import type { Database } from '../db/database.ts';
import { recordAction } from '../audit/audit.ts';
import type { Caller } from '../auth/caller.ts';
import * as awards from '../awards/repository.ts';
import type { Nomination, Round } from '../awards/repository.ts';
import { annexOrder } from '../awards/service.ts';
import { ConflictError } from '../errors.ts';
import * as policy from './policy.ts';
import { PACKAGED_STATUSES, PACKAGE_LIMITS, type PackageLimits } from './policy.ts';
import * as repository from './repository.ts';

export type CitedModel = Awaited<ReturnType<typeof awards.nominationModels>>[number];
export type DossierFile = Awaited<ReturnType<typeof awards.listFiles>>[number];

/** One nomination as its package shows it: the nominee, the round, the models, the files (their bytes come from `readFile`). */
export interface NominationDossier {
  nomination: Nomination;
  round: Round;
  models: CitedModel[];
  files: DossierFile[];
  /** The lower body that forwarded it, for a nomination forwarded from below. */
  forwardingBody: { id: number; name: string } | null;
}

/** Reads a dossier file's bytes as stored. */
export type FileReader = (fileId: number) => Promise<Buffer>;

/** One nomination's dossier for whoever acts on it; audited as a download (`dossier.download`). */
export async function nominationDossier(db: Database, { caller, nominationId }: { caller: Caller; nominationId: number }): Promise<{ dossier: NominationDossier; readFile: FileReader }> {
  const nomination = await awards.getNomination(db, nominationId, caller); // 404 when out of sight
  policy.enforce(policy.canPackageNomination(caller, nomination));
  const [round, models, files, names] = await Promise.all([
    awards.getRound(db, nomination.round_id, caller),
    awards.nominationModels(db, [nominationId]),
    awards.listFiles(db, [nominationId]),
    repository.unitNames(db, nomination.forwarding_unit_id === null ? [] : [nomination.forwarding_unit_id]),
  ]);
  const dossier = { nomination, round, models, files, forwardingBody: bodyOf(nomination, names) };
  await db.transaction().execute((trx) =>
    recordAction(trx, caller.actor, { action: 'dossier.download', entityType: 'nomination', entityId: nominationId, after: { roundId: round.id, files: files.map((file) => file.id) } }),
  );
  return { dossier, readFile: (fileId) => awards.fileContent(db, fileId) };
}

/**
 * A round's dossiers for whoever manages it: every nomination submitted, returned or approved, in
 * the order of a decision's annex (collectives by name, then individuals by given name). A round
 * over the limits is refused before anything is read (409 package_too_large). Audited as a download.
 */
export async function roundDossier(
  db: Database,
  { caller, roundId, limits = PACKAGE_LIMITS }: { caller: Caller; roundId: number; limits?: PackageLimits },
): Promise<{ round: Round; dossiers: NominationDossier[]; readFile: FileReader }> {
  const round = await awards.getRound(db, roundId, caller); // 404 when out of sight
  policy.enforce(policy.canPackageRound(caller, round));
  const figures = await repository.packageFigures(db, roundId, caller, PACKAGED_STATUSES);
  if (!policy.packageFits(figures, limits)) {
    throw new ConflictError('package_too_large', 'dossiers.packageTooLarge', {
      nominations: figures.nominations, megabytes: Math.ceil(figures.bytes / 1_048_576), maxNominations: limits.maxNominations, maxMegabytes: Math.floor(limits.maxBytes / 1_048_576),
    });
  }
  const { rows } = await awards.listNominations(db, caller, { roundId });
  const nominations = annexOrder(rows.filter((n) => (PACKAGED_STATUSES as readonly string[]).includes(n.status)));
  const ids = nominations.map((n) => n.id);
  const [models, files, names] = await Promise.all([
    awards.nominationModels(db, ids),
    awards.listFiles(db, ids),
    repository.unitNames(db, [...new Set(nominations.flatMap((n) => (n.forwarding_unit_id === null ? [] : [n.forwarding_unit_id])))]),
  ]);
  const dossiers = nominations.map((nomination) => ({
    nomination, round,
    models: models.filter((m) => m.nomination_id === nomination.id),
    files: files.filter((f) => f.nomination_id === nomination.id),
    forwardingBody: bodyOf(nomination, names),
  }));
  await db.transaction().execute((trx) =>
    recordAction(trx, caller.actor, { action: 'dossier.download', entityType: 'award_round', entityId: roundId, after: { nominations: ids, files: files.length } }),
  );
  return { round, dossiers, readFile: (fileId) => awards.fileContent(db, fileId) };
}

function bodyOf(nomination: Nomination, names: Map<number, string>): NominationDossier['forwardingBody'] {
  return nomination.forwarding_unit_id === null ? null : { id: nomination.forwarding_unit_id, name: names.get(nomination.forwarding_unit_id) ?? '' };
}
