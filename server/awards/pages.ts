// The awards pages: rounds and their review queue, nomination forms with the dossier, votes,
// closing, decisions with their annex, and the public list of nominees. Thin: each POST is
// validate -> one service call -> redirect, through submitForm.
import { signingStatus } from '../signatures/service.ts';
import { signingPanel } from '../signatures/present.ts';
import { Router, type Request } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin, requireRole } from '../auth/guards.ts';
import { scopedUnitIds } from '../auth/scope.ts';
import { unitPickers, type UnitPickerSpec } from '../units/picker.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import { statusOf, translateProblems } from '../web/errors.ts';
import { submitForm } from '../web/forms.ts';
import { formatDate, formatDateTime, formatNumber, todayInVietnam, translate, type Language } from '../web/i18n/index.ts';
import { callerOf, languageOf, takeFlash } from '../web/request.ts';
import Joi from 'joi';
import { noAttachmentProblem, uploadedFileName, uploadRoute } from '../web/upload.ts';
import { idParams, validate } from '../web/validate.ts';
import { decodeCursor, encodeCursor } from '../web/pagination.ts';
import { DEFAULT_PAGE_SIZE, pagerView } from '../web/pager.ts';
import { MAX_DOSSIER_BYTES } from './dossier.ts';
import { committee, dossierKeepers, fileParams, nominators, receiveDossier, sendDossierFile } from './http.ts';
import * as policy from './policy.ts';
import { canKeepCommittee } from '../committees/policy.ts';
import { canPackageNomination, canPackageRound } from '../dossiers/policy.ts';
import { nominationJson, roundJson } from './present.ts';
import * as repository from './repository.ts';
import { annexModel, nominationDetails } from './queries.ts';
import { APPROVAL_CHOICES, QUORUM_CHOICES } from './rule.ts';
import { bulkVoteSchema, closeFormSchema, decisionFormSchema, ownNominationsSchema, DOSSIER_KINDS, dossierSchema, forwardManySchema, forwardSchema, nominationSchema, recusalSchema, reopenSchema, returnSchema, roundPageSchema, roundSchema, roundsPageSchema, voteSchema, type NominationInput } from './schemas.ts';
import { forwardNominations, roundsToForwardTo } from './forwarding.ts';
import * as service from './service.ts';
import { annexOrder } from './service.ts';
import { forwardedTargets } from '../documents/repository.ts';
import { GENDERS, NOMINEE_KINDS, NOMINATION_STATUSES, VOTES, type NominationStatus } from './status.ts';
import type { Caller } from '../auth/caller.ts';
import { bodyName } from '../units/names.ts';

/** A form that sends nothing but its CSRF token (submitting a dossier). */
const emptyForm = Joi.object({});
/** Rows of a tab on the round page, as the API's default page. */
const ROUND_PAGE_SIZE = 50;
/**
 * The forward form lists at most this many approved nominations not yet sent up, oldest first, with a
 * note of how many there are. A secretary ticks and checks them by name, so a longer list helps no one;
 * once sent, they leave the list and the next ones appear, so the list drains as a work queue, which
 * suits the job better than paging a form (ticks on one page would be lost turning to the next).
 */
const FORWARD_LIST_SIZE = 200;
const isPositive = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;

/** Rounds are issued, and nominations made, by units in force; an ended one is refused by the service with its successor named. */
const ROUND_PICKERS: UnitPickerSpec[] = [{ name: 'issuingUnitId', label: 'field.award.issuingUnitId', includeEnded: false }];
const NOMINATION_PICKERS: UnitPickerSpec[] = [{ name: 'unitId', label: 'field.award.unitId', includeEnded: false }];

const voteOptions = (language: Language) => VOTES.map((value) => ({ value, label: translate(language, `vote.${value}`) }));

/** The round's voting rule in words, for its page and its proposal (tờ trình). */
export function ruleText(language: Language, round: repository.Round): string {
  const { votingRule } = roundJson(round, language);
  const quorum = votingRule.quorum ? translate(language, `awards.quorum.${votingRule.quorum}`) : `${round.quorum_num}/${round.quorum_den}`;
  const approval = votingRule.approval ? translate(language, `awards.approval.${votingRule.approval}`) : `${round.approval_num}/${round.approval_den}`;
  return translate(language, 'awards.round.ruleText', { quorum, approval });
}

