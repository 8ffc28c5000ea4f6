// Signing a decision with the government CA's USB token (the VGCA tool cannot run here): the
// secretariat opens a session; the "tool" — here @signpdf's own P12 signer with an incremental
// placeholder, not our signing code — fetches the unsigned PDF once, signs it with a test
// certificate and sends it back; the server checks it is that document with a valid signature over
// the whole file and keeps it as the decision's signed copy. Tampered, foreign, unsigned, reused and
// expired uploads are refused and change nothing.
import { expect } from 'chai';
import { PDFDocument } from 'pdf-lib';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { P12Signer } from '@signpdf/signer-p12';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { ctx, db } from '../support/context.ts';
import { api } from '../support/http.ts';
import { createCommittee, type Committee } from '../support/awards.ts';
import { issueDecision, type IssuedDecision } from '../support/certificates.ts';
import { auditRows } from '../support/factories.ts';
import { makeTestP12 } from '../support/signing.ts';

// An ASCII name: node-forge, inside @signpdf's P12 signer, writes a UTF-8 issuer name differently in the
// signature than in the certificate, so that its own signature could not name its signer.
const P12 = makeTestP12('token-pin', 'Nguyen Van Ky');

/** What the VGCA tool does: the signature appended to the file as an incremental update. */
async function signAsTheTool(pdf: Buffer): Promise<Buffer> {
  const prepared = plainAddPlaceholder({ pdfBuffer: pdf, reason: 'Ky so', contactInfo: '', name: 'Nguyen Van Ky', location: 'An Giang', subFilter: SUBFILTER_ETSI_CADES_DETACHED, signatureLength: 8192 });
  return new SignPdf().sign(prepared, new P12Signer(P12, { passphrase: 'token-pin' }));
}

async function fetchFrom(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  const bytes = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, bytes, type, json: type.includes('json') ? JSON.parse(bytes.toString('utf8')) : undefined };
}

const upload = (url: string, pdf: Buffer) => fetchFrom(url, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(pdf) });

async function openSession(committee: Committee, decisionId: number) {
  const answer = await api('POST', `/decisions/${decisionId}/signing-sessions`, { token: committee.secretary.token });
  expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
  return answer.body as { sessionId: number; sourceUrl: string; uploadUrl: string; expiresAt: string };
}

const copyOf = (decisionId: number) => db().selectFrom('decision_signed_copies').selectAll().where('decision_id', '=', decisionId).executeTakeFirst();

