// Reissue and revoke: a lost certificate gets a numbered copy with the same register number, and
// the printed copy says so; the secretariat revokes an award, which then verifies as revoked and
// can be neither revoked again nor reissued. Both are audited with the actor and the reason.
import { expect } from 'chai';
import { ctx, db } from '../support/context.ts';
import { auditRows, createUser } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';
import { createCommittee, type Committee } from '../support/awards.ts';
import { collapse, download, issueDecision, pdfInfo, pdfText, printerOf, printLogOf, until, type IssuedDecision } from '../support/certificates.ts';
import { bodyName } from '../../server/units/names.ts';

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
    expect(await printLogOf([certificate.id]), 'a download is not a print').to.deep.equal([]);
    expect((await api('POST', `/certificates/${certificate.id}/print-log`, { token: printer.token, body: { mode: 'full' } })).status).to.equal(201);
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
    expect(empty.body.error.details[0]).to.deep.equal({ field: 'reason', reason: 'required', message: 'Lý do là bắt buộc.' });

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
      decisionNumber: decision.number, decisionDate: '2025-12-20', issuer: bodyName(committee.province.name, 'province'),
    });
  });
});

describe('a revoked certificate is never printed', () => {
  let committee: Committee;
  let printer: Awaited<ReturnType<typeof printerOf>>;
  const reason = 'Thu hồi theo Quyết định số 15/QĐ-UBND do trùng khen thưởng';

  before(async function () {
    this.timeout(60_000);
    committee = await createCommittee();
    printer = await printerOf(committee);
  });

  async function revoke(id: number) {
    const answer = await api('POST', `/certificates/${id}/revoke`, { token: committee.secretary.token, body: { reason } });
    expect(answer.status).to.equal(200);
  }

  async function waitForJob(id: number) {
    return until(async () => {
      const job = await api('GET', `/print-jobs/${id}`, { token: printer.token });
      return job.body.status === 'done' || job.body.status === 'failed' ? job.body : undefined;
    }, 60_000, `print job ${id}`, 250);
  }

  it('refuses a single print or download of a revoked certificate with 409 and a Vietnamese message, logging nothing', async () => {
    const decision = await issueDecision(committee, [{ name: 'Lâm Thị Diệu Hiền' }]);
    const certificate = decision.certificates[0]!;
    await revoke(certificate.id);
    for (const mode of ['full', 'overlay']) {
      const refused = await download(`/certificates/${certificate.id}.pdf?mode=${mode}`, printer.token);
      expect(refused.status).to.equal(409);
      expect(refused.headers.get('content-type')).to.match(/json/);
      expect(refused.json.error).to.deep.equal({ code: 'conflict', reason: 'revoked_not_printed', message: 'Bằng khen đã bị thu hồi nên không được in hoặc tải về.' });
    }
    const recorded = await api('POST', `/certificates/${certificate.id}/print-log`, { token: printer.token, body: { mode: 'full' } });
    expect(recorded.status).to.equal(409);
    expect(recorded.body.error.code).to.equal('conflict');
    expect(await printLogOf([certificate.id])).to.deep.equal([]);
    // The refusal writes nothing: the one audit row is the revocation's.
    expect((await auditRows('certificate', certificate.id)).map((row) => row.action)).to.deep.equal(['certificate.revoke']);
  });

  it('prints a decision without its revoked certificates, says how many were left out, and logs nothing (a download is not a print)', async function () {
    this.timeout(60_000);
    const decision = await issueDecision(committee, [{ name: 'Đặng Văn Khải' }, { name: 'Kiều Thị Thanh Nhàn' }, { name: 'Châu Văn Lộc' }]);
    const [first, revoked, third] = decision.certificates;
    await revoke(revoked!.id);
    const pdf = await download(`/decisions/${decision.id}/certificates.pdf`, printer.token);
    expect(pdf.status).to.equal(200);
    expect(pdf.headers.get('x-revoked-left-out')).to.equal('1');
    expect((await pdfInfo(pdf.bytes)).pages).to.equal(2);
    const text = collapse(await pdfText(pdf.bytes));
    expect(text).to.contain(first!.recipientName).and.contain(third!.recipientName);
    expect(text).to.not.contain(revoked!.recipientName);
    expect(await printLogOf(decision.certificates.map((c) => c.id))).to.deep.equal([]);
  });

  it('runs a print job over the valid certificates only: total and PDF without the revoked one, leftOut 1, logged once each', async function () {
    this.timeout(90_000);
    const decision = await issueDecision(committee, [{ name: 'Ông Văn Thuận' }, { name: 'Mạc Thị Yến' }, { name: 'Lư Văn Phát' }]);
    const [revoked, ...kept] = decision.certificates;
    await revoke(revoked!.id);
    const created = await api('POST', `/decisions/${decision.id}/print-jobs`, { token: printer.token, body: {} });
    expect(created.status).to.equal(202);
    expect(created.body.total).to.equal(2);
    const job = await waitForJob(created.body.id);
    expect(job).to.include({ status: 'done', done: 2, total: 2, leftOut: 1 });
    const pdf = await download(`/print-jobs/${created.body.id}/file`, printer.token);
    expect((await pdfInfo(pdf.bytes)).pages).to.equal(2);
    expect(collapse(await pdfText(pdf.bytes))).to.not.contain(revoked!.recipientName);
    const log = await db().selectFrom('print_log').select('certificate_id').where('job_id', '=', created.body.id).execute();
    expect(log.map((row) => row.certificate_id)).to.have.members(kept.map((c) => c.id));
  });

  it('drops a running job\'s chunks when one of its certificates is revoked, and prints it again without that one', async function () {
    this.timeout(90_000);
    const decision = await issueDecision(committee, [{ name: 'Thạch Thị Sa Ly' }, { name: 'Danh Văn Hùng' }]);
    await ctx().printJobs.stop();
    try {
      const created = await api('POST', `/decisions/${decision.id}/print-jobs`, { token: printer.token, body: {} });
      expect(created.body.total).to.equal(2);
      // A chunk holding both certificates, stored before the revocation (as by a worker mid-job).
      await db().insertInto('print_job_chunks').values({ job_id: created.body.id, chunk_index: 0, pages: 2, pdf: Buffer.from('%PDF-1.4 stale chunk') }).execute();
      await revoke(decision.certificates[1]!.id);
      expect(await db().selectFrom('print_job_chunks').select('chunk_index').where('job_id', '=', created.body.id).execute()).to.deep.equal([]);
      expect(await ctx().printJobs.runAvailable()).to.be.at.least(1);
      const job = await api('GET', `/print-jobs/${created.body.id}`, { token: printer.token });
      expect(job.body).to.include({ status: 'done', done: 1, total: 1, leftOut: 1 });
      const pdf = await download(`/print-jobs/${created.body.id}/file`, printer.token);
      expect((await pdfInfo(pdf.bytes)).pages).to.equal(1);
      expect(collapse(await pdfText(pdf.bytes))).to.contain(decision.certificates[0]!.recipientName).and.not.contain(decision.certificates[1]!.recipientName);
    } finally {
      await ctx().printJobs.start();
    }
  });

  it('refuses the PDF and the print job of a decision whose certificates are all revoked with 409, writing no job', async () => {
    const decision = await issueDecision(committee, [{ name: 'Tăng Thị Kim Chi' }]);
    await revoke(decision.certificates[0]!.id);
    const pdf = await download(`/decisions/${decision.id}/certificates.pdf`, printer.token);
    expect(pdf.status).to.equal(409);
    expect(pdf.json.error).to.deep.equal({ code: 'conflict', reason: 'all_revoked', message: 'Mọi bằng khen của quyết định này đã bị thu hồi: không có bằng khen nào để in.' });
    const job = await api('POST', `/decisions/${decision.id}/print-jobs`, { token: printer.token, body: {} });
    expect(job.status).to.equal(409);
    expect(job.body.error.code).to.equal('conflict');
    expect(await db().selectFrom('print_jobs').select('id').where('decision_id', '=', decision.id).execute()).to.deep.equal([]);
    expect(await printLogOf([decision.certificates[0]!.id])).to.deep.equal([]);
  });
});

