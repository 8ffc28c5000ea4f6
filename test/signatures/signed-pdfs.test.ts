// PAdES signatures: with a body's key set (SIGNING_P12_DIR/<code>.p12 and its password setting), the
// decision PDF and a certificate's full-mode PDF are signed over the whole file and show the stamp
// where the signature goes; print batches and overlay sheets stay unsigned; a body without a key is
// not signed. Checked in-process (the CMS verified over the /ByteRange with pkijs) and, where poppler's
// pdfsig is installed, by pdfsig too; one changed byte breaks both.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createApp } from '../../server/app.ts';
import { loadSigners, passwordSuffix } from '../../server/signatures/signers.ts';
import { checkPdfSignature } from '../../server/signatures/pades.ts';
import { ctx, db, testConfig } from '../support/context.ts';
import { createCommittee, type Committee } from '../support/awards.ts';
import { collapse, issueDecision, pdfText, printerOf, type IssuedDecision } from '../support/certificates.ts';
import { makeTestP12 } from '../support/signing.ts';
import { api, Browser } from '../support/http.ts';
import { createUnit, createUserWithToken, TEST_PASSWORD, uniqueSuffix } from '../support/factories.ts';

const run = promisify(execFile);
const PASSWORD = 'mật-khẩu-thử-123';

/** pdfsig's report, or null when poppler-utils is not installed (the in-process check always runs). */
async function pdfsig(pdf: Buffer): Promise<string | null> {
  const dir = await mkdtemp(join(tmpdir(), 'dvk-pdfsig-'));
  try {
    const path = join(dir, 'signed.pdf');
    await writeFile(path, pdf);
    const { stdout } = await run('pdfsig', [path]).catch((error: NodeJS.ErrnoException & { stdout?: string }) => {
      if (error.code === 'ENOENT') return { stdout: null };
      return { stdout: error.stdout ?? '' }; // pdfsig exits non-zero on an invalid signature
    });
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function get(base: string, path: string, token: string): Promise<{ status: number; bytes: Buffer; type: string }> {
  const response = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), type: response.headers.get('content-type') ?? '' };
}

async function expectSignedWhole(pdf: Buffer, what: string) {
  const check = await checkPdfSignature(pdf);
  expect(check, `${what} carries a signature`).to.not.equal(undefined);
  expect(check!.valid, `${what}: the CMS verifies`).to.equal(true);
  expect(check!.coversWholeDocument, `${what}: the whole file is covered`).to.equal(true);
  expect(check!.signerName).to.equal('Ủy ban nhân dân tỉnh Thử nghiệm');
  const report = await pdfsig(pdf);
  if (report !== null) {
    expect(report, `${what}: pdfsig`).to.contain('Signature Validation: Signature is Valid.');
    expect(report).to.contain('Total document signed');
    expect(report).to.contain('ETSI.CAdES.detached');
  }
  // One byte changed inside the signed range: both checks refuse it.
  const tampered = Buffer.from(pdf);
  const at = Math.floor(check!.signedFrom / 2);
  tampered.writeUInt8(tampered.readUInt8(at) ^ 0x01, at);
  expect((await checkPdfSignature(tampered))!.valid, `${what}: a changed byte`).to.equal(false);
  const tamperedReport = await pdfsig(tampered);
  if (tamperedReport !== null) expect(tamperedReport).to.not.contain('Signature is Valid.');
}

