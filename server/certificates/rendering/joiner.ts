// Joining chunk PDFs into one document: a batch is rendered in chunks so memory stays bounded, and
// the chunks become the one file the user downloads.
import { ParseSpeeds, PDFDocument } from 'pdf-lib';

/**
 * Joins chunk PDFs page by page as they arrive (pdf-lib copies each page with its fonts and text
 * intact), so a batch's parsing overlaps the rendering of its next chunks. One chunk is kept as it is.
 */
export class PdfJoiner {
  private first: Buffer | undefined;
  private joined: PDFDocument | undefined;

  /** `title`: the joined document's title (one chunk keeps the title Chromium gave it). */
  constructor(private readonly title?: string) {}

  async add(chunk: Buffer): Promise<void> {
    if (!this.joined && !this.first) {
      this.first = chunk;
      return;
    }
    if (!this.joined) {
      this.joined = await PDFDocument.create();
      if (this.title) this.joined.setTitle(this.title);
      await this.copy(this.first!);
      this.first = undefined;
    }
    await this.copy(chunk);
  }

  async result(): Promise<Buffer> {
    if (this.joined) return Buffer.from(await this.joined.save());
    if (this.first) return this.first;
    throw new Error('no PDF to join');
  }

  private async copy(chunk: Buffer): Promise<void> {
    // pdf-lib's default parse yields a timer tick every 100 objects (≈ 3 s of 4 at 1,000 certificates);
    // one chunk parsed at once blocks the event loop for a few tens of milliseconds.
    const source = await PDFDocument.load(chunk, { parseSpeed: ParseSpeeds.Fastest, updateMetadata: false });
    for (const page of await this.joined!.copyPages(source, source.getPageIndices())) this.joined!.addPage(page);
  }
}

/** The chunks, in order, as one PDF. */
export async function joinPdfs(chunks: readonly Buffer[], title?: string): Promise<Buffer> {
  const joiner = new PdfJoiner(title);
  for (const chunk of chunks) await joiner.add(chunk);
  return joiner.result();
}
