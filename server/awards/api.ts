// The awards API (/api/v1): award kinds, rounds, nominations with their dossier files, votes, closing a
// round, and decisions. Thin: validate, one service call, JSON.
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin, requireRole } from '../auth/guards.ts';
import { unitAndEverythingUnder } from '../auth/scope.ts';
import { ValidationError } from '../errors.ts';
import { decodeCursor, encodeCursor } from '../web/pagination.ts';
import { callerOf, languageOf } from '../web/request.ts';
import { noAttachmentProblem, uploadedFileName } from '../web/upload.ts';
import { idParams, validate } from '../web/validate.ts';
import { committee, dossierKeepers, fileParams, nominators, receiveDossier, sendDossierFile } from './http.ts';
import { certificateJson, fileJson, nominationJson, recusalJson, roundJson, voteJson } from './present.ts';
import * as repository from './repository.ts';
import { forwardNominations } from './forwarding.ts';
import { bulkVoteSchema, closeSchema, decisionSchema, dossierSchema, forwardManySchema, forwardSchema, nominationChangesSchema, nominationListSchema, nominationSchema, recusalSchema, reopenSchema, returnSchema, roundListSchema, roundSchema, voteSchema } from './schemas.ts';
import { decisionDetails, nominationDetails } from './queries.ts';
import * as service from './service.ts';

