// The decision (Quyết định) as Word and PDF, in the form of Decree 30/2020 (issue 19): each file opened
// as a reader would (the .docx unzipped and its paragraphs read in order, the PDF's text read by
// pdfjs) finds the issuer's header, the number and the date line, the title, the authority, the legal
// bases, the articles, the signer's title as separate lines (no slash) and every recipient in the
// annex's order: collectives first, then individuals by given name.
import { expect } from 'chai';
import { createCommittee, type Committee } from '../support/awards.ts';
import { collapse, download, issueDecision, pdfPagesText, SIGNER, type IssuedDecision } from '../support/certificates.ts';
import { db } from '../support/context.ts';
import { createUnit, createUserWithToken } from '../support/factories.ts';
import { docxParagraphs, docxParts, docxTexts, expectInOrder } from './docx.ts';

const NOMINEES = [
  { name: 'Trần Văn Bình', position: 'Trưởng phòng' },
  { name: 'Phòng Giáo dục Trung học', kind: 'collective' as const },
  { name: 'Nguyễn Thị Anh', position: 'Chuyên viên' },
  { name: 'Ban Dân vận', kind: 'collective' as const },
  { name: 'Đặng Văn Ánh', position: 'Phó Trưởng phòng' },
];
const ANNEX_ORDER = ['Ban Dân vận', 'Phòng Giáo dục Trung học', 'Nguyễn Thị Anh', 'Đặng Văn Ánh', 'Trần Văn Bình'];

