// What a printed certificate says, built from the decision, the nomination and the issuing body:
// the authority line, the recipient with position and unit, the place and date in words, the
// signer, the numbers, and the QR code that opens the public verification page.
import QRCode from 'qrcode';
import { compareText } from '../../awards/names.ts';
import { fitOf, type CertificateSheet } from './templates.ts';

/** A certificate as repository.ts reads it: the certificate, its decision, round, award kind, issuer and nomination. */
export interface CertificateRecord {
  id: number;
  decision_id: number;
  nomination_id: number;
  register_number: number;
  year: number;
  recipient_kind: string;
  recipient_name: string;
  verification_code: string;
  status: string;
  copy_number: number;
  position: string | null;
  gender: string | null;
  achievement: string;
  nominee_unit_name: string;
  decision_number: string;
  signed_on: string;
  signer_name: string;
  signer_title: string;
  issuer_name: string;
  issuer_kind: string;
  /** The issuing body's code: which signing key is its own (server/signatures/signers.ts). */
  issuer_code?: string;
  award_kind: string;
  award_name: string;
  /** The award's English name, for pages read in English (the sheet itself is always Vietnamese). */
  award_name_en?: string;
  template: string;
  round_id: number;
  issuing_unit_id: number;
  /** When, why and by whom it was revoked; null while valid. */
  revoked_at?: Date | null;
  revoke_reason?: string | null;
  revoked_by_name?: string | null;
  /** The certificate this one corrects (sql/0023), and the one that replaced this one. */
  corrects_id?: number | null;
  replaced_by_id?: number | null;
  /**
   * A preview before the decision (preview.ts): no register number, decision number or code taken
   * yet, so the sheet prints placeholders there, a QR-shaped mark that reads as nothing, and
   * "BẢN XEM TRƯỚC" across it.
   */
  preview?: boolean;
}

/** What a preview prints where the decision will put a number, and the mark across it. */
export const PREVIEW_MARK = 'BẢN XEM TRƯỚC';
export const PLACEHOLDER = '……';

/**
 * A QR code's three finder squares on a 21-module grid and nothing else: the place and look of the
 * code, which no reader decodes (there is no data in it).
 */
function placeholderQr(): { size: number; path: string } {
  const size = 21;
  const runs: string[] = [];
  const finder = (left: number, top: number) => {
    for (let row = 0; row < 7; row++) {
      const y = top + row;
      if (row === 0 || row === 6) runs.push(`M${left} ${y}.5h7`);
      else if (row === 1 || row === 5) runs.push(`M${left} ${y}.5h1`, `M${left + 6} ${y}.5h1`);
      else runs.push(`M${left} ${y}.5h1`, `M${left + 2} ${y}.5h3`, `M${left + 6} ${y}.5h1`);
    }
  };
  finder(0, 0);
  finder(size - 7, 0);
  finder(0, size - 7);
  return { size, path: runs.join('') };
}

/** "Tỉnh An Giang" -> "An Giang": the place written before the date. */
export function placeName(issuerName: string): string {
  return issuerName.replace(/^(Tỉnh|Thành phố|Ủy ban nhân dân tỉnh|Ủy ban nhân dân thành phố|UBND tỉnh|UBND thành phố)\s+/i, '');
}

/** The authority granting the award, as the form writes it: "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG". */
export function authorityLine(awardKind: string, issuerName: string, issuerKind: string): string {
  const issuer = issuerName.toLocaleUpperCase('vi');
  if (awardKind === 'bang_khen_chu_tich_ubnd_tinh' && issuerKind === 'province') return `CHỦ TỊCH ỦY BAN NHÂN DÂN ${issuer}`;
  // The centre's rounds propose; the Prime Minister awards and signs this one (sql/0017).
  if (awardKind === 'bang_khen_thu_tuong') return 'THỦ TƯỚNG CHÍNH PHỦ';
  return issuer;
}

/** The place written before the date: the capital for the Prime Minister's certificate, else the issuer's place. */
export function placeOf(awardKind: string, issuerName: string): string {
  return awardKind === 'bang_khen_thu_tuong' ? 'Hà Nội' : placeName(issuerName);
}

/** '2024-12-20' -> 'ngày 20 tháng 12 năm 2024'; '2025-02-05' -> 'ngày 05 tháng 02 năm 2025'. */
export function dateInWords(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const two = (n: number, pad: boolean) => (pad && n < 10 ? `0${n}` : String(n));
  // Nghị định 30/2020: day 1–9 and month 1–2 are written with a leading zero.
  return `ngày ${two(day, true)} tháng ${two(month, month <= 2)} năm ${year}`;
}

/** The signer prefixes of Nghị định 30/2020 (Phụ lục I): on behalf of, for the head, acting, by order, by authorisation. */
export const SIGNER_PREFIXES = ['TM.', 'KT.', 'Q.', 'TL.', 'TUQ.'] as const;
const PREFIX = /^(TM|KT|Q|TL|TUQ)\s*\.\s*/iu;

