// The PDF readers of test/support/pdf.ts on PDFs made here, so that a check built on them cannot pass
// by reading nothing: a font left out of the file is reported as not embedded, text is read where
// it is drawn, and a QR code drawn on a page is decoded from the rendered pixels.
import { expect } from 'chai';
import jsQRModule from 'jsqr';
import { PDFDocument, rgb } from 'pdf-lib';
import QRCode from 'qrcode';
import { extractText, extractWords, listFonts, pageSizes, renderPage } from './pdf.ts';

// jsqr is CommonJS with a declared default export: under NodeNext the default import is the module object.
const jsQR = (jsQRModule.default ?? jsQRModule) as typeof jsQRModule.default;

/** A PDF written by hand from its objects (numbered from 1), with a correct cross-reference table. */
function handMadePdf(objects: string[]): Buffer {
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const stream = (content: string, extra = '') => `<< /Length ${Buffer.byteLength(content, 'latin1')}${extra} >>\nstream\n${content}\nendstream`;

// An A4 portrait page: Helvetica (a standard Type 1 font, no FontFile) in the page's resources, a
// TrueType font with a descriptor but no program in a form XObject's resources, and an unused
// TrueType whose descriptor does carry a FontFile2. "Xin chào" on one line; "TANG" letter-spaced
// (3 pt between letters) on the next, with "xa bên" far to its right on the same baseline.
const content = [
  'BT /F1 12 Tf 72 770 Td (Xin ch\\340o) Tj ET',
  'BT /F1 12 Tf 3 Tc 72 740 Td (TANG) Tj ET',
  'BT /F1 12 Tf 0 Tc 400 740 Td (xa b\\352n) Tj ET',
  '/X1 Do',
].join('\n');
const form = 'BT /F2 10 Tf 72 700 Td (Form text) Tj ET';
const NOT_EMBEDDED_PDF = handMadePdf([
  '<< /Type /Catalog /Pages 2 0 R >>',
  '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 4 0 R /F3 9 0 R >> /XObject << /X1 6 0 R >> >> /Contents 5 0 R >>',
  '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  stream(content),
  stream(form, ' /Type /XObject /Subtype /Form /BBox [0 0 595.28 841.89] /Resources << /Font << /F2 7 0 R >> >>'),
  '<< /Type /Font /Subtype /TrueType /BaseFont /Arial /FirstChar 32 /LastChar 126 /Widths [' + Array(95).fill(500).join(' ') + '] /FontDescriptor 8 0 R /Encoding /WinAnsiEncoding >>',
  '<< /Type /FontDescriptor /FontName /Arial /Flags 32 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>',
  '<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+Embedded /FirstChar 32 /LastChar 32 /Widths [500] /FontDescriptor 10 0 R /ToUnicode 12 0 R >>',
  '<< /Type /FontDescriptor /FontName /ABCDEF+Embedded /Flags 32 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 /FontFile2 11 0 R >>',
  stream('not really a font program'),
  stream('/CIDInit /ProcSet findresource begin 12 dict begin begincmap endcmap end end'),
]);

describe('PDF readers for the tests (pdfjs, pdf-lib, @napi-rs/canvas; no poppler)', () => {
  it('reports a font without a program in the file as not embedded, wherever the page uses it', async () => {
    const fonts = await listFonts(NOT_EMBEDDED_PDF);
    expect(fonts).to.deep.equal([
      { name: 'Helvetica', type: 'Type 1', embedded: false, subset: false, unicode: false },
      { name: 'ABCDEF+Embedded', type: 'TrueType', embedded: true, subset: true, unicode: true },
      { name: 'Arial', type: 'TrueType', embedded: false, subset: false, unicode: false },
    ]);
  });

  it('reports the standard fonts pdf-lib writes without embedding them as not embedded', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont('Times-Roman');
    doc.addPage([300, 200]).drawText('Times', { x: 20, y: 100, size: 12, font });
    const fonts = await listFonts(await doc.save());
    expect(fonts).to.have.length(1);
    expect(fonts[0]).to.include({ name: 'Times-Roman', embedded: false });
  });

  it('gives the page count and size in points', async () => {
    expect(await pageSizes(NOT_EMBEDDED_PDF)).to.deep.equal([{ width: 595.28, height: 841.89 }]);
  });

  it('reads the text line by line, top down, with letter-spaced words whole and far-apart text on its own line', async () => {
    const text = await extractText(NOT_EMBEDDED_PDF);
    expect(text).to.equal('Xin chào\nTANG\nxa bên\nForm text\n\f');
    expect(await extractText(NOT_EMBEDDED_PDF, { layout: true })).to.match(/^TANG {10,}xa bên$/m);
  });

  it('gives each word a box from the top-left of the page', async () => {
    const { pages, words } = await extractWords(NOT_EMBEDDED_PDF);
    expect(pages).to.deep.equal([{ width: 595.28, height: 841.89 }]);
    expect(words.map((word) => word.text)).to.deep.equal(['Xin', 'chào', 'TANG', 'xa', 'bên', 'Form', 'text']);
    const xin = words[0]!;
    expect(xin.page).to.equal(1);
    expect(xin.xMin).to.be.closeTo(72, 0.01);
    expect(xin.yMax).to.be.greaterThan(841.89 - 770).and.lessThan(841.89 - 770 + 6); // the descent below the baseline
    expect(xin.yMin).to.be.lessThan(841.89 - 770 - 6);
  });

  it('renders a page to pixels in which a drawn QR code is read back', async () => {
    const url = 'http://127.0.0.1:3000/verify/AbCdEfGhIjKlMnOpQrStUv';
    const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
    const doc = await PDFDocument.create();
    const page = doc.addPage([400, 400]);
    const cell = 4;
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) {
        if (modules.get(row, col)) page.drawRectangle({ x: 40 + col * cell, y: 360 - (row + 1) * cell, width: cell, height: cell, color: rgb(0, 0, 0) });
      }
    }
    const image = await renderPage(await doc.save(), 1, 150);
    expect([image.width, image.height]).to.deep.equal([834, 834]);
    expect(jsQR(image.data, image.width, image.height)?.data).to.equal(url);
    const corner = image.crop({ x: 0, y: 0, width: 60, height: 60 });
    expect(corner.data.every((value) => value === 255), 'white outside the drawing').to.equal(true);
  });
});
