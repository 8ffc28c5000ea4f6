// Spreadsheets written byte by byte for the import's limits (tests and benchmarks): an .xlsx of
// any number of rows in seconds (inline strings, one deflate), and zip files whose entries declare
// sizes of our choosing, as a zip bomb would. exceljs would take minutes for 540.000 rows.
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipPart {
  name: string;
  data: Buffer;
  /** The uncompressed size written in the headers; the true size when left out. */
  declaredSize?: number;
}

/** A zip (deflate, no data descriptors) of the parts in order. */
export function zipFile(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const compressed = deflateRawSync(part.data, { level: 1 }); // fast; the sheets here are repetitive
    const crc = crc32(part.data);
    const size = part.declaredSize ?? part.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** The sheet's XML: each row's cells as inline strings. */
export function sheetXml(rows: Iterable<readonly string[]>): Buffer {
  const chunks: string[] = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'];
  let number = 0;
  for (const row of rows) {
    number++;
    chunks.push(`<row r="${number}">${row.map((cell, index) => `<c r="${columnName(index)}${number}" t="inlineStr"><is><t>${escape(cell)}</t></is></c>`).join('')}</row>`);
  }
  chunks.push('</sheetData></worksheet>');
  return Buffer.from(chunks.join(''), 'utf8');
}

/** An .xlsx whose one sheet is `sheet` (its XML), declared as `declaredSheetSize` if given. */
export function xlsxWithSheet(sheet: Buffer, declaredSheetSize?: number): Buffer {
  const text = (value: string) => Buffer.from(value, 'utf8');
  return zipFile([
    { name: '[Content_Types].xml', data: text('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>') },
    { name: '_rels/.rels', data: text('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>') },
    { name: 'xl/workbook.xml', data: text('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>') },
    { name: 'xl/_rels/workbook.xml.rels', data: text('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>') },
    { name: 'xl/worksheets/sheet1.xml', data: sheet, declaredSize: declaredSheetSize },
  ]);
}

/** An .xlsx of these rows (the first is the header). */
export function rawXlsx(rows: Iterable<readonly string[]>): Buffer {
  return xlsxWithSheet(sheetXml(rows));
}

/** A sheet of the header and then `count` rows of one short cell each: the shape of a huge, highly compressible upload. */
export function manyRowsSheet(header: readonly string[], count: number, cell = 'x'): Buffer {
  const head = sheetXml([header]);
  const close = '</sheetData></worksheet>';
  const prefix = head.subarray(0, head.length - close.length);
  const value = escape(cell);
  const chunks: Buffer[] = [prefix];
  for (let start = 2; start <= count + 1; start += 10_000) {
    let text = '';
    for (let r = start; r < Math.min(start + 10_000, count + 2); r++) text += `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>${value}</t></is></c></row>`;
    chunks.push(Buffer.from(text, 'utf8'));
  }
  chunks.push(Buffer.from(close));
  return Buffer.concat(chunks);
}
