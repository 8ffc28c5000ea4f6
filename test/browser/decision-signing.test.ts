// Signing a decision with a USB token, from the decision page in a real Chromium: the secretary opens
// a signing session and reads its two one-time links on the page; the signing tool (simulated with
// @signpdf's P12 signer, the real one needs a token) fetches, signs and sends back; the page then
// offers the signed copy. Desktop and phone, axe-core.
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { P12Signer } from '@signpdf/signer-p12';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { translate } from '../../server/web/i18n/index.ts';
import { launchBrowserSession, type BrowserSession } from '../support/browser.ts';
import { createCommittee, type Committee } from '../support/awards.ts';
import { issueDecision, type IssuedDecision } from '../support/certificates.ts';
import { makeTestP12 } from '../support/signing.ts';

const vi = (key: Parameters<typeof translate>[1]) => translate('vi', key);
const P12 = makeTestP12('pin', 'Tran Thi Ky'); // ASCII: see test/signatures/token-signing.test.ts

describe('signing a decision with a USB token from its page, in a real browser (Chromium, axe-core)', function () {
  this.timeout(90_000);
  let session: BrowserSession;
  let committee: Committee;
  let decision: IssuedDecision;
  let links: { source: string; upload: string };

  before(async function () {
    this.timeout(120_000);
    committee = await createCommittee();
    decision = await issueDecision(committee, [{ name: 'Mã Thị Lan' }]);
    session = await launchBrowserSession();
    await session.logIn(committee.secretary.username);
  });

  after(async function () {
    this.timeout(30_000);
    await session?.close();
  });

  it('opens a signing session from the decision page and shows its two links', async () => {
    await session.visit(`/decisions/${decision.id}`);
    expect(await session.text('#signing-title')).to.equal(vi('signing.title'));
    const shown = await session.clickAndWait(`form[action="/decisions/${decision.id}/signing-sessions"] button[type="submit"]`);
    expect(shown.status()).to.equal(200);
    links = {
      source: await session.page.$eval('#signing-source', (input) => (input as HTMLInputElement).value),
      upload: await session.page.$eval('#signing-upload', (input) => (input as HTMLInputElement).value),
    };
    expect(links.source).to.match(/\/api\/v1\/signing\/[A-Za-z0-9_-]{43}\/source\.pdf$/);
    expect(links.upload).to.match(/\/api\/v1\/signing\/[A-Za-z0-9_-]{43}\/signed\.pdf$/);
    await session.inspect('signing-01-session');
    await session.inspectOnPhone('signing-01-session-phone');
  });

  it('after the tool sends the signed file back, the page offers the signed copy, which downloads unchanged', async () => {
    const source = Buffer.from(await (await fetch(links.source)).arrayBuffer());
    const prepared = plainAddPlaceholder({ pdfBuffer: source, reason: 'Ky so', contactInfo: '', name: 'Tran Thi Ky', location: 'Viet Nam', subFilter: SUBFILTER_ETSI_CADES_DETACHED, signatureLength: 8192 });
    const signed = await new SignPdf().sign(prepared, new P12Signer(P12, { passphrase: 'pin' }));
    const sent = await fetch(links.upload, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(signed) });
    expect(sent.status).to.equal(200);

    await session.visit(`/decisions/${decision.id}`);
    expect(await session.text('#signing')).to.contain('Tran Thi Ky');
    await session.inspect('signing-02-signed-copy');
    await session.inspectOnPhone('signing-02-signed-copy-phone');
    const saved = await session.download('#signing a[download]');
    expect((await readFile(saved)).equals(signed)).to.equal(true);
  });
});
