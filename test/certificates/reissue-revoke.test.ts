// Reissue and revoke: a lost certificate gets a numbered copy with the same register number, and
// the printed copy says so; the secretariat revokes an award, which then verifies as revoked and
// can be neither revoked again nor reissued. Both are audited with the actor and the reason.
import { expect } from 'chai';
import { db } from '../support/context.ts';
import { auditRows } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { createCommittee, type Committee } from '../support/awards.ts';
import { collapse, download, issueDecision, pdfText, printerOf, printLogOf, type IssuedDecision } from '../support/certificates.ts';

function certificateRow(id: number) {
  return db().selectFrom('certificates').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('reissuing and revoking certificates', () => {
  let committee: Committee;
  let printer: Awaited<ReturnType<typeof printerOf>>;
  let decision: IssuedDecision;

  before(async function () {
    this.timeout(60_000);
    committee = await createCommittee();
    printer = await printerOf(committee);
    decision = await issueDecision(committee, [{ name: 'Phan Thị Ngọc Bích' }, { name: 'Hà Văn Quang', gender: 'male' }, { name: 'Tô Thị Mai' }]);
  });

  it('reissues a copy: 201, copy 1, the same register number, audited, printed as "BẢN CẤP LẠI LẦN 1", verified with copy 1', async function () {
    this.timeout(60_000);
    const certificate = decision.certificates[0]!;
    const answer = await api('POST', `/certificates/${certificate.id}/reissue`, { token: printer.token, body: { reason: 'Bằng khen bị hư hỏng do ngập lụt' } });
    expect(answer.status).to.equal(201);
    expect(answer.body).to.deep.equal({ id: certificate.id, copyNumber: 1, registerNumber: certificate.registerNumber, reason: 'Bằng khen bị hư hỏng do ngập lụt' });

    const stored = await certificateRow(certificate.id);
    expect(stored).to.include({ copy_number: 1, register_number: certificate.registerNumber, status: 'valid', verification_code: certificate.verificationCode });
    const reissues = await db().selectFrom('certificate_reissues').selectAll().where('certificate_id', '=', certificate.id).execute();
    expect(reissues).to.have.length(1);
    expect(reissues[0]).to.include({ copy_number: 1, reason: 'Bằng khen bị hư hỏng do ngập lụt', created_by: printer.id });
    const audit = await auditRows('certificate', certificate.id);
    expect(audit).to.have.length(1);
    expect(audit[0]).to.include({ action: 'certificate.reissue', actor_user_id: printer.id });
    expect(audit[0]!.before).to.deep.equal({ copyNumber: 0 });
    expect(audit[0]!.after).to.deep.equal({ copyNumber: 1, reason: 'Bằng khen bị hư hỏng do ngập lụt' });

    const pdf = await download(`/certificates/${certificate.id}.pdf`, printer.token);
    expect(pdf.status).to.equal(200);
    const text = collapse(await pdfText(pdf.bytes));
    expect(text).to.contain('BẢN CẤP LẠI LẦN 1');
    expect(text).to.contain(`Số sổ: ${certificate.registerNumber}/2025`);
    expect(text).to.contain(certificate.recipientName);
    const [logged] = await printLogOf([certificate.id]);
    expect(logged).to.include({ copy_number: 1, channel: 'single', printed_by: printer.id });

    const verified = await api('GET', `/verify/${certificate.verificationCode}`);
    expect(verified.status).to.equal(200);
    expect(verified.body).to.include({ status: 'valid', copy: 1, recipientName: certificate.recipientName });

    const second = await api('POST', `/certificates/${certificate.id}/reissue`, { token: committee.secretary.token, body: { reason: 'Bản cấp lại lần 1 bị thất lạc' } });
    expect(second.status).to.equal(201);
    expect(second.body).to.include({ copyNumber: 2, registerNumber: certificate.registerNumber });
    expect((await api('GET', `/verify/${certificate.verificationCode}`)).body.copy).to.equal(2);
  });

  it('refuses a reissue without a reason with 422 and a Vietnamese message, changing nothing', async () => {
    const certificate = decision.certificates[1]!;
    for (const body of [{ reason: '' }, { reason: '   ' }, {}, { reason: 'mất' }]) {
      const answer = await api('POST', `/certificates/${certificate.id}/reissue`, { token: printer.token, body });
      expect(answer.status, JSON.stringify(body)).to.equal(422);
      expect(answer.body.error.code).to.equal('validation_failed');
      expect(answer.body.error.details).to.have.length(1);
      expect(answer.body.error.details[0].field).to.equal('reason');
      expect(answer.body.error.details[0].message).to.match(/^Lý do (là bắt buộc|phải có ít nhất 5 ký tự)\.$/);
    }
    const refused = await api('POST', `/certificates/${certificate.id}/reissue`, { token: printer.token, body: { reason: 'Bị mất khi chuyển nhà', copyNumber: 7 } });
    expect(refused.status).to.equal(422);
    expect(refused.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['copyNumber']);
    expect((await api('POST', `/certificates/${certificate.id}/reissue`, { token: committee.agency.token, body: { reason: 'Bị mất khi chuyển nhà' } })).status).to.equal(403);
    expect(await certificateRow(certificate.id)).to.include({ copy_number: 0 });
    expect(await auditRows('certificate', certificate.id)).to.deep.equal([]);
  });

  it('revokes: printer 403, secretary 200 and audited, a second time 409, reissue after it 409, verified as revoked', async () => {
    const certificate = decision.certificates[2]!;
    const reason = 'Thu hồi theo Quyết định số 12/QĐ-UBND do kê khai không trung thực';

    const byPrinter = await api('POST', `/certificates/${certificate.id}/revoke`, { token: printer.token, body: { reason } });
    expect(byPrinter.status).to.equal(403);
    expect(byPrinter.body.error.code).to.equal('forbidden');
    expect(await certificateRow(certificate.id)).to.include({ status: 'valid' });

    const empty = await api('POST', `/certificates/${certificate.id}/revoke`, { token: committee.secretary.token, body: { reason: '' } });
    expect(empty.status).to.equal(422);
    expect(empty.body.error.details[0]).to.deep.equal({ field: 'reason', message: 'Lý do là bắt buộc.' });

    const revoked = await api('POST', `/certificates/${certificate.id}/revoke`, { token: committee.secretary.token, body: { reason } });
    expect(revoked.status).to.equal(200);
    expect(revoked.body).to.include({ id: certificate.id, status: 'revoked', reason });
    expect(new Date(revoked.body.revokedAt).getTime()).to.be.closeTo(Date.now(), 60_000);
    const stored = await certificateRow(certificate.id);
    expect(stored).to.include({ status: 'revoked', revoke_reason: reason, revoked_by: committee.secretary.id, copy_number: 0 });
    const audit = await auditRows('certificate', certificate.id);
    expect(audit).to.have.length(1);
    expect(audit[0]).to.include({ action: 'certificate.revoke', actor_user_id: committee.secretary.id });
    expect(audit[0]!.before).to.deep.equal({ status: 'valid' });
    expect(audit[0]!.after).to.include({ status: 'revoked', revoke_reason: reason });

    const twice = await api('POST', `/certificates/${certificate.id}/revoke`, { token: committee.secretary.token, body: { reason } });
    expect(twice.status).to.equal(409);
    expect(twice.body.error.code).to.equal('conflict');
    const reissue = await api('POST', `/certificates/${certificate.id}/reissue`, { token: printer.token, body: { reason: 'Bằng khen bị mất' } });
    expect(reissue.status).to.equal(409);
    expect(await certificateRow(certificate.id)).to.include({ copy_number: 0, status: 'revoked' });
    expect(await auditRows('certificate', certificate.id)).to.have.length(1);
    expect(await db().selectFrom('certificate_reissues').select('id').where('certificate_id', '=', certificate.id).execute()).to.deep.equal([]);

    const verified = await api('GET', `/verify/${certificate.verificationCode}`);
    expect(verified.status).to.equal(200);
    expect(verified.body).to.deep.equal({
      status: 'revoked', recipientName: certificate.recipientName, awardTitle: 'Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh',
      decisionNumber: decision.number, decisionDate: '2025-12-20', issuer: committee.province.name,
    });
  });
});
