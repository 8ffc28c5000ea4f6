// A minimal but valid Word document (.docx, WordprocessingML) from a list of blocks: paragraphs,
// bold headings and tables, set in Times New Roman on A4 with the margins of Vietnamese
// administrative documents (Nghị định 30/2020/NĐ-CP: top and bottom 20 mm, left 30 mm, right 15 mm).
// Knows nothing of awards: a dossier summary, a list of nominees or a decision are all blocks.
// Every text is NFC-normalised and XML-escaped, and characters XML cannot hold are dropped.
import { zipToBuffer } from './zip.ts';

export type Run = string | { text: string; bold?: boolean; italic?: boolean };
export type Align = 'left' | 'center' | 'right' | 'both';

export type Block =
  | { type: 'paragraph'; runs: Run | Run[]; align?: Align; bold?: boolean; italic?: boolean; size?: number; spaceAfter?: number; firstLineIndent?: boolean }
  | { type: 'heading'; text: string; align?: Align; size?: number }
  | { type: 'table'; columns: readonly { header: string; widthMm: number; align?: Align }[]; rows: readonly (readonly Run[])[] };

export interface DocumentOptions {
  /** The document's title in its properties (File > Info). */
  title: string;
  /** Body text size in points: 13 or 14 for administrative documents. */
  fontSize?: 13 | 14;
  landscape?: boolean;
  created?: Date;
}

const MM = 56.6929; // twips per millimetre
const twips = (mm: number) => Math.round(mm * MM);
const A4 = { width: twips(210), height: twips(297) };
const MARGINS = { top: twips(20), bottom: twips(20), left: twips(30), right: twips(15) };

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Text as XML may hold it: NFC, without the characters XML 1.0 forbids, with markup characters escaped. */
export function xmlText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function runXml(run: Run, inherited: { bold?: boolean; italic?: boolean; size?: number }): string {
  const { text, bold, italic } = typeof run === 'string' ? { text: run, bold: undefined, italic: undefined } : run;
  const props = [
    (bold ?? inherited.bold) ? '<w:b/><w:bCs/>' : '',
    (italic ?? inherited.italic) ? '<w:i/><w:iCs/>' : '',
    inherited.size ? `<w:sz w:val="${inherited.size * 2}"/><w:szCs w:val="${inherited.size * 2}"/>` : '',
  ].join('');
  // Line breaks and tabs inside a text become Word's own elements.
  const parts = text.replace(/\r\n?/g, '\n').split('\n').map((line) => line.split('\t').map((piece) => `<w:t xml:space="preserve">${xmlText(piece)}</w:t>`).join('<w:tab/>'));
  return `<w:r>${props ? `<w:rPr>${props}</w:rPr>` : ''}${parts.join('<w:br/>')}</w:r>`;
}

function paragraphXml(runs: Run | Run[], options: { align?: Align; bold?: boolean; italic?: boolean; size?: number; spaceAfter?: number; firstLineIndent?: boolean; keepNext?: boolean } = {}): string {
  const list = Array.isArray(runs) ? runs : [runs];
  const props = [
    options.keepNext ? '<w:keepNext/>' : '',
    `<w:spacing w:before="0" w:after="${options.spaceAfter ?? 120}" w:line="276" w:lineRule="auto"/>`,
    options.firstLineIndent ? `<w:ind w:firstLine="${twips(10)}"/>` : '',
    options.align ? `<w:jc w:val="${options.align}"/>` : '',
  ].join('');
  return `<w:p><w:pPr>${props}</w:pPr>${list.map((run) => runXml(run, options)).join('')}</w:p>`;
}

