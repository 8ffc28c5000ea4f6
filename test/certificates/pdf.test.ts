// What a printed Bằng khen says and how it is built: one A4 landscape page per certificate, Noto
// Serif embedded, every Vietnamese letter extracted exactly, the overlay mode without the
// preprinted text, a QR code that opens the verification page, and long texts kept on one page.
import { expect } from 'chai';
import { PDFDocument, PDFName } from 'pdf-lib';
import { ctx } from '../support/context.ts';
import { createCommittee, type Committee } from '../support/awards.ts';
import {
  collapse, download, issueDecision, pdfFonts, pdfInfo, pdfPagesText, pdfText, pdfWords, printerOf, printLogOf, qrCodeOnPage,
  type Download, type IssuedCertificate, type IssuedDecision, type PdfWord,
} from '../support/certificates.ts';

export const UPPER = 'ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ';
export const LOWER = 'àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ';

/** Exactly `length` characters of Vietnamese words, ending on a letter. */
function vietnameseText(length: number, words: readonly string[]): string {
  let text = '';
  for (let i = 0; text.length < length; i++) text += `${words[i % words.length]} `;
  text = text.slice(0, length);
  return text.endsWith(' ') ? `${text.slice(0, -1)}a` : text;
}

const LONG_NAME = vietnameseText(200, ['Nguyễn', 'Thị', 'Minh', 'Khai', 'Trần', 'Văn', 'Hưởng', 'Lê', 'Hoàng', 'Yến', 'Phạm', 'Quốc', 'Dũng']);
const LONG_ACHIEVEMENT = `${vietnameseText(1992, ['Đã', 'có', 'thành', 'tích', 'xuất', 'sắc', 'trong', 'phong', 'trào', 'thi', 'đua', '"Dân', 'vận', 'khéo",', 'vận', 'động', 'nhân', 'dân', 'xây', 'dựng', 'nông', 'thôn', 'mới;'])} [HẾTTT]`;
const ALPHABET_NAME = `Lê ${UPPER} ${LOWER}`;
const ALPHABET_POSITION = `Chuyên viên ${LOWER}`;
const ALPHABET_ACHIEVEMENT = `Có thành tích trong công tác dân vận: ${UPPER} ${LOWER} và nhiều đóng góp khác`;
const NATION = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
const MOTTO = 'Độc lập - Tự do - Hạnh phúc';
const A4_LANDSCAPE = { width: 842, height: 595 };
const MM = 72 / 25.4;

