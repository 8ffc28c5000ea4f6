// A body's document settings in a real Chromium (issue 19): the secretary opens them from the
// committee page, sees the defaults, replaces the legal bases one per line and saves; a place left
// empty is marked at its field; the decision page offers the decision as Word and PDF, and the
// downloaded Word file carries the new bases. Each page is checked with axe-core at desktop and phone width.
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import type { Page } from 'puppeteer';
import { translate } from '../../server/web/i18n/index.ts';
import { createCommittee, type Committee } from '../support/awards.ts';
import { launchBrowserSession, type BrowserSession } from '../support/browser.ts';
import { issueDecision, type IssuedDecision } from '../support/certificates.ts';
import { db } from '../support/context.ts';
import { TEST_PASSWORD } from '../support/factories.ts';
import { docxTexts } from '../documents/docx.ts';

const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);

describe('document settings in a real browser (Chromium, axe-core)', function () {
  this.timeout(60_000);
  let session: BrowserSession;
  let page: Page;
  let committee: Committee;
  let decision: IssuedDecision;

  before(async function () {
    this.timeout(120_000);
    committee = await createCommittee();
    // A province's name of its own: the real Tỉnh An Giang of the reference units shares this database.
    await db().updateTable('units').set({ name: 'Tỉnh Sông Hậu Thử' }).where('id', '=', committee.province.id).execute();
    decision = await issueDecision(committee, [{ name: 'Nguyễn Thị Anh' }]);
    session = await launchBrowserSession();
    page = session.page;
    await session.visit('/login');
    await session.fillField('username', committee.secretary.username);
    await session.fillField('password', TEST_PASSWORD);
    expect((await session.clickAndWait('form[action="/login"] button[type="submit"]')).status()).to.equal(200);
  });

  after(async function () {
    this.timeout(30_000);
    await session?.close();
  });

  it('opens the settings from the committee page with the province\'s defaults', async function () {
    await session.visit(`/committees/${committee.province.id}`);
    expect((await session.clickAndWait(`a[href="/committees/${committee.province.id}/documents"]`)).status()).to.equal(200);
    expect(await page.$eval('h1', (h) => h.textContent)).to.equal(vi('documents.settings.title', { name: 'Tỉnh Sông Hậu Thử' }));
    expect(await page.$eval('#field-placeName', (input) => (input as HTMLInputElement).value)).to.equal('Sông Hậu Thử');
    expect(await page.$eval('#field-issuerLines', (area) => (area as HTMLTextAreaElement).value)).to.equal('ỦY BAN NHÂN DÂN\nTỈNH SÔNG HẬU THỬ');
    await session.inspect('documents-01-settings');
    await session.inspectOnPhone('documents-01-settings-phone');
  });

  it('marks an empty place at its field and saves nothing', async function () {
    await session.fillField('placeName', '');
    const refused = await session.clickAndWait('form[action$="/documents"] button[type="submit"]');
    expect(refused.status()).to.equal(422);
    expect(await page.$eval('#field-placeName', (input) => input.getAttribute('aria-invalid'))).to.equal('true');
    await session.inspect('documents-02-refused');
    expect(await db().selectFrom('document_settings').select('issuing_unit_id').where('issuing_unit_id', '=', committee.province.id).executeTakeFirst()).to.equal(undefined);
  });

  it('saves the legal bases typed one per line, and the decision\'s Word file from its page carries them', async function () {
    await session.fillField('placeName', 'An Giang');
    await session.fillField('legalBases', 'Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022\nCăn cứ Quy chế thi đua, khen thưởng của tỉnh');
    const saved = await session.clickAndWait('form[action$="/documents"] button[type="submit"]');
    expect(saved.status()).to.equal(200);
    expect(await page.$eval('.flash', (p) => p.textContent)).to.equal(vi('documents.settings.saved'));
    await session.visit(`/decisions/${decision.id}`);
    expect(await page.$eval(`a[href="/decisions/${decision.id}/decision.pdf"]`, (a) => a.textContent)).to.equal(vi('documents.decisionPdf'));
    const file = await session.download(`a[href="/decisions/${decision.id}/decision.docx"]`);
    const texts = await docxTexts(await readFile(file));
    expect(texts).to.include('Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;').and.to.include('Căn cứ Quy chế thi đua, khen thưởng của tỉnh;');
  });
});