const isPositive = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;
const isOffset = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
export function awardApi(db: Database): Router {
  const router = Router();

  router.get('/award-kinds', requireLogin, async (req, res) => {
    const language = languageOf(req);
    const kinds = await repository.listAwardKinds(db);
    res.json({ items: kinds.map((kind) => ({ code: kind.code, name: language === 'en' ? kind.name_en : kind.name, template: kind.template, requiredFiles: kind.required_files })), nextCursor: null, total: kinds.length });
  });

  router.get('/award-rounds', requireLogin, async (req, res) => {
    const viewer = await callerOf(req, db);
    const query = validate(roundListSchema, req.query, { labels: 'award' });
    const offset = decodeCursor(query.cursor, isOffset) ?? 0;
    const { rows, total } = await repository.listRounds(db, viewer, { year: query.year }, { offset, limit: query.limit + 1 });
    res.json({
      items: rows.slice(0, query.limit).map((round) => ({ ...roundJson(round, languageOf(req)), submittedCount: Number(round.submitted_count ?? 0) })),
      nextCursor: rows.length > query.limit ? encodeCursor(offset + query.limit) : null,
      total,
    });
  });

  router.post('/award-rounds', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const input = validate(roundSchema, req.body, { labels: 'award' });
    res.status(201).json(roundJson(await service.createRound(db, viewer, input), languageOf(req)));
  });

  router.get('/award-rounds/:id', requireLogin, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const round = await repository.getRound(db, id, viewer);
    const decisions = await repository.listDecisions(db, id);
    res.json({ ...roundJson(round, languageOf(req)), decisions: decisions.map((d) => ({ id: d.id, number: d.number_text, signedOn: d.signed_on, signerName: d.signer_name, certificateCount: Number(d.certificate_count ?? 0) })) });
  });

  router.post('/award-rounds/:id/publish', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    res.json(roundJson(await service.publishRound(db, viewer, id), languageOf(req)));
  });

  router.post('/award-rounds/:id/close', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const input = validate(closeSchema, req.body ?? {}, { labels: 'award' });
    const { round, outcomes } = await service.closeRound(db, viewer, id, input);
    res.json({ ...roundJson(round, languageOf(req)), outcomes });
  });

  router.post('/award-rounds/:id/reopen', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const input = validate(reopenSchema, req.body ?? {}, { labels: 'award' });
    res.json(roundJson(await service.reopenRound(db, viewer, id, input), languageOf(req)));
  });

  router.get('/nominations', requireLogin, async (req, res) => {
    const viewer = await callerOf(req, db);
    const query = validate(nominationListSchema, req.query, { labels: 'award' });
    const afterId = decodeCursor(query.cursor, isPositive);
    const unitIds = query.unitId ? await unitAndEverythingUnder(db, query.unitId) : undefined;
    const { rows, total } = await repository.listNominations(db, viewer, { roundId: query.roundId, status: query.status, year: query.year, unitIds }, { afterId, limit: query.limit + 1 });
    const items = rows.slice(0, query.limit);
    res.json({ items: items.map(nominationJson), nextCursor: rows.length > query.limit ? encodeCursor(items[items.length - 1]!.id) : null, total });
  });

  router.post('/nominations', nominators, async (req, res) => {
    const viewer = await callerOf(req, db);
    const input = validate(nominationSchema, req.body, { labels: 'award' });
    const nomination = await service.createNomination(db, viewer, input);
    res.status(201).json({ ...nominationJson(nomination), modelIds: input.modelIds ?? [] });
  });

  router.get('/nominations/:id', requireLogin, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const { nomination, models, files, votes, recusals } = await nominationDetails(db, viewer, id);
    res.json({
      ...nominationJson(nomination),
      modelIds: models.map((m) => m.id),
      models: models.map((m) => ({
        id: m.id, code: m.code, title: m.title, year: m.year, status: m.status, unitName: m.unit_name,
        evaluation: m.evaluation_average === null ? null : { criteriaSet: m.evaluation_set, average: Number(m.evaluation_average), scale: Number(m.evaluation_scale) },
      })),
      files: files.map(fileJson),
      votes: votes.map(voteJson),
      recusals: recusals.map(recusalJson),
    });
  });

  router.patch('/nominations/:id', dossierKeepers, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const changes = validate(nominationChangesSchema, req.body, { labels: 'award' });
    res.json(nominationJson(await service.updateNomination(db, viewer, id, changes)));
  });

  router.post('/nominations/:id/submit', dossierKeepers, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    res.json(nominationJson(await service.submitNomination(db, viewer, id)));
  });

  router.post('/nominations/:id/return', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const input = validate(returnSchema, req.body, { labels: 'award' });
    res.json(nominationJson(await service.returnNomination(db, viewer, id, input)));
  });

  router.post('/nominations/:id/forward', committee, async (req, res) => {
    const { id } = validate(idParams, req.params);
    const { roundId } = validate(forwardSchema, req.body);
    const caller = await callerOf(req, db);
    const { twins: [twin], sentAgainIds } = await forwardNominations(db, { caller, roundId, nominationIds: [id] });
    // A returned twin sent again is the same record (200); a first forward makes a new one (201).
    res.status(sentAgainIds.length > 0 ? 200 : 201).json(nominationJson(twin!));
  });

  router.post('/award-rounds/:id/forward', committee, async (req, res) => {
    const { id } = validate(idParams, req.params);
    const { roundId, nominationIds } = validate(forwardManySchema, req.body);
    const { twins } = await forwardNominations(db, { caller: await callerOf(req, db), roundId, nominationIds, fromRoundId: id });
    res.status(201).json({ items: twins.map(nominationJson), nextCursor: null, total: twins.length });
  });

  router.post('/nominations/:id/recusals', requireRole('member'), async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const input = validate(recusalSchema, req.body, { labels: 'award' });
    const recusal = await service.declareRecusal(db, viewer, id, input);
    res.status(201).json({ ...recusal, declaredAt: recusal.declaredAt.toISOString() });
  });

  router.post('/nominations/:id/votes', requireRole('member'), async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const input = validate(voteSchema, req.body, { labels: 'award' });
    res.status(201).json(voteJson(await service.castVote(db, viewer, id, input)));
  });

  router.post('/award-rounds/:id/votes', requireRole('member'), async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const input = validate(bulkVoteSchema, req.body, { labels: 'award' });
    const votes = await service.castVotes(db, viewer, id, input);
    res.status(201).json({ items: votes.map(voteJson), nextCursor: null, total: votes.length });
  });

  router.post('/nominations/:id/files', dossierKeepers, receiveDossier, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const { kind } = validate(dossierSchema, req.body ?? {}, { labels: 'award' });
    if (!req.file) throw new ValidationError([noAttachmentProblem]);
    const file = await service.attachDossierFile(db, viewer, id, { kind, fileName: uploadedFileName(req.file), content: req.file.buffer });
    res.status(201).json(fileJson(file));
  });

  router.get('/nominations/:id/files/:fileId', requireLogin, async (req, res) => {
    await sendDossierFile(db, req, res);
  });

  router.delete('/nominations/:id/files/:fileId', dossierKeepers, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id, fileId } = validate(fileParams, req.params);
    await service.removeDossierFile(db, viewer, id, fileId);
    res.status(204).end();
  });

  router.post('/decisions', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const input = validate(decisionSchema, req.body, { labels: 'award' });
    const decision = await service.issueDecision(db, viewer, input);
    res.status(201).json({ ...decision, certificates: decision.certificates.map(certificateJson) });
  });

  router.get('/decisions/:id', requireLogin, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const { decision, certificates } = await decisionDetails(db, viewer, id);
    res.json({
      id: decision.id,
      number: decision.number_text,
      roundId: decision.round_id,
      roundTitle: decision.round_title,
      issuingUnitId: decision.issuing_unit_id,
      issuingUnitName: decision.issuing_unit_name,
      year: decision.year,
      signedOn: decision.signed_on,
      signerName: decision.signer_name,
      signerTitle: decision.signer_title,
      certificates: certificates.map((c) => ({ ...certificateJson(c), recipientKind: c.recipient_kind, unitName: c.unit_name, position: c.position, status: c.status })),
    });
  });

  return router;
}

