// Notifications in a real browser (Chromium, axe-core): the secretary returns the agency's nomination
// from its page; the agency's staff see the bell's count on their next page, open the notifications,
// open the one about the return and land on the nomination with the reason shown, the bell one lower;
// "mark all read" empties it. Every page is checked with axe-core at desktop and phone sizes.
import { expect } from 'chai';
import type { Page } from 'puppeteer';
import { translate } from '../../server/web/i18n/index.ts';
import { createCommittee, individual, openRound, submitted, type Committee } from '../support/awards.ts';
import { launchBrowserSession, type BrowserSession } from '../support/browser.ts';
import { db } from '../support/context.ts';
import { TEST_PASSWORD } from '../support/factories.ts';

const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);

describe('notifications in a real browser (Chromium, axe-core)', function () {
  this.timeout(120_000);
  let session: BrowserSession;
  let page: Page;
  let committee: Committee;
  let nominationId: number;
  let otherId: number;
  const reason = 'Đề nghị bổ sung biên bản họp xét và ghi đầy đủ chức vụ hiện tại.';

  before(async function () {
    this.timeout(90_000);
    session = await launchBrowserSession();
    page = session.page;
    committee = await createCommittee();
    const round = await openRound(committee, { title: 'Khen thưởng phong trào "Dân vận khéo" năm 2025' });
    nominationId = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Nguyễn Thị Thông Báo' }));
    otherId = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Trần Văn Thứ Hai' }));
  });

  after(async function () {
    this.timeout(30_000);
    await session?.close();
  });

  async function signIn(username: string): Promise<void> {
    if (await page.$('form[action="/logout"] button[type="submit"]')) await session.clickAndWait('form[action="/logout"] button[type="submit"]');
    if (session.pathname() !== '/login') await session.visit('/login');
    await session.fillField('username', username);
    await session.fillField('password', TEST_PASSWORD);
    const home = await session.clickAndWait('form[action="/login"] button[type="submit"]');
    expect(home.status(), `${username} signs in`).to.equal(200);
  }

  const bellLabel = () => session.text('a.bell .bell__label'); // the link's name: the badge is hidden from screen readers
  const badge = async () => (await page.$('a.bell .bell__badge')) ? session.text('a.bell .bell__badge') : null;

  it('shows the agency no unread notification before anything happened', async () => {
    await signIn(committee.agency.username);
    expect(await bellLabel()).to.equal(vi('notifications.bellNone'));
    expect(await badge()).to.equal(null);
    await session.clickAndWait('a.bell');
    expect(session.pathname()).to.equal('/notifications');
    expect(await session.text('main p:last-of-type')).to.equal(vi('notifications.empty'));
    await session.inspect('notifications-01-empty');
    await session.inspectOnPhone('notifications-01-empty-phone');
  });

  it('lets the secretary return two nominations from their pages', async () => {
    await signIn(committee.secretary.username);
    for (const id of [otherId, nominationId]) {
      await session.visit(`/nominations/${id}`);
      await session.fillField('reason', reason);
      await session.clickAndWait(`form[action="/nominations/${id}/return"] button[type="submit"]`);
      expect((await db().selectFrom('nominations').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).to.equal('returned');
    }
    // The secretary acted: no notification of it for them.
    expect(await bellLabel()).to.equal(vi('notifications.bellNone'));
  });

  it('shows the agency the bell\'s count; opening the notification lands on the nomination and lowers the count', async () => {
    await signIn(committee.agency.username);
    expect(await bellLabel()).to.equal(vi('notifications.bell', { count: 2 }));
    expect(await badge()).to.equal('2');
    await session.inspect('notifications-02-home-with-bell');
    await session.inspectOnPhone('notifications-02-home-with-bell-phone');

    await session.clickAndWait('a.bell');
    const items = await page.$$eval('.notification-list .notification', (rows) => rows.map((row) => ({ text: (row.querySelector('button')?.textContent ?? '').replace(/\s+/g, ' ').trim(), unread: row.classList.contains('notification--unread') })));
    expect(items).to.have.length(2);
    expect(items.every((item) => item.unread)).to.equal(true);
    const expected = vi('notifications.text.nomination_returned', { nominee: 'Nguyễn Thị Thông Báo', round: 'Khen thưởng phong trào "Dân vận khéo" năm 2025', reason });
    expect(items[0]!.text).to.equal(`${vi('notifications.unreadMark')} ${expected}`); // newest first
    await session.inspect('notifications-03-list');
    await session.inspectOnPhone('notifications-03-list-phone');

    const [row] = await db().selectFrom('notifications').select('id').where('user_id', '=', committee.agency.id).orderBy('id', 'desc').limit(1).execute();
    const landed = await session.clickAndWait(`form[action="/notifications/${row!.id}/open"] button[type="submit"]`);
    expect(landed.status()).to.equal(200);
    expect(session.pathname()).to.equal(`/nominations/${nominationId}`);
    expect(await session.text('main')).to.include(reason);
    expect(await bellLabel()).to.equal(vi('notifications.bell', { count: 1 }));
    expect(await badge()).to.equal('1');
    expect((await db().selectFrom('notifications').select('read_at').where('id', '=', row!.id).executeTakeFirstOrThrow()).read_at).to.be.instanceOf(Date);
    await session.inspect('notifications-04-landed-on-nomination');
  });

  it('marks all read from the list', async () => {
    await session.clickAndWait('a.bell');
    const unread = await page.$$eval('.notification--unread', (rows) => rows.length);
    expect(unread).to.equal(1);
    await session.clickAndWait('form[action="/notifications/read-all"] button[type="submit"]');
    expect(await session.text('.flash')).to.equal(vi('notifications.markedAllRead', { count: 1 }));
    expect(await page.$$eval('.notification--unread', (rows) => rows.length)).to.equal(0);
    expect(await bellLabel()).to.equal(vi('notifications.bellNone'));
    expect(await page.$('form[action="/notifications/read-all"]')).to.equal(null);
    await session.inspect('notifications-05-all-read');
    await session.inspectOnPhone('notifications-05-all-read-phone');
  });
});
