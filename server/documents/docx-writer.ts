// Writes an official document (official.ts) and the year-end report as Word files with the `docx`
// library: A4 portrait, the margins of Decree 30/2020 (top and bottom 20 mm, left 30 mm, right 15 mm),
// Times New Roman 14 pt for the body and 13 pt in the header. Word's own structures throughout
// (tables without borders for the two-column header and the signature, paragraph borders for the
// short rules), so an office edits the file as if it had typed it.
import {
  AlignmentType, BorderStyle, Document, Packer, PageBreak, Paragraph, Table, TableBorders, TableCell, TableRow, TextRun, VerticalAlign, WidthType,
  type IBorderOptions, type IParagraphOptions,
} from 'docx';
import type { OfficialDocument, Paragraph as Para } from './official.ts';

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const MM = 56.6929; // twips per millimetre
const twips = (mm: number) => Math.round(mm * MM);
const PAGE = { width: twips(210), height: twips(297), margin: { top: twips(20), bottom: twips(20), left: twips(30), right: twips(15) } };
const TEXT_WIDTH = twips(165);
const FONT = 'Times New Roman';
const pt = (size: number) => size * 2; // half-points

/** Characters XML 1.0 cannot hold never reach the file; every text is NFC. */
const clean = (text: string) => text.normalize('NFC').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

interface RunStyle {
  bold?: boolean;
  italic?: boolean;
  size?: number;
  underline?: boolean;
}

const run = (text: string, style: RunStyle = {}) =>
  new TextRun({ text: clean(text), bold: style.bold, italics: style.italic, size: style.size ? pt(style.size) : undefined, underline: style.underline ? {} : undefined });

function para(text: string | TextRun[], options: RunStyle & { align?: 'center' | 'justify' | 'left'; indent?: boolean; after?: number; before?: number; keepNext?: boolean; border?: boolean; pageBreak?: boolean } = {}) {
  const rule: IBorderOptions = { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 };
  const props: IParagraphOptions = {
    alignment: options.align === 'center' ? AlignmentType.CENTER : options.align === 'justify' ? AlignmentType.JUSTIFIED : AlignmentType.LEFT,
    spacing: { before: options.before ?? 0, after: options.after ?? 0, line: 276 },
    indent: options.indent ? { firstLine: twips(12.7) } : undefined,
    keepNext: options.keepNext,
    children: [...(options.pageBreak ? [new PageBreak()] : []), ...(typeof text === 'string' ? [run(text, options)] : text)],
  };
  return new Paragraph(options.border ? { ...props, border: { bottom: rule } } : props);
}

/** A short centred rule: an empty paragraph bordered below, narrowed by its indents. */
function rule(widthMm: number, columnMm: number) {
  const side = twips(Math.max(0, (columnMm - widthMm) / 2));
  return new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } }, indent: { left: side, right: side }, spacing: { before: 0, after: 80, line: 120, lineRule: 'exact' }, children: [] });
}

const cell = (children: (Paragraph | Table)[], widthMm: number, extra: Partial<ConstructorParameters<typeof TableCell>[0]> = {}) =>
  new TableCell({ children, width: { size: twips(widthMm), type: WidthType.DXA }, ...extra });

function borderless(rows: TableRow[], columnsMm: number[]) {
  // No cell padding: the national title needs the whole column to stay on one line.
  return new Table({ rows, width: { size: TEXT_WIDTH, type: WidthType.DXA }, columnWidths: columnsMm.map(twips), borders: TableBorders.NONE, margins: { left: 0, right: 0 } });
}

const LEFT_MM = 70;
const RIGHT_MM = 95;

