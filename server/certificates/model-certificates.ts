// The certificate of a model recognised as "Dân vận khéo": issued by the province the model's unit
// belonged to at the time (its top ancestor), dated by the recognition report, with its own
// verification code, made once when first printed. It keeps the model's text as certified (title,
// code, unit, year, field: sql/0012), and prints and verifies that, whatever becomes of the model.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Caller } from '../auth/caller.ts';
import { getModel } from '../models/repository.ts';
import { newVerificationCode } from '../awards/service.ts';
import { recordAction } from '../audit/audit.ts';
import { ConflictError } from '../errors.ts';
import { dateInWords, placeName, qrCode, verificationUrl } from './rendering/sheets.ts';
import { layoutFor, type PrintDeps } from './service.ts';
import { certificateDocument, EMBLEM_URL, fitOf, renderSheet, type CertificateSheet, type PrintMode } from './rendering/templates.ts';
import { enforce } from '../policy.ts';
import { canPrint } from './policy.ts';

/** Renders a recognised model's certificate, creating its record (and code) the first time. */
export async function printModelCertificate(deps: PrintDeps, caller: Caller, modelId: number, mode: PrintMode): Promise<{ pdf: Buffer; code: string }> {
  enforce(canPrint(caller));
  const model = await getModel(deps.db, modelId, caller.scope);
  if (model.status !== 'recognized') throw new ConflictError('model_not_recognized', 'certificates.modelNotRecognized');
  const certificate = await issueModelCertificate(deps.db, caller, model);
  const issuer = await deps.db.selectFrom('units').select(['name', 'kind']).where('id', '=', certificate.issuing_unit_id).executeTakeFirstOrThrow();
  const url = verificationUrl(deps.publicUrl, certificate.verification_code);
  const achievement = `Được công nhận là mô hình "Dân vận khéo" tiêu biểu năm ${certificate.certified_year} trong lĩnh vực ${certificate.certified_field_name.toLocaleLowerCase('vi')}.`;
  const sheet: CertificateSheet = {
    recipient: { kind: 'model', honorific: null, name: certificate.certified_title, position: null, unitName: certificate.certified_unit_name },
    authority: issuer.kind === 'province' ? `ỦY BAN NHÂN DÂN ${issuer.name.toLocaleUpperCase('vi')}` : issuer.name.toLocaleUpperCase('vi'),
    awardVerb: 'CHỨNG NHẬN',
    awardTitle: 'MÔ HÌNH “DÂN VẬN KHÉO”',
    achievement,
    placeDate: `${placeName(issuer.name)}, ${dateInWords(certificate.recognized_on)}`,
    signer: { titleLines: ['TM. ỦY BAN NHÂN DÂN'], name: ' ' },
    decisionNumber: certificate.certified_code,
    numbers: { decisionLabel: 'Mã mô hình' },
    registerNumber: null,
    qr: { ...qrCode(url), url, code: certificate.verification_code },
    copyLabel: null,
    fit: fitOf(certificate.certified_title, achievement),
    emblemUrl: EMBLEM_URL,
  };
  const layout = await layoutFor(deps.db, 'mo_hinh', mode);
  const pdf = await deps.renderer.renderPdf(certificateDocument([renderSheet('mo_hinh', sheet)], layout), { widthMm: layout.paperWidthMm, heightMm: layout.paperHeightMm });
  return { pdf, code: certificate.verification_code };
}

async function issueModelCertificate(db: Database, caller: Caller, model: Awaited<ReturnType<typeof getModel>>) {
  const { id: modelId, unit_id: unitId } = model;
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
      .values({
        model_id: modelId, issuing_unit_id: rows[0]!.id, recognized_on: recognized.reported_on, verification_code: newVerificationCode(), created_by: caller.user.id,
        certified_title: model.title, certified_code: model.code, certified_unit_name: model.unit_name, certified_year: model.year, certified_field_name: model.field_name,
      })
      .onConflict((c) => c.column('model_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) return trx.selectFrom('model_certificates').selectAll().where('model_id', '=', modelId).executeTakeFirstOrThrow(); // a simultaneous first print won
    await recordAction(trx, caller.actor, { action: 'model_certificate.issue', entityType: 'model', entityId: modelId, after: inserted });
    return inserted;
  });
}

/** The public answer for a model certificate's code: what was certified, never the model's current text. */
export async function verifyModelCertificate(db: Database, code: string) {
  return db
    .selectFrom('model_certificates')
    .innerJoin('units as issuer', 'issuer.id', 'model_certificates.issuing_unit_id')
    .select([
      'model_certificates.status', 'model_certificates.certified_title as title', 'model_certificates.certified_code as code', 'model_certificates.certified_unit_name as unit_name',
      'model_certificates.certified_year as year', 'model_certificates.certified_field_name as field_name', 'model_certificates.recognized_on', 'issuer.name as issuer_name',
    ])
    .where('model_certificates.verification_code', '=', code)
    .executeTakeFirst();
}
