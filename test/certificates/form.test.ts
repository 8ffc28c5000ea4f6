// The Bằng khen as a văn thư checks it against the form (Nghị định 98/2023 art. 104, Nghị định
// 30/2020): the signer's title on its own lines without a slash, the decision's number and date then
// the register number in the lower left, the authority and the award's name in red, the rest in
// black, the verification line unbroken, and the PDF titled with the award and the recipient. Then
// what an administrator sets per template on /admin/print-layouts: the emblem (uploaded, checked,
// removed), the lines the blank form carries (left out in overlay mode) and the paper size.
import { expect } from 'chai';
import { PDFDocument } from 'pdf-lib';
import { PNG } from 'pngjs';
import { ctx, db } from '../support/context.ts';
import { createCommittee, type Committee } from '../support/awards.ts';
import { auditRows, createUser } from '../support/factories.ts';
import { Browser } from '../support/http.ts';
import { signedIn } from '../support/security.ts';
import { collapse, download, inkOf, issueDecision, pageImage, pdfInfo, pdfText, pdfWords, printerOf, type Download, type IssuedDecision } from '../support/certificates.ts';

const DPI = 100;

describe('the Bằng khen form', function () {
  let committee: Committee;
  let decision: IssuedDecision;
  let single: Download;
  let batch: Download;
  let printer: Awaited<ReturnType<typeof printerOf>>;
  let anId: number;

  before(async function () {
    this.timeout(120_000);
    committee = await createCommittee();
    printer = await printerOf(committee);
    decision = await issueDecision(committee, [
      { name: 'Nguyễn Văn An', gender: 'male', position: 'Chủ tịch Hội Nông dân xã' },
      { name: 'Trần Thị Bình', gender: 'female' },
    ], { signerTitle: 'KT. CHỦ TỊCH / PHÓ CHỦ TỊCH' });
    const an = decision.certificates.find((c) => c.recipientName === 'Nguyễn Văn An')!;
    anId = an.id;
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

  it('holds the emblem\'s place with a thin circle saying "Vị trí Quốc huy" while none is uploaded', async () => {
    expect(collapse(await pdfText(single.bytes))).to.contain('Vị trí Quốc huy');
  });

  describe('set per template on /admin/print-layouts', () => {
    let admin: Browser;
    let adminId: number;
    const saved: { layouts: unknown[] } = { layouts: [] };

    before(async () => {
      const user = await createUser({ role: 'admin' });
      adminId = user.id;
      admin = await signedIn(user);
      await admin.get('/admin/print-layouts');
      saved.layouts = await db().selectFrom('print_layouts').selectAll().where('template', '=', 'bang_khen').execute();
    });

    after(async () => {
      // Other files in this process print bang_khen as it was.
      for (const row of saved.layouts as { template: string; mode: 'full' | 'overlay' }[]) {
        await db().updateTable('print_layouts').set(row).where('template', '=', row.template).where('mode', '=', row.mode).execute();
      }
      await db().deleteFrom('certificate_emblems').where('template', '=', 'bang_khen').execute();
    });

    const upload = (browser: Browser, file: { name: string; type: string; content: Buffer }, template = 'bang_khen') => {
      const form = new FormData();
      form.append('emblem', new Blob([new Uint8Array(file.content)], { type: file.type }), file.name);
      return fetch(`${ctx().baseUrl}/admin/print-layouts/${template}/emblem?_csrf=${browser.csrfToken}`, {
        method: 'POST', body: form, redirect: 'manual',
        headers: { 'x-forwarded-for': browser.address, cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
    };
    const emblemRow = () => db().selectFrom('certificate_emblems').selectAll().where('template', '=', 'bang_khen').executeTakeFirst();

    it('refuses an SVG with a script (422), a file over 1 MB (413) and anyone but an administrator (403), storing nothing', async () => {
      const script = await upload(admin, { name: 'quoc-huy.svg', type: 'image/svg+xml', content: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><circle r="5"/></svg>') });
      expect(script.status).to.equal(422);
      const html = await script.text();
      expect(html).to.contain('Tệp SVG không hợp lệ').and.contain('href="#field-bang_khen-emblem"');
      const big = Buffer.concat([pngOf(8, 8, [200, 0, 0]), Buffer.alloc(1024 * 1024)]);
      expect((await upload(admin, { name: 'lon.png', type: 'image/png', content: big })).status).to.equal(413);
      expect((await upload(admin, { name: 'anh.gif', type: 'image/gif', content: Buffer.from('GIF89a......') })).status).to.equal(422);
      const printerBrowser = await signedIn(await createUser({ role: 'printer' }));
      expect((await upload(printerBrowser, { name: 'quoc-huy.png', type: 'image/png', content: pngOf(8, 8, [200, 0, 0]) })).status).to.equal(403);
      expect((await printerBrowser.post('/admin/print-layouts/bang_khen/emblem/delete')).status).to.equal(403);
      expect((await printerBrowser.get('/admin/print-layouts/bang_khen/emblem')).status).to.equal(403);
      expect(await emblemRow()).to.equal(undefined);
      expect(await auditRows('certificate_emblem', 'bang_khen')).to.deep.equal([]);
    });

    it('prints an uploaded PNG emblem, the lines the blank form carries left out in overlay mode, on the paper size chosen', async function () {
      this.timeout(120_000);
      const uploaded = await upload(admin, { name: 'quốc huy.png', type: 'image/png', content: pngOf(64, 64, [0, 120, 0]) });
      expect(uploaded.status).to.equal(303);
      const row = await emblemRow();
      expect(row).to.include({ content_type: 'image/png', file_name: 'quốc huy.png', uploaded_by: adminId });
      const [audit] = await auditRows('certificate_emblem', 'bang_khen');
      expect(audit).to.include({ action: 'certificate_emblem.upload', actor_user_id: adminId });
      const page = await admin.get('/admin/print-layouts');
      expect(page.html).to.contain(`src="/admin/print-layouts/bang_khen/emblem?v&#x3D;${row!.sha256.slice(0, 16)}"`); // Handlebars writes "=" as &#x3D;
      const image = await fetch(`${ctx().baseUrl}/admin/print-layouts/bang_khen/emblem`, { headers: { 'x-forwarded-for': admin.address, cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      expect(image.headers.get('content-type')).to.equal('image/png');
      expect(image.headers.get('content-security-policy')).to.contain('sandbox');

      // Overlay: the blank form carries the national title and the authority line, nothing else.
      const overlay = await admin.post('/admin/print-layouts/bang_khen/overlay', { paperSize: 'a4', offsetXMm: '0', offsetYMm: '0', preprinted: ['none', 'nation', 'authority'] });
      expect(overlay.status).to.equal(303);
      expect((await db().selectFrom('print_layouts').select('preprinted').where('template', '=', 'bang_khen').where('mode', '=', 'overlay').executeTakeFirstOrThrow()).preprinted).to.deep.equal(['nation', 'authority']);
      expect((await auditRows('print_layout', 'bang_khen/overlay')).at(-1)!.after).to.deep.include({ preprinted: ['nation', 'authority'], paperWidthMm: 297, paperHeightMm: 210 });
      // Full mode on A3.
      expect((await admin.post('/admin/print-layouts/bang_khen/full', { paperSize: 'a3', paperWidthMm: '1', offsetXMm: '0', offsetYMm: '0' })).status).to.equal(303);
      const refused = await admin.post('/admin/print-layouts/bang_khen/full', { paperSize: 'a3', offsetXMm: '0', offsetYMm: '0', preprinted: ['none', 'border'] });
      expect(refused.status).to.equal(422);

      const full = await download(`/certificates/${anId}.pdf`, printer.token);
      const info = await pdfInfo(full.bytes);
      expect(info.width).to.be.closeTo(420 * 72 / 25.4, 1);
      expect(info.height).to.be.closeTo(297 * 72 / 25.4, 1);
      const fullText = collapse(await pdfText(full.bytes));
      expect(fullText).to.not.contain('Vị trí Quốc huy');
      // The emblem is drawn at the top centre: green pixels there.
      const picture = await pageImage(full.bytes, 1, 50);
      expect(greenPixels(picture, { x: picture.width * 0.4, y: 0, width: picture.width * 0.2, height: picture.height * 0.3 })).to.be.above(100);

      const blank = await download(`/certificates/${anId}.pdf?mode=overlay`, printer.token);
      const text = collapse(await pdfText(blank.bytes));
      expect(text).to.not.contain('CỘNG HÒA').and.not.contain('Độc lập').and.not.contain('CHỦ TỊCH ỦY BAN');
      expect(text).to.contain('TẶNG').and.contain('BẰNG KHEN').and.contain('Nguyễn Văn An').and.contain(`Quyết định số ${decision.number} ngày 20/12/2025`);
      expect(text).to.contain('KT. CHỦ TỊCH');
      // The emblem is not carried by this blank form: it prints (no placeholder, since one is uploaded).
      const overlayPicture = await pageImage(blank.bytes, 1, 50);
      expect(greenPixels(overlayPicture, { x: overlayPicture.width * 0.4, y: 0, width: overlayPicture.width * 0.2, height: overlayPicture.height * 0.3 })).to.be.above(100);
    });

    it('goes back to the placeholder when the emblem is removed, audited', async () => {
      const removed = await admin.post('/admin/print-layouts/bang_khen/emblem/delete');
      expect(removed.status).to.equal(303);
      expect(await emblemRow()).to.equal(undefined);
      expect((await auditRows('certificate_emblem', 'bang_khen')).at(-1)).to.include({ action: 'certificate_emblem.remove', actor_user_id: adminId });
      expect((await admin.post('/admin/print-layouts/bang_khen/emblem/delete')).status).to.equal(404);
      expect((await admin.get('/admin/print-layouts')).html).to.contain('Chưa tải lên: bằng khen in khung giữ chỗ “Vị trí Quốc huy”.');
    });
  });
});

/** A PNG of one colour. */
function pngOf(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([r, g, b, 255], i * 4);
  return PNG.sync.write(png);
}

function greenPixels(image: Awaited<ReturnType<typeof pageImage>>, region: { x: number; y: number; width: number; height: number }): number {
  const { data } = image.crop(region);
  let count = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i]! < 60 && data[i + 1]! > 90 && data[i + 2]! < 60) count += 1;
  return count;
}
