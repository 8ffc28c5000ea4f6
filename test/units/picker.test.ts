// The unit picker over HTTP, with the country's real units loaded: the search the combobox asks
// (GET /units/search: folded names, the state's codes, ranking, ended units, limit, scope), and the
// forms without JavaScript, where the server resolves what was typed into the unit's id (one match,
// a code, several matches to choose from, none), keeps the choice over a refused form, and leaves a
// small scope with its plain <select>.
import { expect } from 'chai';
import { translate } from '../../server/web/i18n/index.ts';
import { ALL_UNITS } from '../../server/auth/scope.ts';
import { resolveUnitPicks, SEARCH_LIMIT } from '../../server/units/picker.ts';
import { loadReferenceUnits } from '../../server/units/reference/load.ts';
import { db } from '../support/context.ts';
import { createUnit, createUser, TEST_PASSWORD } from '../support/factories.ts';
import { Browser } from '../support/http.ts';

interface Choice {
  id: number;
  label: string;
  name: string;
  code: string;
  officialCode: string | null;
  kind: string;
  parentName: string | null;
  ended: boolean;
  endedText: string | null;
}

const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);

/** Handlebars escapes `=` and quotes in attributes; read them back as text. */
const unescape = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, '&');

async function signedIn(role: 'admin' | 'agency' | 'secretary', unitId?: number): Promise<Browser> {
  const user = await createUser({ role, unitId });
  const browser = new Browser();
  expect((await browser.login(user.username, TEST_PASSWORD)).status).to.equal(303);
  return browser;
}

async function search(browser: Browser, query: string): Promise<{ status: number; items: Choice[]; more: boolean }> {
  const response = await browser.get(`/units/search?${query}`);
  if (response.status !== 200) return { status: response.status, items: [], more: false };
  expect(response.headers.get('content-type')).to.match(/^application\/json/);
  const body = JSON.parse(response.html) as { items: Choice[]; more: boolean };
  return { status: response.status, ...body };
}

const unitByCode = (code: string) => db().selectFrom('units').select(['id', 'code', 'name', 'valid_to']).where('code', '=', code).executeTakeFirstOrThrow();

