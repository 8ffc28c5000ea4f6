// The administrator's unit list (/admin/units) over the country's units: fifty a page in the
// administrator's order, "Trang sau" through every unit once, the API's search, the range line.
import { expect } from 'chai';
import { db } from '../support/context.ts';
import { createUser, TEST_PASSWORD } from '../support/factories.ts';
import { Browser } from '../support/http.ts';
import { loadReferenceUnits } from '../../server/units/reference/load.ts';
import { formatNumber } from '../../server/web/i18n/index.ts';

const unescape = (html: string) => html.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=').replace(/&quot;/g, '"');

function pageOf(html: string) {
  const codes = [...html.matchAll(/<tr>\s*<td[^>]*><code>([^<]+)<\/code><\/td>/g)].map((m) => unescape(m[1]!));
  const next = /<a href="([^"]+)" rel="next">/.exec(html)?.[1];
  const range = /<p class="muted" id="unit-range">([^<]+)<\/p>/.exec(html)?.[1];
  return { codes, next: next ? unescape(next) : undefined, range };
}

describe('the administrator\'s unit list, paged', function () {
  this.timeout(120_000);
  let browser: Browser;

  before(async function () {
    await loadReferenceUnits(db());
    const admin = await createUser({ role: 'admin' });
    browser = new Browser();
    await browser.login(admin.username, TEST_PASSWORD);
  });

  it('shows 50 units a page, the centre and the provinces in force first by the state\'s code, and "Hiển thị 1–50 trong N đơn vị"', async () => {
    const inForce = await db().selectFrom('units').select(['code']).where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', new Date().toISOString().slice(0, 10))])).execute();
    const response = await browser.get('/admin/units');
    expect(response.status).to.equal(200);
    const { codes, next, range } = pageOf(response.html);
    expect(codes).to.have.length(50);
    expect(range).to.equal(`Hiển thị 1–50 trong ${formatNumber(inForce.length)} đơn vị`);
    expect(formatNumber(inForce.length)).to.match(/^\d\.\d{3}$/);
    expect(next).to.match(/^\/admin\/units\?cursor=/);
    const provinces = await db().selectFrom('units').select(['code', 'official_code']).where('kind', '=', 'province').where('valid_to', 'is', null).where('official_code', 'is not', null).execute();
    const centre = await db().selectFrom('units').select('code').where('is_centre', '=', true).executeTakeFirstOrThrow();
    expect(codes[0]).to.equal(centre.code);
    const firstProvinces = codes.slice(1, 35);
    const byCode = new Map(provinces.map((p) => [p.code, p.official_code!]));
    expect(firstProvinces.every((code) => byCode.has(code)), firstProvinces.join(' ')).to.equal(true);
    const officials = firstProvinces.map((code) => byCode.get(code)!);
    expect(officials).to.deep.equal([...officials].sort());
    expect(officials[0]).to.equal('01');
  });

  it('goes through every unit in force once with "Trang sau": no duplicates, no gaps, the range line following', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const expected = (await db().selectFrom('units').select('code').where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', today)])).execute()).map((u) => u.code);
    const seen: string[] = [];
    let path: string | undefined = '/admin/units';
    let pages = 0;
    while (path) {
      const response = await browser.get(path);
      expect(response.status, path).to.equal(200);
      const page = pageOf(response.html);
      expect(page.range).to.equal(`Hiển thị ${formatNumber(seen.length + 1)}–${formatNumber(seen.length + page.codes.length)} trong ${formatNumber(expected.length)} đơn vị`);
      if (pages > 0) expect(response.html).to.include('href="/admin/units">← Trang đầu</a>');
      seen.push(...page.codes);
      path = page.next;
      pages++;
      expect(pages).to.be.below(200);
    }
    expect(new Set(seen).size, 'no duplicates').to.equal(seen.length);
    expect([...seen].sort()).to.deep.equal([...expected].sort());
    expect(pages).to.equal(Math.ceil(expected.length / 50));
  });

  it('pages ended units too with "Hiện cả đơn vị đã sáp nhập", keeping the filter in the links', async () => {
    const first = pageOf((await browser.get('/admin/units?ended=1')).html);
    expect(first.next).to.match(/^\/admin\/units\?ended=1&cursor=/);
    const total = Number((await db().selectFrom('units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(first.range).to.equal(`Hiển thị 1–50 trong ${formatNumber(total)} đơn vị`);
    const second = pageOf((await browser.get(first.next!)).html);
    expect(second.codes.filter((code) => first.codes.includes(code))).to.deep.equal([]);
  });

  it('finds "phuong ba dinh" without diacritics and a commune by the state\'s code, as the API does', async () => {
    const byName = await browser.get(`/admin/units?q=${encodeURIComponent('phuong ba dinh')}`);
    expect(byName.html).to.include('Phường Ba Đình');
    const { codes, next, range } = pageOf(byName.html);
    expect(codes).to.include('VN-01.00004');
    expect(next).to.equal(undefined);
    expect(range).to.match(/^Hiển thị 1–\d+ trong \d+ đơn vị$/);
    const byOfficial = pageOf((await browser.get('/admin/units?q=00004')).html);
    expect(byOfficial.codes).to.deep.equal(['VN-01.00004']);
    const byCode = pageOf((await browser.get('/admin/units?q=vn-01.00004')).html);
    expect(byCode.codes).to.deep.equal(['VN-01.00004']);
  });

  it('answers 400 to a tampered cursor', async () => {
    const response = await browser.get(`/admin/units?cursor=${Buffer.from(JSON.stringify({ a: 1 })).toString('base64url')}`);
    expect(response.status).to.equal(400);
  });
});
