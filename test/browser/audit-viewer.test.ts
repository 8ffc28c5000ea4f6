// The administrator's audit viewer in a real Chromium (issue 18): from the admin menu, filter the
// trail by a unit (the unit picker: the province's people and its district's) and by a group of
// actions, see only those rows with their times in Vietnam's clock and links to the records, download
// the same filter as .xlsx and read it back; a bad date is marked at its field; the page in English.
// Each page is checked with axe-core and screenshotted at desktop and phone width (test/screenshots/).
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { readFile } from 'node:fs/promises';
import type { Page } from 'puppeteer';
import { translate } from '../../server/web/i18n/index.ts';
import { launchBrowserSession, type BrowserSession } from '../support/browser.ts';
import { db } from '../support/context.ts';
import { createUnit, createUser, TEST_PASSWORD } from '../support/factories.ts';

const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);
const en = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('en', key, params);

describe('audit viewer in a real browser (Chromium, axe-core)', function () {
  this.timeout(60_000);
  let session: BrowserSession;
  let page: Page;
  let province: Awaited<ReturnType<typeof createUnit>>;
  let ids: { submitted: number; returned: number; registered: number; elsewhere: number };
  let secretaryName = '';

  before(async function () {
    this.timeout(120_000);
    session = await launchBrowserSession();
    page = session.page;
    province = await createUnit({ kind: 'province', name: 'Tỉnh Nhật Ký Thử' });
    const district = await createUnit({ kind: 'district', parentId: province.id, name: 'Huyện Nhật Ký Thử' });
    const clerk = await createUser({ role: 'agency', unitId: district.id, fullName: 'Lê Thị Nhật Ký' });
    const secretary = await createUser({ role: 'secretary', unitId: province.id, fullName: 'Phạm Văn Thư Ký' });
    secretaryName = secretary.username;
    const stranger = await createUser({ role: 'agency', fullName: 'Người Tỉnh Khác' });
    const write = async (actor: number, action: string, at: string, entityType: string, entityId: string, before: unknown, after: unknown) =>
      (await db().insertInto('audit_log').values({ actor_user_id: actor, actor_ip: '10.1.2.3', action, at: new Date(at), entity_type: entityType, entity_id: entityId, before: before === null ? null : JSON.stringify(before), after: JSON.stringify(after) }).returning('id').executeTakeFirstOrThrow()).id;
    ids = {
      submitted: await write(clerk.id, 'nomination.submit', '2025-11-20T02:15:00Z', 'nomination', '101', { status: 'draft' }, { status: 'submitted' }),
      returned: await write(secretary.id, 'nomination.return', '2025-11-21T09:40:00Z', 'nomination', '101', { status: 'submitted' }, { status: 'returned', returnReason: 'Bổ sung biên bản họp xét' }),
      registered: await write(clerk.id, 'model.register', '2025-11-22T03:00:00Z', 'model', '55', null, { title: 'Dân vận khéo trong xây dựng nông thôn mới', year: 2025 }),
      elsewhere: await write(stranger.id, 'nomination.submit', '2025-11-23T03:00:00Z', 'nomination', '102', { status: 'draft' }, { status: 'submitted' }),
    };
    const admin = await createUser({ role: 'admin', fullName: 'Quản trị Nhật Ký' });
    await session.visit('/login');
    await session.fillField('username', admin.username);
    await session.fillField('password', TEST_PASSWORD);
    expect((await session.clickAndWait('form[action="/login"] button[type="submit"]')).status()).to.equal(200);
  });

  after(async function () {
    this.timeout(30_000);
    await session?.close();
  });

  const rowTexts = () => page.$$eval('.audit-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.replace(/\s+/g, ' ').trim())));

  it('opens the audit log from the admin menu, filters by a unit and a group of actions, and shows only those rows', async function () {
    await session.visit('/');
    expect(await session.text('.main-nav a[href="/admin/audit"]')).to.equal(vi('nav.audit'));
    const opened = await session.clickAndWait('.main-nav a[href="/admin/audit"]');
    expect(opened.status()).to.equal(200);
    expect(await session.text('h1')).to.equal(vi('audit.title'));
    expect(await page.$eval('.main-nav a[href="/admin/audit"]', (a) => a.getAttribute('aria-current'))).to.equal('page');

    await session.chooseUnit('unitId', province);
    await page.select('#field-action', 'nomination.');
    const filtered = await session.clickAndWait('form[action="/admin/audit"] button[type="submit"]');
    expect(filtered.status()).to.equal(200);
    const rows = await rowTexts();
    expect(rows.map((cells) => cells[0])).to.deep.equal(['21/11/2025 16:40', '20/11/2025 09:15']);
    expect(rows[0]).to.deep.equal([
      '21/11/2025 16:40', `Phạm Văn Thư Ký ${secretaryName} 10.1.2.3`, 'Tỉnh Nhật Ký Thử',
      `${vi('audit.action.nomination.return')} nomination.return`, `${vi('audit.entity.nomination')} #101`,
      'status: submitted → returned returnReason: — → Bổ sung biên bản họp xét',
    ]);
    expect(rows[1]![2]).to.equal('Huyện Nhật Ký Thử');
    expect(await page.$$eval('.audit-table tbody a', (links) => links.map((a) => a.getAttribute('href')))).to.deep.equal(['/nominations/101', '/nominations/101']);
    expect(await page.$eval('#field-action', (select) => (select as HTMLSelectElement).value)).to.equal('nomination.');
    await session.inspect('audit-01-filtered');
    await session.inspectOnPhone('audit-01-filtered-phone');
    void ids;
  });

  it('downloads the same filter as .xlsx: a bold header, then the two rows with real dates in Vietnam time', async function () {
    const file = await session.download(`a[href^="/admin/audit.xlsx"]`);
    expect(file.endsWith('.xlsx'), file).to.equal(true);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await readFile(file) as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).to.equal(vi('audit.sheet'));
    expect(sheet.getRow(1).font?.bold).to.equal(true);
    expect(sheet.rowCount).to.equal(3);
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect((values(2)[0] as Date).toISOString()).to.equal('2025-11-21T16:40:00.000Z');
    expect(values(2).slice(2, 7)).to.deep.equal(['Phạm Văn Thư Ký', 'Tỉnh Nhật Ký Thử', '10.1.2.3', vi('audit.action.nomination.return'), 'nomination.return']);
    expect(values(3)[6]).to.equal('nomination.submit');
    expect(session.pathname(), 'the download leaves the page where it was').to.equal('/admin/audit');
  });

  it('marks a date that does not exist at its field and lists it above the form', async function () {
    await session.fillField('from', '31/02/2025');
    const rejected = await session.clickAndWait('form[action="/admin/audit"] button[type="submit"]');
    expect(rejected.status()).to.equal(422);
    const invalid = await session.invalidFields();
    expect(invalid.map((field) => field.id)).to.deep.equal(['field-from']);
    expect(invalid[0]).to.include({ message: vi('validation.date', { label: vi('field.audit.from') }), describedBy: true, marked: true });
    expect(await session.errorSummaryLinks()).to.deep.equal([{ href: '#field-from', text: vi('validation.date', { label: vi('field.audit.from') }) }]);
    await session.inspect('audit-02-date-error');
  });

  it('shows the page in English with the person\'s unit filter and the rows of the whole province', async function () {
    await session.visit(`/admin/audit?unitId=${province.id}`);
    await session.clickAndWait('a.language-switch');
    expect(await session.text('h1')).to.equal(en('audit.title'));
    const rows = await rowTexts();
    expect(rows.map((cells) => cells[3])).to.deep.equal([
      `${en('audit.action.model.register')} model.register`, `${en('audit.action.nomination.return')} nomination.return`, `${en('audit.action.nomination.submit')} nomination.submit`,
    ]);
    expect(rows[0]![5]).to.contain('title: — → Dân vận khéo trong xây dựng nông thôn mới');
    await session.inspect('audit-03-english');
    await session.inspectOnPhone('audit-03-english-phone');
    await session.clickAndWait('a.language-switch');
  });
});
