// The models list in a real browser (Chromium, axe-core), at desktop and phone widths: page numbers and
// rows per page under the list; on a phone the extra filters fold into one line that says how many are
// in use, so the page opens on its results, and unfold to change them.
import { expect } from 'chai';
import { sql } from 'kysely';
import type { Page } from 'puppeteer';
import { translate } from '../../server/web/i18n/index.ts';
import { launchBrowserSession, PHONE, type BrowserSession } from '../support/browser.ts';
import { db } from '../support/context.ts';
import { createUnit, createUser, TEST_PASSWORD, uniqueSuffix } from '../support/factories.ts';

const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);

describe('the models list in a real browser (Chromium, axe-core)', function () {
  this.timeout(120_000);
  let session: BrowserSession;
  let page: Page;
  let unitId: number;

  before(async function () {
    this.timeout(90_000);
    const unit = await createUnit();
    unitId = unit.id;
    const prefix = `L${uniqueSuffix()}`;
    await sql`
      INSERT INTO models (code, title, unit_id, year, field_code, block_code, kind, summary)
      SELECT ${prefix} || '-' || g, 'Mô hình danh sách số ' || g, ${unit.id}::integer, 2024, 'nong_thon_moi', 'chinh_quyen', 'model', 'Tóm tắt ' || g
      FROM generate_series(1, 130) AS g`.execute(db());
    const user = await createUser({ role: 'agency', unitId: unit.id });
    session = await launchBrowserSession();
    page = session.page;
    await session.visit('/login');
    await session.fillField('username', user.username);
    await session.fillField('password', TEST_PASSWORD);
    await session.clickAndWait('form[action="/login"] button[type="submit"]');
  });

  after(async function () {
    this.timeout(30_000);
    await session?.close();
  });

  it('numbers the pages and changes the rows per page, at desktop width with the filters open', async () => {
    await session.visit(`/models?unitId=${unitId}&year=2024`);
    expect(await session.text('.pager__where')).to.equal(vi('pager.pageOf', { page: 1, pages: 6 }));
    expect(await page.$eval('details[data-fold-on-phone]', (d) => (d as HTMLDetailsElement).open), 'filters open on a wide screen').to.equal(true);
    expect(await page.$eval('.filters__more > summary', (s) => getComputedStyle(s).display)).to.equal('none');
    await session.clickAndWait('.pager__pages a[aria-label="Trang 3"]');
    expect(await session.text('.pager__where')).to.equal(vi('pager.pageOf', { page: 3, pages: 6 }));
    expect(await page.$eval('.pager__current', (a) => a.textContent)).to.equal('3');
    await session.inspect('models-list-01-page-3');
    await session.clickAndWait(`.pager__sizes a[aria-label="${vi('pager.sizeLink', { size: 100 })}"]`);
    expect(await session.text('.pager__where')).to.equal(vi('pager.pageOf', { page: 1, pages: 2 }));
    expect(await page.$$eval('table tbody tr', (rows) => rows.length)).to.equal(100);
  });

  it('folds the filters on a phone to one line saying two are in use, the results first, and unfolds them on a tap', async () => {
    await session.atViewport(PHONE, async () => {
      await session.visit(`/models?unitId=${unitId}&year=2024`);
      expect(await page.$eval('details[data-fold-on-phone]', (d) => (d as HTMLDetailsElement).open), 'folded on a phone').to.equal(false);
      expect(await session.text('.filters__more > summary')).to.equal(vi('filters.moreActive', { count: 2 }));
      const resultsTop = await page.$eval('.result-count', (p) => p.getBoundingClientRect().top);
      expect(resultsTop, 'the results begin on the first screen').to.be.below(PHONE.height);
      await session.screenshot('models-list-02-phone-folded');
      await session.assertNoHorizontalScroll('no sideways scrolling on a phone');
      await session.checkAccessibility('models-list-02-phone-folded');
      await page.click('.filters__more > summary');
      expect(await page.$eval('#filter-year', (s) => (s as HTMLSelectElement).value)).to.equal('2024');
      expect(await page.$eval('#filter-year', (s) => s.getBoundingClientRect().height), 'the year filter shows').to.be.above(0);
      await page.evaluate(() => document.querySelector('.pager')?.scrollIntoView());
      await session.screenshot('models-list-03-phone-unfolded');
      await session.checkAccessibility('models-list-03-phone-unfolded');
    });
  });
});
