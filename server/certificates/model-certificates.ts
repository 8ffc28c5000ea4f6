// The certificate of a model recognised as "Dân vận khéo": issued by the province the model's unit
// belonged to at the time (its top ancestor), dated by the recognition report, with its own
// verification code, made once when first printed.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { UnitScope } from '../auth/scope.ts';
import { getModel } from '../models/repository.ts';
import { newVerificationCode } from '../awards/service.ts';
import { recordAction, type Actor } from '../audit/audit.ts';
import { ConflictError, ForbiddenError } from '../web/errors.ts';
import type { SessionUser } from '../auth/user.ts';
import { dateInWords, placeName, qrCode, verificationUrl } from './sheets.ts';
import { layoutFor, type PrintDeps } from './service.ts';
import { certificateDocument, EMBLEM_URL, fitOf, renderSheet, type CertificateSheet, type PrintMode } from './templates.ts';

interface Caller {
  user: SessionUser;
  scope: UnitScope;
  actor: Actor;
}

/** Renders a recognised model's certificate, creating its record (and code) the first time. */
export async function printModelCertificate(deps: PrintDeps, caller: Caller, modelId: number, mode: PrintMode): Promise<{ pdf: Buffer; code: string }> {
  if (!['printer', 'secretary', 'admin'].includes(caller.user.role)) throw new ForbiddenError('certificates.printersOnly');
  const model = await getModel(deps.db, modelId, caller.scope);
  if (model.status !== 'recognized') throw new ConflictError('certificates.modelNotRecognized');
  const certificate = await issueModelCertificate(deps.db, caller, model.id, model.unit_id);
  const issuer = await deps.db.selectFrom('units').select(['name', 'kind']).where('id', '=', certificate.issuing_unit_id).executeTakeFirstOrThrow();
  const url = verificationUrl(deps.publicUrl, certificate.verification_code);
  const achievement = `Được công nhận là mô hình "Dân vận khéo" tiêu biểu năm ${model.year} trong lĩnh vực ${model.field_name.toLocaleLowerCase('vi')}.`;
  const sheet: CertificateSheet = {
    recipient: { kind: 'model', honorific: null, name: model.title, position: null, unitName: model.unit_name },
    authority: issuer.kind === 'province' ? `ỦY BAN NHÂN DÂN ${issuer.name.toLocaleUpperCase('vi')}` : issuer.name.toLocaleUpperCase('vi'),
    awardVerb: 'CHỨNG NHẬN',
    awardTitle: 'MÔ HÌNH “DÂN VẬN KHÉO”',
    achievement,
    placeDate: `${placeName(issuer.name)}, ${dateInWords(certificate.recognized_on)}`,
    signer: { titleLines: ['TM. ỦY BAN NHÂN DÂN'], name: ' ' },
    decisionNumber: model.code,
    numbers: { decisionLabel: 'Mã mô hình' },
    registerNumber: null,
    qr: { ...qrCode(url), url, code: certificate.verification_code },
    copyLabel: null,
    fit: fitOf(model.title, achievement),
    emblemUrl: EMBLEM_URL,
  };
  const layout = await layoutFor(deps.db, 'mo_hinh', mode);
  const pdf = await deps.renderer.renderPdf(certificateDocument([renderSheet('mo_hinh', sheet)], layout), { widthMm: layout.paperWidthMm, heightMm: layout.paperHeightMm });
  return { pdf, code: certificate.verification_code };
}

async function issueModelCertificate(db: Database, caller: Caller, modelId: number, unitId: number) {
  const existing = await db.selectFrom('model_certificates').selectAll().where('model_id', '=', modelId).executeTakeFirst();
  if (existing) return existing;
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ id: number }>`
      WITH RECURSIVE chain(id, parent_id, depth) AS (
        SELECT id, parent_id, 0 FROM units WHERE id = ${unitId}::integer
        UNION ALL
        SELECT units.id, units.parent_id, chain.depth + 1 FROM units JOIN chain ON units.id = chain.parent_id
      )
      SELECT id FROM chain ORDER BY depth DESC LIMIT 1`.execute(trx);
    const recognized = await trx.selectFrom('model_reports').select('reported_on').where('model_id', '=', modelId).where('to_status', '=', 'recognized').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const inserted = await trx
      .insertInto('model_certificates')
      .values({ model_id: modelId, issuing_unit_id: rows[0]!.id, recognized_on: recognized.reported_on, verification_code: newVerificationCode(), created_by: caller.user.id })
      .onConflict((c) => c.column('model_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) return trx.selectFrom('model_certificates').selectAll().where('model_id', '=', modelId).executeTakeFirstOrThrow(); // a simultaneous first print won
    await recordAction(trx, caller.actor, { action: 'model_certificate.issue', entityType: 'model', entityId: modelId, after: inserted });
    return inserted;
  });
}

/** The public answer for a model certificate's code, in the same shape as a Bằng khen's. */
export async function verifyModelCertificate(db: Database, code: string) {
  return db
    .selectFrom('model_certificates')
    .innerJoin('models', 'models.id', 'model_certificates.model_id')
    .innerJoin('units as issuer', 'issuer.id', 'model_certificates.issuing_unit_id')
    .innerJoin('units', 'units.id', 'models.unit_id')
    .select(['model_certificates.status', 'models.title', 'models.code', 'units.name as unit_name', 'model_certificates.recognized_on', 'issuer.name as issuer_name'])
    .where('model_certificates.verification_code', '=', code)
    .executeTakeFirst();
}
