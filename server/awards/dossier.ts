// Dossier files (proposal, minutes, achievement report): PDF or Word only, recognised by their
// first bytes rather than by the name or type the browser claims, and size-limited. A .docx is a ZIP,
// so its first bytes prove little: its package must declare a Word document as its main part.
import { createHash } from 'node:crypto';
import yauzl from 'yauzl';
import { ValidationError, type FieldProblem } from '../errors.ts';

export const MAX_DOSSIER_BYTES = 10 * 1024 * 1024;
export const MAX_FILES_PER_NOMINATION = 12;

const TYPES = [
  { extension: 'pdf', format: 'PDF', contentType: 'application/pdf', magic: Buffer.from('%PDF-') },
  { extension: 'docx', format: 'Word', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: Buffer.from([0x50, 0x4b, 0x03, 0x04]) },
  { extension: 'doc', format: 'Word', contentType: 'application/msword', magic: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) },
] as const;

/** A model's evidence may also be photos: JPEG and PNG, recognised by their first bytes too. */
const PHOTO_TYPES = [
  { extension: 'jpg', format: 'JPEG', contentType: 'image/jpeg', magic: Buffer.from([0xff, 0xd8, 0xff]) },
  { extension: 'jpeg', format: 'JPEG', contentType: 'image/jpeg', magic: Buffer.from([0xff, 0xd8, 0xff]) },
  { extension: 'png', format: 'PNG', contentType: 'image/png', magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
] as const;

export const EVIDENCE_TYPES = [...TYPES, ...PHOTO_TYPES] as const;

/**
 * The stored type of an upload, or why it is refused: a name that is not .pdf/.doc/.docx (`type`),
 * or a PDF/Word name on bytes that are not that format (`not_genuine`), saying whether they are
 * plain text (a .txt or .html renamed), so the person knows to export the document again.
 */
export type DossierType =
  | { contentType: string }
  | { refused: 'type' }
  | { refused: 'not_genuine'; format: 'PDF' | 'Word' | 'JPEG' | 'PNG'; extension: string; plainText: boolean };

export const DOSSIER_TYPES = TYPES;

export async function dossierType(fileName: string, content: Buffer, accepted: readonly (typeof EVIDENCE_TYPES)[number][] = TYPES): Promise<DossierType> {
  const extension = fileName.toLowerCase().split('.').pop();
  const type = accepted.find((candidate) => candidate.extension === extension);
  if (!type) return { refused: 'type' };
  const genuine = content.subarray(0, type.magic.length).equals(type.magic) && (type.extension !== 'docx' || (await isWordPackage(content)));
  if (!genuine) return { refused: 'not_genuine', format: type.format, extension: type.extension, plainText: isPlainText(content) };
  return { contentType: type.contentType };
}

/** Text bytes only (no NUL or other control character but tab, line breaks, form feed and escape) in the first 8 KiB. */
function isPlainText(content: Buffer): boolean {
  const sample = content.subarray(0, 8192);
  return sample.length > 0 && !sample.some((byte) => byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1b) || byte === 0x7f);
}

const WORD_MAIN_PART = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
const MAX_CONTENT_TYPES_BYTES = 256 * 1024;

/**
 * Whether a ZIP is a Word document: `[Content_Types].xml` declares `/word/document.xml` as a Word
 * main part and that part exists, with no macro project. Anything unreadable is not one.
 */
export async function isWordPackage(content: Buffer): Promise<boolean> {
  try {
    const entries = await zipEntries(content, '[Content_Types].xml');
    if (!entries.names.has('word/document.xml') || [...entries.names].some((name) => /vbaProject\.bin$/i.test(name))) return false;
    const types = entries.wanted;
    if (types === undefined) return false;
    const override = /<Override\b[^>]*>/g;
    for (const match of types.match(override) ?? []) {
      if (/PartName="\/word\/document\.xml"/i.test(match) && match.includes(`ContentType="${WORD_MAIN_PART}"`)) return true;
    }
    return false;
  } catch {
    return false;
  }
}

/** Every entry name of a ZIP held in memory, and the text of one small entry. */
function zipEntries(content: Buffer, wantedName: string): Promise<{ names: Set<string>; wanted?: string }> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(content, { lazyEntries: true, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('not a zip'));
      const names = new Set<string>();
      let wanted: string | undefined;
      zip.on('error', reject);
      zip.on('end', () => resolve({ names, wanted }));
      zip.on('entry', (entry: yauzl.Entry) => {
        names.add(entry.fileName);
        if (entry.fileName !== wantedName) return zip.readEntry();
        if (entry.uncompressedSize > MAX_CONTENT_TYPES_BYTES) return reject(new Error('content types too large'));
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error('unreadable entry'));
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', reject);
          stream.on('end', () => {
            wanted = Buffer.concat(chunks).toString('utf8');
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** A file name safe to store and to send back in Content-Disposition: no path, no control characters. */
export function cleanFileName(name: string): string {
  const base = name.normalize('NFC').split(/[\\/]/).pop() ?? 'file';
  const cleaned = base.replace(/[\u0000-\u001f\u007f"<>|:*?\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  return (cleaned || 'file').slice(-200);
}

export function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * An upload checked as stored files are (a nomination's dossier, a model's evidence): its clean name,
 * its type by its bytes among `accepted`, its size; else 422 on `file` naming why (`typeKey` lists what is taken).
 */
export async function acceptedUpload(upload: { fileName: string; content: Buffer }, accepted: readonly (typeof EVIDENCE_TYPES)[number][], typeKey: FieldProblem['key']) {
  const fileName = cleanFileName(upload.fileName);
  const type = await dossierType(fileName, upload.content, accepted);
  if (upload.content.length === 0 || 'refused' in type) {
    // Reason file_type for both: a PDF or Word name on other bytes is told so, and whether they are plain text.
    const problem = 'refused' in type && type.refused === 'not_genuine'
      ? { key: type.plainText ? 'awards.file.plainText' as const : 'awards.file.notGenuine' as const, params: { format: type.format, extension: type.extension } }
      : { key: typeKey };
    throw new ValidationError([{ field: 'file', reason: 'file_type', ...problem }]);
  }
  if (upload.content.length > MAX_DOSSIER_BYTES) throw new ValidationError([{ field: 'file', reason: 'file_too_large', key: 'awards.file.tooBig', params: { megabytes: MAX_DOSSIER_BYTES / 1024 / 1024 } }]);
  return { fileName, contentType: type.contentType, sha256: sha256(upload.content) };
}
