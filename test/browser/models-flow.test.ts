// A new agency clerk's first model, driven through the real system Chromium: open the registry
// from the header, submit the registration form with mistakes, fix them, record a progress report
// (and a bad one), then find the model again by a search without diacritics and filter it away.
// Every page is checked with axe-core (no serious or critical violations) and screenshotted to
// test/screenshots/ (git-ignored) for a person to look at, at 1280 px and, for the list and the
// model page, at 390 px too.
import { expect } from 'chai';
import type { Page } from 'puppeteer';
import { translate } from '../../server/web/i18n/index.ts';
import { launchBrowserSession, type BrowserSession } from '../support/browser.ts';
import { db } from '../support/context.ts';
import { createUnit, createUser, TEST_PASSWORD } from '../support/factories.ts';

const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);

describe('model registry flow in a real browser (Chromium, axe-core)', function () {
  let session: BrowserSession;
  let page: Page;
  let unit: Awaited<ReturnType<typeof createUnit>>;
  let clerk: Awaited<ReturnType<typeof createUser>>;
  /** The registered model, once step 3 has made it. */
  let model: { id: number; code: string } | undefined;

  const unitName = 'Hội Liên hiệp Phụ nữ xã Bình An (thử)';
  const clerkName = 'Lê Thị Văn Thư';
  const modelTitle = 'Tổ phụ nữ "Dân vận khéo" giúp nhau phát triển kinh tế';
  const modelSummary =
    'Các hội viên góp vốn xoay vòng, hướng dẫn nhau cách làm ăn, chăn nuôi và trồng trọt; cán bộ hội đến từng nhà lắng nghe, vận động chị em cùng tham gia.';
  const reportNote = 'Đã thành lập 12 tổ, tổ chức 3 buổi tập huấn chăn nuôi cho hội viên.';

  before(async function () {
    this.timeout(90_000);
    session = await launchBrowserSession();
    page = session.page;
    unit = await createUnit({ name: unitName, blockCode: 'mat_tran_doan_the' });
    clerk = await createUser({ role: 'agency', unitId: unit.id, fullName: clerkName });
  });

  after(async function () {
    this.timeout(30_000);
    await session?.close();
  });

  const valueOf = (selector: string) => page.$eval(selector, (element) => (element as HTMLInputElement).value);
  const modelCount = async () =>
    Number((await db().selectFrom('models').select((eb) => eb.fn.countAll<string>().as('n')).where('unit_id', '=', unit.id).executeTakeFirstOrThrow()).n);

  /** The list's rows, each as its cells' text. */
  function tableRows() {
    return page.$$eval('table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').replace(/\s+/g, ' ').trim())));
  }

  it('signs the agency clerk in, opens "Mô hình" from the header and then the registration form', async function () {
    await session.visit('/login');
    await session.fillField('username', clerk.username);
    await session.fillField('password', TEST_PASSWORD);
    const home = await session.clickAndWait('form[action="/login"] button[type="submit"]');
    expect(home.status()).to.equal(200);
    expect(session.pathname()).to.equal('/');

    expect(await session.text('nav.main-nav a[href="/models"]')).to.equal(vi('nav.models'));
    const list = await session.clickAndWait('nav.main-nav a[href="/models"]');
    expect(list.status()).to.equal(200);
    expect(session.pathname()).to.equal('/models');
    expect(await session.text('h1')).to.equal(vi('models.title'));
    expect(await session.text('main > p:not(.result-count)')).to.equal(vi('models.empty'));
    await session.inspect('models-01-list-empty');

    expect(await session.text('.page-head a[href="/models/new"]')).to.equal(vi('models.new'));
    const form = await session.clickAndWait('.page-head a[href="/models/new"]');
    expect(form.status()).to.equal(200);
    expect(session.pathname()).to.equal('/models/new');
    expect(await session.text('h1')).to.equal(vi('models.new'));
    expect(await valueOf('#field-unitId'), 'the clerk\'s own unit is chosen').to.equal(String(unit.id));
    expect(await session.text('#field-unitId option:checked')).to.include(unitName);
    expect(await valueOf('#field-year')).to.equal(String(new Date().getFullYear()));
    expect(await valueOf('#field-fieldCode'), 'no field is chosen for the clerk').to.equal('');
    expect(await session.text('label[for="field-startedOn"]')).to.include(vi('field.startedOn'));
  });

  it('refuses a form with no title, no field, 31/02/2024 and a 3-character summary, listing each error in Vietnamese, and writes nothing', async function () {
    await session.fillField('title', '');
    await page.select('#field-fieldCode', '');
    await session.fillField('startedOn', '31/02/2024');
    await session.fillField('summary', 'abc');
    const rejected = await session.clickAndWait('form[action="/models"] button[type="submit"]');
    expect(rejected.status()).to.equal(422);
    expect(session.pathname()).to.equal('/models');

    const expected = [
      { id: 'field-title', message: vi('validation.required', { label: vi('field.title') }) },
      { id: 'field-fieldCode', message: vi('validation.required', { label: vi('field.fieldCode') }) },
      { id: 'field-startedOn', message: vi('validation.date', { label: vi('field.startedOn') }) },
      { id: 'field-summary', message: vi('validation.tooShort', { label: vi('field.summary'), limit: 10 }) },
    ];
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    const invalid = await session.invalidFields();
    expect(invalid.map(({ id, message }) => ({ id, message })).sort(byId)).to.deep.equal([...expected].sort(byId));
    for (const field of invalid) expect(field, field.id).to.include({ describedBy: true, marked: true });
    expect(await session.text('.error-summary h2')).to.equal(vi('common.formErrors', { count: 4 }));
    const links = await session.errorSummaryLinks();
    expect(links).to.have.length(4);
    for (const field of expected) expect(links).to.deep.include({ href: `#${field.id}`, text: field.message });
    expect(await session.text('.error-summary')).to.match(/phải là ngày hợp lệ \(ngày\/tháng\/năm\)/);

    expect(await valueOf('#field-startedOn'), 'the input is kept').to.equal('31/02/2024');
    expect(await valueOf('#field-summary')).to.equal('abc');
    expect(await valueOf('#field-unitId')).to.equal(String(unit.id));
    expect(await modelCount(), 'nothing written').to.equal(0);
    await session.inspect('models-02-form-errors');
  });

  it('registers the model once the mistakes are fixed and shows it with the flash, status, unit and start date', async function () {
    await session.fillField('title', modelTitle);
    await page.select('#field-fieldCode', 'kinh_te');
    await session.fillField('startedOn', '15/03/2024');
    await session.fillField('summary', modelSummary);
    const shown = await session.clickAndWait('form[action="/models"] button[type="submit"]');
    expect(shown.status()).to.equal(200);
    expect(session.pathname()).to.match(/^\/models\/\d+$/);

    const stored = await db()
      .selectFrom('models')
      .select(['id', 'code', 'title', 'field_code', 'block_code', 'started_on', 'status', 'kind'])
      .where('unit_id', '=', unit.id)
      .execute();
    expect(stored).to.have.length(1);
    const [row] = stored;
    if (!row) throw new Error('no model stored');
    expect(row).to.include({ title: modelTitle, field_code: 'kinh_te', block_code: 'mat_tran_doan_the', started_on: '2024-03-15', status: 'registered', kind: 'model' });
    expect(row.code).to.match(/^MH-\d{4}-\d{6}$/);
    model = { id: row.id, code: row.code };
    expect(session.pathname()).to.equal(`/models/${model.id}`);

    const flash = await session.text('.flash');
    expect(flash).to.match(/^Đã đăng ký MH-/);
    expect(flash).to.equal(vi('models.created', { code: model.code, title: modelTitle }));
    expect(await session.text('article h1')).to.equal(modelTitle);
    expect(await session.text('article .badge')).to.equal(vi('modelStatus.registered'));
    const facts = await page.$$eval('dl.facts dt', (dts) => dts.map((dt) => [(dt.textContent ?? '').trim(), (dt.nextElementSibling?.textContent ?? '').replace(/\s+/g, ' ').trim()]));
    expect(facts).to.deep.include([vi('models.unit'), unitName]);
    expect(facts).to.deep.include([vi('models.field'), 'Kinh tế']);
    expect(facts).to.deep.include([vi('models.block'), 'Mặt trận và đoàn thể']);
    expect(facts).to.deep.include([vi('models.startedOn'), '15/03/2024']);
    expect(await session.text('article .prose')).to.equal(modelSummary);
    expect(await session.text('.timeline, section.card p.muted')).to.equal(vi('models.noHistory'));
    await session.inspect('models-03-model');
  });

  it('records a progress report that shows in the history, then marks an empty note next to its field', async function () {
    if (!model) this.skip();
    const options = await page.$$eval('#field-status option', (opts) => opts.map((option) => (option.textContent ?? '').trim()));
    expect(options).to.deep.equal([vi('modelStatus.implementing'), vi('modelStatus.discontinued')]);
    await page.select('#field-status', 'implementing');
    await session.fillField('reportedOn', '01/04/2024');
    await session.fillField('note', reportNote);
    await session.fillField('peopleReached', '1250');
    await session.fillField('fundsVnd', '350000000');
    const shown = await session.clickAndWait(`form[action="/models/${model.id}/reports"] button[type="submit"]`);
    expect(shown.status()).to.equal(200);
    expect(session.pathname()).to.equal(`/models/${model.id}`);
    expect(await session.text('.flash')).to.equal(vi('models.reported', { code: model.code }));
    expect(await session.text('article .badge')).to.equal(vi('modelStatus.implementing'));

    const entries = await page.$$eval('.timeline li', (items) => items.map((item) => (item.textContent ?? '').replace(/\s+/g, ' ').trim()));
    expect(entries).to.have.length(1);
    const [entry] = entries;
    expect(entry).to.include('01/04/2024');
    expect(entry).to.include(`${vi('modelStatus.registered')} → ${vi('modelStatus.implementing')}`);
    expect(entry).to.include(clerkName);
    expect(entry).to.include(reportNote);
    expect(entry).to.include('1.250 người · 350.000.000 đồng');
    await session.inspect('models-04-model-reported');
    await session.inspectOnPhone('models-04-model-reported-phone');

    const stored = await db().selectFrom('model_reports').select(['from_status', 'to_status', 'reported_on', 'people_reached', 'funds_vnd']).where('model_id', '=', model.id).execute();
    expect(stored).to.have.length(1);
    expect(stored[0]).to.deep.include({ from_status: 'registered', to_status: 'implementing', reported_on: '2024-04-01', people_reached: 1250 });
    expect(Number(stored[0]?.funds_vnd)).to.equal(350_000_000);

    // A second report with the note left empty: refused, the message is next to the note.
    await page.select('#field-status', 'implementing');
    await session.fillField('reportedOn', '15/04/2024');
    await session.fillField('note', '');
    const rejected = await session.clickAndWait(`form[action="/models/${model.id}/reports"] button[type="submit"]`);
    expect(rejected.status()).to.equal(422);
    const noteError = vi('validation.required', { label: vi('field.note') });
    const invalid = await session.invalidFields();
    expect(invalid).to.deep.equal([{ id: 'field-note', message: noteError, describedBy: true, marked: true }]);
    expect(await session.errorSummaryLinks()).to.deep.equal([{ href: '#field-note', text: noteError }]);
    expect(await page.$eval('#field-note', (note) => note.previousElementSibling?.id)).to.equal('error-note');
    expect(await valueOf('#field-reportedOn'), 'the date is kept').to.equal('15/04/2024');
    expect(await session.text('article .badge')).to.equal(vi('modelStatus.implementing'));
    expect(await page.$$('.timeline li')).to.have.length(1);
    expect(await db().selectFrom('model_reports').select('id').where('model_id', '=', model.id).execute()).to.have.length(1);
    await session.inspect('models-05-report-error');
  });

  it('finds the model in the list by "dan van kheo" (no diacritics), then filters it away by status "Đã hoàn thành"', async function () {
    if (!model) this.skip();
    await session.clickAndWait('main > p > a[href="/models"]');
    expect(session.pathname()).to.equal('/models');

    await session.typeInto('#filter-q', 'dan van kheo');
    const found = await session.clickAndWait('form[role="search"] button[type="submit"]');
    expect(found.status()).to.equal(200);
    expect(new URL(page.url()).searchParams.get('q')).to.equal('dan van kheo');
    expect(await session.text('.result-count strong')).to.equal(vi('models.found', { count: '1' }));
    expect(await session.text('.result-count strong')).to.match(/^Tìm thấy 1 mô hình/);
    expect(await valueOf('#filter-q'), 'the search is kept').to.equal('dan van kheo');
    const rows = await tableRows();
    expect(rows).to.have.length(1);
    expect(rows[0]).to.deep.equal([model.code, modelTitle, unitName, String(new Date().getFullYear()), 'Kinh tế', vi('modelStatus.implementing')]);
    await session.inspect('models-06-list-found');
    await session.inspectOnPhone('models-06-list-found-phone');

    await page.select('#filter-status', 'completed');
    const filtered = await session.clickAndWait('form[role="search"] button[type="submit"]');
    expect(filtered.status()).to.equal(200);
    expect(new URL(page.url()).searchParams.get('status')).to.equal('completed');
    expect(await session.text('.result-count strong')).to.equal(vi('models.found', { count: '0' }));
    expect(await page.$$('table tbody tr')).to.have.length(0);
    expect(await session.text('main > p:not(.result-count)')).to.equal('Không có mô hình nào khớp với bộ lọc.');
    expect(await valueOf('#filter-status')).to.equal('completed');
    await session.inspect('models-07-list-no-result');
  });
});
