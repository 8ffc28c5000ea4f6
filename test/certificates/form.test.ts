// The Bằng khen as a văn thư checks it against the form (Nghị định 98/2023 art. 104, Nghị định
// 30/2020): the signer's title on its own lines without a slash, the decision's number and date then
// the register number in the lower left, the authority and the award's name in red, the rest in
// black, the verification line unbroken, and the PDF titled with the award and the recipient.
import { expect } from 'chai';
import { PDFDocument } from 'pdf-lib';
import { ctx } from '../support/context.ts';
import { createCommittee, type Committee } from '../support/awards.ts';
import { download, inkOf, issueDecision, pageImage, pdfText, pdfWords, printerOf, type Download, type IssuedDecision } from '../support/certificates.ts';

const DPI = 100;

describe('the Bằng khen form', function () {
  let committee: Committee;
  let decision: IssuedDecision;
  let single: Download;
  let batch: Download;

  before(async function () {
    this.timeout(120_000);
    committee = await createCommittee();
    const printer = await printerOf(committee);
    decision = await issueDecision(committee, [
      { name: 'Nguyễn Văn An', gender: 'male', position: 'Chủ tịch Hội Nông dân xã' },
      { name: 'Trần Thị Bình', gender: 'female' },
    ], { signerTitle: 'KT. CHỦ TỊCH / PHÓ CHỦ TỊCH' });
    const an = decision.certificates.find((c) => c.recipientName === 'Nguyễn Văn An')!;
    single = await download(`/certificates/${an.id}.pdf`, printer.token);
    batch = await download(`/decisions/${decision.id}/certificates.pdf`, printer.token);
    expect(single.status).to.equal(200);
    expect(batch.status).to.equal(200);
  });

  it('draws the signer block as "KT. CHỦ TỊCH" then "PHÓ CHỦ TỊCH" on their own lines, no slash, then the name', async () => {
    const lines = (await pdfText(single.bytes, { raw: true })).split('\n').map((line) => line.trim());
    const kt = lines.indexOf('KT. CHỦ TỊCH');
    expect(kt, lines.join('\n')).to.be.at.least(0);
    expect(lines[kt + 1]).to.equal('PHÓ CHỦ TỊCH');
    expect(lines[kt + 2]).to.equal('Hồ Văn Mừng');
    expect(lines.filter((line) => line.includes('CHỦ TỊCH /') || line.includes('/ PHÓ'))).to.deep.equal([]);
  });

  it('writes the decision number with its date, then the register number, in the lower left corner', async () => {
    const lines = (await pdfText(single.bytes, { raw: true })).split('\n').map((line) => line.trim());
    const at = lines.indexOf(`Quyết định số ${decision.number} ngày 20/12/2025`);
    expect(at, lines.join('\n')).to.be.at.least(0);
    const an = decision.certificates.find((c) => c.recipientName === 'Nguyễn Văn An')!;
    expect(lines[at + 1]).to.equal(`Số sổ: ${an.registerNumber}/2025`);
    const { pages, words } = await pdfWords(single.bytes);
    const quyet = words.find((word) => word.text === 'Quyết')!;
    const so = words.find((word) => word.text === 'sổ:')!;
    for (const word of [quyet, so]) {
      expect(word.xMax, word.text).to.be.below(pages[0]!.width / 2);
      expect(word.yMin, word.text).to.be.above(pages[0]!.height * 0.6);
    }
  });

  it('draws the authority and the award name in red, "TẶNG", the recipient and the national title in black', async () => {
    const image = await pageImage(single.bytes, 1, DPI);
    const { words } = await pdfWords(single.bytes);
    const ink = (text: string) => {
      const word = words.find((w) => w.text === text);
      expect(word, text).to.exist;
      return inkOf(image, word!, DPI);
    };
    for (const text of ['ỦY', 'BAN', 'GIANG', 'BẰNG', 'KHEN']) {
      const { red, dark } = ink(text === 'GIANG' ? committee.province.name.toLocaleUpperCase('vi').split(' ').at(-1)! : text);
      expect(red, `${text} red`).to.be.above(20);
      expect(red, `${text} mostly red`).to.be.above(dark * 3);
    }
    for (const text of ['TẶNG', 'Nguyễn', 'CỘNG', 'Độc', 'Hồ']) {
      const { red, dark } = ink(text);
      expect(dark, `${text} black`).to.be.above(20);
      expect(red, `${text} not red`).to.be.below(dark / 10);
    }
  });

  it('keeps the verification code and address each on one line', async () => {
    const an = decision.certificates.find((c) => c.recipientName === 'Nguyễn Văn An')!;
    const lines = (await pdfText(single.bytes)).split('\n').map((line) => line.trim());
    expect(lines).to.include(`Mã xác thực: ${an.verificationCode}`);
    expect(lines).to.include(`${ctx().baseUrl}/verify/${an.verificationCode}`);
  });

  it('titles the PDF with the award and the recipient (the batch with the decision), not about:blank', async () => {
    const title = async (bytes: Buffer) => (await PDFDocument.load(bytes, { updateMetadata: false })).getTitle();
    expect(await title(single.bytes)).to.equal('Bằng khen — Ông Nguyễn Văn An');
    expect(await title(batch.bytes)).to.equal(`Bằng khen — Quyết định số ${decision.number}`);
  });
});
