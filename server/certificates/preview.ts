// Certificates before the decision: the sheets of approved nominations exactly as they will print,
// through the same templates and renderer, with "BẢN XEM TRƯỚC" across each and placeholders where
// the decision puts its numbers (decision, register number, verification code and QR). Nothing is
// written: no number is taken, no certificate made, no print logged.
import type { Caller } from '../auth/caller.ts';
import { enforce } from '../policy.ts';
import { canManageRounds } from '../awards/policy.ts';
import { annexOrder } from '../awards/service.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { todayInVietnam } from '../web/i18n/index.ts';
import * as repository from './repository.ts';
import type { PrintDeps } from './service.ts';
import { renderCertificates } from './rendering/chunks.ts';
import { PLACEHOLDER, type CertificateRecord } from './rendering/sheets.ts';
import type { PrintMode } from './rendering/templates.ts';

/** A preview is for checking, not a batch print: at most this many sheets (the first in annex order). */
export const PREVIEW_LIMIT = 200;

export interface PreviewInput {
  /** The nominations ticked; all the round's approved ones awaiting a decision when left out. */
  nominationIds?: number[];
  /** What the decision form holds so far; placeholders where it is empty. */
  signedOn?: string;
  signerName?: string;
  signerTitle?: string;
  number?: number | string;
  mode: PrintMode;
}

/** The round's secretariat previews the certificates of approved nominations not yet decided; a bad id is a 422 naming it. */
export async function previewCertificates(deps: PrintDeps, viewer: Caller, roundId: number, input: PreviewInput): Promise<{ pdf: Buffer; count: number }> {
  enforce(canManageRounds(viewer));
  const round = await repository.findActingRound(deps.db, viewer, roundId);
  if (!round) throw new NotFoundError();
  const ids = input.nominationIds;
  const nominations = await repository.listPreviewNominations(deps.db, roundId, ids);
  if (ids !== undefined) {
    const stray = ids.filter((id) => !nominations.some((n) => n.id === id));
    if (stray.length > 0) throw new ValidationError([{ field: 'nominationIds', reason: 'not_in_round', key: 'awards.decision.notInRound', params: { ids: stray.join(', ') } }]);
    const notReady = nominations.filter((n) => n.status !== 'approved' || n.decision_id !== null);
    if (notReady.length > 0) throw new ValidationError([{ field: 'nominationIds', reason: 'not_awaiting_decision', key: 'certificates.preview.notAwaiting', params: { names: notReady.map((n) => n.nominee_name).join(', ') } }]);
  }
  if (nominations.length === 0) throw new ValidationError([{ field: 'nominationIds', reason: 'required', key: 'certificates.preview.nothing' }]);

  const signedOn = input.signedOn ?? todayInVietnam();
  const number = input.number === undefined ? `${PLACEHOLDER}/${round.decision_suffix}` : String(input.number).includes('/') ? String(input.number) : `${input.number}/${round.decision_suffix}`;
  const records: CertificateRecord[] = annexOrder(nominations).slice(0, PREVIEW_LIMIT).map((n) => ({
    id: 0, decision_id: 0, nomination_id: n.id, register_number: 0, year: Number(signedOn.slice(0, 4)), recipient_kind: n.nominee_kind, recipient_name: n.nominee_name,
    verification_code: '', status: 'valid', copy_number: 0, position: n.position, gender: n.gender, achievement: n.achievement, nominee_unit_name: n.unit_name,
    decision_number: number, signed_on: signedOn, signer_name: input.signerName ?? PLACEHOLDER, signer_title: input.signerTitle ?? PLACEHOLDER,
    issuer_name: round.issuer_name, issuer_kind: round.issuer_kind, award_kind: round.award_kind, award_name: round.award_name, template: round.template,
    round_id: round.id, issuing_unit_id: round.issuing_unit_id, preview: true,
  }));
  const pdf = await renderCertificates(deps, records, await repository.layoutFor(deps.db, round.template, input.mode));
  return { pdf, count: records.length };
}
