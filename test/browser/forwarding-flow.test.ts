// A commune's nomination going up to the province, driven through Chromium as the two secretariats
// would (issue 17): the commune's secretary forwards two nominations its committee approved from the
// round page; the province's secretary sees where they came from and the commune's tally, and returns
// one with a reason; the commune's secretary reads the reason on its own nomination, fixes the twin
// and sends it again; the province's committee approves, the round closes and the decision is issued;
// the decision number shows on both sides. Every page is checked with axe-core and screenshotted to
// test/screenshots/forwarding-* (git-ignored), the round pages at phone size too.
import { expect } from 'chai';
import type { Page } from 'puppeteer';
import { translate } from '../../server/web/i18n/index.ts';
import { closeRound, decisionBody, openRound, voteAll } from '../support/awards.ts';
import { launchBrowserSession, type BrowserSession } from '../support/browser.ts';
import { db } from '../support/context.ts';
import { TEST_PASSWORD } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { approvedBelow, createLevels, type Levels } from '../support/levels.ts';

const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);

describe('forwarding a commune\'s nominations up to the province in a real browser (Chromium, axe-core)', function () {
  this.timeout(120_000);
  let session: BrowserSession;
  let page: Page;
  let levels: Levels;
  let lowerRoundId: number;
  let lowerIds: number[];
  let upperRoundId: number;
  const upperTitle = 'Khen thưởng phong trào thi đua "Dân vận khéo" cấp tỉnh';
  const names = ['Nguyễn Thị Hồng Nhung', 'Lê Văn Phúc'];
  const returnReason = 'Bổ sung biên bản họp Hội đồng Thi đua - Khen thưởng xã và ghi đầy đủ chức vụ.';
  const twinOf = async (lowerId: number) => (await db().selectFrom('nominations').select(['id', 'status']).where('forwarded_from_id', '=', lowerId).executeTakeFirst());

  before(async function () {
    this.timeout(90_000);
    session = await launchBrowserSession();
    page = session.page;
    levels = await createLevels();
    ({ roundId: lowerRoundId, ids: lowerIds } = await approvedBelow(levels.lower, names));
    upperRoundId = (await openRound(levels.upper, { title: upperTitle })).id;
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

  it('forwards both approved nominations from the commune\'s round page, after a first try without choosing any', async () => {
    await signIn(levels.lower.secretary.username);
    await session.visit(`/awards/${lowerRoundId}`);
    expect(await session.text('#forward h2')).to.equal(vi('awards.forward.title'));
    const options = await page.$$eval('#field-roundId option', (items) => items.map((item) => ({ value: (item as HTMLOptionElement).value, text: item.textContent ?? '' })));
    expect(options.map((option) => option.value)).to.deep.equal([String(upperRoundId)]);
    expect(options[0]!.text).to.include(upperTitle).and.include('Tỉnh thử nghiệm');
    await session.inspect('forwarding-01-commune-round');
    await session.inspectOnPhone('forwarding-01-commune-round-phone');

    const refused = await session.clickAndWait(`form[action="/awards/${lowerRoundId}/forward"] button[type="submit"]`);
    expect(refused.status()).to.equal(422);
    expect((await session.errorSummaryLinks()).map((link) => link.href)).to.deep.equal(['#field-nominationIds']);
    expect(await twinOf(lowerIds[0]!), 'nothing written').to.equal(undefined);

    for (const id of lowerIds) await page.click(`#field-nominationIds input[value="${id}"]`);
    const sent = await session.clickAndWait(`form[action="/awards/${lowerRoundId}/forward"] button[type="submit"]`);
    expect(sent.status()).to.equal(200);
    expect(session.pathname()).to.equal(`/awards/${lowerRoundId}`);
    expect(await session.text('.flash')).to.equal(vi('awards.forwarded', { count: 2, title: upperTitle }));
    for (const id of lowerIds) expect((await twinOf(id))?.status).to.equal('submitted');
    expect(await page.$('#forward'), 'nothing left to send up').to.equal(null);
    const row = await page.$eval(`table a[href="/nominations/${lowerIds[0]}"]`, (link) => link.closest('tr')!.innerText);
    expect(row).to.include(`${vi('awards.forward.to')}: ${vi('nominationStatus.submitted')}`);
  });

  it('shows the province where each came from and the commune\'s vote; the province returns one with a reason', async () => {
    const twin = (await twinOf(lowerIds[0]!))!;
    await signIn(levels.upper.secretary.username);
    await session.visit(`/awards/${upperRoundId}`);
    const row = await page.$eval(`table a[href="/nominations/${twin.id}"]`, (link) => link.closest('tr')!.innerText);
    expect(row).to.include(`${vi('awards.forward.from')}: Xã Thử Nghiệm`);
    await session.inspect('forwarding-02-province-round');
    await session.inspectOnPhone('forwarding-02-province-round-phone');

    await session.clickAndWait(`table a[href="/nominations/${twin.id}"]`);
    expect(await session.text('article .notice')).to.include(vi('awards.forward.lowerTally', { approvals: 3, rejections: 0, eligible: 3 }));
    expect(await session.text('article .notice')).to.include('Xã Thử Nghiệm');
    await session.fillField('reason', returnReason);
    await session.inspect('forwarding-03-province-nomination');
    await session.clickAndWait(`form[action="/nominations/${twin.id}/return"] button[type="submit"]`);
    expect((await twinOf(lowerIds[0]!))?.status).to.equal('returned');
  });

  it('lets the commune read the reason on its own nomination, fix the twin and send it again', async () => {
    const twin = (await twinOf(lowerIds[0]!))!;
    await signIn(levels.lower.secretary.username);
    await session.visit(`/nominations/${lowerIds[0]}`);
    expect(await session.text('#forwarded .alert')).to.equal(vi('awards.forward.returned', { reason: returnReason }));
    await session.inspect('forwarding-04-commune-nomination-returned');

    await session.clickAndWait(`#forwarded a[href="/nominations/${twin.id}"]`);
    expect(await session.text('article .badge')).to.equal(vi('nominationStatus.returned'));
    expect(await page.$(`form[action="/nominations/${twin.id}/submit"]`), 'a forwarded one goes back with "send again"').to.equal(null);
    await session.clickAndWait(`a[href="/nominations/${twin.id}/edit"]`);
    await session.fillField('position', 'Chủ tịch Hội Liên hiệp Phụ nữ xã');
    const saved = await session.clickAndWait(`form[action="/nominations/${twin.id}"] button[type="submit"]`);
    expect(saved.status()).to.equal(200);
    expect(session.pathname()).to.equal(`/nominations/${twin.id}`);
    expect(await session.text('#send-again h2')).to.equal(vi('awards.forward.again'));
    await session.inspect('forwarding-05-twin-send-again');
    await session.clickAndWait(`#send-again button[type="submit"]`);
    expect(await session.text('.flash')).to.equal(vi('awards.forward.sentAgain', { name: names[0], title: upperTitle }));
    const stored = await db().selectFrom('nominations').select(['status', 'position', 'return_reason']).where('id', '=', twin.id).executeTakeFirstOrThrow();
    expect(stored).to.deep.equal({ status: 'submitted', position: 'Chủ tịch Hội Liên hiệp Phụ nữ xã', return_reason: null });
  });

  it('shows the province\'s decision number on both sides once the committee approved and the decision is issued', async () => {
    const twin = (await twinOf(lowerIds[0]!))!;
    await voteAll(levels.upper, twin.id, ['approve', 'approve', 'approve']);
    await closeRound(levels.upper, upperRoundId);
    const decision = await api('POST', '/decisions', { token: levels.upper.secretary.token, body: decisionBody(upperRoundId, [twin.id]) });
    expect(decision.status, JSON.stringify(decision.body)).to.equal(201);

    await signIn(levels.upper.secretary.username);
    await session.visit(`/nominations/${twin.id}`);
    expect(await session.text(`article a[href="/decisions/${decision.body.id}"]`)).to.equal(vi('awards.inDecision', { number: decision.body.number }));

    await signIn(levels.lower.secretary.username);
    await session.visit(`/nominations/${lowerIds[0]}`);
    expect(await session.text('#forwarded')).to.include(vi('awards.forward.decided', { number: decision.body.number }));
    expect(await session.text('#forwarded .badge')).to.equal(vi('nominationStatus.approved'));
    await session.inspect('forwarding-06-commune-sees-decision');
    await session.inspectOnPhone('forwarding-06-commune-sees-decision-phone');
  });
});
