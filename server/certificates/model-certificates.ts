// The certificate of a model recognised as "Dân vận khéo": issued by the province the model's unit
// belonged to at the time (its top ancestor), dated by the recognition report, with its own
// verification code, made once when first printed. It keeps the model's text as certified (title,
// code, unit, year, field: sql/0012), and prints and verifies that, whatever becomes of the model.
import type { Database } from '../db/database.ts';
import type { Caller } from '../auth/caller.ts';
import type { Selectable } from 'kysely';
import type { ModelsTable } from '../db/schema.ts';
import { getModel } from '../models/repository.ts';
import { newVerificationCode } from '../awards/service.ts';
import { recordAction } from '../audit/audit.ts';
import { ConflictError } from '../errors.ts';
import { dateInWords, placeName, qrCode, verificationUrl } from './rendering/sheets.ts';
import { layoutAssets } from './rendering/chunks.ts';
import type { PrintDeps } from './service.ts';
import * as repository from './repository.ts';
import { certificateDocument, emblemUrlOf, fitOf, renderSheet, type CertificateSheet, type PrintMode } from './rendering/templates.ts';
import { enforce } from '../policy.ts';
import { canPrint } from './policy.ts';
import { bodyName } from '../units/names.ts';
import { effectiveSettings } from '../documents/service.ts';
import { titleLines } from '../documents/official.ts';
import { renderSigned } from '../signatures/sign.ts';

/** Renders a recognised model's certificate, creating its record (and code) the first time. */
export async function printModelCertificate(deps: PrintDeps, caller: Caller, modelId: number, mode: PrintMode): Promise<{ pdf: Buffer; code: string }> {
  enforce(canPrint(caller));
  const model = await getModel(deps.db, modelId, caller.scope);
  if (model.status !== 'recognized') throw new ConflictError('model_not_recognized', 'certificates.modelNotRecognized');
  const certificate = await issueModelCertificate(deps.db, caller, model);
  const issuer = await repository.getIssuer(deps.db, certificate.issuing_unit_id);
  const { settings } = await effectiveSettings(deps.db, certificate.issuing_unit_id);
  const url = verificationUrl(deps.publicUrl, certificate.verification_code);
  const layout = await repository.layoutFor(deps.db, 'mo_hinh', mode);
  const achievement = `Được công nhận là mô hình "Dân vận khéo" tiêu biểu năm ${certificate.certified_year} trong lĩnh vực ${certificate.certified_field_name.toLocaleLowerCase('vi')}.`;
  const sheet: CertificateSheet = {
    recipient: { kind: 'model', honorific: null, name: certificate.certified_title, position: null, unitName: certificate.certified_unit_name },
    authority: bodyName(issuer.name, issuer.kind).toLocaleUpperCase('vi'),
    awardVerb: 'CHỨNG NHẬN',
    awardTitle: 'MÔ HÌNH “DÂN VẬN KHÉO”',
    achievement,
    placeDate: `${placeName(issuer.name)}, ${dateInWords(certificate.recognized_on)}`,
    // On behalf of the People's Committee, its chairman signs (Decree 30/2020: "TM." then the title), as the
    // body's document settings say (/committees/:id/documents); without a name there, it is written by hand.
    signer: { titleLines: titleLines(settings.modelSignerTitle), name: settings.modelSignerName || ' ' },
    decisionLine: `Mã mô hình: ${certificate.certified_code}`,
    registerNumber: null,
    qr: { ...qrCode(url), url, code: certificate.verification_code },
    copyLabel: null,
    watermark: null,
    fit: fitOf(certificate.certified_title, achievement),
    digitalSignature: null,
    emblemUrl: emblemUrlOf(layout),
  };
  // Full mode is the digital copy: signed with the body's key when it has one (server/signatures).
  const body = mode === 'full' ? { code: issuer.code, name: bodyName(issuer.name, issuer.kind) } : undefined;
  const { pdf } = await renderSigned(deps.signers, body, 'Ký số chứng nhận mô hình', (digitalSignature) =>
    deps.renderer.renderPdf(certificateDocument([renderSheet('mo_hinh', { ...sheet, digitalSignature })], layout, `Chứng nhận mô hình — ${certificate.certified_title}`), { widthMm: layout.paperWidthMm, heightMm: layout.paperHeightMm }, { assets: layoutAssets(layout) }),
  );
  return { pdf, code: certificate.verification_code };
}

/** What a model's certificate keeps of the model as it reads when first printed. */
type CertifiedModel = Pick<Selectable<ModelsTable>, 'id' | 'unit_id' | 'title' | 'code' | 'year'> & { unit_name: string; field_name: string };

/** The model's certificate, made in one transaction with its audit row the first time it is printed. */
async function issueModelCertificate(db: Database, caller: Caller, model: CertifiedModel) {
  const { id: modelId, unit_id: unitId } = model;
  const existing = await repository.findModelCertificate(db, modelId);
  if (existing) return existing;
  return db.transaction().execute(async (trx) => {
    const inserted = await repository.insertModelCertificate(trx, {
      model_id: modelId, issuing_unit_id: await repository.topAncestorOf(trx, unitId), recognized_on: await repository.recognitionDate(trx, modelId), verification_code: newVerificationCode(), created_by: caller.user.id,
      certified_title: model.title, certified_code: model.code, certified_unit_name: model.unit_name, certified_year: model.year, certified_field_name: model.field_name,
    });
    if (!inserted) {
      // A simultaneous first print won: its certificate is the one.
      const winner = await repository.findModelCertificate(trx, modelId);
      if (!winner) throw new Error(`model ${modelId}: its certificate was neither inserted nor found`);
      return winner;
    }
    await recordAction(trx, caller.actor, { action: 'model_certificate.issue', entityType: 'model', entityId: modelId, after: inserted });
    return inserted;
  });
}