export function awardPages(db: Database): Router {
  const router = Router();

  router.get('/awards', requireLogin, async (req, res) => {
    const viewer = await callerOf(req, db);
    const language = languageOf(req);
    const { page = 1, size } = validate(roundsPageSchema, req.query, { form: true });
    const { rows, total } = await repository.listRounds(db, viewer, {}, { offset: (page - 1) * size, limit: size });
    const pages = Math.max(1, Math.ceil(total / size));
    res.render('awards/index', {
      title: translate(languageOf(req), 'awards.title'),
      rounds: rows.map((round) => ({ ...roundJson(round, languageOf(req)), submittedCount: formatNumber(Number(round.submitted_count ?? 0)) })),
      canCreate: policy.canManageRounds(viewer).allowed,
      mineHref: viewer.user.role === 'agency' ? '/nominations' : null,
      total: formatNumber(total),
      pager: pagerView({ language, page, pages, hasNext: page < pages, size, link: (n, rowsPerPage) => `/awards?${rowsPerPage === DEFAULT_PAGE_SIZE ? '' : `size=${rowsPerPage}&`}page=${n}` }),
      flash: takeFlash(req),
    });
  });

  // "Hồ sơ của tôi": an agency's dossiers in every round, newest first, by status and year, with where each stands.
  router.get('/nominations', requireRole('agency', 'admin'), async (req, res) => {
    const viewer = await callerOf(req, db);
    const language = languageOf(req);
    const { status, year, cursor } = validate(ownNominationsSchema, req.query, { form: true, labels: 'award' });
    const afterId = decodeCursor(cursor, isPositive);
    const filter = { status, year };
    const { rows: fetched, total } = await repository.listNominations(db, viewer, filter, { afterId, limit: ROUND_PAGE_SIZE + 1, newestFirst: true });
    const rows = fetched.slice(0, ROUND_PAGE_SIZE);
    const shownBefore = afterId === undefined ? 0 : total - (await repository.countNominationsThrough(db, viewer, filter, afterId)) + 1;
    const found = await repository.countNominationsByStatus(db, viewer, { year });
    const link = (params: Record<string, string | number | undefined>) => {
      const query = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '').map(([key, value]) => [key, String(value)])).toString();
      return `/nominations${query ? `?${query}` : ''}`;
    };
    const all = Object.values(found).reduce((a, b) => a + (b ?? 0), 0);
    res.render('awards/mine', {
      title: translate(language, 'awards.mine.title'),
      nominations: rows.map((n) => ({ ...nominationJson(n), updated: formatDateTime(n.updated_at) })),
      year,
      years: await repository.nominationYears(db, viewer),
      status: status ?? '',
      tabs: [{ href: link({ year }), label: translate(language, 'common.total', { count: formatNumber(all) }), current: !status }].concat(
        NOMINATION_STATUSES.filter((s) => (found[s] ?? 0) > 0).map((s) => ({ href: link({ status: s, year }), label: `${translate(language, `nominationStatus.${s}`)} (${formatNumber(found[s]!)})`, current: s === status })),
      ),
      showing: rows.length > 0 ? translate(language, 'awards.round.showing', { from: formatNumber(shownBefore + 1), to: formatNumber(shownBefore + rows.length), total: formatNumber(total) }) : null,
      firstPage: afterId !== undefined ? link({ status, year }) : null,
      nextPage: fetched.length > ROUND_PAGE_SIZE ? link({ status, year, cursor: encodeCursor(rows[rows.length - 1]!.id) }) : null,
    });
  });

  const roundForm = async (req: Request, viewer: Caller, values: Record<string, unknown>) => {
    const kinds = await repository.listAwardKinds(db);
    return {
      title: translate(languageOf(req), 'awards.newRound'),
      kinds: kinds.map((kind) => ({ value: kind.code, label: languageOf(req) === 'en' ? kind.name_en : kind.name })),
      ...(await unitPickers(db, viewer.scope, languageOf(req), ROUND_PICKERS).views(values)),
      quorums: Object.keys(QUORUM_CHOICES).map((key) => ({ value: key, label: translate(languageOf(req), `awards.quorum.${key as keyof typeof QUORUM_CHOICES}`) })),
      approvals: Object.keys(APPROVAL_CHOICES).map((key) => ({ value: key, label: translate(languageOf(req), `awards.approval.${key as keyof typeof APPROVAL_CHOICES}`) })),
    };
  };

  router.get('/awards/new', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const values = { year: String(new Date().getFullYear()), awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId: String(viewer.user.unitId), quorum: '2/3', approval: 'more_than_half', decisionSuffix: 'QĐ-UBND' };
    res.render('awards/round-form', { ...(await roundForm(req, viewer, values)), values });
  });

  router.post('/awards', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    await submitForm({
      req, res, schema: roundSchema, view: 'awards/round-form', labels: 'award',
      prepare: unitPickers(db, viewer.scope, languageOf(req), ROUND_PICKERS).prepare,
      viewModel: (values) => roundForm(req, viewer, values),
      action: async (input) => {
        const round = await service.createRound(db, viewer, input);
        return { redirectTo: `/awards/${round.id}`, flash: translate(languageOf(req), 'awards.roundCreated', { title: round.title }) };
      },
    });
  });

  /**
   * The round page: the review queue, one page of a tab at a time (the API's cursor on the id), the
   * committee, closing, decisions, and sending approved ones up. Nothing here loads the whole round:
   * the tabs come from one count by status, the rest from small queries.
   */
  async function roundPage(req: Request, viewer: Caller, id: number, tab: { status?: NominationStatus; cursor?: string } = {}) {
    const language = languageOf(req);
    const { status, cursor } = tab;
    const afterId = decodeCursor(cursor, isPositive);
    const round = await repository.getRound(db, id, viewer);
    const filter = { roundId: id, status };
    const { rows: fetched, total: shown } = await repository.listNominations(db, viewer, filter, { afterId, limit: ROUND_PAGE_SIZE + 1 });
    const rows = fetched.slice(0, ROUND_PAGE_SIZE);
    const before = afterId === undefined ? 0 : await repository.countNominationsThrough(db, viewer, filter, afterId);
    const votes = await repository.listVotes(db, rows.map((n) => n.id));
    const members = await repository.committeeMembers(db, round.issuing_unit_id);
    const isMember = viewer.user.role === 'member';
    const seeAllVotes = policy.canSeeTally(viewer, round);
    const manage = policy.canManageRound(viewer, round).allowed;
    const found = await repository.countNominationsByStatus(db, viewer, { roundId: id });
    const counts = Object.fromEntries(NOMINATION_STATUSES.map((s) => [s, found[s] ?? 0])) as Record<NominationStatus, number>;
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    // Whether a nomination may go up depends only on managing the round and its status (policy.canForward).
    const forwardable = manage && policy.canForward(viewer, { status: 'approved', issuing_unit_id: round.issuing_unit_id }).allowed && counts.approved > 0
      ? await repository.nominationsToForward(db, viewer, id, FORWARD_LIST_SIZE)
      : { rows: [], total: 0 };
    const targets = forwardable.total > 0 ? await roundsToForwardTo(db, round.issuing_unit_id) : [];
    const decisionsOf = await repository.listDecisions(db, id);
    const committed = manage && policy.roundClosed(round).allowed ? await repository.roundCommitted(db, id) : undefined;
    // A member votes on several at once from here: ticks beside the submitted ones the member may vote on
    // (not their own unit's, not one they stood aside from); castVotes checks each again.
    const bulkVoting = isMember && policy.roundOpen(round).allowed && viewer.committeeBodyIds.includes(round.issuing_unit_id);
    const stoodAside = bulkVoting ? new Set((await repository.listRecusals(db, rows.map((n) => n.id))).filter((r) => r.member_id === viewer.user.id).map((r) => r.nomination_id)) : new Set<number>();
    const voteable = (n: (typeof rows)[number]) => bulkVoting && n.status === 'submitted' && !viewer.servedUnitIds.includes(n.unit_id) && !stoodAside.has(n.id);
    const link = (params: [string, string][]) => {
      const query = new URLSearchParams([...(status ? [['status', status] as [string, string]] : []), ...params]).toString();
      return `/awards/${round.id}${query ? `?${query}` : ''}`;
    };
    return {
      title: round.title,
      round: { ...roundJson(round, language), issuingUnitName: bodyName(round.issuing_unit_name, round.issuing_unit_kind), ruleText: ruleText(language, round) },
      nominations: rows.map((n) => {
        const own = votes.filter((v) => v.nomination_id === n.id);
        return {
          ...nominationJson(n),
          voteSummary: seeAllVotes ? translate(language, 'awards.voteSummary', { approvals: own.filter((v) => v.vote === 'approve').length, rejections: own.filter((v) => v.vote === 'reject').length }) : null,
          myVote: isMember ? own.find((v) => v.member_id === viewer.user.id)?.vote ?? null : null,
          voteable: voteable(n),
        };
      }),
      bulkVote: rows.some(voteable) ? { options: voteOptions(language) } : null,
      showing: rows.length > 0 ? translate(language, 'awards.round.showing', { from: formatNumber(before + 1), to: formatNumber(before + rows.length), total: formatNumber(shown) }) : null,
      firstPage: afterId !== undefined ? link([]) : null,
      nextPage: fetched.length > ROUND_PAGE_SIZE ? link([['cursor', encodeCursor(rows[rows.length - 1]!.id)]]) : null,
      tabs: [{ value: '', label: translate(language, 'common.total', { count: formatNumber(total) }), current: !status }].concat(
        NOMINATION_STATUSES.filter((s) => counts[s] > 0).map((s) => ({ value: s, label: `${translate(language, `nominationStatus.${s}`)} (${formatNumber(counts[s])})`, current: s === status })),
      ),
      committeeSize: translate(language, 'awards.round.committee', { count: members.length }),
      committeeHref: canKeepCommittee(viewer, round.issuing_unit_id).allowed ? `/committees/${round.issuing_unit_id}` : null,
      decisions: decisionsOf.map((d) => ({ ...d, certificate_count: formatNumber(Number(d.certificate_count ?? 0)) })),
      isMember,
      showVotes: seeAllVotes,
      canNominate: policy.canNominate(viewer).allowed && policy.roundAccepts(round).allowed,
      canManage: manage,
      packageHref: canPackageRound(viewer, round).allowed && total > 0 ? `/awards/${round.id}/dossier.zip` : null,
      proposalHref: manage && policy.roundClosed(round).allowed && counts.approved > 0 ? `/awards/${round.id}/proposal.docx` : null,
      forwardedProposals: committed?.forwarded
        ? (await forwardedTargets(db, id)).map((r) => ({ href: `/awards/${round.id}/proposal.docx?forwardedTo=${r.id}`, label: translate(language, 'documents.proposalForwardedDocx', { title: r.title }) }))
        : [],
      canClose: manage && policy.roundOpen(round).allowed,
      closesEarly: todayInVietnam() <= round.closes_on,
      canReopen: manage && policy.roundClosed(round).allowed && decisionsOf.length === 0 && !committed?.forwarded,
      canPublish: manage && policy.canPublish(round).allowed,
      // Only while an approved nomination awaits its decision: once every one is in a decision, nothing is left to issue.
      canDecide: manage && policy.roundClosed(round).allowed && committed?.awaitingDecision === true,
      forward: forwardable.total > 0
        ? {
            candidates: forwardable.rows.map((n) => ({ value: String(n.id), label: `${n.nominee_name} (${n.unit_name})` })),
            more: forwardable.total > forwardable.rows.length
              ? translate(language, 'awards.forward.more', { shown: formatNumber(forwardable.rows.length), total: formatNumber(forwardable.total) })
              : null,
            targets: targets.map((r) => ({ value: String(r.id), label: `${r.title} (${r.issuing_unit_name}, ${translate(language, 'awards.forward.closesOn', { date: formatDate(r.closes_on) })})` })),
          }
        : null,
    };
  }

  router.get('/awards/:id', requireLogin, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const { status, cursor } = validate(roundPageSchema, req.query, { form: true, labels: 'award' });
    res.render('awards/round', { ...(await roundPage(req, viewer, id, { status, cursor })), values: {}, flash: takeFlash(req) });
  });

  router.post('/awards/:id/forward', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    await submitForm({
      req, res, schema: forwardManySchema, view: 'awards/round', labels: 'award',
      viewModel: () => roundPage(req, viewer, id),
      action: async ({ roundId, nominationIds }) => {
        const { twins } = await forwardNominations(db, { caller: viewer, roundId, nominationIds, fromRoundId: id });
        return { redirectTo: `/awards/${id}`, flash: translate(languageOf(req), 'awards.forwarded', { count: twins.length, title: twins[0]!.round_title }) };
      },
    });
  });

  router.post('/awards/:id/close', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    await submitForm({
      req, res, schema: closeFormSchema, view: 'awards/round', labels: 'award',
      viewModel: () => roundPage(req, viewer, id),
      action: async ({ early, reason }) => {
        const { outcomes } = await service.closeRound(db, viewer, id, { early, reason });
        const flash = translate(languageOf(req), 'awards.roundClosedFlash', {
          approved: outcomes.filter((o) => o.status === 'approved').length,
          rejected: outcomes.filter((o) => o.status === 'rejected').length,
        });
        return { redirectTo: `/awards/${id}`, flash };
      },
    });
  });

  router.post('/awards/:id/reopen', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    await submitForm({
      req, res, schema: reopenSchema, view: 'awards/round', labels: 'award',
      viewModel: () => roundPage(req, viewer, id),
      action: async (input) => {
        await service.reopenRound(db, viewer, id, input);
        return { redirectTo: `/awards/${id}`, flash: translate(languageOf(req), 'awards.roundReopened') };
      },
    });
  });

  router.post('/awards/:id/publish', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    await service.publishRound(db, viewer, id);
    req.session.flash = translate(languageOf(req), 'awards.roundPublished');
    res.redirect(303, `/awards/${id}`);
  });

  /** The nomination form's option lists: the caller's units and the models they registered. */
  const nominationForm = async (req: Request, viewer: Caller, round: repository.Round, extra: Record<string, unknown>, values: Record<string, unknown>) => {
    const models = await repository.modelChoices(db, scopedUnitIds(viewer.scope), round.year - 4);
    return {
      round: roundJson(round, languageOf(req)),
      ...(await unitPickers(db, viewer.scope, languageOf(req), NOMINATION_PICKERS).views(values)),
      kinds: NOMINEE_KINDS.map((k) => ({ value: k, label: translate(languageOf(req), `nomineeKind.${k}`) })),
      genders: GENDERS.map((g) => ({ value: g, label: translate(languageOf(req), `gender.${g}`) })),
      models: models.map((m) => ({ value: String(m.id), label: `${m.code} · ${m.title} (${m.year})` })),
      ...extra,
    };
  };

  router.get('/awards/:id/nominations/new', nominators, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const round = await repository.getRound(db, id, viewer);
    policy.enforce(policy.roundAccepts(round));
    const values = { nomineeKind: 'individual', unitId: String(viewer.user.unitId), modelIds: [] };
    res.render('awards/nomination-form', { ...(await nominationForm(req, viewer, round, { title: translate(languageOf(req), 'awards.newNomination'), action: `/awards/${id}/nominations` }, values)), values });
  });

  router.post('/awards/:id/nominations', nominators, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const round = await repository.getRound(db, id, viewer);
    await submitForm({
      req, res, schema: nominationSchema, view: 'awards/nomination-form', labels: 'award',
      prepare: unitPickers(db, viewer.scope, languageOf(req), NOMINATION_PICKERS).prepare,
      viewModel: (values) => nominationForm(req, viewer, round, { title: translate(languageOf(req), 'awards.newNomination'), action: `/awards/${id}/nominations` }, values),
      action: async (input) => {
        const nomination = await service.createNomination(db, viewer, { ...input, roundId: id });
        return { redirectTo: `/nominations/${nomination.id}`, flash: translate(languageOf(req), 'awards.nominationCreated', { name: nomination.nominee_name }) };
      },
    });
  });

  /** The nomination page: the dossier and cited models on one page, with what the viewer may do next. */
  async function nominationPage(req: Request, viewer: Caller, id: number) {
    const { nomination, models, files, votes, recusals } = await nominationDetails(db, viewer, id);
    const round = await repository.getRound(db, nomination.round_id, viewer);
    const status = nomination.status;
    const nominatingUnits = await repository.nominatingUnits(db, nomination.unit_id);
    const myRecusal = recusals.find((r) => r.member_id === viewer.user.id);
    const vote = policy.canVote(viewer, { status, round, onCommittee: viewer.committeeBodyIds.includes(round.issuing_unit_id), nominatingUnitIds: nominatingUnits });
    const editable = policy.canEdit(viewer, nomination).allowed;
    const myVote = votes.find((v) => v.member_id === viewer.user.id);
    const checklist = await repository.dossierChecklist(db, id);
    const missing = service.missingDocuments(checklist);
    const decision = nomination.decision_id ? await repository.getDecision(db, nomination.decision_id, viewer).catch(() => undefined) : undefined;
    const language = languageOf(req);
    // Across levels: where it went (and how it fares there), or where it came from; and sending it up.
    const forwardable = nomination.forwarded_to_id === null && policy.canForward(viewer, nomination).allowed;
    const lowerKeeper = nomination.forwarding_unit_id !== null && policy.canManageRound(viewer, { issuing_unit_id: nomination.forwarding_unit_id }).allowed;
    const sendAgain = nomination.forwarded_to_id !== null && nomination.upper_status === 'returned' && policy.canManageRound(viewer, round).allowed
      ? { lowerId: nomination.id, roundId: nomination.upper_round_id }
      : nomination.forwarded_from_id !== null && status === 'returned' && editable ? { lowerId: nomination.forwarded_from_id, roundId: round.id } : null;
    return {
      title: nomination.nominee_name,
      nomination: nominationJson(nomination),
      round: roundJson(round, languageOf(req)),
      models: models.map((model) => ({ ...model, evaluationAverage: model.evaluation_average === null ? null : Number(model.evaluation_average), evaluationScale: Number(model.evaluation_scale) })),
      files: files.map((f) => ({ ...f, size: `${formatNumber(Math.max(1, Math.round(f.size_bytes / 1024)))} KB` })),
      // The committee's votes are listed for whoever may see them all; a member's own vote shows in its form below.
      votes: policy.canSeeVotes(viewer, round) ? votes : [],
      tally: nomination.decided_at ? translate(languageOf(req), 'awards.tally', { approvals: nomination.approvals, rejections: nomination.rejections, eligible: nomination.eligible_voters }) : null,
      decision: decision ? { id: decision.id, number: decision.number_text } : null,
      dossierKinds: DOSSIER_KINDS.map((k) => ({ value: k, label: translate(languageOf(req), `dossierKind.${k}`) })),
      dossierHint: translate(languageOf(req), 'awards.dossierHint', { megabytes: MAX_DOSSIER_BYTES / 1024 / 1024 }),
      editable,
      // A forwarded one goes back up with "send again", which records both sides.
      canSubmit: editable && policy.roundAccepts(round).allowed && nomination.forwarded_from_id === null,
      // The award kind's checklist, ticked, for whoever keeps the dossier while it can change.
      checklist: editable && checklist.required.length > 0
        ? {
            items: checklist.required.map((kind) => ({ kind, label: translate(languageOf(req), `dossierKind.${kind}`), present: !missing.includes(kind) })),
            summary: missing.length === 0 ? translate(languageOf(req), 'awards.checklist.ready') : translate(languageOf(req), 'awards.checklist.notReady', { count: missing.length }),
          }
        : null,
      canReturn: policy.canManageRound(viewer, round).allowed && status === 'submitted' && policy.roundOpen(round).allowed,
      canVote: vote.allowed && !myRecusal,
      // Standing aside is offered with the vote; the secretariat sees everyone who stood aside and why.
      canRecuse: vote.allowed && !myRecusal,
      myRecusal: myRecusal ? translate(languageOf(req), 'awards.recusal.yours', { reason: myRecusal.reason }) : null,
      recusals: policy.canSeeVotes(viewer, round) ? recusals : [],
      voteRefusal: viewer.user.role === 'member' && !vote.allowed ? translate(languageOf(req), vote.message) : null,
      voteOptions: voteOptions(languageOf(req)),
      myVote: myVote ? { vote: myVote.vote, comment: myVote.comment } : null,
      forwardedFrom: nomination.forwarded_from_id !== null
        ? {
            text: translate(language, 'awards.forward.fromUnit', { unit: nomination.forwarding_unit_name ?? '', date: formatDate(nomination.forwarded_at) }),
            tally: nomination.lower_eligible_voters !== null
              ? translate(language, 'awards.forward.lowerTally', { approvals: nomination.lower_approvals, rejections: nomination.lower_rejections, eligible: nomination.lower_eligible_voters })
              : null,
            href: lowerKeeper || policy.canManageRound(viewer, round).allowed ? `/nominations/${nomination.forwarded_from_id}` : null,
          }
        : null,
      forwardedTo: nomination.forwarded_to_id !== null
        ? { id: nomination.forwarded_to_id, roundTitle: nomination.upper_round_title, status: nomination.upper_status, returnReason: nomination.upper_status === 'returned' ? nomination.upper_return_reason : null, decisionNumber: nomination.upper_decision_number }
        : null,
      sendAgain,
      forwardTargets: forwardable
        ? (await roundsToForwardTo(db, round.issuing_unit_id)).map((r) => ({ value: String(r.id), label: `${r.title} (${r.issuing_unit_name}, ${translate(language, 'awards.forward.closesOn', { date: formatDate(r.closes_on) })})` }))
        : [],
      canForward: forwardable,
      packageHref: canPackageNomination(viewer, nomination).allowed ? `/nominations/${nomination.id}/dossier.zip` : null,
    };
  }

  router.get('/nominations/:id', requireLogin, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const page = await nominationPage(req, viewer, id);
    res.render('awards/nomination', { ...page, values: { vote: page.myVote?.vote ?? '', comment: page.myVote?.comment ?? '', kind: 'proposal' }, flash: takeFlash(req) });
  });

  const editTitle = (language: Language) => translate(language, 'awards.editNomination');

  router.get('/nominations/:id/edit', dossierKeepers, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const { nomination, models } = await nominationDetails(db, viewer, id);
    policy.enforce(policy.canEdit(viewer, nomination));
    const round = await repository.getRound(db, nomination.round_id, viewer);
    const values = {
      nomineeKind: nomination.nominee_kind, unitId: String(nomination.unit_id), nomineeName: nomination.nominee_name, position: nomination.position ?? '',
      gender: nomination.gender ?? '', birthYear: nomination.birth_year ? String(nomination.birth_year) : '', achievement: nomination.achievement,
      modelIds: models.map((m) => String(m.id)),
    };
    res.render('awards/nomination-form', { ...(await nominationForm(req, viewer, round, { title: editTitle(languageOf(req)), action: `/nominations/${id}`, editing: true }, values)), values });
  });

  router.post('/nominations/:id', dossierKeepers, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const nomination = await repository.getNomination(db, id, viewer);
    const round = await repository.getRound(db, nomination.round_id, viewer);
    await submitForm({
      req, res, schema: nominationSchema, view: 'awards/nomination-form', labels: 'award',
      prepare: unitPickers(db, viewer.scope, languageOf(req), NOMINATION_PICKERS).prepare,
      viewModel: (values) => nominationForm(req, viewer, round, { title: editTitle(languageOf(req)), action: `/nominations/${id}`, editing: true }, values),
      action: async (input: NominationInput) => {
        // The form shows every field: an emptied list of models clears it.
        const { roundId, ...changes } = input;
        void roundId;
        const updated = await service.updateNomination(db, viewer, id, { ...changes, modelIds: input.modelIds ?? [] });
        return { redirectTo: `/nominations/${id}`, flash: translate(languageOf(req), 'awards.nominationUpdated', { name: updated.nominee_name }) };
      },
    });
  });

  router.post('/nominations/:id/submit', dossierKeepers, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    // A dossier that lacks a required document comes back with each one named at the checklist.
    await submitForm({
      req, res, schema: emptyForm, view: 'awards/nomination', labels: 'award',
      viewModel: () => nominationPage(req, viewer, id),
      action: async () => {
        const nomination = await service.submitNomination(db, viewer, id);
        return { redirectTo: `/nominations/${id}`, flash: translate(languageOf(req), 'awards.nominationSubmitted', { name: nomination.nominee_name }) };
      },
    });
  });

  router.post('/nominations/:id/return', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    await submitForm({
      req, res, schema: returnSchema, view: 'awards/nomination', labels: 'award',
      viewModel: () => nominationPage(req, viewer, id),
      action: async (input) => {
        const nomination = await service.returnNomination(db, viewer, id, input);
        return { redirectTo: `/awards/${nomination.round_id}?status=submitted`, flash: translate(languageOf(req), 'awards.nominationReturned', { name: nomination.nominee_name }) };
      },
    });
  });

  router.post('/nominations/:id/forward', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    await submitForm({
      req, res, schema: forwardSchema, view: 'awards/nomination', labels: 'award',
      viewModel: () => nominationPage(req, viewer, id),
      action: async ({ roundId }) => {
        const { twins: [twin], sentAgainIds } = await forwardNominations(db, { caller: viewer, roundId, nominationIds: [id] });
        const key = sentAgainIds.length > 0 ? 'awards.forward.sentAgain' : 'awards.forward.sent';
        return { redirectTo: `/nominations/${twin!.id}`, flash: translate(languageOf(req), key, { name: twin!.nominee_name, title: twin!.round_title }) };
      },
    });
  });

  router.post('/nominations/:id/recusals', requireRole('member'), async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    await submitForm({
      req, res, schema: recusalSchema, view: 'awards/nomination', labels: 'award',
      viewModel: () => nominationPage(req, viewer, id),
      action: async (input) => {
        await service.declareRecusal(db, viewer, id, input);
        const nomination = await repository.getNomination(db, id, viewer);
        return { redirectTo: `/awards/${nomination.round_id}?status=submitted`, flash: translate(languageOf(req), 'awards.recusal.done', { name: nomination.nominee_name }) };
      },
    });
  });

  router.post('/nominations/:id/votes', requireRole('member'), async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    await submitForm({
      req, res, schema: voteSchema, view: 'awards/nomination', labels: 'award',
      viewModel: () => nominationPage(req, viewer, id),
      action: async (input) => {
        await service.castVote(db, viewer, id, input);
        const nomination = await repository.getNomination(db, id, viewer);
        return { redirectTo: `/awards/${nomination.round_id}?status=submitted`, flash: translate(languageOf(req), 'awards.voteRecorded') };
      },
    });
  });

  router.post('/awards/:id/votes', requireRole('member'), async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    await submitForm({
      req, res, schema: bulkVoteSchema, view: 'awards/round', labels: 'award',
      viewModel: async () => ({ ...(await roundPage(req, viewer, id, { status: 'submitted' })), failedAction: 'votes' }),
      action: async (input) => {
        const votes = await service.castVotes(db, viewer, id, input);
        return { redirectTo: `/awards/${id}?status=submitted`, flash: translate(languageOf(req), 'awards.bulkVote.done', { count: votes.length, vote: translate(languageOf(req), `vote.${input.vote}`) }) };
      },
    });
  });

  router.post(uploadRoute('/nominations/:id/files'), dossierKeepers, receiveDossier, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    try {
      const { kind } = validate(dossierSchema, req.body ?? {}, { labels: 'award' });
      if (!req.file) throw new ValidationError([noAttachmentProblem]);
      const file = await service.attachDossierFile(db, viewer, id, { kind, fileName: uploadedFileName(req.file), content: req.file.buffer });
      req.session.flash = translate(languageOf(req), 'awards.fileAttached', { name: file.file_name });
      res.redirect(303, `/nominations/${id}#dossier`);
    } catch (error) {
      if (!(error instanceof ValidationError) && !(error instanceof ConflictError)) throw error;
      const problems = error instanceof ValidationError ? error.details : [{ field: 'file', reason: error.reason, key: error.messageKey, params: error.params }];
      const details = translateProblems(languageOf(req), problems);
      res.status(statusOf(error)).render('awards/nomination', {
        ...(await nominationPage(req, viewer, id)),
        values: { kind: req.body?.kind ?? 'proposal' },
        errors: Object.fromEntries(details.map((d) => [d.field, d.message])),
        fileErrors: details,
      });
    }
  });

  router.get('/nominations/:id/files/:fileId', requireLogin, async (req, res) => {
    await sendDossierFile(db, req, res);
  });

  router.post('/nominations/:id/files/:fileId/delete', dossierKeepers, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id, fileId } = validate(fileParams, req.params);
    await service.removeDossierFile(db, viewer, id, fileId);
    req.session.flash = translate(languageOf(req), 'awards.fileRemoved');
    res.redirect(303, `/nominations/${id}#dossier`);
  });

  const decisionForm = async (viewer: Caller, round: repository.Round, language: Language) => {
    const approved = (await repository.listNominations(db, viewer, { roundId: round.id, status: 'approved' })).rows.filter((n) => n.decision_id === null);
    return {
      title: translate(language, 'awards.decision.new'),
      round: roundJson(round, language),
      candidates: annexOrder(approved).map((n) => ({ value: String(n.id), label: n.nominee_name, kind: n.nominee_kind, unitName: n.unit_name, position: n.position })),
    };
  };

  router.get('/awards/:id/decisions/new', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const round = await repository.getRound(db, id, viewer);
    policy.enforce(policy.roundClosed(round));
    const form = await decisionForm(viewer, round, languageOf(req));
    res.render('awards/decision-form', { ...form, values: { signedOn: formatDate(todayInVietnam()), nominationIds: form.candidates.map((c) => c.value) } });
  });

  router.post('/awards/:id/decisions', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const round = await repository.getRound(db, id, viewer);
    await submitForm({
      req, res, schema: decisionFormSchema, view: 'awards/decision-form', labels: 'award',
      viewModel: () => decisionForm(viewer, round, languageOf(req)),
      action: async ({ confirmed: _checked, ...input }) => {
        const decision = await service.issueDecision(db, viewer, { ...input, roundId: id });
        return { redirectTo: `/decisions/${decision.id}`, flash: translate(languageOf(req), 'awards.decision.created', { number: decision.number, count: decision.certificates.length }) };
      },
    });
  });

  router.get('/decisions/:id', requireLogin, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const model = await annexModel(db, viewer, id, languageOf(req));
    const signing = await signingStatus(db, viewer, id, model.decision.issuing_unit_id);
    res.render('awards/decision', { ...model, signing: signing && signingPanel(languageOf(req), id, signing), flash: takeFlash(req) });
  });

  router.get('/decisions/:id/annex', requireLogin, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    res.render('awards/annex', { ...(await annexModel(db, viewer, id, languageOf(req))), bare: true });
  });

  return router;
}

/** The published list of nominees for public comment: names, units and achievements, nothing else. */
export function publicAwardPages(db: Database): Router {
  const router = Router();
  router.get('/public/awards/:id', async (req, res) => {
    const language = languageOf(req);
    const { id } = validate(idParams, req.params);
    const round = await repository.findPublishedRound(db, id);
    if (!round) throw new NotFoundError();
    const nominees = await repository.publishedNominees(db, id);
    const ordered = annexOrder(nominees);
    res.render('awards/public', {
      title: translate(language, 'awards.public.title'),
      round: { ...round, publishedOn: formatDate(round.published_at!) },
      intro: translate(language, 'awards.public.intro', { award: language === 'en' ? round.award_name_en : round.award_name }),
      collectives: ordered.filter((n) => n.nominee_kind === 'collective'),
      individuals: ordered.filter((n) => n.nominee_kind === 'individual'),
    });
  });
  return router;
}
