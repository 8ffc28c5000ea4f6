// Correcting a certificate (đính chính): a new certificate with the same register number and a new
// verification code replaces the old one, which then verifies as replaced; the decision's annex,
// "print all" and the reports count the corrected one once. Revoked and replaced ones are refused
// (409), a correction that changes nothing or has no reason too (422); audited with before and after.
import { expect } from 'chai';
import { db } from '../support/context.ts';
import { auditRows, createUnit, createUserWithToken, TEST_PASSWORD } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';
import { createCommittee, rowCounts, type Committee } from '../support/awards.ts';
import { collapse, download, issueDecision, pdfText, printerOf, type IssuedDecision } from '../support/certificates.ts';

function certificateRow(id: number) {
  return db().selectFrom('certificates').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

describe('correcting certificates', () => {
  let committee: Committee;
  let decision: IssuedDecision;

  before(async function () {
    this.timeout(60_000);
    committee = await createCommittee();
    decision = await issueDecision(committee, [
      { name: 'Nguyễn Thị Thu Hằng', position: 'Chuyên viên' },
      { name: 'Lê Văn Tâm', gender: 'male' },
      { name: 'Bùi Thị Hoa' },
      { name: 'Phòng Tổ chức cán bộ', kind: 'collective' },
    ]);
  });

  it('answers 201 with the corrected certificate: same register number, a new code; the old one verifies as replaced, audited, counted once', async function () {
    this.timeout(90_000);
    const old = decision.certificates.find((c) => c.recipientName === 'Nguyễn Thị Thu Hằng')!;
    const answer = await api('POST', `/certificates/${old.id}/correct`, {
      token: committee.secretary.token,
      body: { recipientName: 'Nguyễn Thị Thu Hường', position: 'Phó Trưởng phòng', reason: 'In sai tên và chức vụ so với tờ trình' },
    });
    expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
    expect(answer.body).to.include({ correctsId: old.id, registerNumber: old.registerNumber, recipientName: 'Nguyễn Thị Thu Hường', position: 'Phó Trưởng phòng', unitName: 'Sở Giáo dục và Đào tạo', status: 'valid' });
    expect(answer.body.verificationCode).to.be.a('string').and.not.equal(old.verificationCode);
    expect(answer.body.verificationCode.length).to.be.at.least(22);
    expect(await certificateRow(old.id)).to.include({ status: 'replaced', recipient_name: 'Nguyễn Thị Thu Hằng' });
    expect(await certificateRow(answer.body.id)).to.include({ status: 'valid', corrects_id: old.id, register_number: old.registerNumber, position: 'Phó Trưởng phòng', correction_reason: 'In sai tên và chức vụ so với tờ trình', created_by: committee.secretary.id });

    const verifiedOld = await api('GET', `/verify/${old.verificationCode}`);
    expect(verifiedOld.status).to.equal(200);
    expect(verifiedOld.body).to.include({ status: 'replaced', recipientName: 'Nguyễn Thị Thu Hằng' });
    expect(verifiedOld.body.replacedBy).to.deep.equal({ verificationCode: answer.body.verificationCode, verifyUrl: `/verify/${answer.body.verificationCode}` });
    const verifiedNew = await api('GET', `/verify/${answer.body.verificationCode}`);
    expect(verifiedNew.body).to.include({ status: 'valid', recipientName: 'Nguyễn Thị Thu Hường' });
    expect(verifiedNew.body.corrects.verificationCode).to.equal(old.verificationCode);
    const page = await new Browser().get(`/verify/${old.verificationCode}`);
    expect(page.html).to.contain(`Đã được đính chính, thay bằng bằng khen mã ${answer.body.verificationCode}`).and.contain(`href="/verify/${answer.body.verificationCode}"`);

    const audit = await auditRows('certificate', old.id);
    expect(audit.map((row) => row.action)).to.deep.equal(['certificate.correct']);
    expect(audit[0]).to.include({ actor_user_id: committee.secretary.id });
    expect(audit[0]!.before).to.deep.equal({ recipientName: 'Nguyễn Thị Thu Hằng', position: 'Chuyên viên' });
    expect(audit[0]!.after).to.include({ recipientName: 'Nguyễn Thị Thu Hường', position: 'Phó Trưởng phòng', correctedById: answer.body.id, reason: 'In sai tên và chức vụ so với tờ trình' });

    // The decision holds the corrected one in the old one's place: the annex, "print all" and the report count it once.
    const shown = await api('GET', `/decisions/${decision.id}`, { token: committee.secretary.token });
    const names = shown.body.certificates.map((c: { recipientName: string }) => c.recipientName);
    expect(names).to.have.length(4);
    expect(names).to.include('Nguyễn Thị Thu Hường').and.not.include('Nguyễn Thị Thu Hằng');
    const printer = await printerOf(committee);
    const all = await download(`/decisions/${decision.id}/certificates.pdf`, printer.token);
    expect(all.status).to.equal(200);
    expect(all.headers.get('x-revoked-left-out')).to.equal('0');
    const text = collapse(await pdfText(all.bytes));
    expect(text).to.contain('Nguyễn Thị Thu Hường').and.contain('Phó Trưởng phòng, Sở Giáo dục và Đào tạo').and.not.contain('Thu Hằng');
    const report = await api('GET', `/reports/summary?year=2025&unitId=${committee.province.id}`, { token: committee.secretary.token });
    expect(report.status).to.equal(200);
    expect(report.body.awards.individuals).to.equal(3);
    const tasks = await api('GET', '/me/tasks', { token: printer.token });
    expect(tasks.body.items.find((t: { kind: string }) => t.kind === 'certificates_to_print').count, 'the 4 current certificates await printing').to.equal(4);

    // The old one is history: printing, reissuing, revoking or correcting it again answers 409.
    for (const [path, body] of [[`/certificates/${old.id}/correct`, { recipientName: 'Nguyễn Thị Thu Hà', reason: 'Sửa tiếp lần nữa' }], [`/certificates/${old.id}/revoke`, { reason: 'Thu hồi bản cũ' }], [`/certificates/${old.id}/reissue`, { reason: 'Cấp lại bản cũ' }], [`/certificates/${old.id}/print-log`, { mode: 'full' }]] as const) {
      const refused = await api('POST', path, { token: committee.secretary.token, body });
      expect(refused.status, path).to.equal(409);
      expect(refused.body.error.reason, path).to.equal('certificate_replaced');
    }
    expect((await download(`/certificates/${old.id}.pdf`, printer.token)).json.error.reason).to.equal('certificate_replaced');
    // The newest is corrected again: a chain, each replaced by the next.
    const again = await api('POST', `/certificates/${answer.body.id}/correct`, { token: committee.secretary.token, body: { achievement: 'Đã có thành tích xuất sắc trong công tác dân vận chính quyền năm 2025 và vận động nhân dân', reason: 'Bổ sung thành tích' } });
    expect(again.status).to.equal(201);
    expect(again.body).to.include({ correctsId: answer.body.id, registerNumber: old.registerNumber, recipientName: 'Nguyễn Thị Thu Hường', position: 'Phó Trưởng phòng' });
    expect((await api('GET', `/verify/${answer.body.verificationCode}`)).body.status).to.equal('replaced');
  });

  it('refuses a correction that changes nothing or has no reason with 422 listing each field, and a revoked one with 409, writing nothing', async () => {
    const certificate = decision.certificates.find((c) => c.recipientName === 'Lê Văn Tâm')!;
    const before = await rowCounts(['certificates', 'audit_log']);
    const none = await api('POST', `/certificates/${certificate.id}/correct`, { token: committee.secretary.token, body: { recipientName: 'Lê Văn Tâm', reason: 'Không sửa gì cả' } });
    expect(none.status).to.equal(422);
    expect(none.body.error.details).to.deep.include({ field: 'body', reason: 'no_change', message: 'Cần sửa ít nhất một nội dung của bằng khen (tên, chức vụ, đơn vị hoặc thành tích).' });
    const bad = await api('POST', `/certificates/${certificate.id}/correct`, { token: committee.secretary.token, body: { recipientName: 'X', achievement: 'ngắn', status: 'valid' } });
    expect(bad.status).to.equal(422);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).to.deep.equal(['achievement', 'reason', 'recipientName', 'status']);
    const collective = decision.certificates.find((c) => c.recipientName === 'Phòng Tổ chức cán bộ')!;
    const position = await api('POST', `/certificates/${collective.id}/correct`, { token: committee.secretary.token, body: { position: 'Trưởng phòng', reason: 'Thêm chức vụ' } });
    expect(position.status).to.equal(422);
    expect(position.body.error.details.map((d: { field: string; reason: string }) => [d.field, d.reason])).to.deep.include(['position', 'not_allowed_value']);
    expect(await rowCounts(['certificates', 'audit_log'])).to.deep.equal(before);

    const revoked = decision.certificates.find((c) => c.recipientName === 'Bùi Thị Hoa')!;
    expect((await api('POST', `/certificates/${revoked.id}/revoke`, { token: committee.secretary.token, body: { reason: 'Thu hồi theo quyết định mới' } })).status).to.equal(200);
    const refused = await api('POST', `/certificates/${revoked.id}/correct`, { token: committee.secretary.token, body: { recipientName: 'Bùi Thị Hòa', reason: 'Sửa tên sau thu hồi' } });
    expect(refused.status).to.equal(409);
    expect(refused.body.error.reason).to.equal('certificate_revoked');
  });

  it('warns when the corrected position holds the unit\'s name (422 position_repeats_unit) until positionRepeatsUnit confirms it', async () => {
    const certificate = decision.certificates.find((c) => c.recipientName === 'Lê Văn Tâm')!;
    const body = { position: 'Phó Giám đốc SỞ GIÁO DỤC VÀ ĐÀO TẠO', reason: 'Ghi đầy đủ chức vụ' };
    const warned = await api('POST', `/certificates/${certificate.id}/correct`, { token: committee.secretary.token, body });
    expect(warned.status).to.equal(422);
    expect(warned.body.error.details).to.have.length(1);
    expect(warned.body.error.details[0]).to.include({ field: 'positionRepeatsUnit', reason: 'position_repeats_unit' });
    expect(warned.body.error.details[0].message).to.contain('Chức vụ đã chứa tên đơn vị "Sở Giáo dục và Đào tạo"; trên bằng khen sẽ in hai lần');
    const kept = await api('POST', `/certificates/${certificate.id}/correct`, { token: committee.secretary.token, body: { ...body, positionRepeatsUnit: true } });
    expect(kept.status).to.equal(201);
    expect(kept.body.position).to.equal('Phó Giám đốc SỞ GIÁO DỤC VÀ ĐÀO TẠO');
  });

  it('is the secretariat\'s, in scope: printers and agency staff 403, another province 404', async () => {
    const certificate = decision.certificates.find((c) => c.recipientName === 'Phòng Tổ chức cán bộ')!;
    const body = { recipientName: 'Phòng Tổ chức - Cán bộ', reason: 'Sửa tên phòng' };
    const printer = await printerOf(committee);
    expect((await api('POST', `/certificates/${certificate.id}/correct`, { token: printer.token, body })).status).to.equal(403);
    expect((await api('POST', `/certificates/${certificate.id}/correct`, { token: committee.agency.token, body })).status).to.equal(403);
    const elsewhere = await createUserWithToken({ role: 'secretary', unitId: (await createUnit({ kind: 'province', name: 'Tỉnh khác' })).id });
    expect((await api('POST', `/certificates/${certificate.id}/correct`, { token: elsewhere.token, body })).status).to.equal(404);
    expect((await certificateRow(certificate.id)).status).to.equal('valid');
  });

  it('corrects from the certificate page: the form is there for the secretariat, a refusal re-shows it, the new page links back', async () => {
    const certificate = decision.certificates.find((c) => c.recipientName === 'Phòng Tổ chức cán bộ')!;
    const browser = new Browser();
    await browser.login(committee.secretary.username, TEST_PASSWORD);
    const page = await browser.get(`/certificates/${certificate.id}`);
    expect(page.status).to.equal(200);
    expect(page.html).to.contain(`action="/certificates/${certificate.id}/correct"`).and.contain('value="Phòng Tổ chức cán bộ"');
    expect(page.html, 'a collective has no position field').to.not.contain('id="field-correct-position"');
    const refused = await browser.post(`/certificates/${certificate.id}/correct`, { recipientName: 'Phòng Tổ chức cán bộ', reason: '' });
    expect(refused.status).to.equal(422);
    expect(refused.html).to.contain('id="error-correct-reason"').and.contain('class="error-summary"');
    const done = await browser.post(`/certificates/${certificate.id}/correct`, { recipientName: 'Phòng Tổ chức - Cán bộ', reason: 'Sửa tên phòng theo quyết định thành lập' });
    expect(done.status).to.equal(303);
    const newId = Number(/^\/certificates\/(\d+)$/.exec(done.location ?? '')?.[1]);
    expect(newId).to.be.greaterThan(certificate.id);
    const shown = await browser.get(`/certificates/${newId}`);
    expect(shown.html).to.contain('Đã đính chính bằng khen').and.contain(`href="/certificates/${certificate.id}"`).and.contain('Bản đính chính của bằng khen mã');
    const old = await browser.get(`/certificates/${certificate.id}`);
    expect(old.html).to.contain(`href="/certificates/${newId}"`).and.contain('Đã được thay bằng bản đính chính mã').and.not.contain(`action="/certificates/${certificate.id}/correct"`);
    const printerBrowser = new Browser();
    const printer = await printerOf(committee);
    await printerBrowser.login(printer.username, TEST_PASSWORD);
    expect((await printerBrowser.get(`/certificates/${newId}`)).html, 'no correction form for the printing room').to.not.contain('/correct"');
  });

  it('revokes from the page only with the confirmation box ticked (422 without it), the API keeps {reason}', async () => {
    const extra = await issueDecision(committee, [{ name: 'Vũ Thị Lệ' }]);
    const certificate = extra.certificates[0]!;
    const browser = new Browser();
    await browser.login(committee.secretary.username, TEST_PASSWORD);
    const page = await browser.get(`/certificates/${certificate.id}`);
    expect(page.html).to.contain('name="confirmed"');
    const refused = await browser.post(`/certificates/${certificate.id}/revoke`, { reason: 'Thu hồi theo quyết định mới' });
    expect(refused.status).to.equal(422);
    expect(refused.html).to.contain('id="error-revoke-confirmed"');
    expect((await certificateRow(certificate.id)).status).to.equal('valid');
    const done = await browser.post(`/certificates/${certificate.id}/revoke`, { reason: 'Thu hồi theo quyết định mới', confirmed: 'on' });
    expect(done.status).to.equal(303);
    expect((await certificateRow(certificate.id)).status).to.equal('revoked');
  });
});
