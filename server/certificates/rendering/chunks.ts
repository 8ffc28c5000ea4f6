// Certificates to PDF in chunks: each chunk of up to CHUNK_SIZE sheets is one document for Chromium,
// and the chunks are joined, so memory stays bounded however many certificates a decision holds.
// A print job stores the same chunks one by one (jobs.ts) and joins them at the end.
import type { SignatureStamp } from '../../signatures/stamp.ts';
import type { Assets, CertificateRenderer, PdfOptions } from './renderer.ts';
import { documentTitle, sheetOf, type CertificateRecord } from './sheets.ts';
import { certificateDocument, emblemUrlOf, renderSheet, type Layout, type TemplateName } from './templates.ts';
import { inOrder } from './in-order.ts';
import { PdfJoiner } from './joiner.ts';

export const CHUNK_SIZE = 100;

/** What rendering needs: the process's renderer and the public address the QR codes point to. */
export interface RenderDeps {
  renderer: CertificateRenderer;
  publicUrl: string;
}

/**
 * Renders certificates into one PDF, one page each, chunk by chunk; `onChunk` sees each chunk as it
 * is made, in order. As many chunks are in flight as the renderer has pages, so node builds the next
 * chunk's sheets while Chromium prints the current one and both cores are busy.
 */
export async function renderCertificates(deps: RenderDeps, records: readonly CertificateRecord[], layout: Layout, onChunk?: (index: number, pdf: Buffer, pages: number) => Promise<void>): Promise<Buffer> {
  // A small batch is cut in as many chunks as pages render at once, so every core works on it.
  const size = Math.min(CHUNK_SIZE, Math.ceil(records.length / deps.renderer.parallelism));
  const slices: (readonly CertificateRecord[])[] = [];
  for (let start = 0; start < records.length; start += size) slices.push(records.slice(start, start + size));
  // One certificate is also the digital copy, read on screen: tagged. Several go to the printer.
  const pdfOptions = { tagged: records.length === 1 };
  const joiner = new PdfJoiner(documentTitle(records));
  await inOrder(slices, deps.renderer.parallelism, (slice) => renderChunk(deps, slice, layout, pdfOptions), async (pdf, index) => {
    if (onChunk) await onChunk(index, pdf, slices[index]!.length);
    await joiner.add(pdf); // while the next chunks render
  });
  return joiner.result();
}

/** One chunk's sheets as one PDF document. */
export async function renderChunk(deps: RenderDeps, records: readonly CertificateRecord[], layout: Layout, pdfOptions: PdfOptions = { tagged: false }, digitalSignature: SignatureStamp | null = null): Promise<Buffer> {
  const emblemUrl = emblemUrlOf(layout);
  const sheets = records.map((record) => renderSheet(record.template as TemplateName, { ...sheetOf(record, deps.publicUrl, emblemUrl), digitalSignature }));
  return deps.renderer.renderPdf(certificateDocument(sheets, layout, documentTitle(records)), { widthMm: layout.paperWidthMm, heightMm: layout.paperHeightMm }, { ...pdfOptions, assets: layoutAssets(layout) });
}

/** The files a layout's documents need beside the fonts: its uploaded emblem. */
export function layoutAssets(layout: Layout): Assets | undefined {
  return layout.emblem ? new Map([[layout.emblem.path, { body: layout.emblem.body, contentType: layout.emblem.contentType }]]) : undefined;
}