describe('signed PDFs (PAdES) with a body\'s key from a PKCS#12 file', function () {
  this.timeout(120_000);
  let keyDir: string;
  let server: Server;
  let base: string;
  let committee: Committee;
  let unsignedBody: Committee;
  let decision: IssuedDecision;
  let printer: Awaited<ReturnType<typeof printerOf>>;

  before(async function () {
    this.timeout(180_000);
    committee = await createCommittee();
    unsignedBody = await createCommittee();
    printer = await printerOf(committee);
    decision = await issueDecision(committee, [{ name: 'Giàng Thị Pà' }, { name: 'Thào A Lử', gender: 'male' }]);
    const { code } = await db().selectFrom('units').select('code').where('id', '=', committee.province.id).executeTakeFirstOrThrow();
    keyDir = await mkdtemp(join(tmpdir(), 'dvk-keys-'));
    await writeFile(join(keyDir, `${code}.p12`), makeTestP12(PASSWORD));
    // A second app on the same database, with the body's key set as an office would set it.
    const config = { ...testConfig({ SIGNING_P12_DIR: keyDir, [`SIGNING_P12_PASSWORD_${passwordSuffix(code)}`]: PASSWORD }), databaseUrl: ctx().config.databaseUrl };
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.on('request', createApp({ config: { ...config, publicUrl: base }, db: db(), renderer: ctx().renderer, queue: ctx().queue }));
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (keyDir) await rm(keyDir, { recursive: true, force: true });
  });

  it('signs the decision PDF over the whole file, with the stamp "Ký bởi" and the ISO 8601 time where the signature goes', async () => {
    const answer = await get(base, `/api/v1/decisions/${decision.id}/decision.pdf`, committee.secretary.token);
    expect(answer.status).to.equal(200);
    expect(answer.type).to.match(/^application\/pdf/);
    await expectSignedWhole(answer.bytes, 'the decision');
    const text = collapse(await pdfText(answer.bytes));
    expect(text).to.contain('Ký bởi: Ủy ban nhân dân tỉnh');
    expect(text).to.match(/Thời gian ký: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00/);
  });

  it('signs a certificate\'s full-mode PDF (the digital copy); overlay sheets and the decision\'s batch stay unsigned', async () => {
    const certificate = decision.certificates[0]!;
    const full = await get(base, `/api/v1/certificates/${certificate.id}.pdf`, printer.token);
    expect(full.status).to.equal(200);
    await expectSignedWhole(full.bytes, 'the certificate');
    expect(collapse(await pdfText(full.bytes))).to.contain('Ký bởi: Ủy ban nhân dân tỉnh');

    const overlay = await get(base, `/api/v1/certificates/${certificate.id}.pdf?mode=overlay`, printer.token);
    expect(overlay.status).to.equal(200);
    expect(await checkPdfSignature(overlay.bytes), 'paper is signed by hand').to.equal(undefined);
    const batch = await get(base, `/api/v1/decisions/${decision.id}/certificates.pdf`, printer.token);
    expect(batch.status).to.equal(200);
    expect(await checkPdfSignature(batch.bytes), 'a batch for the printer').to.equal(undefined);
  });

  it('signs a recognised model\'s certificate in full mode too, and not on blank forms', async () => {
    const commune = await createUnit({ parentId: committee.province.id, kind: 'commune', name: `Xã Ký Số ${uniqueSuffix()}` });
    const agency = await createUserWithToken({ role: 'agency', unitId: commune.id });
    const { body: model } = await api('POST', '/models', { token: agency.token, body: { title: 'Tổ hòa giải ở cơ sở tiêu biểu', unitId: commune.id, year: 2024, fieldCode: 'nong_thon_moi', kind: 'model', summary: 'Hòa giải thành 40 vụ việc trong năm.' } });
    for (const [token, status] of [[agency.token, 'implementing'], [agency.token, 'completed'], [committee.secretary.token, 'recognized']] as const) {
      expect((await api('POST', `/models/${model.id}/reports`, { token, body: { status, reportedOn: '2024-11-20', note: 'Báo cáo tiến độ' } })).status, status).to.equal(201);
    }
    const browser = new Browser();
    await browser.login(committee.secretary.username, TEST_PASSWORD);
    const cookie = [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const fetchPdf = async (query: string) => Buffer.from(await (await fetch(`${base}/models/${model.id}/certificate.pdf${query}`, { headers: { cookie } })).arrayBuffer());
    await expectSignedWhole(await fetchPdf(''), 'the model certificate');
    expect(await checkPdfSignature(await fetchPdf('?mode=overlay'))).to.equal(undefined);
  });

  it('leaves a body without a key unsigned, and the same body unsigned on the app without keys', async () => {
    const other = await issueDecision(unsignedBody, [{ name: 'Lầu Thị Mai' }]);
    const answer = await get(base, `/api/v1/decisions/${other.id}/decision.pdf`, unsignedBody.secretary.token);
    expect(answer.status).to.equal(200);
    expect(await checkPdfSignature(answer.bytes)).to.equal(undefined);
    expect(collapse(await pdfText(answer.bytes))).to.not.contain('Ký bởi');
    const plain = await get(ctx().baseUrl, `/api/v1/decisions/${decision.id}/decision.pdf`, committee.secretary.token);
    expect(await checkPdfSignature(plain.bytes)).to.equal(undefined);
  });

  it('refuses to start with a wrong password, without showing it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dvk-keys-'));
    try {
      await writeFile(join(dir, 'VN-99.p12'), makeTestP12(PASSWORD));
      const settings = testConfig({ SIGNING_P12_DIR: dir, SIGNING_P12_PASSWORD: 'không-phải-mật-khẩu' }).signing;
      expect(() => loadSigners(settings)).to.throw(/VN-99\.p12.*wrong password/);
      try {
        loadSigners(settings);
      } catch (error) {
        expect((error as Error).message).to.not.contain('không-phải-mật-khẩu');
      }
      expect(loadSigners(testConfig({ SIGNING_P12_DIR: dir, SIGNING_P12_PASSWORD_VN_99: PASSWORD, SIGNING_P12_PASSWORD: 'sai' }).signing).forUnit('vn-99')?.subjectName).to.equal('Ủy ban nhân dân tỉnh Thử nghiệm');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
