// Sending the dossier packages, for the API and the pages alike: validate, one service call, then
// the ZIP (package.ts) to the response; a round's is streamed.
import { once } from 'node:events';
import type { Request, Response } from 'express';
import type { Database } from '../db/database.ts';
import { callerOf } from '../web/request.ts';
import { idParams, validate } from '../web/validate.ts';
import { nominationPackage, writeRoundPackage } from './package.ts';
import { nominationPackageName, roundPackageName } from './present.ts';
import { nominationDossier, roundDossier } from './service.ts';

// The package is the dossier an office files with the ministry: its documents are in Vietnamese
// whatever the language of the interface that asked for it.
const PACKAGE_LANGUAGE = 'vi';

function zipHeaders(res: Response, fileName: string): void {
  res.set({
    'Content-Type': 'application/zip',
    'Content-Disposition': `attachment; filename="${fileName}"`,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
  });
}

/** One nomination's package, for the API and the page alike. */
export async function sendNominationPackage(db: Database, req: Request, res: Response): Promise<void> {
  const { id } = validate(idParams, req.params);
  const { dossier, readFile } = await nominationDossier(db, { caller: await callerOf(req, db), nominationId: id });
  const zip = await nominationPackage(dossier, readFile, { language: PACKAGE_LANGUAGE });
  zipHeaders(res, nominationPackageName(dossier));
  res.set('Content-Length', String(zip.length));
  res.end(zip);
}

/** A round's package, streamed, for the API and the page alike. */
export async function sendRoundPackage(db: Database, req: Request, res: Response): Promise<void> {
  const { id } = validate(idParams, req.params);
  const { round, dossiers, readFile } = await roundDossier(db, { caller: await callerOf(req, db), roundId: id });
  zipHeaders(res, roundPackageName(round));
  // Streamed: the first bytes leave before the last file is read; a client that goes away stops it.
  await writeRoundPackage(round, dossiers, readFile, async (chunk) => {
    if (res.destroyed) throw new Error('dossier package: the client went away');
    if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }, { language: PACKAGE_LANGUAGE });
  res.end();
}