describe('the decision as a Word file and a PDF', function () {
  let committee: Committee;
  let decision: IssuedDecision;
  let texts: string[];

  before(async function () {
    this.timeout(120_000);
    committee = await createCommittee();
    // A name of its own: the real Tỉnh An Giang of the reference units shares this database (the unit picker's tests rank it).
    await db().updateTable('units').set({ name: 'Tỉnh Sông Hậu Thử' }).where('id', '=', committee.province.id).execute();
    decision = await issueDecision(committee, NOMINEES);
    const got = await download(`/decisions/${decision.id}/decision.docx`, committee.secretary.token);
    expect(got.status, JSON.stringify(got.json)).to.equal(200);
    expect(got.headers.get('content-type')).to.equal('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(got.headers.get('content-disposition')).to.match(/^attachment; filename="quyet-dinh-.+\.docx"$/);
    texts = await docxTexts(got.bytes);
  });

  it('heads the decision with the issuer, its number, the national title and the place and date', function () {
    expectInOrder(texts, ['ỦY BAN NHÂN DÂN', 'TỈNH SÔNG HẬU THỬ', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc', `Số: ${decision.number}`, 'Sông Hậu Thử, ngày 20 tháng 12 năm 2025']);
    expect(decision.number).to.match(/^\d+\/QĐ-UBND$/);
  });

  it('gives the title, the authority, the legal bases ending ";" then "." and the three articles', function () {
    expectInOrder(texts, [
      'QUYẾT ĐỊNH',
      'Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh',
      'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH SÔNG HẬU THỬ',
      'Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;',
      'Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;',
      'Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;',
      'Xét đề nghị của Trưởng Ban Thi đua - Khen thưởng tỉnh.',
      'QUYẾT ĐỊNH:',
    ]);
    const article1 = texts.find((t) => t.startsWith('Điều 1.'));
    expect(article1).to.equal('Điều 1. Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 2 tập thể và 3 cá nhân (có danh sách kèm theo), đã có thành tích xuất sắc trong phong trào thi đua "Dân vận khéo" năm 2025.');
    expect(texts.find((t) => t.startsWith('Điều 2.'))).to.match(/^Điều 2\. Tiền thưởng/);
    expect(texts.find((t) => t.startsWith('Điều 3.'))).to.match(/Chánh Văn phòng Ủy ban nhân dân tỉnh Sông Hậu Thử.*có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này\.\/\.$/);
  });

  it('sets the legal bases in italics and the articles\' numbers in bold', async function () {
    const got = await download(`/decisions/${decision.id}/decision.docx`, committee.secretary.token);
    const paragraphs = await docxParagraphs(got.bytes);
    const basis = paragraphs.find((p) => p.text.startsWith('Căn cứ Luật Thi đua'))!;
    expect(basis.xml).to.include('<w:i/>');
    const article = paragraphs.find((p) => p.text.startsWith('Điều 1.'))!;
    expect(article.xml).to.match(/<w:b\/>[\s\S]*Điều 1\./);
  });

  it('prints the signer\'s title as separate lines in capitals, then the name, after the recipients', function () {
    expect(SIGNER.signerTitle).to.equal('KT. Chủ tịch - Phó Chủ tịch');
    expectInOrder(texts, ['Nơi nhận:', '- Như Điều 3;', '- Lưu: VT, TĐKT.', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH', 'Hồ Văn Mừng']);
    expect(texts.some((t) => t.includes('/ PHÓ') || t.includes('- PHÓ CHỦ TỊCH'))).to.equal(false);
  });

  it('lists every recipient in the annex on its own page, collectives first, individuals by given name', async function () {
    expectInOrder(texts, [
      'DANH SÁCH',
      'TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN CỦA CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH',
      `(Kèm theo Quyết định số ${decision.number} ngày 20/12/2025 của Chủ tịch Ủy ban nhân dân tỉnh Sông Hậu Thử)`,
      'I. TẬP THỂ', ...ANNEX_ORDER.slice(0, 2), 'II. CÁ NHÂN', ...ANNEX_ORDER.slice(2),
    ]);
    expect(texts).to.include('Chuyên viên, Sở Giáo dục và Đào tạo');
    const paragraphs = await docxParagraphs((await download(`/decisions/${decision.id}/decision.docx`, committee.secretary.token)).bytes);
    expect(paragraphs.find((p) => p.text === 'DANH SÁCH')!.xml).to.include('<w:br w:type="page"/>');
  });

  it('lays the page out as Decree 30 asks: A4 portrait, margins 20/15/20/30 mm, Times New Roman', async function () {
    const parts = await docxParts((await download(`/decisions/${decision.id}/decision.docx`, committee.secretary.token)).bytes);
    const documentXml = parts.get('word/document.xml')!.toString('utf8');
    expect(documentXml).to.match(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(documentXml).to.match(/<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701"/);
    expect(parts.get('word/styles.xml')!.toString('utf8')).to.include('Times New Roman');
  });

  it('reads a slash typed in the signer\'s title as a line break', async function () {
    await db().updateTable('decisions').set({ signer_title: 'KT. Chủ tịch / Phó Chủ tịch' }).where('id', '=', decision.id).execute();
    try {
      const slashed = await docxTexts((await download(`/decisions/${decision.id}/decision.docx`, committee.secretary.token)).bytes);
      expectInOrder(slashed, ['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH', 'Hồ Văn Mừng']);
      expect(slashed.some((t) => t.includes('/ PHÓ'))).to.equal(false);
    } finally {
      await db().updateTable('decisions').set({ signer_title: SIGNER.signerTitle }).where('id', '=', decision.id).execute();
    }
  });

  it('prints the same decision as a PDF: header, number, date, signer lines and the annex in order', async function () {
    this.timeout(60_000);
    const got = await download(`/decisions/${decision.id}/decision.pdf`, committee.secretary.token);
    expect(got.status, JSON.stringify(got.json)).to.equal(200);
    expect(got.headers.get('content-type')).to.equal('application/pdf');
    const pages = await pdfPagesText(got.bytes);
    expect(pages.length).to.be.at.least(2);
    const first = pages.slice(0, -1).join('\n');
    const lines = first.split('\n').map((line) => collapse(line));
    for (const expected of ['ỦY BAN NHÂN DÂN', 'TỈNH SÔNG HẬU THỬ', 'QUYẾT ĐỊNH', 'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH SÔNG HẬU THỬ', 'QUYẾT ĐỊNH:', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH', 'Hồ Văn Mừng']) {
      expect(lines.some((line) => line === expected || line.endsWith(` ${expected}`) || line.startsWith(`${expected} `)), `a line "${expected}" in:\n${first}`).to.equal(true);
    }
    const text = collapse(first);
    expect(text).to.include(`Số: ${decision.number}`);
    expect(text).to.include('Sông Hậu Thử, ngày 20 tháng 12 năm 2025');
    expect(text).to.include('Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh');
    expect(text).to.include('Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;');
    expect(text).to.not.include('/ Phó').and.to.not.include('/ PHÓ');
    const annex = collapse(pages.at(-1)!);
    const at = ANNEX_ORDER.map((name) => annex.indexOf(name));
    expect(at.every((i) => i >= 0), annex).to.equal(true);
    expect([...at].sort((a, b) => a - b)).to.deep.equal(at);
    expect(annex).to.include(`(Kèm theo Quyết định số ${decision.number} ngày 20/12/2025 của Chủ tịch Ủy ban nhân dân tỉnh Sông Hậu Thử)`);
  });

  it('gives a reader who sees only some recipients an extract (trích danh sách), Article 1 still counting all', async function () {
    const texts = await docxTexts((await download(`/decisions/${decision.id}/decision.docx`, committee.otherAgency.token)).bytes);
    expect(texts.find((t) => t.startsWith('Điều 1.'))).to.include('cho 2 tập thể và 3 cá nhân (có danh sách kèm theo)');
    expect(texts).to.include('TRÍCH DANH SÁCH').and.to.not.include('DANH SÁCH');
    for (const name of ANNEX_ORDER) expect(texts, name).to.not.include(name);
  });

  it('is given to whoever sees the decision, and hides another province\'s decision (404)', async function () {
    expect((await download(`/decisions/${decision.id}/decision.docx`, committee.agency.token)).status).to.equal(200);
    const stranger = await createUserWithToken({ role: 'secretary', unitId: (await createUnit({ kind: 'province', name: 'Tỉnh khác' })).id });
    expect((await download(`/decisions/${decision.id}/decision.docx`, stranger.token)).status).to.equal(404);
    expect((await download(`/decisions/${decision.id}/decision.pdf`, stranger.token)).status).to.equal(404);
    expect((await download(`/decisions/${decision.id}/decision.docx`)).status).to.equal(401);
  });
});
