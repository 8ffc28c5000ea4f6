// The interface in English in a real browser (Chromium, axe-core): a secretary switches language from
// the header, and the decision page reads in English — the award's English name, "1 collective and
// 2 individuals" — as does the models list with its pager; each page at desktop and phone widths.
import { expect } from 'chai';
import type { Page } from 'puppeteer';
import { createCommittee } from '../support/awards.ts';
import { launchBrowserSession, type BrowserSession } from '../support/browser.ts';
import { issueDecision, type IssuedDecision } from '../support/certificates.ts';
import { TEST_PASSWORD } from '../support/factories.ts';

describe('the interface in English in a real browser (Chromium, axe-core)', function () {
  this.timeout(120_000);
  let session: BrowserSession;
  let page: Page;
  let decision: IssuedDecision;

  before(async function () {
    this.timeout(90_000);
    const committee = await createCommittee();
    decision = await issueDecision(committee, [{ name: 'Trường THCS Vĩnh Lạc', kind: 'collective' }, { name: 'Phạm Thị Thu Trang' }, { name: 'Huỳnh Văn Lộc' }]);
    session = await launchBrowserSession();
    page = session.page;
    await session.visit('/login');
    await session.fillField('username', committee.secretary.username);
    await session.fillField('password', TEST_PASSWORD);
    await session.clickAndWait('form[action="/login"] button[type="submit"]');
  });

  after(async function () {
    this.timeout(30_000);
    await session?.close();
  });

  it('switches to English from the header and shows the decision with English award name and plurals', async () => {
    await session.visit(`/decisions/${decision.id}`);
    await session.clickAndWait('a.language-switch');
    expect(session.pathname()).to.equal(`/decisions/${decision.id}`);
    expect(await page.$eval('html', (html) => html.lang)).to.equal('en');
    const text = await page.$eval('main', (main) => (main.textContent ?? '').replace(/\s+/g, ' '));
    expect(text).to.include('Certificate of merit of the Chairman of the Provincial People\'s Committee · 1 collective and 2 individuals');
    await session.inspect('english-01-decision');
    await session.inspectOnPhone('english-01-decision-phone');
  });

  it('shows the models list in English, its folded filters included', async () => {
    await session.visit('/models');
    expect(await session.text('main h1')).to.equal('"Dân vận khéo" models and exemplars');
    expect(await session.text('.filters__more > summary')).to.equal('Filter by year, unit, field…');
    await session.inspect('english-02-models');
    await session.inspectOnPhone('english-02-models-phone');
  });
});