describe('unit picker: search and forms over the country\'s units', function () {
  this.timeout(60_000);
  let admin: Browser;
  let rachGia: { id: number; code: string; name: string };

  before(async function () {
    this.timeout(120_000);
    await loadReferenceUnits(db()); // the 3.418 units; a second load in the same database adds nothing
    rachGia = await unitByCode('VN-91.30742');
    admin = await signedIn('admin');
  });

  describe('GET /units/search', () => {
    it('finds "Phường Rạch Giá" for q=rach gia typed without diacritics, with its state\'s code and its province', async () => {
      const { status, items } = await search(admin, 'q=rach%20gia');
      expect(status).to.equal(200);
      expect(items[0]).to.deep.include({ id: rachGia.id, name: 'Phường Rạch Giá', officialCode: '30742', kind: 'commune', parentName: 'Tỉnh An Giang', ended: false, endedText: null, label: 'Phường Rạch Giá (VN-91.30742)' });
    });

    it('finds a commune by its five-digit official code, and a province by its two digits first', async () => {
      const commune = await search(admin, 'q=30742');
      expect(commune.items[0]?.id).to.equal(rachGia.id);
      // Other tests' units carry random hexadecimal codes that may hold "30742"; no other state's unit may match.
      expect(commune.items.slice(1).filter((item) => item.officialCode !== null)).to.deep.equal([]);
      // A unit without a state's code whose code holds "91" comes after (NULL sorted first once did).
      const decoy = await createUnit({ name: 'Đơn vị mã có 91' });
      await db().updateTable('units').set({ code: `T91${decoy.code}` }).where('id', '=', decoy.id).execute();
      const province = await search(admin, 'q=91&includeEnded=0');
      expect(province.items[0]).to.deep.include({ name: 'Tỉnh An Giang', officialCode: '91', kind: 'province' });
    });

    it('ranks the unit named by the text before names that merely hold it ("an giang": the province before Phường Tân Giang)', async () => {
      const { items } = await search(admin, 'q=an%20giang&includeEnded=0');
      expect(items[0]).to.deep.include({ name: 'Tỉnh An Giang', code: 'VN-91' });
      expect(items.map((item) => item.name)).to.include('Phường Tân Giang');
    });

    it('marks a unit that ended in the 2025 mergers, and leaves it out with includeEnded=0', async () => {
      const all = await search(admin, 'q=kien%20giang');
      const ended = all.items.find((item) => item.code === 'VN63-91');
      expect(ended).to.deep.include({ name: 'Tỉnh Kiên Giang', ended: true, endedText: vi('unitPicker.endedOn', { date: '30/06/2025' }) });
      const inForce = await search(admin, 'q=kien%20giang&includeEnded=0');
      expect(inForce.items.filter((item) => item.ended)).to.deep.equal([]);
      expect(inForce.items.map((item) => item.code)).to.not.include('VN63-91');
    });

    it(`answers at most ${SEARCH_LIMIT} units and says there are more`, async () => {
      const { items, more } = await search(admin, 'q=phuong');
      expect(items).to.have.length(SEARCH_LIMIT);
      expect(more).to.equal(true);
      expect((await search(admin, 'q=rach%20gia')).more).to.equal(false);
    });

    it('keeps to the kinds asked for', async () => {
      const { items } = await search(admin, 'q=giang&kind=province&includeEnded=0');
      expect(items.length).to.be.greaterThan(0);
      expect(items.every((item) => item.kind === 'province')).to.equal(true);
    });

    it('never shows an agency user a unit outside its scope, by name, by code or with no text', async () => {
      const province = await createUnit({ kind: 'province', name: 'Tỉnh Thử Phạm Vi' });
      const own = await createUnit({ name: 'Sở Thử Phạm Vi Rạch Giá', parentId: province.id });
      const sibling = await createUnit({ name: 'Sở Bên Cạnh Phạm Vi', parentId: province.id });
      const agency = await signedIn('agency', own.id);
      const byName = await search(agency, 'q=rach%20gia');
      expect(byName.status).to.equal(200);
      expect(byName.items.map((item) => item.id), 'its own unit only, not Phường Rạch Giá').to.deep.equal([own.id]);
      expect((await search(agency, 'q=30742')).items).to.deep.equal([]);
      expect((await search(agency, `q=${sibling.code}`)).items).to.deep.equal([]);
      expect((await search(agency, 'q=pham%20vi')).items.map((item) => item.id)).to.deep.equal([own.id]);
      expect((await search(agency, '')).items.map((item) => item.id)).to.deep.equal([own.id]);
    });

    it('sends a visitor who is not signed in to the login page, and refuses a text over 100 characters with 422', async () => {
      const visitor = await new Browser().get('/units/search?q=rach%20gia');
      expect(visitor.status).to.equal(303);
      expect(visitor.location).to.match(/^\/login\?next=/);
      expect((await admin.get(`/units/search?q=${'a'.repeat(101)}`)).status).to.equal(422);
    });
  });

  describe('forms without JavaScript', () => {
    const model = (extra: Record<string, string>) => ({ title: 'Mô hình chọn đơn vị bằng chữ', year: '2025', kind: 'model', fieldCode: 'kinh_te', summary: 'Cán bộ phường đến từng nhà lắng nghe dân.', ...extra });
    const modelsOf = (unitId: number, title: string) => db().selectFrom('models').select(['id', 'unit_id']).where('unit_id', '=', unitId).where('title', '=', title).execute();

    it('shows an administrator a text field with the chosen unit\'s label and its id, not 3.400 options', async () => {
      const page = await admin.get('/models/new');
      expect(page.status).to.equal(200);
      const html = unescape(page.html);
      expect(html).to.match(/<input id="field-unitId" name="unitIdText" type="text" value="[^"]+ \([^"]+\)"/);
      expect(html).to.match(/<input type="hidden" name="unitId" value="\d+" data-unit-id>/);
      expect((html.match(/<option/g) ?? []).length, 'options on the page').to.be.below(100);
      expect(html).to.include('<script type="module" src="/assets/unit-picker.js"></script>');
      expect(html).to.include(`data-search-url="/units/search?includeEnded=1"`);
    });

    it('registers the model in the one unit a typed name matches, the hidden id of the unit shown before notwithstanding', async () => {
      const page = await admin.get('/models/new');
      const shownId = /name="unitId" value="(\d+)"/.exec(page.html)?.[1] ?? '';
      const title = 'Mô hình gõ tên đơn vị';
      // "rach gia" alone may match other units of this database too ("Sở Thử Phạm Vi Rạch Giá" above); the whole name is one.
      const saved = await admin.post('/models', model({ title, unitId: shownId, unitIdText: 'phuong rach gia' }));
      expect(saved.status, saved.html.slice(0, 500)).to.equal(303);
      expect(await modelsOf(rachGia.id, title)).to.have.length(1);
    });

    it('takes a five-digit official code, and our code in the label as the page left it', async () => {
      const byOfficial = await admin.post('/models', model({ title: 'Mô hình gõ mã 30742', unitId: '', unitIdText: '30742' }));
      expect(byOfficial.status).to.equal(303);
      expect(await modelsOf(rachGia.id, 'Mô hình gõ mã 30742')).to.have.length(1);
      const byLabel = await admin.post('/models', model({ title: 'Mô hình theo nhãn', unitId: String(rachGia.id), unitIdText: 'Phường Rạch Giá (VN-91.30742)' }));
      expect(byLabel.status).to.equal(303);
      expect(await modelsOf(rachGia.id, 'Mô hình theo nhãn')).to.have.length(1);
    });

    it('re-shows a form whose text matches several units with them to choose from (422, ambiguous_reference), then saves the one chosen', async () => {
      const title = 'Mô hình chọn trong danh sách';
      const refused = await admin.post('/models', model({ title, unitId: '', unitIdText: 'phuong long' }));
      expect(refused.status).to.equal(422);
      const html = unescape(refused.html);
      expect(html).to.include(vi('unitPicker.several', { label: vi('models.unit'), text: 'phuong long' }));
      expect(html).to.include('value="phuong long"');
      const choices = [...html.matchAll(/<select id="choice-unitId" name="unitIdChoice">([\s\S]*?)<\/select>/g)][0]?.[1] ?? '';
      const ids = [...choices.matchAll(/<option value="(\d+)">/g)].map((m) => Number(m[1]));
      expect(ids.length).to.be.within(2, SEARCH_LIMIT);
      const longXuyen = await unitByCode('VN-91.30307');
      expect(ids).to.include(longXuyen.id);
      expect(await modelsOf(longXuyen.id, title), 'nothing written').to.have.length(0);

      const saved = await admin.post('/models', model({ title, unitId: '', unitIdText: 'phuong long', unitIdChoice: String(longXuyen.id) }));
      expect(saved.status).to.equal(303);
      expect(await modelsOf(longXuyen.id, title)).to.have.length(1);
    });

    it('refuses a text that matches no unit (422, unknown_reference) and keeps it in the field', async () => {
      const refused = await admin.post('/models', model({ title: 'Mô hình không đơn vị', unitId: '', unitIdText: 'zzz không có đơn vị này' }));
      expect(refused.status).to.equal(422);
      const html = unescape(refused.html);
      expect(html).to.include(vi('unitPicker.noMatch', { label: vi('models.unit'), text: 'zzz không có đơn vị này' }));
      expect(html).to.include('value="zzz không có đơn vị này"');
      expect(html).to.include('href="#field-unitId"');
    });

    it('names the rule that refused each: ambiguous_reference for several units, unknown_reference for none', async () => {
      const spec = { name: 'unitId', label: 'models.unit', includeEnded: true } as const;
      const several = await resolveUnitPicks(db(), ALL_UNITS, [spec], { unitId: '', unitIdText: 'phuong long' });
      expect(several.problems.map(({ field, reason }) => ({ field, reason }))).to.deep.equal([{ field: 'unitId', reason: 'ambiguous_reference' }]);
      const none = await resolveUnitPicks(db(), ALL_UNITS, [spec], { unitId: '', unitIdText: 'zzz không có' });
      expect(none.problems.map(({ field, reason }) => ({ field, reason }))).to.deep.equal([{ field: 'unitId', reason: 'unknown_reference' }]);
      const one = await resolveUnitPicks(db(), ALL_UNITS, [spec], { unitId: '', unitIdText: '30742', unitIdChoice: '' });
      expect(one).to.deep.equal({ body: { unitId: String(rachGia.id) }, values: { unitId: String(rachGia.id), unitIdText: 'Phường Rạch Giá (VN-91.30742)' }, problems: [] });
    });

    it('shows hostile text typed into the unit field back as text only, in the field and in the message', async () => {
      const payload = '"><script>alert(1)</script><img src=x onerror=alert(2)>';
      const refused = await admin.post('/models', model({ title: 'Mô hình chữ độc', unitId: '', unitIdText: payload }));
      expect(refused.status).to.equal(422);
      expect(refused.html).to.not.include('<script>alert(1)</script>');
      expect(refused.html).to.not.include('<img src=x');
      expect(unescape(refused.html.replace(/&lt;/g, '<').replace(/&gt;/g, '>'))).to.include(`value="${payload}"`);
      const found = await search(admin, `q=${encodeURIComponent(payload)}`);
      expect(found).to.deep.include({ status: 200, items: [] });
    });

    it('shows the chosen unit\'s name again when another field is refused', async () => {
      const refused = await admin.post('/models', model({ title: '', unitId: '', unitIdText: 'Phuong Rach Gia' }));
      expect(refused.status).to.equal(422);
      const html = unescape(refused.html);
      expect(html).to.include(vi('validation.required', { label: vi('field.title') }));
      expect(html).to.include('name="unitIdText" type="text" value="Phường Rạch Giá (VN-91.30742)"');
      expect(html).to.include(`name="unitId" value="${rachGia.id}"`);
      expect(html).to.not.include('id="error-unitId"');
    });

    it('filters the model list by a unit typed by name, and keeps the filter in the page and export links as its id', async () => {
      const page = await admin.get('/models?unitIdText=phuong%20rach%20gia');
      expect(page.status).to.equal(200);
      const html = unescape(page.html);
      expect(html).to.include('value="Phường Rạch Giá (VN-91.30742)"');
      expect(html).to.include(`href="/models/export.csv?unitId=${rachGia.id}"`);
      expect(html).to.include('Mô hình gõ tên đơn vị');
    });

    it('resolves the parent typed into the unit form', async () => {
      const code = `TPK${Date.now().toString(36).toUpperCase()}`;
      const saved = await admin.post('/admin/units', { code, name: 'Ban Thử Bộ Chọn', kind: 'agency', blockCode: '', parentId: '', parentIdText: '30742', successorId: '', successorIdText: '', validFrom: '', validTo: '' });
      expect(saved.status).to.equal(303);
      expect((await db().selectFrom('units').select('parent_id').where('code', '=', code).executeTakeFirstOrThrow()).parent_id).to.equal(rachGia.id);
    });

    it('leaves a small scope its plain <select> of units', async () => {
      const own = await createUnit({ name: 'Hội Thử Danh Sách Ngắn' });
      const agency = await signedIn('agency', own.id);
      const page = await agency.get('/models/new');
      expect(page.status).to.equal(200);
      expect(page.html).to.include('<select id="field-unitId" name="unitId"');
      expect(page.html).to.not.include('name="unitIdText"');
    });
  });
});