describe('signing a decision with a USB token (the VGCA path)', function () {
  this.timeout(120_000);
  let committee: Committee;
  let decision: IssuedDecision;

  before(async function () {
    this.timeout(120_000);
    committee = await createCommittee();
    decision = await issueDecision(committee, [{ name: 'Nông Thị Hiền' }]);
  });

  it('opens a session with two one-time addresses; the source is the unsigned decision, served once', async () => {
    const session = await openSession(committee, decision.id);
    expect(session.sourceUrl).to.match(new RegExp(`^${ctx().baseUrl}/api/v1/signing/[A-Za-z0-9_-]{43}/source\\.pdf$`));
    expect(session.uploadUrl).to.match(new RegExp(`^${ctx().baseUrl}/api/v1/signing/[A-Za-z0-9_-]{43}/signed\\.pdf$`));
    expect(new Date(session.expiresAt).getTime() - Date.now()).to.be.within(25 * 60_000, 31 * 60_000);
    const stored = await db().selectFrom('signing_sessions').selectAll().where('id', '=', session.sessionId).executeTakeFirstOrThrow();
    expect(stored.source_token_hash.toString('hex')).to.not.contain(Buffer.from(session.sourceUrl.split('/').at(-2)!).toString('hex'));
    const audit = await auditRows('decision', decision.id);
    expect(audit.map((row) => row.action)).to.include('decision.signing_session');

    const source = await fetchFrom(session.sourceUrl);
    expect(source.status).to.equal(200);
    expect(source.type).to.match(/^application\/pdf/);
    expect(source.bytes.equals(stored.source_pdf)).to.equal(true);
    expect((await PDFDocument.load(source.bytes)).getPageCount()).to.be.at.least(1);
    const again = await fetchFrom(session.sourceUrl);
    expect(again.status).to.equal(409);
    expect(again.json.error.reason).to.equal('signing_link_used');
  });

  it('takes the signed decision back, keeps it as the signed copy (audited) and serves it; the upload address then is spent', async () => {
    const session = await openSession(committee, decision.id);
    const source = (await fetchFrom(session.sourceUrl)).bytes;
    const signed = await signAsTheTool(source);
    const answer = await upload(session.uploadUrl, signed);
    expect(answer.status, JSON.stringify(answer.json)).to.equal(200);
    expect(answer.json).to.include({ decisionId: decision.id, signerName: 'Nguyen Van Ky', signedCopyUrl: `/api/v1/decisions/${decision.id}/signed.pdf` });
    const copy = await copyOf(decision.id);
    expect(copy!.pdf.equals(signed)).to.equal(true);
    expect(copy).to.include({ signer_name: 'Nguyen Van Ky', session_id: session.sessionId });
    const audit = (await auditRows('decision', decision.id)).filter((row) => row.action === 'decision.signed_copy');
    expect(audit).to.have.length(1);
    expect(audit[0]).to.include({ actor_user_id: committee.secretary.id });
    expect(audit[0]!.after).to.include({ sessionId: session.sessionId, signerName: 'Nguyen Van Ky' });

    const download = await fetchFrom(`${ctx().baseUrl}/api/v1/decisions/${decision.id}/signed.pdf`, { headers: { authorization: `Bearer ${committee.secretary.token}` } });
    expect(download.status).to.equal(200);
    expect(download.bytes.equals(signed)).to.equal(true);

    const twice = await upload(session.uploadUrl, signed);
    expect(twice.status).to.equal(409);
    expect(twice.json.error.reason).to.equal('signing_link_used');
  });

  it('refuses a tampered file, another document signed, the unsigned source and nothing at all with 422, writing nothing', async () => {
    const fresh = await issueDecision(committee, [{ name: 'Hoàng Văn Thụ' }]);
    const session = await openSession(committee, fresh.id);
    const source = (await fetchFrom(session.sourceUrl)).bytes;
    const signed = await signAsTheTool(source);

    const tampered = Buffer.from(signed);
    const at = Math.floor(source.length / 3);
    tampered.writeUInt8(tampered.readUInt8(at) ^ 0x01, at);
    const refused = await upload(session.uploadUrl, tampered);
    expect(refused.status).to.equal(422);
    expect(refused.json.error.details).to.deep.equal([{ field: 'file', reason: 'signature_invalid', message: 'Tệp gửi lên không có chữ ký số hợp lệ bao trùm toàn bộ văn bản.' }]);

    const other = await PDFDocument.create();
    other.addPage().drawText('Quyet dinh khac');
    const foreign = await upload(session.uploadUrl, await signAsTheTool(Buffer.from(await other.save({ useObjectStreams: false }))));
    expect(foreign.status).to.equal(422);
    expect(foreign.json.error.details[0]).to.include({ field: 'file', reason: 'not_same_document' });

    const unsigned = await upload(session.uploadUrl, source);
    expect(unsigned.status).to.equal(422);
    expect(unsigned.json.error.details[0]).to.include({ reason: 'signature_invalid' });
    const empty = await fetchFrom(session.uploadUrl, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(0) });
    expect(empty.status).to.equal(422);
    expect(empty.json.error.details[0]).to.include({ field: 'file', reason: 'file_missing' });

    // Appended after signing: the signature no longer covers the whole file.
    const extended = Buffer.concat([signed, Buffer.from('\n% appended later\n')]);
    expect((await upload(session.uploadUrl, extended)).json.error.details[0].reason).to.equal('signature_invalid');

    expect(await copyOf(fresh.id)).to.equal(undefined);
    expect((await auditRows('decision', fresh.id)).map((row) => row.action)).to.not.include('decision.signed_copy');
    // The session still takes the right file, sent as a multipart form this time.
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(signed)], { type: 'application/pdf' }), 'quyet-dinh-da-ky.pdf');
    const accepted = await fetchFrom(session.uploadUrl, { method: 'POST', body: form });
    expect(accepted.status, JSON.stringify(accepted.json)).to.equal(200);
    expect((await copyOf(fresh.id))!.pdf.equals(signed)).to.equal(true);
  });

  it('refuses an expired session\'s addresses (409), an unknown token (404), and keeps others out', async () => {
    const session = await openSession(committee, decision.id);
    await db().updateTable('signing_sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', session.sessionId).execute();
    const late = await fetchFrom(session.sourceUrl);
    expect(late.status).to.equal(409);
    expect(late.json.error.reason).to.equal('signing_link_expired');
    expect((await upload(session.uploadUrl, Buffer.from('%PDF-1.4'))).json.error.reason).to.equal('signing_link_expired');
    expect((await fetchFrom(`${ctx().baseUrl}/api/v1/signing/${'A'.repeat(43)}/source.pdf`)).status).to.equal(404);
    expect((await fetchFrom(`${ctx().baseUrl}/api/v1/signing/short/source.pdf`)).status).to.equal(422);

    expect((await api('POST', `/decisions/${decision.id}/signing-sessions`, { token: committee.agency.token })).status).to.equal(403);
    expect((await api('POST', `/decisions/${decision.id}/signing-sessions`)).status).to.equal(401);
    const stranger = await createCommittee();
    expect((await api('POST', `/decisions/${decision.id}/signing-sessions`, { token: stranger.secretary.token })).status).to.equal(404);
    expect((await fetchFrom(`${ctx().baseUrl}/api/v1/decisions/${decision.id}/signed.pdf`, { headers: { authorization: `Bearer ${stranger.secretary.token}` } })).status).to.equal(404);
  });
});
