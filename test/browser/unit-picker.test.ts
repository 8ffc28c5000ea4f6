// The unit picker's combobox in a real Chromium, over the country's 3.418 units: an administrator
// opens the model form, types "rach gia" into the unit field, moves to "Phường Rạch Giá" with the
// arrow keys, takes it with Enter and saves; the model is in that unit. At 1366 px and at 375 px,
// with the list open and closed, axe-core finds no serious or critical violation, and the page does
// not scroll sideways on the phone. The ARIA 1.2 combobox contract is checked on the way: role,
// aria-expanded, aria-controls, a listbox of options, aria-activedescendant, Escape.
import { expect } from 'chai';
import type { Page, Viewport } from 'puppeteer';
import { translate } from '../../server/web/i18n/index.ts';
import { loadReferenceUnits } from '../../server/units/reference/load.ts';
import { DESKTOP, launchBrowserSession, type BrowserSession } from '../support/browser.ts';
import { db } from '../support/context.ts';
import { createUser, TEST_PASSWORD } from '../support/factories.ts';

const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);

const WIDE: Viewport = { width: 1366, height: 900 };
const NARROW: Viewport = { width: 375, height: 812, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

describe('unit picker in a real browser (Chromium, keyboard, axe-core)', function () {
  this.timeout(60_000);
  let session: BrowserSession;
  let page: Page;
  let rachGia: { id: number; name: string };

  before(async function () {
    this.timeout(120_000);
    session = await launchBrowserSession();
    page = session.page;
    await loadReferenceUnits(db()); // a second load in the same database adds nothing
    rachGia = await db().selectFrom('units').select(['id', 'name']).where('code', '=', 'VN-91.30742').executeTakeFirstOrThrow();
    const admin = await createUser({ role: 'admin', fullName: 'Quản trị Bộ chọn' });
    await session.visit('/login');
    await session.fillField('username', admin.username);
    await session.fillField('password', TEST_PASSWORD);
    expect((await session.clickAndWait('form[action="/login"] button[type="submit"]')).status()).to.equal(200);
  });

  after(async function () {
    this.timeout(30_000);
    await page?.setViewport(DESKTOP);
    await session?.close();
  });

  const combobox = '#field-unitId';
  const attribute = (selector: string, name: string) => page.$eval(selector, (element, n) => element.getAttribute(n), name);
  const hiddenId = () => page.$eval('input[type="hidden"][name="unitId"]', (element) => (element as HTMLInputElement).value);
  const activeText = () => page.$eval(combobox, (input) => document.getElementById(input.getAttribute('aria-activedescendant') ?? '')?.textContent ?? '');
  const modelsIn = (unitId: number, title: string) => db().selectFrom('models').select(['id', 'unit_id', 'title']).where('unit_id', '=', unitId).where('title', '=', title).execute();

  /** Types into the combobox as a person would and waits for the list the search opens. */
  async function typeAndWaitForList(text: string): Promise<string> {
    await session.typeInto(combobox, '');
    await page.focus(combobox);
    await page.keyboard.type(text);
    await page.waitForSelector(`${combobox}[aria-expanded="true"]`);
    const listId = (await attribute(combobox, 'aria-controls')) ?? '';
    await page.waitForSelector(`#${listId} [role="option"]`);
    return listId;
  }

  for (const [size, viewport] of [['1366', WIDE], ['375', NARROW]] as const) {
    it(`at ${size} px: types "rach gia", picks Phường Rạch Giá with the arrow keys and Enter, and saves the model in it`, async function () {
      await page.setViewport(viewport);
      const title = `Mô hình chọn đơn vị bằng bàn phím (${size} px)`;
      const form = await session.visit('/models/new');
      expect(form.status()).to.equal(200);
      session.assertNoFailedResources(`unit-picker-${size}-form`); // the script and the stylesheet came

      // The script made the text field a combobox; the list is closed.
      expect(await attribute(combobox, 'role')).to.equal('combobox');
      expect(await attribute(combobox, 'aria-autocomplete')).to.equal('list');
      expect(await attribute(combobox, 'aria-expanded')).to.equal('false');
      const listId = (await attribute(combobox, 'aria-controls')) ?? '';
      expect(await attribute(`#${listId}`, 'role')).to.equal('listbox');
      expect(await page.$eval('label[for="field-unitId"]', (label) => (label.textContent ?? '').trim())).to.include(vi('models.unit'));

      await session.fillField('title', title);
      await page.select('#field-fieldCode', 'kinh_te');
      await session.fillField('summary', 'Cán bộ phường đến từng nhà, lắng nghe và giúp dân làm hồ sơ.');

      await typeAndWaitForList('rach gia');
      expect(await hiddenId(), 'typing forgets the unit chosen before').to.equal('');
      const options = await page.$$eval(`#${listId} [role="option"]`, (items) => items.map((item) => ({ text: (item.textContent ?? '').replace(/\s+/g, ' ').trim(), selected: item.getAttribute('aria-selected') })));
      const wanted = options.findIndex((option) => option.text.startsWith('Phường Rạch Giá'));
      expect(wanted, JSON.stringify(options)).to.be.at.least(0);
      expect(options[wanted]?.text).to.include(vi('unitPicker.code', { code: '30742' })).and.include('Tỉnh An Giang');
      expect(options.every((option) => option.selected === 'false'), 'no option active before an arrow key').to.equal(true);
      expect(await session.text('[role="status"]')).to.match(/^Tìm thấy \d+ đơn vị/);

      for (let i = 0; i <= wanted; i++) await page.keyboard.press('ArrowDown');
      expect(await activeText()).to.match(/^Phường Rạch Giá/);
      expect(await page.$eval(`#${listId} [aria-selected="true"]`, (item) => item.id)).to.equal(await attribute(combobox, 'aria-activedescendant'));
      await session.screenshot(`unit-picker-${size}-open`);
      await session.checkAccessibility(`unit-picker-${size}-open`);
      if (viewport === NARROW) await session.assertNoHorizontalScroll('no sideways scrolling with the list open on a phone');

      await page.keyboard.press('Enter');
      expect(await page.$eval(combobox, (input) => (input as HTMLInputElement).value)).to.equal('Phường Rạch Giá (VN-91.30742)');
      expect(await hiddenId()).to.equal(String(rachGia.id));
      expect(await attribute(combobox, 'aria-expanded')).to.equal('false');
      expect(await attribute(combobox, 'aria-activedescendant')).to.equal(null);
      expect(await modelsIn(rachGia.id, title), 'Enter chose; it did not submit').to.have.length(0);
      await session.checkAccessibility(`unit-picker-${size}-chosen`);

      const shown = await session.clickAndWait('form[action="/models"] button[type="submit"]');
      expect(shown.status()).to.equal(200);
      expect(session.pathname()).to.match(/^\/models\/\d+$/);
      const stored = await modelsIn(rachGia.id, title);
      expect(stored).to.have.length(1);
      expect(session.pathname()).to.equal(`/models/${stored[0]?.id}`);
      expect(await session.text('dl.facts')).to.include('Phường Rạch Giá');
    });
  }

  it('marks an ended unit in the list, closes the list with Escape, and keeps the chosen unit over a refused form', async function () {
    await page.setViewport(WIDE);
    await session.visit('/models/new');
    const listId = await typeAndWaitForList('kien giang');
    const ended = await page.$$eval(`#${listId} [role="option"]`, (items) => items.filter((item) => item.querySelector('.badge--ended')).map((item) => (item.textContent ?? '').replace(/\s+/g, ' ').trim()));
    expect(ended.some((text) => text.startsWith('Tỉnh Kiên Giang') && text.includes(vi('unitPicker.endedOn', { date: '30/06/2025' }))), JSON.stringify(ended)).to.equal(true);
    await page.keyboard.press('Escape');
    expect(await attribute(combobox, 'aria-expanded')).to.equal('false');
    expect(await page.$eval(`#${listId}`, (list) => (list as HTMLElement).hidden)).to.equal(true);

    await typeAndWaitForList('30742');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await hiddenId()).to.equal(String(rachGia.id));
    await session.fillField('title', '');
    const refused = await session.clickAndWait('form[action="/models"] button[type="submit"]');
    expect(refused.status()).to.equal(422);
    expect(await page.$eval(combobox, (input) => (input as HTMLInputElement).value), 'the chosen unit is shown again').to.equal('Phường Rạch Giá (VN-91.30742)');
    expect(await hiddenId()).to.equal(String(rachGia.id));
    await session.inspect('unit-picker-refused');
  });
});
