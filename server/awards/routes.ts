// The awards API: award kinds, rounds, nominations with their dossier files, votes, closing a
// round, and decisions. Thin: validate, one service call, JSON.
import { Router, type Request, type Response } from 'express';
import Joi from 'joi';
import type { Database } from '../db/database.ts';
import { requireLogin, requireRole } from '../auth/guards.ts';
import { unitAndEverythingUnder } from '../auth/scope.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import { decodeCursor, encodeCursor } from '../web/pagination.ts';
import { callerOf, languageOf } from '../web/request.ts';
import { noFileProblem, receiveFile, uploadedFileName } from '../web/upload.ts';
import { id as idSchema, validate } from '../web/validate.ts';
import { MAX_DOSSIER_BYTES } from './dossier.ts';
import { certificateJson, fileJson, nominationJson, roundJson, voteJson } from './present.ts';
import * as repository from './repository.ts';
import { decisionSchema, dossierSchema, nominationChangesSchema, nominationListSchema, nominationSchema, returnSchema, roundListSchema, roundSchema, voteSchema } from './schemas.ts';
import * as service from './service.ts';
import type { Caller } from '../auth/caller.ts';
import { canSeeVotes } from './policy.ts';

const idParam = Joi.object({ id: idSchema().required() });
const fileParams = Joi.object({ id: idSchema().required(), fileId: idSchema().required() });
const isPositive = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;
const isOffset = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
const committee = requireRole('secretary', 'admin');
const nominators = requireRole('agency', 'admin');
// Dossier files are checked after multer has read them; the limit here only stops a runaway upload.
const receiveDossier = receiveFile(MAX_DOSSIER_BYTES);

function params(req: Request, viewer: Caller) {
  return validate(idParam, req.params);
}

/** What a viewer may see of the votes: every vote for whoever manages the round, else their own. */
export async function visibleVotes(db: Database, viewer: Caller, nomination: { id: number; issuing_unit_id: number }) {
  const votes = await repository.listVotes(db, [nomination.id]);
  return canSeeVotes(viewer, nomination) ? votes : votes.filter((vote) => vote.member_id === viewer.user.id);
}

export async function nominationDetails(db: Database, viewer: Caller, id: number) {
  const nomination = await repository.getNomination(db, id, viewer);
  const [models, files, votes] = await Promise.all([repository.nominationModels(db, [id]), repository.listFiles(db, [id]), visibleVotes(db, viewer, nomination)]);
  return { nomination, models, files, votes };
}

export async function decisionDetails(db: Database, viewer: Caller, id: number) {
  const decision = await repository.getDecision(db, id, viewer);
  const certificates = await repository.decisionCertificates(db, id, viewer);
  return { decision, certificates };
}

export function awardApi(db: Database): Router {
  const router = Router();

  router.get('/award-kinds', requireLogin, async (req, res) => {
    const language = languageOf(req);
    const kinds = await repository.listAwardKinds(db);
    res.json({ items: kinds.map((kind) => ({ code: kind.code, name: language === 'en' ? kind.name_en : kind.name, template: kind.template })), nextCursor: null, total: kinds.length });
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
    const { id } = params(req, viewer);
    const round = await repository.getRound(db, id, viewer);
    const decisions = await repository.listDecisions(db, id);
    res.json({ ...roundJson(round, languageOf(req)), decisions: decisions.map((d) => ({ id: d.id, number: d.number_text, signedOn: d.signed_on, signerName: d.signer_name, certificateCount: Number(d.certificate_count ?? 0) })) });
  });

  router.post('/award-rounds/:id/publish', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = params(req, viewer);
    res.json(roundJson(await service.publishRound(db, viewer, id), languageOf(req)));
  });

  router.post('/award-rounds/:id/close', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = params(req, viewer);
    const { round, outcomes } = await service.closeRound(db, viewer, id);
    res.json({ ...roundJson(round, languageOf(req)), outcomes });
  });

  router.get('/nominations', requireLogin, async (req, res) => {
    const viewer = await callerOf(req, db);
    const query = validate(nominationListSchema, req.query, { labels: 'award' });
    const afterId = decodeCursor(query.cursor, isPositive);
    const unitIds = query.unitId ? await unitAndEverythingUnder(db, query.unitId) : undefined;
    const { rows, total } = await repository.listNominations(db, viewer, { roundId: query.roundId, status: query.status, unitIds }, { afterId, limit: query.limit + 1 });
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
    const { id } = params(req, viewer);
    const { nomination, models, files, votes } = await nominationDetails(db, viewer, id);
    res.json({
      ...nominationJson(nomination),
      modelIds: models.map((m) => m.id),
      models: models.map((m) => ({ id: m.id, code: m.code, title: m.title, year: m.year, status: m.status, unitName: m.unit_name })),
      files: files.map(fileJson),
      votes: votes.map(voteJson),
    });
  });

  router.patch('/nominations/:id', nominators, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = params(req, viewer);
    const changes = validate(nominationChangesSchema, req.body, { labels: 'award' });
    res.json(nominationJson(await service.updateNomination(db, viewer, id, changes)));
  });

  router.post('/nominations/:id/submit', nominators, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = params(req, viewer);
    res.json(nominationJson(await service.submitNomination(db, viewer, id)));
  });

  router.post('/nominations/:id/return', committee, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = params(req, viewer);
    const input = validate(returnSchema, req.body, { labels: 'award' });
    res.json(nominationJson(await service.returnNomination(db, viewer, id, input)));
  });

  router.post('/nominations/:id/votes', requireRole('member'), async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = params(req, viewer);
    const input = validate(voteSchema, req.body, { labels: 'award' });
    res.status(201).json(voteJson(await service.castVote(db, viewer, id, input)));
  });

  router.post('/nominations/:id/files', nominators, receiveDossier, async (req, res) => {
    const viewer = await callerOf(req, db);
    const { id } = params(req, viewer);
    const { kind } = validate(dossierSchema, req.body ?? {}, { labels: 'award' });
    if (!req.file) throw new ValidationError([noFileProblem]);
    const file = await service.attachDossierFile(db, viewer, id, { kind, fileName: uploadedFileName(req.file), content: req.file.buffer });
    res.status(201).json(fileJson(file));
  });

  router.get('/nominations/:id/files/:fileId', requireLogin, async (req, res) => {
    await sendDossierFile(db, req, res);
  });

  router.delete('/nominations/:id/files/:fileId', nominators, async (req, res) => {
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
    const { id } = params(req, viewer);
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

/** Sends a dossier file to someone who may see its nomination, as a download that no browser renders inline. */
export async function sendDossierFile(db: Database, req: Request, res: Response) {
  const viewer = await callerOf(req, db);
  const { id, fileId } = validate(fileParams, req.params);
  await repository.getNomination(db, id, viewer); // 404 when the nomination is not visible
  const file = (await repository.listFiles(db, [id])).find((f) => f.id === fileId);
  if (!file) throw new NotFoundError();
  const content = await repository.fileContent(db, fileId);
  res.set({
    'Content-Type': file.content_type,
    'Content-Length': String(content.length),
    'Content-Disposition': `attachment; filename="${asciiName(file.file_name)}"; filename*=UTF-8''${encodeURIComponent(file.file_name)}`,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
  });
  res.end(content);
}

function asciiName(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D')).replace(/[^\x20-\x7e]|["\\]/g, '_');
}
