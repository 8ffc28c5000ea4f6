// Read models the API, the pages and the certificates share: a nomination with its dossier and the
// votes the caller may see, a decision with its certificates, and the annex as the decision page
// and the print pages show it.
import type { Database } from '../db/database.ts';
import type { Caller } from '../auth/caller.ts';
import { formatDate, formatNumber, translate, type Language } from '../web/i18n/index.ts';
import * as policy from './policy.ts';
import * as repository from './repository.ts';
import { canPrintFor } from '../certificates/policy.ts';
import { bodyName } from '../units/names.ts';

/** What a viewer may see of the votes: every vote for whoever manages the round, else their own. */
export async function visibleVotes(db: Database, viewer: Caller, nomination: { id: number; issuing_unit_id: number }) {
  const votes = await repository.listVotes(db, [nomination.id]);
  return policy.canSeeVotes(viewer, nomination) ? votes : votes.filter((vote) => vote.member_id === viewer.user.id);
}

/** Who stood aside, as the votes: all of them for whoever manages the round, else the viewer's own. */
export async function visibleRecusals(db: Database, viewer: Caller, nomination: { id: number; issuing_unit_id: number }) {
  const recusals = await repository.listRecusals(db, [nomination.id]);
  return policy.canSeeVotes(viewer, nomination) ? recusals : recusals.filter((recusal) => recusal.member_id === viewer.user.id);
}

export async function nominationDetails(db: Database, viewer: Caller, id: number) {
  const nomination = await repository.getNomination(db, id, viewer);
  const [models, files, votes, recusals] = await Promise.all([
    repository.nominationModels(db, [id]), repository.listFiles(db, [id]), visibleVotes(db, viewer, nomination), visibleRecusals(db, viewer, nomination),
  ]);
  return { nomination, models, files, votes, recusals };
}

export async function decisionDetails(db: Database, viewer: Caller, id: number) {
  const decision = await repository.getDecision(db, id, viewer);
  const certificates = await repository.decisionCertificates(db, id, viewer);
  return { decision, certificates };
}

/** The decision and its annex: collectives, then individuals, each in register order. */
export async function annexModel(db: Database, viewer: Caller, id: number, language: Language) {
  const { decision, certificates } = await decisionDetails(db, viewer, id);
  const awardName = language === 'en' ? decision.award_kind_name_en : decision.award_kind_name;
  const issuerName = bodyName(decision.issuing_unit_name, decision.issuing_unit_kind);
  const row = (c: (typeof certificates)[number]) => ({ ...c, registerNumber: formatNumber(c.register_number) });
  const collectives = certificates.filter((c) => c.recipient_kind === 'collective').map(row);
  const individuals = certificates.filter((c) => c.recipient_kind === 'individual').map(row);
  return {
    title: translate(language, 'awards.decision.title', { number: decision.number_text }),
    decision: { ...decision, signedOnText: formatDate(decision.signed_on), issuerName, awardName },
    annexTitle: translate(language, 'awards.decision.annexTitle', { award: awardName.toLocaleUpperCase('vi') }),
    annexSubtitle: translate(language, 'awards.decision.annexSubtitle', { number: decision.number_text, date: formatDate(decision.signed_on), issuer: issuerName }),
    recipients: translate(language, 'awards.decision.recipients', { collectives: formatNumber(collectives.length), individuals: formatNumber(individuals.length) }),
    collectives,
    individuals,
    canPrint: canPrintFor(viewer, decision.issuing_unit_id).allowed,
    printSerialFields: (['blankSerialFrom', 'blankSerialTo'] as const).map((name) => ({ name, label: translate(language, `field.printJob.${name}`) })),
    // What the printing staff have left: valid certificates never printed (a download is not a print).
    printedCount: translate(language, 'certificates.printedCount', {
      printed: formatNumber(certificates.filter((c) => c.status === 'valid' && c.printed).length),
      total: formatNumber(certificates.filter((c) => c.status === 'valid').length),
    }),
    // "Print all" leaves revoked certificates out: the page says how many.
    revokedLeftOut: certificates.some((c) => c.status === 'revoked')
      ? translate(language, 'certificates.revokedLeftOut', { count: formatNumber(certificates.filter((c) => c.status === 'revoked').length) })
      : null,
  };
}

