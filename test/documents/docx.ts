// Reading a .docx back as a reader would: unzip it (test/support/zip.ts), take word/document.xml and
// give each paragraph's text in document order (tables' paragraphs included, row by row), with the
// paragraph's own XML for checks of bold or italic runs.
import { expect } from 'chai';
import { unzip } from '../support/zip.ts';

export interface DocxParagraph {
  text: string;
  xml: string;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
const decode = (text: string) => text.replace(/&(amp|lt|gt|quot|apos);/g, (entity) => ENTITIES[entity]!);

export async function docxParts(bytes: Buffer): Promise<Map<string, Buffer>> {
  expect(bytes.subarray(0, 2).toString('latin1'), 'a ZIP file').to.equal('PK');
  const parts = await unzip(bytes);
  expect([...parts.keys()]).to.include.members(['[Content_Types].xml', 'word/document.xml']);
  return parts;
}

export async function docxParagraphs(bytes: Buffer): Promise<DocxParagraph[]> {
  const xml = (await docxParts(bytes)).get('word/document.xml')!.toString('utf8');
  const paragraphs = xml.match(/<w:p[ >][\s\S]*?<\/w:p>|<w:p\/>/g) ?? [];
  return paragraphs.map((p) => ({ xml: p, text: decode([...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('')) }));
}

/** The paragraphs' texts, without the empty ones. */
export async function docxTexts(bytes: Buffer): Promise<string[]> {
  return (await docxParagraphs(bytes)).map((p) => p.text).filter((text) => text.trim() !== '');
}

/** Each expected text found as a whole paragraph, in this order. */
export function expectInOrder(texts: readonly string[], expected: readonly string[]): void {
  let from = 0;
  for (const text of expected) {
    const at = texts.indexOf(text, from);
    expect(at, `"${text}" after paragraph ${from} in:\n${texts.join('\n')}`).to.be.greaterThan(-1);
    from = at + 1;
  }
}
