// The ZIP writer and the Word document writer, read back with yauzl: UTF-8 names, stored and
// deflated entries with their CRC-32s, refusals of unsafe names; a .docx whose parts are well formed,
// its text escaped, NFC, without the characters XML cannot hold.
import { expect } from 'chai';
import { documentXml, wordDocument, xmlText } from '../../../server/documents/docx.ts';
import { ZipWriter, zipToBuffer } from '../../../server/documents/zip.ts';
import { unzip } from '../../support/zip.ts';

describe('documents: the ZIP writer', () => {
  it('writes entries yauzl reads back byte for byte, names in UTF-8, deflated or stored', async () => {
    const text = Buffer.from('Xin chào Việt Nam. '.repeat(200), 'utf8');
    const random = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251));
    const zip = await zipToBuffer([
      { name: 'thư mục/tệp văn bản.txt', data: text },
      { name: 'b.bin', data: random, compress: false },
      { name: 'rỗng.txt', data: Buffer.alloc(0) },
    ], new Date('2026-01-02T03:04:06Z'));
    const entries = await unzip(zip);
    expect([...entries.keys()]).to.deep.equal(['thư mục/tệp văn bản.txt', 'b.bin', 'rỗng.txt']);
    expect(entries.get('thư mục/tệp văn bản.txt')!.equals(text)).to.equal(true);
    expect(entries.get('b.bin')!.equals(random)).to.equal(true);
    expect(entries.get('rỗng.txt')!.length).to.equal(0);
    expect(zip.readUInt16LE(8), 'the text was deflated').to.equal(8);
    expect(zip.readUInt32LE(18), 'its compressed size').to.be.lessThan(zip.readUInt32LE(22));
    expect(zip.readUInt16LE(6) & 0x0800, 'general purpose bit 11: UTF-8 names').to.equal(0x0800);
  });

  it('streams to a sink in order and counts what it wrote', async () => {
    const chunks: Buffer[] = [];
    const writer = new ZipWriter(async (chunk) => {
      await new Promise((resolve) => setImmediate(resolve));
      chunks.push(chunk);
    });
    await writer.add({ name: 'a.txt', data: Buffer.from('a') });
    await writer.add({ name: 'b/c.txt', data: Buffer.from('c') });
    await writer.finish();
    const zip = Buffer.concat(chunks);
    expect(writer.size).to.equal(zip.length);
    expect([...(await unzip(zip)).keys()]).to.deep.equal(['a.txt', 'b/c.txt']);
  });

  it('refuses unsafe or duplicate names and additions after the end', async () => {
    const writer = new ZipWriter(() => undefined);
    for (const name of ['/etc/passwd', '../x', 'a/../b', 'a\\b', '', 'a//b', 'tab\tname']) {
      let refused = false;
      await writer.add({ name, data: Buffer.from('x') }).catch(() => (refused = true));
      expect(refused, JSON.stringify(name)).to.equal(true);
    }
    await writer.add({ name: 'a', data: Buffer.from('x') });
    let twice = false;
    await writer.add({ name: 'a', data: Buffer.from('y') }).catch(() => (twice = true));
    expect(twice).to.equal(true);
    await writer.finish();
    let after = false;
    await writer.add({ name: 'b', data: Buffer.from('y') }).catch(() => (after = true));
    expect(after).to.equal(true);
  });
});

describe('documents: the Word writer', () => {
  it('escapes markup, keeps Vietnamese in NFC and drops what XML cannot hold', () => {
    expect(xmlText('<b>&"\'')).to.equal('&lt;b&gt;&amp;&quot;&apos;');
    expect(xmlText('Nguye\u0302\u0303n')).to.equal('Nguyễn');
    expect(xmlText('a\u0000b\u0007c\ud800d')).to.equal('abcd');
  });

  it('makes a package Word opens: content types, relationships, A4 with the decree\'s margins, Times New Roman 13 pt, the text in order', async () => {
    const docx = await wordDocument([
      { type: 'heading', text: 'TÓM TẮT THÀNH TÍCH', align: 'center' },
      { type: 'paragraph', runs: ['Dòng một\nDòng hai', { text: ' đậm', bold: true }] },
      { type: 'table', columns: [{ header: 'STT', widthMm: 15 }, { header: 'Họ và tên', widthMm: 150 }], rows: [['1', '<script>Trần Văn Bình</script>']] },
    ], { title: 'Thử & thử' });
    const parts = await unzip(docx);
    expect([...parts.keys()]).to.include.members(['[Content_Types].xml', '_rels/.rels', 'word/document.xml', 'word/_rels/document.xml.rels', 'word/styles.xml', 'docProps/core.xml']);
    expect(parts.get('[Content_Types].xml')!.toString()).to.include('PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"');
    const xml = parts.get('word/document.xml')!.toString('utf8');
    expect(xml).to.include('<w:pgSz w:w="11906" w:h="16838"/>');
    expect(xml).to.include('<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701"');
    expect(xml).to.include('&lt;script&gt;Trần Văn Bình&lt;/script&gt;');
    expect(xml.indexOf('TÓM TẮT THÀNH TÍCH')).to.be.lessThan(xml.indexOf('Dòng hai'));
    expect(xml).to.include('<w:br/>');
    expect(parts.get('word/styles.xml')!.toString()).to.include('w:ascii="Times New Roman"').and.include('<w:sz w:val="26"/>');
    expect(parts.get('docProps/core.xml')!.toString()).to.include('<dc:title>Thử &amp; thử</dc:title>');
    expect(documentXml([], { landscape: true })).to.include('w:orient="landscape"');
  });
});
