// Print layouts: an administrator calibrates each template's paper size and text offsets for
// printing onto preprinted forms, through an HTML form (CSRF, 422 listing every bad field, audited
// save) and checks it with a two-page test print whose text moves by exactly the offsets.
import { expect } from 'chai';
import { ctx, db } from '../support/context.ts';
import { auditRows, createUser } from '../support/factories.ts';
import { Browser } from '../support/http.ts';
import { pdfInfo, pdfText, pdfWords, type PdfWord } from '../support/certificates.ts';
import type { PrintMode } from '../../server/certificates/rendering/templates.ts';

const MM = 72 / 25.4;

async function loggedIn(role: 'admin' | 'printer') {
  const user = await createUser({ role });
  const browser = new Browser();
  const login = await browser.login(user.username, user.password);
  expect(login.status, 'login').to.equal(303);
  return { user, browser };
}

/** A GET with the browser's session, as bytes (the test print is a PDF). */
async function bytes(browser: Browser, path: string) {
  const response = await fetch(ctx().baseUrl + path, {
    headers: { 'x-forwarded-for': browser.address, cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    redirect: 'manual',
  });
  return { status: response.status, type: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) };
}

function layoutRow(template: string, mode: PrintMode) {
  return db().selectFrom('print_layouts').selectAll().where('template', '=', template).where('mode', '=', mode).executeTakeFirstOrThrow();
}

/** The first word `text` on page 1. */
function word(words: PdfWord[], text: string): PdfWord {
  const found = words.find((w) => w.page === 1 && w.text === text);
  expect(found, text).to.exist;
  return found!;
}

