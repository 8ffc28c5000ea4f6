// The public verification page offers the certificate's digital credential, in a real Chromium: the
// QR code on the page (read back from a screenshot) leads to the credential, the download link saves
// it, and the saved file verifies with the key did.json publishes. Desktop and phone, axe-core.
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import jsQRModule from 'jsqr';
import { decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import { translate } from '../../server/web/i18n/index.ts';
import { launchBrowserSession, type BrowserSession } from '../support/browser.ts';
import { createCommittee } from '../support/awards.ts';
import { issueDecision, type IssuedCertificate } from '../support/certificates.ts';
import { ctx } from '../support/context.ts';

const jsQR = (jsQRModule.default ?? jsQRModule) as typeof jsQRModule.default; // CommonJS under tsx
const vi = (key: Parameters<typeof translate>[1]) => translate('vi', key);

describe('the digital credential on the verification page, in a real browser (Chromium, axe-core)', function () {
  this.timeout(60_000);
  let session: BrowserSession;
  let certificate: IssuedCertificate;

  before(async function () {
    this.timeout(120_000);
    const committee = await createCommittee();
    certificate = (await issueDecision(committee, [{ name: 'Sùng Thị Mỷ' }])).certificates[0]!;
    session = await launchBrowserSession();
  });

  after(async function () {
    this.timeout(30_000);
    await session?.close();
  });

  it('shows the credential section with a QR code that reads the credential\'s address', async () => {
    await session.visit(`/verify/${certificate.verificationCode}`);
    expect(await session.text('#credential-title')).to.equal(vi('verify.credentialTitle'));
    expect(await session.text('.verify__credential a[download]')).to.equal(vi('verify.credentialDownload'));
    const qr = await session.page.$('.verify__qr');
    const png = Buffer.from(await qr!.screenshot({ type: 'png' }));
    const image = await loadImage(png);
    const canvas = createCanvas(image.width, image.height);
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const { data, width, height } = context.getImageData(0, 0, image.width, image.height);
    expect(jsQR(new Uint8ClampedArray(data.buffer), width, height)?.data).to.equal(`${ctx().baseUrl}/api/v1/verify/${certificate.verificationCode}/credential`);
    await session.inspect('credential-01-verify');
    await session.inspectOnPhone('credential-01-verify-phone');
  });

  it('downloads the credential, which verifies with the key in did.json', async () => {
    const saved = await session.download('.verify__credential a[download]');
    expect(saved.endsWith(`chung-nhan-so-${certificate.verificationCode}.jwt`)).to.equal(true);
    const jwt = (await readFile(saved, 'utf8')).trim();
    const { kid } = decodeProtectedHeader(jwt);
    const did = (await (await fetch(`${ctx().baseUrl}/.well-known/did.json`)).json()) as { verificationMethod: { id: string; publicKeyJwk: JWK }[] };
    const key = did.verificationMethod.find((method) => method.id === kid)!;
    const { payload } = await jwtVerify(jwt, await importJWK(key.publicKeyJwk, 'EdDSA'), { algorithms: ['EdDSA'] });
    expect((payload as { credentialSubject: { name: string } }).credentialSubject.name).to.equal('Sùng Thị Mỷ');
  });
});