function tableXml(block: Extract<Block, { type: 'table' }>): string {
  const widths = block.columns.map((column) => twips(column.widthMm));
  const border = (side: string) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`;
  const cell = (content: readonly Run[] | Run, width: number, options: { bold?: boolean; align?: Align }) =>
    `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/></w:tcPr>${paragraphXml(Array.isArray(content) ? [...content] : (content as Run), { ...options, spaceAfter: 40 })}</w:tc>`;
  const header = `<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>${block.columns.map((column, i) => cell(column.header, widths[i]!, { bold: true, align: 'center' })).join('')}</w:tr>`;
  const rows = block.rows
    .map((row) => `<w:tr><w:trPr><w:cantSplit/></w:trPr>${block.columns.map((column, i) => cell(row[i] ?? '', widths[i]!, { align: column.align })).join('')}</w:tr>`)
    .join('');
  return (
    // CT_TblPr is a sequence: tblW, tblBorders, tblLayout, tblCellMar in this order, or Word calls the file damaged.
    `<w:tbl><w:tblPr><w:tblW w:w="${widths.reduce((a, b) => a + b, 0)}" w:type="dxa"/>` +
    `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(border).join('')}</w:tblBorders><w:tblLayout w:type="fixed"/>` +
    `<w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>` +
    `<w:tblGrid>${widths.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>${header}${rows}</w:tbl>` +
    paragraphXml('', { spaceAfter: 0 })
  );
}

function blockXml(block: Block): string {
  switch (block.type) {
    case 'heading':
      return paragraphXml(block.text, { bold: true, align: block.align, size: block.size, spaceAfter: 120, keepNext: true });
    case 'paragraph':
      return paragraphXml(block.runs, block);
    case 'table':
      return tableXml(block);
  }
}

/** The body of word/document.xml: what a test or a later template reads back. */
export function documentXml(blocks: readonly Block[], options: Pick<DocumentOptions, 'landscape'> = {}): string {
  const size = options.landscape ? { width: A4.height, height: A4.width, orient: ' w:orient="landscape"' } : { ...A4, orient: '' };
  const section =
    `<w:sectPr><w:pgSz w:w="${size.width}" w:h="${size.height}"${size.orient}/>` +
    `<w:pgMar w:top="${MARGINS.top}" w:right="${MARGINS.right}" w:bottom="${MARGINS.bottom}" w:left="${MARGINS.left}" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>`;
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="${W}" xmlns:r="${R}"><w:body>${blocks.map(blockXml).join('')}${section}</w:body></w:document>`;
}

function stylesXml(fontSize: number): string {
  const font = '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/>';
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="${W}">` +
    `<w:docDefaults><w:rPrDefault><w:rPr>${font}<w:sz w:val="${fontSize * 2}"/><w:szCs w:val="${fontSize * 2}"/><w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>` +
    `<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
    `<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
    `<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>` +
    `<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
    `</w:styles>`
  );
}

function coreXml(title: string, created: Date): string {
  const when = created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    `xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:title>${xmlText(title)}</dc:title><dc:language>vi-VN</dc:language>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified></cp:coreProperties>`
  );
}

const CONTENT_TYPES =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
  `<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
  `<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
  `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`;

const ROOT_RELS =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PACKAGE_RELS}">` +
  `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
  `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`;

const DOCUMENT_RELS =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PACKAGE_RELS}">` +
  `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;

/** A .docx holding the blocks, one section, A4 (or landscape A4). */
export async function wordDocument(blocks: readonly Block[], options: DocumentOptions): Promise<Buffer> {
  const created = options.created ?? new Date();
  const utf8 = (text: string) => Buffer.from(text, 'utf8');
  return zipToBuffer([
    { name: '[Content_Types].xml', data: utf8(CONTENT_TYPES) },
    { name: '_rels/.rels', data: utf8(ROOT_RELS) },
    { name: 'word/document.xml', data: utf8(documentXml(blocks, options)) },
    { name: 'word/_rels/document.xml.rels', data: utf8(DOCUMENT_RELS) },
    { name: 'word/styles.xml', data: utf8(stylesXml(options.fontSize ?? 13)) },
    { name: 'docProps/core.xml', data: utf8(coreXml(options.title, created)) },
  ], created);
}