describe('print layouts (admin)', () => {
  it('lists every template and mode with its values, for administrators only', async () => {
    const { browser } = await loggedIn('admin');
    const shown = await browser.get('/admin/print-layouts');
    expect(shown.status).to.equal(200);
    expect(shown.html).to.contain('Căn chỉnh mẫu in bằng khen');
    for (const template of ['bang_khen', 'giay_khen', 'mo_hinh']) {
      for (const mode of ['full', 'overlay']) {
        expect(shown.html).to.contain(`action="/admin/print-layouts/${template}/${mode}"`);
        expect(shown.html).to.contain(`/admin/print-layouts/${template}/${mode}/test.pdf`);
      }
    }
    expect(shown.html).to.contain('name="offsetXMm"');
    const { browser: printer } = await loggedIn('printer');
    expect((await printer.get('/admin/print-layouts')).status).to.equal(403);
    expect((await bytes(printer, '/admin/print-layouts/bang_khen/overlay/test.pdf')).status).to.equal(403);
    expect((await new Browser().get('/admin/print-layouts')).status).to.equal(303);
  });

  it('saves new offsets posted through the form, audited with the administrator, and the test print moves by them', async function () {
    this.timeout(90_000);
    const { user, browser } = await loggedIn('admin');
    await browser.get('/admin/print-layouts');
    const before = await layoutRow('giay_khen', 'overlay');
    const saved = await browser.post('/admin/print-layouts/giay_khen/overlay', { paperWidthMm: '297', paperHeightMm: '210', offsetXMm: '10', offsetYMm: '-4.5' });
    expect(saved.status).to.equal(303);
    expect(saved.location).to.equal('/admin/print-layouts');
    const after = await layoutRow('giay_khen', 'overlay');
    expect({ w: Number(after.paper_width_mm), h: Number(after.paper_height_mm), x: Number(after.offset_x_mm), y: Number(after.offset_y_mm) }).to.deep.equal({ w: 297, h: 210, x: 10, y: -4.5 });
    expect(after.updated_by).to.equal(user.id);
    const audit = await auditRows('print_layout', 'giay_khen/overlay');
    expect(audit.at(-1)).to.include({ action: 'print_layout.update', actor_user_id: user.id });
    expect(audit.at(-1)!.after).to.deep.equal({ paperWidthMm: 297, paperHeightMm: 210, offsetXMm: 10, offsetYMm: -4.5 });
    expect(Number((audit.at(-1)!.before as { offset_x_mm: string }).offset_x_mm)).to.equal(Number(before.offset_x_mm));
    const page = await browser.get('/admin/print-layouts');
    expect(page.html).to.contain('Đã lưu căn chỉnh.');

    // Against the untouched bang_khen overlay (offsets 0), every word of the test print moves 10 mm right and 4.5 mm up.
    const baseline = await bytes(browser, '/admin/print-layouts/bang_khen/overlay/test.pdf');
    const moved = await bytes(browser, '/admin/print-layouts/giay_khen/overlay/test.pdf');
    for (const pdf of [baseline, moved]) {
      expect(pdf.status).to.equal(200);
      expect(pdf.type).to.equal('application/pdf');
    }
    const base = await pdfWords(baseline.body);
    const shifted = await pdfWords(moved.body);
    for (const text of ['Khai', 'Quyết', 'MẪU']) {
      expect(word(shifted.words, text).xMin - word(base.words, text).xMin, text).to.be.closeTo(10 * MM, 0.5);
      expect(word(shifted.words, text).yMin - word(base.words, text).yMin, text).to.be.closeTo(-4.5 * MM, 0.5);
    }
  });

  it('reads millimetres typed "2,5" and "-4,5", and shows the stored ones back the Vietnamese way', async () => {
    const { browser } = await loggedIn('admin');
    await browser.get('/admin/print-layouts');
    const before = await layoutRow('mo_hinh', 'overlay');
    const saved = await browser.post('/admin/print-layouts/mo_hinh/overlay', { paperWidthMm: '297', paperHeightMm: '210', offsetXMm: '2,5', offsetYMm: '-4,5' });
    expect(saved.status).to.equal(303);
    const after = await layoutRow('mo_hinh', 'overlay');
    expect([after.offset_x_mm, after.offset_y_mm].map(Number)).to.deep.equal([2.5, -4.5]);
    const page = await browser.get('/admin/print-layouts');
    const section = /<form method="post" action="\/admin\/print-layouts\/mo_hinh\/overlay"[\s\S]*?<\/form>/.exec(page.html)?.[0] ?? '';
    const values = Object.fromEntries([...section.matchAll(/<input id="[^"]+" name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    expect(values).to.deep.include({ offsetXMm: '2,5', offsetYMm: '-4,5' });
    // Posted back as shown, the form keeps the same layout; "1,2,3" is still refused.
    const again = await browser.post('/admin/print-layouts/mo_hinh/overlay', { paperSize: 'a4', offsetXMm: values.offsetXMm!, offsetYMm: values.offsetYMm! });
    expect(again.status).to.equal(303);
    expect([(await layoutRow('mo_hinh', 'overlay')).offset_x_mm, (await layoutRow('mo_hinh', 'overlay')).offset_y_mm].map(Number)).to.deep.equal([2.5, -4.5]);
    const refused = await browser.post('/admin/print-layouts/mo_hinh/overlay', { paperSize: 'a4', offsetXMm: '1,2,3', offsetYMm: '0' });
    expect(refused.status).to.equal(422);
    expect(refused.html).to.contain('Lệch ngang (mm) phải là một số.');
    // Back as it was, for the other tests' prints.
    await browser.post('/admin/print-layouts/mo_hinh/overlay', { paperWidthMm: String(Number(before.paper_width_mm)), paperHeightMm: String(Number(before.paper_height_mm)), offsetXMm: String(Number(before.offset_x_mm)), offsetYMm: String(Number(before.offset_y_mm)) });
    expect(Number((await layoutRow('mo_hinh', 'overlay')).offset_x_mm)).to.equal(Number(before.offset_x_mm));
  });

  it('renders the test print of bang_khen/overlay as two A4 landscape pages: the sample sheet and the grid', async function () {
    this.timeout(60_000);
    const { browser } = await loggedIn('admin');
    const pdf = await bytes(browser, '/admin/print-layouts/bang_khen/overlay/test.pdf');
    expect(pdf.status).to.equal(200);
    const info = await pdfInfo(pdf.body);
    expect(info.pages).to.equal(2);
    expect(info.width).to.be.closeTo(842, 1);
    expect(info.height).to.be.closeTo(595, 1);
    const [sheet, grid] = (await pdfText(pdf.body)).split('\f');
    expect(sheet).to.contain('Nguyễn Thị Minh Khai');
    expect(sheet).to.not.contain('CỘNG HÒA');
    expect(grid).to.contain('Lưới căn chỉnh 10 mm');
  });

  it('refuses invalid numbers with 422 listing each field, and a post without the CSRF token, changing nothing', async () => {
    const { browser } = await loggedIn('admin');
    await browser.get('/admin/print-layouts');
    const before = await layoutRow('mo_hinh', 'full');
    const audits = (await auditRows('print_layout', 'mo_hinh/full')).length;
    const refused = await browser.post('/admin/print-layouts/mo_hinh/full', { paperWidthMm: 'rộng', paperHeightMm: '50', offsetXMm: '99', offsetYMm: '' });
    expect(refused.status).to.equal(422);
    expect(refused.html).to.contain('Biểu mẫu có 4 lỗi');
    for (const label of ['Chiều rộng giấy (mm)', 'Chiều cao giấy (mm)', 'Lệch ngang (mm)', 'Lệch dọc (mm)']) expect(refused.html).to.contain(label);
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(refused.html)?.[0] ?? '';
    expect(summary.match(/<li>/g)).to.have.length(4);
    const unknown = await browser.post('/admin/print-layouts/poster/full', { paperWidthMm: '297', paperHeightMm: '210', offsetXMm: '0', offsetYMm: '0' });
    expect(unknown.status).to.equal(422);
    const forged = await browser.post('/admin/print-layouts/mo_hinh/full', { _csrf: null, paperWidthMm: '297', paperHeightMm: '210', offsetXMm: '5', offsetYMm: '5' });
    expect(forged.status).to.equal(403);
    expect(await layoutRow('mo_hinh', 'full')).to.deep.equal(before);
    expect(await auditRows('print_layout', 'mo_hinh/full')).to.have.length(audits);
  });

  it('shows a refused form again with the values typed, each error linked to its own input, and writes nothing', async () => {
    const { browser } = await loggedIn('admin');
    await browser.get('/admin/print-layouts');
    const before = await layoutRow('bang_khen', 'overlay');
    const audits = (await auditRows('print_layout', 'bang_khen/overlay')).length;
    const typed = { paperWidthMm: '29,7 cm', paperHeightMm: '99', offsetXMm: '-75', offsetYMm: '60' };
    const refused = await browser.post('/admin/print-layouts/bang_khen/overlay', typed);
    expect(refused.status).to.equal(422);
    const section = /<section class="card">(?:(?!<\/section>)[\s\S])*action="\/admin\/print-layouts\/bang_khen\/overlay"[\s\S]*?<\/section>/.exec(refused.html)?.[0] ?? '';
    expect(section, 'the bang_khen/overlay form').to.not.equal('');
    const inputs = new Map([...section.matchAll(/<input id="([^"]+)" name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[2]!, { id: m[1]!, value: m[3]! }]));
    for (const [name, value] of Object.entries(typed)) expect(inputs.get(name)?.value, name).to.equal(value);
    const links = [...section.matchAll(/<li><a href="#([^"]+)">/g)].map((m) => m[1]!);
    expect(links).to.have.length(4);
    expect(links).to.have.members([...inputs.values()].map((input) => input.id));
    // Each bad input is marked and described by its message.
    for (const { id } of inputs.values()) expect(section).to.match(new RegExp(`id="${id}"[^>]*aria-invalid="true"`));
    // The other forms keep their stored values and show no errors.
    expect(refused.html.match(/class="error-summary"/g)).to.have.length(1);
    expect(await layoutRow('bang_khen', 'overlay')).to.deep.equal(before);
    expect(await auditRows('print_layout', 'bang_khen/overlay')).to.have.length(audits);
  });
});
