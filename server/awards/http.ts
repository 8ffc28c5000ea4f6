// What the awards API and pages share over HTTP: the role guards, the dossier upload, and the
// dossier download.
import type { Request, Response } from 'express';
import Joi from 'joi';
import type { Database } from '../db/database.ts';
import { requireRole } from '../auth/guards.ts';
import { NotFoundError } from '../errors.ts';
import { callerOf } from '../web/request.ts';
import { receiveFile, sendStoredFile } from '../web/upload.ts';
import { id as idSchema, validate } from '../web/validate.ts';
import { MAX_DOSSIER_BYTES } from './dossier.ts';
import * as repository from './repository.ts';

export const fileParams = Joi.object({ id: idSchema().required(), fileId: idSchema().required() });
export const committee = requireRole('secretary', 'admin');
export const nominators = requireRole('agency', 'admin');
/** Fixing a dossier: a unit's staff for its own, a secretariat for the ones its body forwarded (policy.canEdit decides). */
export const dossierKeepers = requireRole('agency', 'admin', 'secretary');
// Dossier files are checked after multer has read them; the limit here only stops a runaway upload.
export const receiveDossier = receiveFile(MAX_DOSSIER_BYTES);

/** Sends a dossier file to someone who may see its nomination, as a download that no browser renders inline. */
export async function sendDossierFile(db: Database, req: Request, res: Response) {
  const viewer = await callerOf(req, db);
  const { id, fileId } = validate(fileParams, req.params);
  await repository.getNomination(db, id, viewer); // 404 when the nomination is not visible
  const file = (await repository.listFiles(db, [id])).find((f) => f.id === fileId);
  if (!file) throw new NotFoundError();
  sendStoredFile(res, { fileName: file.file_name, contentType: file.content_type, content: await repository.fileContent(db, fileId) });
}

