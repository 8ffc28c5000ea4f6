// The model registry API (/api/v1): list and search, register, edit, report progress.
// Thin: validate, one service call, JSON.
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin } from '../auth/guards.ts';
import { decodeCursor, encodeCursor } from '../web/pagination.ts';
import { callerOf, languageOf, scopeOf } from '../web/request.ts';
import { idParams, validate } from '../web/validate.ts';
import { modelFileJson, modelJson, reportJson } from './present.ts';
import * as repository from './repository.ts';
import { modelChangesSchema, modelListSchema, modelSchema, reportSchema } from './schemas.ts';
import { attachModelFile, registerModel, removeModelFile, reportProgress, updateModel } from './service.ts';
import { countCap, filterOf, modelFileParams, receiveEvidence, sendModelFile, writers } from './http.ts';
import { ValidationError } from '../errors.ts';
import { noAttachmentProblem, uploadedFileName } from '../web/upload.ts';

const isOffset = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

/** An API cursor: the last id shown for the newest-first sort (keyset), an offset for the others. */
type Cursor = number | { before: number };

const isCursor = (value: unknown): value is Cursor =>
  isOffset(value) || (typeof value === 'object' && value !== null && Object.keys(value).length === 1 && isOffset((value as { before?: unknown }).before));

export function modelApi(db: Database): Router {
  const router = Router();

  router.get('/models', requireLogin, async (req, res) => {
    const language = languageOf(req);
    const query = validate(modelListSchema, req.query, { labels: 'model' });
    const scope = await scopeOf(req, db);
    const filter = await filterOf(db, query);
    const cursor = decodeCursor(query.cursor, isCursor) ?? 0;
    const offset = typeof cursor === 'number' ? cursor : 0;
    const beforeId = typeof cursor === 'number' || query.sort !== 'newest' ? undefined : cursor.before;
    const reach = await repository.searchReach(db, scope, filter);
    const [rows, counts] = await Promise.all([
      repository.listModels(db, scope, filter, { sort: query.sort, offset, beforeId, limit: query.limit + 1, reach }),
      repository.countModels(db, scope, filter, { cap: countCap(filter), reach }),
    ]);
    const items = rows.slice(0, query.limit);
    const more = rows.length > query.limit;
    res.json({
      items: items.map((row) => modelJson(row, language)),
      nextCursor: !more ? null : query.sort === 'newest' ? encodeCursor({ before: items[items.length - 1]!.id }) : encodeCursor(offset + query.limit),
      total: counts.total,
      ...(counts.capped ? { totalCapped: true } : {}),
      byStatus: counts.byStatus,
    });
  });

  router.post('/models', writers, async (req, res) => {
    const caller = await callerOf(req, db);
    const input = validate(modelSchema, req.body, { labels: 'model' });
    res.status(201).json(modelJson(await registerModel(db, caller, input), languageOf(req)));
  });

  router.get('/models/:id', requireLogin, async (req, res) => {
    const language = languageOf(req);
    const { id } = validate(idParams, req.params);
    const model = await repository.getModel(db, id, await scopeOf(req, db));
    res.json({ ...modelJson(model, language), reports: (await repository.listReports(db, id)).map(reportJson), files: (await repository.listModelFiles(db, id)).map(modelFileJson) });
  });

  // Evidence: photos and reports on the model (multipart `file`), read by whoever reads the model.
  router.post('/models/:id/files', writers, receiveEvidence, async (req, res) => {
    const caller = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    if (!req.file) throw new ValidationError([noAttachmentProblem]);
    res.status(201).json(modelFileJson(await attachModelFile(db, caller, id, { fileName: uploadedFileName(req.file), content: req.file.buffer })));
  });

  router.get('/models/:id/files/:fileId', requireLogin, async (req, res) => {
    await sendModelFile(db, req, res);
  });

  router.delete('/models/:id/files/:fileId', writers, async (req, res) => {
    const { id, fileId } = validate(modelFileParams, req.params);
    await removeModelFile(db, await callerOf(req, db), id, fileId);
    res.status(204).end();
  });

  router.patch('/models/:id', writers, async (req, res) => {
    const caller = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const changes = validate(modelChangesSchema, req.body, { labels: 'model' });
    res.json(modelJson(await updateModel(db, caller, id, changes), languageOf(req)));
  });

  router.post('/models/:id/reports', writers, async (req, res) => {
    const caller = await callerOf(req, db);
    const { id } = validate(idParams, req.params);
    const input = validate(reportSchema, req.body, { labels: 'model' });
    res.status(201).json(reportJson(await reportProgress(db, caller, id, input)));
  });

  return router;
}
