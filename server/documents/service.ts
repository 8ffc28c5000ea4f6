// The committee's official documents: an issuing body's document settings (read with its defaults,
// replaced whole in one audited transaction), and the facts each document is written from: a
// decision with its annex as the viewer may see it, a closed round's proposal over its approved
// nominations (or over those it sent up to a round above). official.ts writes the words.
import type { Database } from '../db/database.ts';
import { recordAction } from '../audit/audit.ts';
import type { Caller } from '../auth/caller.ts';
import { decisionDetails } from '../awards/queries.ts';
import * as awards from '../awards/repository.ts';
import * as awardPolicy from '../awards/policy.ts';
import { annexOrder } from '../awards/service.ts';
import { NotFoundError, unknownReference, ValidationError } from '../errors.ts';
import { todayInVietnam } from '../web/i18n/index.ts';
import type { DecisionFacts, Listed } from './official.ts';
import * as policy from './policy.ts';
import * as repository from './repository.ts';
import { defaultSettings, type DocumentSettings } from './settings.ts';

/** The body's settings as its documents use them: its own row, else the defaults of its unit. */
export async function effectiveSettings(db: Database, unitId: number): Promise<{ settings: DocumentSettings; customised: boolean }> {
  const row = await repository.findSettings(db, unitId);
  const defaults = async () => {
    const body = await repository.findBodyUnit(db, unitId);
    if (!body) throw new NotFoundError();
    return defaultSettings(body);
  };
  if (!row) return { settings: await defaults(), customised: false };
  const settings = repository.settingsOf(row);
  // A row saved before sql/0036 has no model certificate signer: the body's default stands in.
  if (!settings.modelSignerTitle) settings.modelSignerTitle = (await defaults()).modelSignerTitle;
  return { settings, customised: true };
}

interface SettingsAction {
  caller: Caller;
  unitId: number;
}

/** A body's document settings, for its secretariat. */
export async function getDocumentSettings(db: Database, { caller, unitId }: SettingsAction) {
  policy.enforce(policy.canKeepDocumentSettings(caller, unitId));
  return effectiveSettings(db, unitId);
}

/** Replaces a body's document settings whole; audited with what they were before. */
export async function updateDocumentSettings(db: Database, { caller, unitId, settings }: SettingsAction & { settings: DocumentSettings }) {
  policy.enforce(policy.canKeepDocumentSettings(caller, unitId));
  return db.transaction().execute(async (trx) => {
    if (!(await repository.lockBodyUnit(trx, unitId))) throw new NotFoundError();
    const before = await effectiveSettings(trx, unitId);
    await repository.saveSettings(trx, unitId, settings, caller.user.id);
    await recordAction(trx, caller.actor, {
      action: 'document_settings.update', entityType: 'unit', entityId: unitId,
      before: before.customised ? before.settings : null, after: settings,
    });
    return { settings, customised: true };
  });
}

const listedOf = (rows: readonly { kind: 'collective' | 'individual'; name: string; position: string | null; unitName: string }[]): Listed[] => rows.map((row) => ({ ...row }));

/** A decision the viewer sees, with the issuing body's settings and the annex's rows the viewer may read (as the annex page). */
export async function decisionFacts(db: Database, viewer: Caller, decisionId: number) {
  const { decision, certificates } = await decisionDetails(db, viewer, decisionId);
  const round = await awards.getRound(db, decision.round_id, viewer);
  const { settings } = await effectiveSettings(db, decision.issuing_unit_id);
  const facts: DecisionFacts = {
    numberText: decision.number_text, signedOn: decision.signed_on, signerName: decision.signer_name, signerTitle: decision.signer_title,
    awardName: decision.award_kind_name, year: round.year,
  };
  // Certificates were numbered in the annex's order when the decision was issued: register order is that order.
  const listed = listedOf(certificates.map((c) => ({ kind: c.recipient_kind, name: c.recipient_name, position: c.position, unitName: c.unit_name })));
  return { decision, facts, settings, listed, counts: await repository.decisionCounts(db, decisionId) };
}

/**
 * A closed round's proposal, for its secretariat: the approved nominations in the annex's order and
 * the committee's figures; with `forwardedTo`, only those sent up to that round, addressed to its body.
 */
export async function proposalFacts(db: Database, viewer: Caller, roundId: number, forwardedTo?: number) {
  const round = await awards.getRound(db, roundId, viewer);
  awardPolicy.enforce(awardPolicy.canManageRound(viewer, round));
  awardPolicy.enforce(awardPolicy.roundClosed(round));
  const { rows } = await awards.listNominations(db, viewer, { roundId });
  let approved = rows.filter((n) => n.status === 'approved');
  const { settings } = await effectiveSettings(db, round.issuing_unit_id);
  let addressee = settings.authorityName;
  let awardName = round.award_kind_name;
  if (forwardedTo !== undefined) {
    const upper = await awards.getRound(db, forwardedTo, viewer).catch((error: unknown) => {
      if (error instanceof NotFoundError) throw new ValidationError([unknownReference('forwardedTo', 'field.documents.forwardedTo')]);
      throw error;
    });
    approved = approved.filter((n) => n.upper_round_id === upper.id);
    if (approved.length === 0) throw new ValidationError([unknownReference('forwardedTo', 'field.documents.forwardedTo')]);
    addressee = (await effectiveSettings(db, upper.issuing_unit_id)).settings.authorityName;
    awardName = upper.award_kind_name;
  }
  const members = await awards.committeeMembers(db, round.issuing_unit_id);
  const ordered = annexOrder(approved);
  return {
    round,
    settings,
    listed: listedOf(ordered.map((n) => ({ kind: n.nominee_kind, name: n.nominee_name, position: n.position, unitName: n.unit_name }))),
    figures: {
      roundTitle: round.title, awardName, year: round.year, addresseeName: addressee,
      closedOn: round.closed_at ? todayInVietnam(round.closed_at) : null,
      members: members.length,
      considered: rows.filter((n) => n.status === 'approved' || n.status === 'rejected').length,
      approved: rows.filter((n) => n.status === 'approved').length,
      rejected: rows.filter((n) => n.status === 'rejected').length,
    },
  };
}
