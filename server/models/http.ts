// What the models API, pages and spreadsheet transfer share over HTTP: who writes, the list filter a
// query string makes, and sending a model's evidence file.
import type { Request, Response } from 'express';
import Joi from 'joi';
import type { Database } from '../db/database.ts';
import { NotFoundError } from '../errors.ts';
import { MAX_DOSSIER_BYTES } from '../awards/dossier.ts';
import { scopeOf } from '../web/request.ts';
import { receiveFile, sendStoredFile } from '../web/upload.ts';
import { id, validate } from '../web/validate.ts';
import { requireRole } from '../auth/guards.ts';
import { MODEL_WRITERS } from './policy.ts';
import { unitAndEverythingUnder } from '../auth/scope.ts';
import * as repository from './repository.ts';
import type { ModelListQuery } from './schemas.ts';

/** Who registers and edits models. */
export const writers = requireRole(...MODEL_WRITERS);

/** The list filter from a query: a unit widens to the units under it and merged into it. */
export async function filterOf(db: Database, query: ModelListQuery): Promise<repository.ModelFilter> {
  const { year, fieldCode, blockCode, status, kind, q } = query;
  return { year, fieldCode, blockCode, status, kind, q, unitIds: query.unitId ? await unitAndEverythingUnder(db, query.unitId) : undefined };
}

/**
 * Counts stop at this many for a search: a search is for finding, not for statistics (exact counts are
 * in the lists without q and in the reports), and a small cap lets PostgreSQL stop after a few thousand rows.
 */
export const SEARCH_COUNT_CAP = 1_000;

/**
 * Counts of a list stop at this many: a unit's or a province's year is counted exactly, the whole
 * country (or a province over all years) says "more than 10.000" instead of counting a million rows
 * on every page (94 ms at 1M and growing; flat with the cap: bench/models-list.ts, case f). The
 * exact figures of any size are the reports'.
 */
export const LIST_COUNT_CAP = 10_000;

export const countCap = (filter: repository.ModelFilter) => (filter.q ? SEARCH_COUNT_CAP : LIST_COUNT_CAP);

export const receiveEvidence = receiveFile(MAX_DOSSIER_BYTES);
export const modelFileParams = Joi.object({ id: id().required(), fileId: id().required() });

/** Sends a model's evidence file to whoever reads the model (another unit's: 404). */
export async function sendModelFile(db: Database, req: Request, res: Response): Promise<void> {
  const { id: modelId, fileId } = validate(modelFileParams, req.params);
  await repository.getModel(db, modelId, await scopeOf(req, db)); // 404 outside the reader's units
  const file = await repository.findModelFile(db, modelId, fileId);
  if (!file) throw new NotFoundError();
  sendStoredFile(res, { fileName: file.file_name, contentType: file.content_type, content: file.content });
}