function headerTable(doc: OfficialDocument) {
  const { header } = doc;
  const left = [
    ...header.superiorLines.map((line) => para(line, { align: 'center', size: 12 })),
    ...header.issuerLines.map((line) => para(line, { align: 'center', size: 12, bold: true })),
    rule(22, LEFT_MM),
  ];
  const right = [
    para('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { align: 'center', size: 12, bold: true }),
    para('Độc lập - Tự do - Hạnh phúc', { align: 'center', size: 14, bold: true }),
    rule(58, RIGHT_MM),
  ];
  return borderless([
    new TableRow({ children: [cell(left, LEFT_MM), cell(right, RIGHT_MM)] }),
    new TableRow({ children: [cell([para(header.numberLine, { align: 'center', size: 13, before: 60 })], LEFT_MM), cell([para(header.placeDate, { align: 'center', size: 14, italic: true, before: 60 })], RIGHT_MM)] }),
  ], [LEFT_MM, RIGHT_MM]);
}

function bodyParagraph(p: Para) {
  const runs = [...(p.label ? [run(`${p.label} `, { bold: true })] : []), run(p.text, { italic: p.italic })];
  return para(runs, { align: 'justify', indent: true, after: 120 });
}

function signatureTable(doc: OfficialDocument) {
  const left = [
    para('Nơi nhận:', { bold: true, italic: true, size: 12 }),
    ...doc.recipients.map((line) => para(line, { size: 11 })),
  ];
  const right = [
    ...doc.signer.titleLines.map((line) => para(line, { align: 'center', bold: true, size: 14 })),
    ...Array.from({ length: 4 }, () => para('', { size: 14, after: 200 })),
    para(doc.signer.name || '', { align: 'center', bold: true, size: 14 }),
  ];
  return borderless([new TableRow({ cantSplit: true, children: [cell(left, 80), cell(right, 85)] })], [80, 85]);
}

const ANNEX_COLUMNS = [13, 84, 68]; // the name column widest: a name must not wrap

function annexTable(doc: OfficialDocument) {
  const bordered = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const borders = { top: bordered, bottom: bordered, left: bordered, right: bordered };
  const head = (text: string, widthMm: number) => cell([para(text, { align: 'center', bold: true, size: 13, before: 40, after: 40 })], widthMm, { borders, verticalAlign: VerticalAlign.CENTER });
  const rows: TableRow[] = [];
  rows.push(new TableRow({ tableHeader: true, cantSplit: true, children: [head('STT', ANNEX_COLUMNS[0]!), head(doc.annex.nameHeader, ANNEX_COLUMNS[1]!), head('Chức vụ, đơn vị', ANNEX_COLUMNS[2]!)] }));
  for (const section of doc.annex.sections) {
    rows.push(new TableRow({ cantSplit: true, children: [cell([para(section.title, { bold: true, size: 13, before: 40, after: 40 })], 165, { borders, columnSpan: 3 })] }));
    for (const row of section.rows) {
      rows.push(new TableRow({
        cantSplit: true,
        children: [
          cell([para(row.index, { align: 'center', size: 13, before: 40, after: 40 })], ANNEX_COLUMNS[0]!, { borders }),
          cell([para(row.name, { size: 13, before: 40, after: 40 })], ANNEX_COLUMNS[1]!, { borders }),
          cell([para(row.detail, { size: 13, before: 40, after: 40 })], ANNEX_COLUMNS[2]!, { borders }),
        ],
      }));
    }
  }
  return new Table({ rows, width: { size: TEXT_WIDTH, type: WidthType.DXA }, columnWidths: ANNEX_COLUMNS.map(twips) });
}

function wordFile(title: string, children: (Paragraph | Table)[]): Promise<Buffer> {
  const document = new Document({
    title: clean(title),
    creator: 'Sổ đăng ký "Dân vận khéo"',
    styles: { default: { document: { run: { font: FONT, size: pt(14) }, paragraph: { spacing: { line: 276 } } } } },
    sections: [{ properties: { page: { size: { width: PAGE.width, height: PAGE.height }, margin: PAGE.margin } }, children }],
  });
  return Packer.toBuffer(document);
}

/** The decision or the proposal, with its annex on a new page. */
export function officialDocx(doc: OfficialDocument): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    headerTable(doc),
    para(doc.kind, { align: 'center', bold: true, size: 14, before: 360 }),
    para(doc.title, { align: 'center', bold: true, size: 14 }),
    rule(40, 165),
  ];
  if (doc.authority) children.push(para(doc.authority, { align: 'center', bold: true, size: 14, before: 240, after: 240 }));
  if (doc.addressee) children.push(para(doc.addressee, { align: 'center', size: 14, before: 240, after: 240 }));
  children.push(...doc.preamble.map(bodyParagraph));
  if (doc.decides) children.push(para(doc.decides, { align: 'center', bold: true, size: 14, before: 120, after: 240 }));
  children.push(...doc.body.map(bodyParagraph));
  children.push(para('', { after: 120 }), signatureTable(doc));
  children.push(
    ...doc.annex.heading.map((line, index) => para(line, { align: 'center', bold: true, size: 14, pageBreak: index === 0 })),
    para(doc.annex.subtitle, { align: 'center', italic: true, size: 14 }),
    rule(40, 165),
    para('', { after: 120 }),
    annexTable(doc),
  );
  return wordFile(doc.fileTitle, children);
}

/** A report: a title, paragraphs and tables of figures (the first row a header). */
export interface ReportBlock {
  heading?: string;
  paragraphs?: string[];
  table?: { columns: { header: string; widthMm: number; numeric?: boolean }[]; rows: string[][]; totalRow?: boolean };
}

export function reportDocx(title: string, subtitle: string, blocks: readonly ReportBlock[]): Promise<Buffer> {
  const bordered = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  const borders = { top: bordered, bottom: bordered, left: bordered, right: bordered };
  const children: (Paragraph | Table)[] = [para(title, { align: 'center', bold: true, size: 14 }), para(subtitle, { align: 'center', italic: true, size: 14, after: 240 })];
  for (const block of blocks) {
    if (block.heading) children.push(para(block.heading, { bold: true, size: 14, before: 240, after: 120, keepNext: true }));
    for (const text of block.paragraphs ?? []) children.push(para(text, { align: 'justify', indent: true, after: 120 }));
    if (block.table) {
      const { columns, rows, totalRow } = block.table;
      const scale = 165 / columns.reduce((sum, c) => sum + c.widthMm, 0); // the table fills the text width, never more
      const widths = columns.map((c) => c.widthMm * scale);
      const headRow = new TableRow({ tableHeader: true, cantSplit: true, children: columns.map((c, i) => cell([para(c.header, { align: 'center', bold: true, size: 12 })], widths[i]!, { borders, verticalAlign: VerticalAlign.CENTER })) });
      const bodyRows = rows.map((row, r) => new TableRow({
        cantSplit: true,
        children: columns.map((c, i) => cell([para(row[i] ?? '', { align: c.numeric ? 'center' : 'left', size: 12, bold: totalRow && r === rows.length - 1 })], widths[i]!, { borders })),
      }));
      children.push(new Table({ rows: [headRow, ...bodyRows], width: { size: TEXT_WIDTH, type: WidthType.DXA }, columnWidths: widths.map(twips) }));
    }
  }
  return wordFile(title, children);
}
