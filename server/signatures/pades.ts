// PAdES signatures on our PDFs: a signature field whose CMS (cms.ts) covers the whole file except its
// own hex string, placed with pdf-lib (@signpdf/placeholder-pdf-lib) and filled by @signpdf/signpdf;
// and the check of the last signature of a PDF, ours or one an office's USB token made.
import { PDFDocument } from 'pdf-lib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import { SignPdf } from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { signDetached, verifyDetached, type SigningIdentity } from './cms.ts';

/** Room for the CMS in the file: a signature with a chain of a few 4096-bit certificates fits. */
const SIGNATURE_BYTES = 16_384;

class CadesSigner extends Signer {
  constructor(private readonly identity: SigningIdentity) {
    super();
  }

  override async sign(pdf: Buffer): Promise<Buffer> {
    return signDetached(pdf, this.identity);
  }
}

/** What the signature field says beside the CMS: the body that signs, why and where (Unicode). */
export interface SignatureLabel {
  name: string;
  reason: string;
  location: string;
}

/** Signs a PDF with one PAdES signature (ETSI.CAdES.detached) covering the whole document. */
export async function signPdf(pdf: Buffer, identity: SigningIdentity, label: SignatureLabel, signedAt: Date): Promise<Buffer> {
  const document = await PDFDocument.load(pdf, { updateMetadata: false });
  pdflibAddPlaceholder({
    pdfDoc: document, reason: textString(label.reason), contactInfo: '', name: textString(label.name), location: textString(label.location),
    signingTime: signedAt, signatureLength: SIGNATURE_BYTES, subFilter: SUBFILTER_ETSI_CADES_DETACHED, appName: 'So dang ky Dan van kheo',
  });
  const prepared = Buffer.from(await document.save({ useObjectStreams: false }));
  return new SignPdf().sign(prepared, new CadesSigner(identity), signedAt);
}

/**
 * A PDF text string for Vietnamese: UTF-16BE with its byte order mark, written byte by byte into the
 * literal string the placeholder makes, with the bytes that are its delimiters escaped.
 */
function textString(text: string): string {
  const utf16 = Buffer.from(text, 'utf16le').swap16();
  return String.fromCharCode(0xfe, 0xff, ...utf16).replace(/[()\\]/g, (byte) => `\\${byte}`);
}

/** The last signature of a PDF, checked: what it covers and whether its CMS verifies over that. */
export interface PdfSignatureCheck {
  /** The CMS verifies over the bytes the /ByteRange names (digest and signature). */
  valid: boolean;
  /** The byte range starts at 0 and ends at the end of the file: nothing was added after signing. */
  coversWholeDocument: boolean;
  /** Where the signature's hex string starts: the bytes before it are what the signer saw first. */
  signedFrom: number;
  signerName: string | null;
}

/** Checks the last signature in a PDF; undefined when the file holds none. */
export async function checkPdfSignature(pdf: Buffer): Promise<PdfSignatureCheck | undefined> {
  const at = pdf.lastIndexOf('/ByteRange');
  if (at < 0) return undefined;
  const match = /^\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(pdf.subarray(at, at + 120).toString('latin1'));
  if (!match) return undefined;
  const [start, length, gapEnd, tailLength] = match.slice(1).map(Number) as [number, number, number, number];
  const inFile = start === 0 && length > 0 && gapEnd > length && gapEnd + tailLength <= pdf.length;
  if (!inFile) return { valid: false, coversWholeDocument: false, signedFrom: length, signerName: null };
  const hex = pdf.subarray(length, gapEnd).toString('latin1');
  if (!/^<[0-9A-Fa-f]+>$/.test(hex)) return { valid: false, coversWholeDocument: false, signedFrom: length, signerName: null };
  const cms = derPrefix(Buffer.from(hex.slice(1, -1), 'hex'));
  const covered = Buffer.concat([pdf.subarray(0, length), pdf.subarray(gapEnd, gapEnd + tailLength)]);
  const { valid, signerName } = await verifyDetached(cms, covered);
  return { valid, coversWholeDocument: gapEnd + tailLength === pdf.length, signedFrom: length, signerName };
}

/** The DER value at the start of a placeholder padded with zeros: its length read from its header. */
function derPrefix(bytes: Buffer): Buffer {
  if (bytes.length < 2) return bytes;
  const first = bytes[1]!;
  if (first < 0x80) return bytes.subarray(0, 2 + first);
  const count = first & 0x7f;
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + (bytes[2 + i] ?? 0);
  return bytes.subarray(0, Math.min(bytes.length, 2 + count + length));
}
