// Correcting a certificate in a real Chromium: the secretary opens an issued certificate, corrects the
// recipient's name with a reason (a refusal first: no reason), lands on the corrected certificate,
// which links back to the one it replaces; the old code's public verification page says it was
// corrected and links to the new one. Each page checked with axe-core at desktop and phone width.
import { expect } from 'chai';
import type { Page } from 'puppeteer';
import { translate } from '../../server/web/i18n/index.ts';
import { launchBrowserSession, type BrowserSession } from '../support/browser.ts';
import { createCommittee, type Committee } from '../support/awards.ts';
import { TEST_PASSWORD } from '../support/factories.ts';
import { issueDecision, type IssuedCertificate } from '../support/certificates.ts';

const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);

describe('correcting a certificate in a real browser (Chromium, axe-core)', function () {
  this.timeout(60_000);
  let session: BrowserSession;
  let page: Page;
  let committee: Committee;
  let certificate: IssuedCertificate;
  let newPath = '';

  before(async function () {
    this.timeout(120_000);
    committee = await createCommittee();
    const decision = await issueDecision(committee, [{ name: 'Huỳnh Thị Bé Tư' }]);
    certificate = decision.certificates[0]!;
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

  it('opens the issued certificate with its correction form, refuses a correction without a reason at its field', async () => {
    await session.visit(`/certificates/${certificate.id}`);
    expect(await session.text('h1')).to.equal('Huỳnh Thị Bé Tư');
    expect(await session.text('#correct h2')).to.equal(vi('certificates.correct'));
    expect(await page.$eval('#field-correct-recipientName', (input) => (input as HTMLInputElement).value)).to.equal('Huỳnh Thị Bé Tư');
    await session.inspect('correction-01-certificate');
    await session.inspectOnPhone('correction-01-certificate-phone');

    await page.$eval('#field-correct-recipientName', (input) => { (input as HTMLInputElement).value = ''; });
    await session.typeInto('#field-correct-recipientName', 'Huỳnh Thị Bé Tư Em');
    const refused = await session.clickAndWait(`form[action="/certificates/${certificate.id}/correct"] button[type="submit"]`);
    expect(refused.status()).to.equal(422);
    expect(await session.errorSummaryLinks()).to.deep.include({ href: '#field-correct-reason', text: vi('validation.required', { label: vi('certificates.reason') }) });
    expect(await page.$eval('#field-correct-recipientName', (input) => (input as HTMLInputElement).value), 'what was typed is kept').to.equal('Huỳnh Thị Bé Tư Em');
    await session.inspect('correction-02-refused');
  });

  it('corrects the name with a reason and shows the corrected certificate, linked to the one it replaces', async () => {
    await session.typeInto('#field-correct-reason', 'In sai tên so với giấy khai sinh');
    const done = await session.clickAndWait(`form[action="/certificates/${certificate.id}/correct"] button[type="submit"]`);
    expect(done.status()).to.equal(200);
    newPath = session.pathname();
    expect(newPath).to.match(/^\/certificates\/\d+$/).and.not.equal(`/certificates/${certificate.id}`);
    expect(await session.text('h1')).to.equal('Huỳnh Thị Bé Tư Em');
    expect(await session.text('.flash')).to.equal(vi('certificates.correctedFlash'));
    expect(await session.text('#correction-of a')).to.equal(vi('certificates.correctionOf', { code: certificate.verificationCode }));
    expect(await session.text('dl.facts')).to.contain(`${certificate.registerNumber}/2025`);
    await session.inspect('correction-03-corrected');
    await session.inspectOnPhone('correction-03-corrected-phone');

    await session.clickAndWait('#correction-of a');
    expect(session.pathname()).to.equal(`/certificates/${certificate.id}`);
    expect(await session.text('#replaced-by a')).to.contain('Đã được thay bằng bản đính chính mã');
    expect(await page.$('#correct'), 'the replaced one is not corrected again').to.equal(null);
    expect(await page.$(`a[href="${newPath}"]`)).to.not.equal(null);
  });

  it('says on the old code\'s public verification page that it was corrected, with a link to the new one', async () => {
    await session.visit(`/verify/${certificate.verificationCode}`);
    const status = await session.text('.verify__status');
    expect(status).to.contain('Đã được đính chính, thay bằng bằng khen mã');
    await session.inspect('correction-04-verify-old');
    await session.inspectOnPhone('correction-04-verify-old-phone');
    await session.clickAndWait(`a[href^="/verify/"]:not([href="/verify/${certificate.verificationCode}"])`);
    expect(await session.text('.verify__status')).to.contain(vi('verify.valid'));
    expect(await session.text('.verify')).to.contain('Huỳnh Thị Bé Tư Em');
  });
});
