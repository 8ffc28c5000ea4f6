// Authority inside one's scope, as the people concerned see it in Chromium (issue 14): the
// secretary and the printer of a department under the province open the province's round, its
// decision and a certificate of their own department's nominee. They see what concerns them and
// nothing to act with; a sibling department's nominee is nowhere. A member sees no running tally
// while the round is open. Each page is checked with axe-core at desktop and phone widths.
import { expect } from 'chai';
import type { Page } from 'puppeteer';
import { bodyName } from '../../server/units/names.ts';
import { translate } from '../../server/web/i18n/index.ts';
import { closeRound, createCommittee, decisionBody, individual, openRound, submitted, voteAll, type Committee } from '../support/awards.ts';
import { launchBrowserSession, type BrowserSession } from '../support/browser.ts';
import { createUserWithToken, TEST_PASSWORD } from '../support/factories.ts';
import { api } from '../support/http.ts';

const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);

describe('authority inside the scope in a real browser (Chromium, axe-core)', function () {
  let session: BrowserSession;
  let page: Page;
  let committee: Committee;
  let departmentSecretary: { username: string };
  let departmentPrinter: { username: string };
  let decidedRoundId: number;
  let openRoundId: number;
  let decisionId: number;
  let ownCertificateId: number;
  let siblingCertificateId: number;

  before(async function () {
    this.timeout(120_000);
    committee = await createCommittee();
    departmentSecretary = await createUserWithToken({ role: 'secretary', unitId: committee.department.id, fullName: 'Thư ký cấp sở' });
    departmentPrinter = await createUserWithToken({ role: 'printer', unitId: committee.department.id, fullName: 'Văn thư cấp sở' });
    const decided = await openRound(committee, { title: 'Khen thưởng "Dân vận khéo" cấp tỉnh đã quyết định' });
    const own = await submitted(committee, individual(decided.id, committee.department.id, { nomineeName: 'Lê Văn Cường' }));
    const sibling = await submitted(committee, individual(decided.id, committee.otherDepartment.id, { nomineeName: 'Phạm Thị Dung' }), committee.otherAgency.token);
    for (const id of [own, sibling]) await voteAll(committee, id, ['approve', 'approve', 'approve']);
    await closeRound(committee, decided.id);
    const decision = await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(decided.id, [own, sibling]) });
    if (decision.status !== 201) throw new Error(JSON.stringify(decision.body));
    decidedRoundId = decided.id;
    decisionId = decision.body.id;
    ownCertificateId = decision.body.certificates.find((c: { nominationId: number }) => c.nominationId === own).id;
    siblingCertificateId = decision.body.certificates.find((c: { nominationId: number }) => c.nominationId === sibling).id;
    const running = await openRound(committee, { title: 'Khen thưởng "Dân vận khéo" cấp tỉnh đang xét' });
    const voted = await submitted(committee, individual(running.id, committee.department.id, { nomineeName: 'Võ Văn Em' }));
    await voteAll(committee, voted, ['approve']);
    openRoundId = running.id;
    session = await launchBrowserSession();
    page = session.page;
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

  const bodyText = () => page.$eval('main', (main) => (main.textContent ?? '').replace(/\s+/g, ' '));

  it('shows a department secretary the province\'s round and decision with its own nominee only and nothing to act with', async function () {
    this.timeout(120_000);
    await signIn(departmentSecretary.username);
    expect((await session.visit(`/awards/${decidedRoundId}`)).status()).to.equal(200);
    const roundText = await bodyText();
    expect(roundText).to.include('Lê Văn Cường').and.not.include('Phạm Thị Dung');
    expect(await page.$(`form[action="/awards/${decidedRoundId}/decisions"]`), 'no decision form').to.equal(null);
    expect(await page.$(`a[href="/awards/${decidedRoundId}/decisions/new"]`), 'no decision link').to.equal(null);
    await session.inspect('authority-01-department-secretary-round');
    await session.inspectOnPhone('authority-01-department-secretary-round-phone');

    expect((await session.visit(`/awards/${openRoundId}`)).status()).to.equal(200);
    expect(await page.$(`form[action="/awards/${openRoundId}/close"]`), 'no close button').to.equal(null);

    expect((await session.visit(`/decisions/${decisionId}`)).status()).to.equal(200);
    const decisionText = await bodyText();
    expect(decisionText).to.include('Lê Văn Cường').and.not.include('Phạm Thị Dung');
    await session.inspect('authority-02-department-secretary-decision');
    await session.inspectOnPhone('authority-02-department-secretary-decision-phone');
  });

  it('shows a department printer its own nominee\'s certificate without print buttons, and no sibling\'s certificate (404)', async function () {
    this.timeout(120_000);
    await signIn(departmentPrinter.username);
    expect((await session.visit(`/certificates/${ownCertificateId}`)).status()).to.equal(200);
    expect(await bodyText()).to.include('Lê Văn Cường').and.include(vi('certificates.otherBody', { issuer: bodyName(committee.province.name, 'province') }));
    expect(await page.$(`a[href^="/certificates/${ownCertificateId}.pdf"]`), 'no print link').to.equal(null);
    expect(await page.$(`form[action="/certificates/${ownCertificateId}/reissue"]`), 'no reissue form').to.equal(null);
    await session.inspect('authority-03-department-printer-certificate');
    await session.inspectOnPhone('authority-03-department-printer-certificate-phone');
    expect((await session.visit(`/certificates/${siblingCertificateId}`)).status()).to.equal(404);
    expect((await session.visit(`/certificates/${ownCertificateId}.pdf`)).status()).to.equal(404);
  });

  it('shows a member no running tally while the round is open', async function () {
    this.timeout(120_000);
    await signIn(committee.members[1]!.username);
    expect((await session.visit(`/awards/${openRoundId}`)).status()).to.equal(200);
    expect(await page.$$eval('table thead th', (ths) => ths.map((th) => (th.textContent ?? '').trim()))).not.to.include(vi('awards.votes'));
    expect(await bodyText()).not.to.include(vi('awards.voteSummary', { approvals: 1, rejections: 0 }));
    await session.inspect('authority-04-member-open-round');
    await session.inspectOnPhone('authority-04-member-open-round-phone');
    await signIn(committee.secretary.username);
    await session.visit(`/awards/${openRoundId}`);
    expect(await bodyText()).to.include(vi('awards.voteSummary', { approvals: 1, rejections: 0 }));
  });
});
