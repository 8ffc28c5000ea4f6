// Dossier files (proposal, minutes, achievement report): PDF or Word only, recognised by their
// first bytes rather than by the name or type the browser claims, and size-limited.
import { createHash } from 'node:crypto';

export const MAX_DOSSIER_BYTES = 10 * 1024 * 1024;
export const MAX_FILES_PER_NOMINATION = 12;

const TYPES = [
  { extension: 'pdf', contentType: 'application/pdf', magic: Buffer.from('%PDF-') },
  { extension: 'docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: Buffer.from([0x50, 0x4b, 0x03, 0x04]) },
  { extension: 'doc', contentType: 'application/msword', magic: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) },
] as const;

/** The stored type of an upload, or undefined when its name and its bytes are not both PDF or Word. */
export function dossierType(fileName: string, content: Buffer): { contentType: string } | undefined {
  const extension = fileName.toLowerCase().split('.').pop();
  const type = TYPES.find((candidate) => candidate.extension === extension);
  if (!type || !content.subarray(0, type.magic.length).equals(type.magic)) return undefined;
  return { contentType: type.contentType };
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
