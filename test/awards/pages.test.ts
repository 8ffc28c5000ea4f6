import { expect } from 'chai';
import { db } from '../support/context.ts';
import { TEST_PASSWORD } from '../support/factories.ts';
import { Browser } from '../support/http.ts';
import { attachRequiredFiles, createCommittee, inDays, openRound } from '../support/awards.ts';

async function loggedIn(username: string): Promise<Browser> {
  const browser = new Browser();
  const response = await browser.login(username, TEST_PASSWORD);
  expect(response.status).to.equal(303);
  return browser;
}

const idFrom = (location: string | null) => Number(/\/(\d+)(?:[?#].*)?$/.exec(location ?? '')?.[1]);

describe('awards pages', () => {
  it('runs a round through its forms: errors listed, nominate, return, fix, vote, close, decide, annex', async () => {
    const committee = await createCommittee({ members: 2 });
    const secretary = await loggedIn(committee.secretary.username);
    expect((await secretary.get('/awards/new')).status).to.equal(200);
    const bad = await secretary.post('/awards', { title: 'x', year: '1999', awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId: String(committee.province.id), closesOn: '31/02/2025' });
    expect(bad.status).to.equal(422);
    expect(bad.html).to.include('Tên đợt khen thưởng phải có ít nhất 3 ký tự.').and.include('Hạn nộp hồ sơ phải là ngày hợp lệ');
    const created = await secretary.post('/awards', {
      title: 'Tổng kết phong trào thi đua "Dân vận khéo" năm 2025', year: '2025', awardKind: 'bang_khen_chu_tich_ubnd_tinh',
      issuingUnitId: String(committee.province.id), closesOn: inDays(5).split('-').reverse().join('/'), quorum: '2/3', approval: 'more_than_half', publicComment: 'on', decisionSuffix: 'QĐ-UBND',
    });
    expect(created.status).to.equal(303);
    const roundId = idFrom(created.location);
    expect((await secretary.get(`/awards/${roundId}`)).html).to.include('Tổng kết phong trào thi đua &quot;Dân vận khéo&quot; năm 2025');

    const agency = await loggedIn(committee.agency.username);
    expect((await agency.get(`/awards/${roundId}/nominations/new`)).status).to.equal(200);
    const invalid = await agency.post(`/awards/${roundId}/nominations`, { roundId: String(roundId), nomineeKind: 'individual', unitId: String(committee.department.id), nomineeName: '', achievement: 'ngắn' });
    expect(invalid.status).to.equal(422);
    expect(invalid.html).to.include('Tên tập thể hoặc họ và tên là bắt buộc.').and.include('Giới tính là bắt buộc.').and.include('Năm sinh là bắt buộc.');
    const nominated = await agency.post(`/awards/${roundId}/nominations`, {
      roundId: String(roundId), nomineeKind: 'individual', unitId: String(committee.department.id), nomineeName: 'Võ Thị Hồng', position: 'Chuyên viên', gender: 'female', birthYear: '1985',
      achievement: 'Đã có thành tích xuất sắc trong xây dựng mô hình "Dân vận khéo".',
    });
    expect(nominated.status).to.equal(303);
    const nominationId = idFrom(nominated.location);
    const draftPage = await agency.get(`/nominations/${nominationId}`);
    expect(draftPage.html).to.include('Võ Thị Hồng').and.include('Nộp hồ sơ').and.include('Còn thiếu 3 thành phần hồ sơ');
    // Without the documents the award kind asks for, the page comes back naming each one at its place.
    const incomplete = await agency.post(`/nominations/${nominationId}/submit`);
    expect(incomplete.status).to.equal(422);
    expect(incomplete.html).to.include('href="#field-files.proposal"').and.include('Hồ sơ còn thiếu biên bản họp xét của Hội đồng Thi đua - Khen thưởng.');
    await attachRequiredFiles(nominationId);
    expect((await agency.get(`/nominations/${nominationId}`)).html).to.include('Đã đủ thành phần hồ sơ, có thể nộp.');
    expect((await agency.post(`/nominations/${nominationId}/submit`)).status).to.equal(303);

    await secretary.get(`/nominations/${nominationId}`);
    const noReason = await secretary.post(`/nominations/${nominationId}/return`, { reason: '' });
    expect(noReason.status).to.equal(422);
    expect(noReason.html).to.include('Lý do trả lại là bắt buộc.');
    expect((await secretary.post(`/nominations/${nominationId}/return`, { reason: 'Thiếu biên bản họp xét' })).status).to.equal(303);
    const returned = await agency.get(`/nominations/${nominationId}`);
    expect(returned.html).to.include('Hồ sơ bị trả lại: Thiếu biên bản họp xét');
    const edited = await agency.post(`/nominations/${nominationId}`, {
      roundId: String(roundId), nomineeKind: 'individual', unitId: String(committee.department.id), nomineeName: 'Võ Thị Hồng', position: 'Phó Trưởng phòng', gender: 'female', birthYear: '1985',
      achievement: 'Đã có thành tích xuất sắc trong xây dựng mô hình "Dân vận khéo".',
    });
    expect(edited.status).to.equal(303);
    await agency.get(`/nominations/${nominationId}`);
    expect((await agency.post(`/nominations/${nominationId}/submit`)).status).to.equal(303);

    for (const member of committee.members) {
      const browser = await loggedIn(member.username);
      expect((await browser.get(`/nominations/${nominationId}`)).html).to.include('Gửi biểu quyết');
      const noVote = await browser.post(`/nominations/${nominationId}/votes`, { comment: 'Đồng ý' });
      expect(noVote.status).to.equal(422);
      expect((await browser.post(`/nominations/${nominationId}/votes`, { vote: 'approve', comment: 'Xứng đáng' })).status).to.equal(303);
    }

    await secretary.get(`/awards/${roundId}`);
    expect((await secretary.post(`/awards/${roundId}/publish`)).status).to.equal(303);
    const published = await new Browser().get(`/public/awards/${roundId}`);
    expect(published.status).to.equal(200);
    expect(published.html).to.include('Võ Thị Hồng').and.include('Phó Trưởng phòng');
    expect((await secretary.post(`/awards/${roundId}/close`, { early: 'on', reason: 'Hội đồng đã họp xét đủ hồ sơ trước hạn', confirmed: 'on' })).status).to.equal(303);
    const form = await secretary.get(`/awards/${roundId}/decisions/new`);
    expect(form.html).to.include('Võ Thị Hồng');
    const decisionForm = { roundId: String(roundId), number: '', signedOn: '20/12/2025', signerName: 'Hồ Văn Mừng', signerTitle: 'Phó Chủ tịch', nominationIds: [String(nominationId)] };
    expect(form.html).to.include('name="confirmed"');
    // Issuing is final (a number taken, certificates made): unticked, the form comes back and nothing is issued.
    const unchecked = await secretary.post(`/awards/${roundId}/decisions`, decisionForm);
    expect(unchecked.status).to.equal(422);
    expect(unchecked.html).to.include('id="error-confirmed"');
    expect(await db().selectFrom('decisions').select('id').where('round_id', '=', roundId).execute()).to.deep.equal([]);
    const issued = await secretary.post(`/awards/${roundId}/decisions`, { ...decisionForm, confirmed: 'on' });
    expect(issued.status).to.equal(303);
    const decisionId = idFrom(issued.location);
    const decided = await secretary.get(`/awards/${roundId}`);
    expect(decided.html, 'nothing left to decide: no "Ban hành quyết định"').not.to.include(`href="/awards/${roundId}/decisions/new"`);
    const decision = await secretary.get(`/decisions/${decisionId}`);
    expect(decision.html).to.include('Quyết định số 1/QĐ-UBND').and.include('Võ Thị Hồng');
    const annex = await secretary.get(`/decisions/${decisionId}/annex`);
    expect(annex.html).to.include('DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN CỦA CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH');
    const certificate = await db().selectFrom('certificates').select(['register_number', 'recipient_name']).where('decision_id', '=', decisionId).executeTakeFirstOrThrow();
    expect(certificate).to.deep.equal({ register_number: 1, recipient_name: 'Võ Thị Hồng' });
  });
});

describe('awards pages: the rounds list', () => {
  it('pages the rounds with numbers and 25, 50 or 100 a page; another size is refused naming the choices', async () => {
    const committee = await createCommittee();
    for (let i = 0; i < 27; i += 1) await openRound(committee, { title: `Đợt thử phân trang số ${i + 1}` });
    const browser = new Browser();
    expect((await browser.login(committee.secretary.username, TEST_PASSWORD)).status).to.equal(303);
    const first = await browser.get('/awards');
    // Other test files' rounds may be visible too (a body above): the counts are at least these.
    const pages = Number(/<p class="pager__where">Trang 1\/(\d+)<\/p>/.exec(first.html)?.[1]);
    expect(pages).to.be.at.least(2);
    expect(first.html).to.include('aria-label="Trang 2">2</a>');
    const fifty = await browser.get('/awards?size=50');
    expect(Number(/<p class="pager__where">Trang 1\/(\d+)<\/p>/.exec(fifty.html)?.[1])).to.equal(Math.ceil(pages / 2) || 1);
    expect(fifty.html).to.include('<strong aria-current="true">50</strong>');
    const refused = await browser.get('/awards?size=30');
    expect(refused.status).to.equal(422);
    expect(refused.html).to.include('25, 50, 100');
  });
});