describe('certificate PDFs', function () {
  let committee: Committee;
  let printer: Awaited<ReturnType<typeof printerOf>>;
  let decision: IssuedDecision;
  let alphabet: IssuedCertificate;
  let long: IssuedCertificate;
  let team: IssuedCertificate;
  let full: Download;
  let overlay: Download;
  let single: Download;
  let fullPages: string[];

  before(async function () {
    this.timeout(120_000);
    committee = await createCommittee();
    printer = await printerOf(committee);
    decision = await issueDecision(committee, [
      { name: ALPHABET_NAME, position: ALPHABET_POSITION, achievement: ALPHABET_ACHIEVEMENT, gender: 'female' },
      { name: 'Phòng Giáo dục Trung học', kind: 'collective' },
      { name: LONG_NAME, position: 'Trưởng phòng Công tác dân vận', achievement: LONG_ACHIEVEMENT, gender: 'male' },
    ]);
    const byName = (name: string) => decision.certificates.find((c) => c.recipientName === name)!;
    [alphabet, team, long] = [byName(ALPHABET_NAME), byName('Phòng Giáo dục Trung học'), byName(LONG_NAME)];
    full = await download(`/decisions/${decision.id}/certificates.pdf`, printer.token);
    overlay = await download(`/decisions/${decision.id}/certificates.pdf?mode=overlay`, printer.token);
    single = await download(`/certificates/${alphabet.id}.pdf`, printer.token);
    fullPages = await pdfPagesText(full.bytes);
  });

  it('answers each PDF as a download with the right type', () => {
    for (const answer of [full, overlay, single]) {
      expect(answer.status).to.equal(200);
      expect(answer.headers.get('content-type')).to.equal('application/pdf');
      expect(answer.headers.get('content-disposition')).to.match(/^attachment; filename="[a-z0-9-]+\.pdf"$/);
      expect(answer.headers.get('cache-control')).to.equal('private, no-store');
      expect(answer.bytes.subarray(0, 5).toString()).to.equal('%PDF-');
    }
  });

  it('prints one A4 landscape page per certificate, in register order', async () => {
    expect(decision.certificates).to.have.length(3);
    for (const [pdf, pages] of [[full.bytes, 3], [overlay.bytes, 3], [single.bytes, 1]] as const) {
      const info = await pdfInfo(pdf);
      expect(info.pages).to.equal(pages);
      expect(info.pageSizes).to.have.length(pages);
      for (const size of info.pageSizes) {
        const [, width, height] = /([\d.]+) x ([\d.]+) pts/.exec(size)!;
        expect(Number(width)).to.be.closeTo(A4_LANDSCAPE.width, 1);
        expect(Number(height)).to.be.closeTo(A4_LANDSCAPE.height, 1);
      }
    }
    expect(fullPages).to.have.length(3);
    const ordered = [...decision.certificates].sort((a, b) => a.registerNumber - b.registerNumber);
    ordered.forEach((certificate, index) => {
      expect(fullPages[index]).to.contain(`Số sổ: ${certificate.registerNumber}/2025`);
      expect(collapse(fullPages[index]!)).to.contain(collapse(certificate.recipientName));
    });
  });

  it('embeds Noto Serif for every font, with a Unicode map', async () => {
    for (const pdf of [full.bytes, overlay.bytes, single.bytes]) {
      const fonts = await pdfFonts(pdf);
      expect(fonts).to.not.be.empty;
      for (const font of fonts) {
        expect(font, font.name).to.include({ embedded: true, unicode: true });
        expect(font.name).to.match(/^([A-Z]{6}\+)?NotoSerif-(Regular|Bold|Italic|BoldItalic)$/);
      }
    }
  });

  it('extracts the state heading, the award and the numbers as whole words', () => {
    for (const [index, page] of fullPages.entries()) {
      const lines = page.split('\n').map((line) => line.trim());
      expect(lines, `page ${index + 1}`).to.include(NATION);
      expect(lines).to.include(MOTTO);
      expect(lines).to.include('BẰNG KHEN');
      expect(lines).to.include('TẶNG');
      expect(lines).to.include(`CHỦ TỊCH ỦY BAN NHÂN DÂN ${committee.province.name.toLocaleUpperCase('vi')}`);
      expect(lines).to.include(`Quyết định số ${decision.number} ngày 20/12/2025`);
      expect(decision.number).to.equal('1/QĐ-UBND');
      expect(lines).to.include('KT. CHỦ TỊCH');
      expect(lines).to.include('PHÓ CHỦ TỊCH');
      expect(lines).to.include('Hồ Văn Mừng');
      expect(collapse(page)).to.contain('ngày 20 tháng 12 năm 2025');
    }
  });

  it('extracts every Vietnamese letter, in both cases, exactly as entered', async () => {
    const index = fullPages.findIndex((text) => text.includes(`Số sổ: ${alphabet.registerNumber}/2025`));
    const page = fullPages[index]!;
    const text = collapse(page);
    expect(text).to.contain(`Bà ${ALPHABET_NAME}`);
    expect(text).to.contain(`${ALPHABET_POSITION}, ${committee.department.name}`);
    expect(text).to.contain(ALPHABET_ACHIEVEMENT);
    expect(text).to.contain(`Mã xác thực: ${alphabet.verificationCode}`);
    // The printed address is one line (white-space: nowrap), read in drawing order (-raw) all the same.
    const raw = await pdfText(full.bytes, { page: index + 1, raw: true });
    expect(raw.replace(/\s+/g, '')).to.contain(`${ctx().baseUrl}/verify/${alphabet.verificationCode}`);
    // Each letter is one extracted character: no stray combining marks or replacement glyphs.
    expect(page).to.not.match(/[\u0300-\u036f\ufffd]/);
    for (const letter of [...UPPER, ...LOWER]) expect(page).to.contain(letter);
  });

  it('prints a collective with its unit and no honorific', () => {
    const page = collapse(fullPages.find((text) => text.includes(`Số sổ: ${team.registerNumber}/2025`))!);
    expect(page).to.contain('Phòng Giáo dục Trung học Sở Giáo dục và Đào tạo');
    expect(page).to.not.match(/\b(Ông|Bà) Phòng/);
  });

  it('prints the single certificate with the same content as its page in the decision', async () => {
    const [page] = await pdfPagesText(single.bytes);
    const text = collapse(page!);
    expect(text).to.contain(`Bà ${ALPHABET_NAME}`);
    expect(text).to.contain(ALPHABET_ACHIEVEMENT);
    expect(text).to.contain(`Số sổ: ${alphabet.registerNumber}/2025`);
    expect(text).to.contain(NATION);
    expect(text).to.not.contain(team.recipientName);
  });

  it('tags the single certificate (the digital copy a screen reader reads) and not the batch for the printer', async () => {
    const structureOf = async (bytes: Buffer) => (await PDFDocument.load(bytes, { updateMetadata: false })).catalog.get(PDFName.of('StructTreeRoot'));
    expect(await structureOf(single.bytes), 'single certificate').to.not.equal(undefined);
    expect(await structureOf(full.bytes), 'decision batch').to.equal(undefined);
  });

  it('leaves the preprinted text out in overlay mode but prints the recipient and numbers', async () => {
    const pages = await pdfPagesText(overlay.bytes);
    expect(pages).to.have.length(3);
    for (const page of pages) {
      expect(page).to.not.contain('CỘNG HÒA');
      expect(page).to.not.contain('Độc lập');
      expect(page).to.not.contain('BẰNG KHEN');
      expect(page).to.contain(`Quyết định số ${decision.number} ngày 20/12/2025`);
    }
    const text = collapse(pages.join('\n'));
    for (const certificate of decision.certificates) {
      expect(text).to.contain(collapse(certificate.recipientName));
      expect(text).to.contain(`Số sổ: ${certificate.registerNumber}/2025`);
    }
    expect(await qrCodeOnPage(overlay.bytes, 1)).to.match(new RegExp(`^${ctx().baseUrl}/verify/[A-Za-z0-9_-]{22}$`));
  });

  it('carries a QR code that opens the public verification page of that certificate', async () => {
    expect(await qrCodeOnPage(single.bytes, 1)).to.equal(`${ctx().baseUrl}/verify/${alphabet.verificationCode}`);
  });

  it('keeps a 200-character name and a 2000-character achievement whole, on one page, clear of the signature', async () => {
    expect(LONG_NAME).to.have.length(200);
    expect(LONG_ACHIEVEMENT).to.have.length(2000);
    const pageIndex = fullPages.findIndex((text) => text.includes(`Số sổ: ${long.registerNumber}/2025`));
    expect(pageIndex).to.be.at.least(0);
    const text = collapse(fullPages[pageIndex]!);
    expect(text).to.contain(`Ông ${LONG_NAME}`);
    expect(text).to.contain(collapse(LONG_ACHIEVEMENT));
    // No other page carries any part of it.
    fullPages.forEach((other, index) => { if (index !== pageIndex) expect(other).to.not.contain('[HẾTTT]'); });

    const { pages, words } = await pdfWords(full.bytes);
    const page = pages[pageIndex]!;
    const onPage = words.filter((word) => word.page === pageIndex + 1);
    // Everything inside the printed frame (7 mm from each edge): nothing pushed off or clipped.
    for (const word of onPage) {
      expect(word.xMin, word.text).to.be.at.least(7 * MM);
      expect(word.xMax, word.text).to.be.at.most(page.width - 7 * MM);
      expect(word.yMin, word.text).to.be.at.least(7 * MM);
      expect(word.yMax, word.text).to.be.at.most(page.height - 7 * MM);
    }
    const last = onPage.find((word) => word.text === '[HẾTTT]')!;
    const footerTop = Math.min(...footerWords(onPage).map((word) => word.yMin));
    expect(last, 'end of the achievement').to.exist;
    expect(last.yMax, 'achievement ends above the place, date and numbers').to.be.at.most(footerTop);
    const name = onPage.filter((word) => word.text === 'Ông');
    expect(name).to.have.length(1);
  });

  it('logs no print for the downloads of a decision, its overlay and one certificate: downloading is not printing', async () => {
    expect(await printLogOf(decision.certificates.map((c) => c.id))).to.deep.equal([]);
  });
});

/** The words of the place-and-date line and the numbers block, at the bottom of the sheet. */
function footerWords(words: PdfWord[]): PdfWord[] {
  const footer: PdfWord[] = [];
  for (const [index, word] of words.entries()) {
    if (word.text === 'ngày' && words[index + 1]?.text === '20' && words[index + 2]?.text === 'tháng') footer.push(word);
    if (word.text === 'Quyết' && words[index + 1]?.text === 'định') footer.push(word);
  }
  expect(footer).to.have.length(2);
  return footer;
}