/**
 * The signer's title as the signature block prints it: bold capitals, one line per part, never a
 * slash. Typed "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "KT.Chủ tịch - Phó Chủ tịch" or on two lines, it prints
 * "KT. CHỦ TỊCH" then "PHÓ CHỦ TỊCH". A "/" or a line break always separates lines; without them,
 * " - " separates only after a prefix, and only the last one (a body named "Thi đua - Khen thưởng"
 * keeps its dash: "TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG - CHỦ TỊCH" prints two lines). A title with
 * no prefix ("CHỦ TỊCH") is one line.
 */
export function signerLines(title: string): string[] {
  const text = title.normalize('NFC').replace(/\s+/g, (space) => (space.includes('\n') ? '\n' : ' ')).trim();
  let parts: string[];
  if (/[/\n]/.test(text)) parts = text.split(/\s*[/\n]\s*/);
  else if (PREFIX.test(text)) {
    const dash = text.lastIndexOf(' - ');
    parts = dash > 0 ? [text.slice(0, dash), text.slice(dash + 3)] : [text];
  } else parts = [text];
  return parts
    .map((part) => part.trim().replace(/^[-–]\s*|\s*[-–]$/g, ''))
    .filter(Boolean)
    .map((part) => part.replace(PREFIX, (prefix) => `${prefix.replace(/[\s.]/g, '')}. `).toLocaleUpperCase('vi'));
}

/** '2025-12-20' -> '20/12/2025', as the lower corner writes the decision's date. */
export function shortDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

/** The lower left corner's first line: "Quyết định số 12/QĐ-UBND ngày 20/12/2025". */
export function decisionLine(number: string, signedOn: string): string {
  return `Quyết định số ${number} ngày ${shortDate(signedOn)}`;
}

export function verificationUrl(publicUrl: string, code: string): string {
  return `${publicUrl.replace(/\/$/, '')}/verify/${code}`;
}

/**
 * The QR code as one SVG path, a stroke one module wide along each run of dark modules, drawn
 * inline by the template. An <img> of an SVG data URL made Chromium build a separate SVG document
 * per certificate: 40 % of a batch's time. The path holds only digits, '.', 'M' and 'h'.
 */
export function qrCode(url: string): { size: number; path: string } {
  const { size, data } = QRCode.create(url, { errorCorrectionLevel: 'M' }).modules;
  const runs: string[] = [];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; ) {
      if (!data[y * size + x]) {
        x += 1;
        continue;
      }
      const start = x;
      while (x < size && data[y * size + x]) x += 1;
      runs.push(`M${start} ${y}.5h${x - start}`);
    }
  }
  return { size, path: runs.join('') };
}

/**
 * The PDF's title: the award and the recipient for one certificate ("Bằng khen — Bà Nguyễn Thị A"),
 * the award and the decision for a batch.
 */
export function documentTitle(records: readonly CertificateRecord[]): string {
  const first = records[0];
  if (!first) return 'Bằng khen';
  const award = first.template === 'giay_khen' ? 'Giấy khen' : 'Bằng khen';
  if (records.length > 1) return `${award} — Quyết định số ${first.decision_number}`;
  const honorific = first.recipient_kind === 'individual' ? (first.gender === 'female' ? 'Bà ' : first.gender === 'male' ? 'Ông ' : '') : '';
  return `${award} — ${honorific}${first.recipient_name}`;
}

/** One certificate's sheet; `emblemUrl`: the template's uploaded emblem (emblemUrlOf), null for the placeholder. */
export function sheetOf(record: CertificateRecord, publicUrl: string, emblemUrl: string | null = null): CertificateSheet {
  const preview = record.preview === true;
  const url = preview ? '' : verificationUrl(publicUrl, record.verification_code);
  const individual = record.recipient_kind === 'individual';
  const honorific = individual ? (record.gender === 'female' ? 'Bà' : record.gender === 'male' ? 'Ông' : null) : null;
  return {
    recipient: {
      kind: individual ? 'individual' : 'collective',
      honorific,
      name: record.recipient_name,
      position: individual ? record.position : null,
      // A collective named after its unit does not repeat it.
      unitName: compareText(record.recipient_name, record.nominee_unit_name) === 0 ? null : record.nominee_unit_name,
    },
    authority: authorityLine(record.award_kind, record.issuer_name, record.issuer_kind),
    awardVerb: 'TẶNG',
    awardTitle: record.template === 'giay_khen' ? 'GIẤY KHEN' : 'BẰNG KHEN',
    achievement: record.achievement,
    placeDate: `${placeOf(record.award_kind, record.issuer_name)}, ${dateInWords(record.signed_on)}`,
    signer: { titleLines: signerLines(record.signer_title), name: record.signer_name },
    decisionLine: decisionLine(record.decision_number, record.signed_on),
    registerNumber: preview ? `${PLACEHOLDER}/${record.year}` : `${record.register_number}/${record.year}`,
    qr: preview ? { ...placeholderQr(), url, code: PLACEHOLDER } : { ...qrCode(url), url, code: record.verification_code },
    copyLabel: record.copy_number > 0 ? `BẢN CẤP LẠI LẦN ${record.copy_number}` : null,
    watermark: preview ? PREVIEW_MARK : null,
    fit: fitOf(`${honorific ?? ''} ${record.recipient_name}`, record.achievement),
    emblemUrl,
    digitalSignature: null,
  };
}
