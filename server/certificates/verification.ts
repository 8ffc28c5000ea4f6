// The public verification: what anyone holding a verification code (printed under the QR code) is
// told about the certificate — an award's or a recognised model's. No login; the routes limit the rate.
import type { Database } from '../db/database.ts';
import { NotFoundError } from '../errors.ts';
import { correctionLinks, findCertificateByCode, findModelCertificateByCode } from './repository.ts';
import { bodyName } from '../units/names.ts';

/** The public answer for a verification code: status, recipient, award, decision and issuer — nothing more. */
export interface Verification {
  status: 'valid' | 'revoked' | 'replaced';
  recipientName: string;
  awardTitle: string;
  decisionNumber: string;
  decisionDate: string;
  issuer: string;
  /** The copy number of a reissued certificate; absent on the original. */
  copy?: number;
  /** A corrected (replaced) certificate: the certificate that replaced it, by its code (sql/0023). */
  replacedBy?: { verificationCode: string; verifyUrl: string };
  /** A correction: the certificate it corrects, by its code. */
  corrects?: { verificationCode: string; verifyUrl: string };
  /** What a model's certificate certified (sql/0012), not the model as it reads today. */
  model?: { code: string; title: string; unitName: string; year: number; fieldName: string };
}

/** Answers for an award's certificate first, then for a model's; 404 for a code neither holds. */
export async function verifyCertificate(db: Database, code: string): Promise<Verification> {
  const record = await findCertificateByCode(db, code);
  if (!record) {
    const model = await findModelCertificateByCode(db, code);
    if (!model) throw new NotFoundError();
    // What was certified (sql/0012), not the model as it reads today.
    const certified = { code: model.code, title: model.title, unitName: model.unit_name, year: model.year, fieldName: model.field_name };
    return { status: model.status, recipientName: `${model.title} (${model.unit_name})`, awardTitle: 'Chứng nhận mô hình "Dân vận khéo"', decisionNumber: model.code, decisionDate: model.recognized_on, issuer: bodyName(model.issuer_name, model.issuer_kind), model: certified };
  }
  const links = await correctionLinks(db, record.id);
  const byCode = (code: string) => ({ verificationCode: code, verifyUrl: `/verify/${code}` });
  return {
    status: record.status as Verification['status'],
    recipientName: record.recipient_name,
    awardTitle: record.award_name,
    decisionNumber: record.decision_number,
    decisionDate: record.signed_on,
    issuer: bodyName(record.issuer_name, record.issuer_kind),
    ...(record.copy_number > 0 ? { copy: record.copy_number } : {}),
    ...(links.replacedBy ? { replacedBy: byCode(links.replacedBy.verification_code) } : {}),
    ...(links.correctionOf ? { corrects: byCode(links.correctionOf.verification_code) } : {}),
  };
}
