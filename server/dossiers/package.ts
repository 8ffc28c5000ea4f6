// The ZIP a dossier package is: for one nomination, the summary (.docx), every dossier file as
// uploaded, and manifest.json; for a round, one such folder per nomination in the annex's order,
// the list of nominees (.docx) and a manifest of everything. Each file's bytes are checked against
// the SHA-256 stored at upload before they go out; a round streams one file at a time.
import { wordDocument, DOCX_CONTENT_TYPE } from '../documents/docx.ts';
import { ZipWriter, type ZipSink } from '../documents/zip.ts';
import { sha256 } from '../awards/dossier.ts';
import type { Language } from '../web/i18n/index.ts';
import type { Round } from '../awards/repository.ts';
import {
  fileEntryName, folderName, listDocument, LIST_NAME, MANIFEST_NAME, nominationFacts, nominationManifest, roundManifest, summaryDocument, SUMMARY_NAME,
  type ManifestFile,
} from './present.ts';
import type { FileReader, NominationDossier } from './service.ts';

interface PackageOptions {
  language: Language;
  now?: Date;
}

/** Writes a nomination's entries under `folder` ('' for the top) and answers its manifest's files, paths relative to the folder. */
async function writeNomination(writer: ZipWriter, folder: string, dossier: NominationDossier, readFile: FileReader, language: Language, now: Date): Promise<ManifestFile[]> {
  const prefix = folder ? `${folder}/` : '';
  const listed: ManifestFile[] = [];
  const summary = await wordDocument(summaryDocument(dossier, language, now), { title: `${dossier.nomination.nominee_name} — ${dossier.round.title}`, created: now });
  await writer.add({ name: prefix + SUMMARY_NAME, data: summary, compress: false });
  listed.push({ path: SUMMARY_NAME, originalName: SUMMARY_NAME, kind: 'summary', contentType: DOCX_CONTENT_TYPE, size: summary.length, sha256: sha256(summary), generated: true });
  for (const [index, file] of dossier.files.entries()) {
    const bytes = await readFile(file.id);
    const digest = sha256(bytes);
    // A file whose bytes no longer match what was uploaded must not reach the ministry as if intact.
    if (digest !== file.sha256 || bytes.length !== file.size_bytes) throw new Error(`dossier file ${file.id} of nomination ${file.nomination_id} does not match its stored SHA-256 and size`);
    const path = fileEntryName(index + 1, file);
    // PDF and Word files are compressed already; a .doc (OLE) may shrink, so only it is deflated.
    await writer.add({ name: prefix + path, data: bytes, compress: file.content_type === 'application/msword' });
    listed.push({ path, originalName: file.file_name, kind: file.kind, contentType: file.content_type, size: bytes.length, sha256: digest, generated: false });
  }
  await writer.add({ name: prefix + MANIFEST_NAME, data: json(nominationManifest(dossier, listed, now)) });
  return listed;
}

/** One nomination's package, in memory (at most 12 files of 10 MB). */
export async function nominationPackage(dossier: NominationDossier, readFile: FileReader, { language, now = new Date() }: PackageOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const writer = new ZipWriter((chunk) => {
    chunks.push(chunk);
  }, now);
  await writeNomination(writer, '', dossier, readFile, language, now);
  await writer.finish();
  return Buffer.concat(chunks);
}

/** A round's package, written to the sink entry by entry. */
export async function writeRoundPackage(round: Round, dossiers: readonly NominationDossier[], readFile: FileReader, sink: ZipSink, { language, now = new Date() }: PackageOptions): Promise<void> {
  const writer = new ZipWriter(sink, now);
  const list = await wordDocument(listDocument(round, dossiers, language, now), { title: round.title, landscape: true, created: now });
  await writer.add({ name: LIST_NAME, data: list, compress: false });
  const top: ManifestFile[] = [{ path: LIST_NAME, originalName: LIST_NAME, kind: 'list', contentType: DOCX_CONTENT_TYPE, size: list.length, sha256: sha256(list), generated: true }];
  const nominations = [];
  for (const [index, dossier] of dossiers.entries()) {
    const folder = folderName(index + 1, dossier.nomination.nominee_name);
    const files = await writeNomination(writer, folder, dossier, readFile, language, now);
    nominations.push({ folder, facts: nominationFacts(dossier), files: files.map((file) => ({ ...file, path: `${folder}/${file.path}` })) });
  }
  await writer.add({ name: MANIFEST_NAME, data: json(roundManifest(round, nominations, top, now)) });
  await writer.finish();
}

/** A round's package in memory: for tests and small rounds. */
export async function roundPackage(round: Round, dossiers: readonly NominationDossier[], readFile: FileReader, options: PackageOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await writeRoundPackage(round, dossiers, readFile, (chunk) => {
    chunks.push(chunk);
  }, options);
  return Buffer.concat(chunks);
}

function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}