describe('the reissue and revoke forms after a refusal', () => {
  it('link each error of the summary to its own input (field-reissue-reason, field-revoke-reason, field-revoke-confirmed)', async function () {
    this.timeout(60_000);
    const committee = await createCommittee();
    const decision = await issueDecision(committee, [{ name: 'Võ Thị Sáu Lành' }]);
    const secretary = await createUser({ role: 'secretary', unitId: committee.province.id });
    const browser = new Browser();
    expect((await browser.login(secretary.username, secretary.password)).status).to.equal(303);
    const id = decision.certificates[0]!.id;
    await browser.get(`/certificates/${id}`);
    for (const action of ['reissue', 'revoke']) {
      const refused = await browser.post(`/certificates/${id}/${action}`, { reason: '' });
      expect(refused.status, action).to.equal(422);
      const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(refused.html)?.[0] ?? '';
      const links = [...summary.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
      // Revoking also asks for its confirmation box (like closing a round).
      expect(links).to.deep.equal(action === 'revoke' ? ['field-revoke-reason', 'field-revoke-confirmed'] : ['field-reissue-reason']);
      for (const link of links) expect(refused.html).to.contain(`<input id="${link}"`);
    }
    expect(await certificateRow(id)).to.include({ status: 'valid', copy_number: 0 });
    expect(await auditRows('certificate', id)).to.deep.equal([]);
  });
});
