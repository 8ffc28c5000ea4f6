// Reading PDFs back in the tests and benches with npm packages only (no poppler on the machine):
// pdfjs-dist (legacy build) for pages, sizes and text, pdf-lib for the font objects, and
// @napi-rs/canvas (the canvas pdfjs draws on in Node) for rendering a page to pixels.
//
// Text comes out roughly as poppler's pdftotext gives it: pages each followed by a form feed,
// items on one baseline joined into a line, lines in blocks read top down (or, with `raw`, in
// drawing order; with `layout`, whole lines with the gaps kept), NFC-normalised. Unlike pdftotext
// it never joins a word broken after a hyphen at the end of a line.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas } from '@napi-rs/canvas';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, PDFStream, type PDFObject } from 'pdf-lib';
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';

const pdfjsRoot = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** Opens a PDF with pdfjs, runs `work`, always frees the document. */
async function withDocument<T>(pdf: Uint8Array, work: (doc: PDFDocumentProxy) => Promise<T>): Promise<T> {
  const doc = await getDocument({
    // pdfjs may transfer (detach) the buffer it is given: hand it a copy.
    data: new Uint8Array(pdf),
    verbosity: 0,
    isEvalSupported: false,
    useSystemFonts: false,
    standardFontDataUrl: join(pdfjsRoot, 'standard_fonts') + '/',
    cMapUrl: join(pdfjsRoot, 'cmaps') + '/',
    cMapPacked: true,
  }).promise;
  try {
    return await work(doc);
  } finally {
    await doc.destroy();
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export interface PageSize {
  width: number;
  height: number;
}

/** The number of pages and each page's size in points (rotation applied), as pdfinfo reports them. */
export function pageSizes(pdf: Uint8Array): Promise<PageSize[]> {
  return withDocument(pdf, async (doc) => {
    const sizes: PageSize[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const { width, height } = page.getViewport({ scale: 1 });
      sizes.push({ width: round2(width), height: round2(height) });
      page.cleanup();
    }
    return sizes;
  });
}

/** A run of text on one baseline, in points from the page's top-left. */
interface Run {
  text: string;
  x: number;
  width: number;
  /** Baseline, from the top. */
  y: number;
  size: number;
  /** Top and bottom of the font's box (ascent and descent), from the top. */
  top: number;
  bottom: number;
}

// Letter-spaced text (CSS letter-spacing, e.g. "TẶNG") is drawn glyph by glyph with gaps that pdfjs
// takes for spaces: "T Ặ N G". A run of three or more single characters each set one space apart is
// read as one word, as pdftotext does.
const LETTER_SPACED = /^\S( \S){2,}$/u;

async function pageRuns(doc: PDFDocumentProxy, n: number): Promise<{ runs: Run[]; width: number; height: number }> {
  const page = await doc.getPage(n);
  const viewport = page.getViewport({ scale: 1 });
  const { width, height } = viewport;
  const content = await page.getTextContent();
  const runs: Run[] = [];
  for (const item of content.items) {
    // pdfjs marks a wide gap with an item of white space as wide as the gap: the gap itself is what counts.
    if (!('str' in item) || item.str.trim() === '') continue;
    const { str, transform, width: itemWidth } = item as TextItem;
    const [a, b, , , e, f] = transform as number[];
    const size = Math.hypot(a!, b!);
    const style = content.styles[(item as TextItem).fontName];
    const ascent = style?.ascent ?? 0.8;
    const descent = style?.descent ?? -0.2;
    const [x, y] = viewport.convertToViewportPoint(e!, f!) as [number, number]; // from the top-left
    const text = LETTER_SPACED.test(str) ? str.replace(/ /g, '') : str;
    runs.push({ text, x, width: itemWidth, y, size, top: y - ascent * size, bottom: y - descent * size });
  }
  page.cleanup();
  return { runs, width, height };
}

/** Runs grouped into lines by baseline (within a third of the smaller font size), top down, each left to right. */
function linesOf(runs: Run[]): Run[][] {
  const sorted = [...runs].sort((p, q) => p.y - q.y || p.x - q.x);
  const lines: Run[][] = [];
  for (const run of sorted) {
    const line = lines.at(-1);
    const last = line?.[0];
    if (line && last && Math.abs(run.y - last.y) < Math.min(run.size, last.size) / 3) line.push(run);
    else lines.push([run]);
  }
  for (const line of lines) line.sort((p, q) => p.x - q.x);
  return lines;
}

/**
 * A line cut where runs stand more than twice the font size apart: text side by side in separate
 * boxes (the signer's name beside the verification address, the cells of a table row) is not one line.
 */
function columnsOf(line: Run[]): Run[][] {
  const columns: Run[][] = [];
  for (const run of line) {
    const column = columns.at(-1);
    const previous = column?.at(-1);
    if (column && previous && run.x - (previous.x + previous.width) <= 2 * Math.min(run.size, previous.size)) column.push(run);
    else columns.push([run]);
  }
  return columns;
}

interface Segment {
  runs: Run[];
  x0: number;
  x1: number;
  y: number;
  size: number;
}

/**
 * The reading order of pdftotext's default mode, roughly: the pieces of each line (columnsOf) are
 * stacked into blocks, a piece going under the block whose last piece is the line just above it
 * (baselines at most twice the font size apart) and overlaps it horizontally. Blocks come out in
 * the order they start, top down and left to right, each piece of a block on its own line: a table
 * cell or a box wrapped over several lines reads as one stretch of text.
 */
function blocksOf(runs: Run[]): Run[][] {
  const blocks: Segment[][] = [];
  for (const line of linesOf(runs)) {
    const taken = new Set<Segment[]>();
    for (const pieces of columnsOf(line)) {
      const segment: Segment = {
        runs: pieces,
        x0: pieces[0]!.x,
        x1: Math.max(...pieces.map((run) => run.x + run.width)),
        y: pieces[0]!.y,
        size: Math.max(...pieces.map((run) => run.size)),
      };
      let best: Segment[] | undefined;
      let bestOverlap = 0;
      for (const block of blocks) {
        const last = block.at(-1)!;
        const down = segment.y - last.y;
        const overlap = Math.min(segment.x1, last.x1) - Math.max(segment.x0, last.x0);
        if (taken.has(block) || down <= 0 || down > 2 * Math.max(segment.size, last.size) || overlap <= bestOverlap) continue;
        best = block;
        bestOverlap = overlap;
      }
      if (best) best.push(segment);
      else blocks.push([segment]);
      taken.add(best ?? blocks.at(-1)!);
    }
  }
  return blocks.flatMap((block) => block.map((segment) => segment.runs));
}

/** Joins runs left to right: nothing between touching runs, one space (or, in layout mode, spaces to the gap) between the others. */
function joinRuns(runs: Run[], layout: boolean): string {
  let text = '';
  let end: number | undefined;
  for (const run of runs) {
    if (end !== undefined) {
      const gap = run.x - end;
      if (gap > run.size * 0.1 && !/\s$/.test(text) && !/^\s/.test(run.text)) text += layout ? ' '.repeat(Math.max(1, Math.round(gap / (run.size / 2)))) : ' ';
    }
    text += run.text;
    end = run.x + run.width;
  }
  return text;
}

export interface TextOptions {
  /** Only this page (from 1). */
  page?: number;
  /**
   * In the order the content stream draws the text (pdftotext -raw): a new line wherever the
   * baseline changes. Otherwise lines go from the top of the page down.
   */
  raw?: boolean;
  /** Keep horizontal gaps as runs of spaces (pdftotext -layout), so that columns stay apart on a line. */
  layout?: boolean;
}

/** The text of the PDF, each page followed by a form feed, NFC-normalised. */
export function extractText(pdf: Uint8Array, options: TextOptions = {}): Promise<string> {
  return withDocument(pdf, async (doc) => {
    const first = options.page ?? 1;
    const last = options.page ?? doc.numPages;
    let text = '';
    for (let n = first; n <= last; n++) {
      const { runs } = await pageRuns(doc, n);
      let lines: string[];
      if (options.raw) {
        lines = [];
        let line: Run[] = [];
        for (const run of runs) {
          const previous = line.at(-1);
          if (previous && Math.abs(run.y - previous.y) >= Math.min(run.size, previous.size) / 3) {
            lines.push(joinRuns(line, false));
            line = [];
          }
          line.push(run);
        }
        if (line.length) lines.push(joinRuns(line, false));
      } else {
        lines = options.layout ? linesOf(runs).map((line) => joinRuns(line, true)) : blocksOf(runs).map((line) => joinRuns(line, false));
      }
      text += lines.map((line) => line + '\n').join('') + '\f';
    }
    return text.normalize('NFC');
  });
}

export interface Word {
  /** From 1. */
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/**
 * Every word with its box in points from the page's top-left (like pdftotext -bbox): a word's
 * height is its font's ascent and descent; across a run the characters are taken as equally wide.
 */
export function extractWords(pdf: Uint8Array): Promise<{ pages: PageSize[]; words: Word[] }> {
  return withDocument(pdf, async (doc) => {
    const pages: PageSize[] = [];
    const words: Word[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const { runs, width, height } = await pageRuns(doc, n);
      pages.push({ width, height });
      for (const line of linesOf(runs)) {
        let open: Word | undefined;
        for (const run of line) {
          const chars = [...run.text];
          const charWidth = chars.length ? run.width / chars.length : 0;
          // A run that starts where the last word ended (another font, same word) continues it.
          if (open && (run.x - open.xMax > run.size * 0.1 || /^\s/.test(run.text))) open = undefined;
          let index = 0;
          for (const part of run.text.split(/(\s+)/)) {
            const length = [...part].length;
            if (part && !/^\s+$/.test(part)) {
              const xMin = run.x + index * charWidth;
              const xMax = run.x + (index + length) * charWidth;
              if (open && index === 0) {
                open.text += part;
                open.xMax = xMax;
                open.yMin = Math.min(open.yMin, run.top);
                open.yMax = Math.max(open.yMax, run.bottom);
              } else {
                open = { page: n, text: part, xMin, yMin: run.top, xMax, yMax: run.bottom };
                words.push(open);
              }
            } else if (part) {
              open = undefined;
            }
            index += length;
          }
        }
      }
    }
    for (const word of words) word.text = word.text.normalize('NFC');
    return { pages, words };
  });
}

export interface FontInfo {
  /** BaseFont, with its subset tag ("AAAAAA+NotoSerif-Regular"), or "[none]". */
  name: string;
  /** As pdffonts names it: "Type 1", "Type 1C", "Type 3", "TrueType", "CID Type 0", "CID Type 0C", "CID TrueType". */
  type: string;
  /** The font program is in the PDF (a FontFile, FontFile2 or FontFile3 in its descriptor; Type 3 fonts always). */
  embedded: boolean;
  subset: boolean;
  /** It has a ToUnicode map. */
  unicode: boolean;
}

/**
 * Every font the pages use (their resources, the resources of the form XObjects they draw, and
 * annotations' appearances), each font object once, as pdffonts lists them. Read from the PDF's
 * objects with pdf-lib: embedded means the font's descriptor holds its program.
 */
export async function listFonts(pdf: Uint8Array): Promise<FontInfo[]> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: true });
  const { context } = doc;
  const lookup = (object: PDFObject | undefined): PDFObject | undefined => (object instanceof PDFRef ? context.lookup(object) : object);
  const dict = (object: PDFObject | undefined) => {
    const found = lookup(object);
    if (found instanceof PDFDict) return found;
    if (found instanceof PDFStream) return found.dict;
    return undefined;
  };
  const nameOf = (object: PDFObject | undefined) => {
    const found = lookup(object);
    return found instanceof PDFName ? found.decodeText() : undefined;
  };
  const fonts: FontInfo[] = [];
  const seenFonts = new Set<PDFObject>();
  const seenResources = new Set<PDFObject>();

  const describe = (font: PDFDict): FontInfo => {
    const subtype = nameOf(font.get(PDFName.of('Subtype')));
    const name = nameOf(font.get(PDFName.of('BaseFont'))) ?? '[none]';
    let descriptorOwner = font;
    let type: string;
    if (subtype === 'Type0') {
      const descendants = lookup(font.get(PDFName.of('DescendantFonts')));
      const descendant = descendants instanceof PDFArray ? dict(descendants.get(0)) : undefined;
      if (descendant) descriptorOwner = descendant;
      type = nameOf(descendant?.get(PDFName.of('Subtype'))) === 'CIDFontType2' ? 'CID TrueType' : 'CID Type 0';
    } else if (subtype === 'TrueType') type = 'TrueType';
    else if (subtype === 'Type3') type = 'Type 3';
    else type = 'Type 1';
    const descriptor = dict(descriptorOwner.get(PDFName.of('FontDescriptor')));
    const file = ['FontFile', 'FontFile2', 'FontFile3'].map((key) => lookup(descriptor?.get(PDFName.of(key)))).find((stream) => stream instanceof PDFRawStream || stream instanceof PDFStream);
    if (file && descriptor?.has(PDFName.of('FontFile3'))) {
      const fileType = nameOf((file as PDFStream).dict.get(PDFName.of('Subtype')));
      if (fileType === 'Type1C' || fileType === 'CIDFontType0C') type += 'C';
      if (fileType === 'OpenType') type += ' (OT)';
    }
    return {
      name,
      type,
      embedded: subtype === 'Type3' || file !== undefined,
      subset: /^[A-Z]{6}\+/.test(name),
      unicode: font.has(PDFName.of('ToUnicode')),
    };
  };

  const visitResources = (resourcesObject: PDFObject | undefined) => {
    const resources = dict(resourcesObject);
    if (!resources || seenResources.has(resources)) return;
    seenResources.add(resources);
    const fontDict = dict(resources.get(PDFName.of('Font')));
    for (const [, value] of fontDict?.entries() ?? []) {
      const font = dict(value);
      const key = value instanceof PDFRef ? value : font;
      if (!font || !key || seenFonts.has(key)) continue;
      seenFonts.add(key);
      fonts.push(describe(font));
      if (nameOf(font.get(PDFName.of('Subtype'))) === 'Type3') visitResources(font.get(PDFName.of('Resources')));
    }
    const xobjects = dict(resources.get(PDFName.of('XObject')));
    for (const [, value] of xobjects?.entries() ?? []) {
      const xobject = dict(value);
      if (xobject && nameOf(xobject.get(PDFName.of('Subtype'))) === 'Form') visitResources(xobject.get(PDFName.of('Resources')));
    }
  };

  for (const page of doc.getPages()) {
    visitResources(page.node.Resources());
    const annotations = lookup(page.node.get(PDFName.of('Annots')));
    for (const annotation of annotations instanceof PDFArray ? annotations.asArray() : []) {
      const appearances = dict(dict(annotation)?.get(PDFName.of('AP')));
      for (const [, appearance] of appearances?.entries() ?? []) {
        const stream = dict(appearance);
        if (stream?.has(PDFName.of('Resources'))) visitResources(stream.get(PDFName.of('Resources')));
        else for (const [, state] of stream?.entries() ?? []) visitResources(dict(state)?.get(PDFName.of('Resources')));
      }
    }
  }
  return fonts;
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface RenderedPage {
  width: number;
  height: number;
  /** RGBA, row by row from the top-left. */
  data: Uint8ClampedArray;
  /** The pixels of a part of the page (in pixels of this image). */
  crop(region: Region): { width: number; height: number; data: Uint8ClampedArray };
}

/** One page (from 1) drawn at `dpi` on a white background with @napi-rs/canvas. */
export function renderPage(pdf: Uint8Array, page = 1, dpi = 150): Promise<RenderedPage> {
  return withDocument(pdf, async (doc) => {
    const pdfPage = await doc.getPage(page);
    const viewport = pdfPage.getViewport({ scale: dpi / 72 });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    await pdfPage.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: context as unknown as CanvasRenderingContext2D, viewport }).promise;
    pdfPage.cleanup();
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const data = new Uint8ClampedArray(image.data);
    return {
      width: canvas.width,
      height: canvas.height,
      data,
      crop(region: Region) {
        const x = Math.max(0, Math.floor(region.x));
        const y = Math.max(0, Math.floor(region.y));
        const width = Math.min(canvas.width - x, Math.ceil(region.width));
        const height = Math.min(canvas.height - y, Math.ceil(region.height));
        const out = new Uint8ClampedArray(width * height * 4);
        for (let row = 0; row < height; row++) out.set(data.subarray(((y + row) * canvas.width + x) * 4, ((y + row) * canvas.width + x + width) * 4), row * width * 4);
        return { width, height, data: out };
      },
    };
  });
}
