// The proposal (tờ trình) of a closed round and of a batch sent up, and the year-end report, as Word
// files (issue 19): each opened and read paragraph by paragraph. The proposal names the committee's
// figures and lists the approved nominees in the annex's order, for the round's secretariat only;
// the report carries the same headline paragraph and figures as the summary API.
import { expect } from 'chai';
import { closeRound, collective, createCommittee, individual, openRound, submitted, voteAll, type Committee } from '../support/awards.ts';
import { download, issueDecision } from '../support/certificates.ts';
import { db } from '../support/context.ts';
import { createUnit, createUserWithToken } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { approvedBelow, createLevels, forward } from '../support/levels.ts';
import { signedIn } from '../support/security.ts';
import { formatNumber } from '../../server/web/i18n/index.ts';
import { docxTexts, expectInOrder } from './docx.ts';

describe('the proposal (tờ trình) as a Word file', function () {
  let committee: Committee;
  let roundId: number;
  let texts: string[];

  before(async function () {
    this.timeout(60_000);
    committee = await createCommittee();
    // A name of its own: the real Tỉnh An Giang of the reference units shares this database (the unit picker's tests rank it).
    await db().updateTable('units').set({ name: 'Tỉnh Sông Hậu Thử' }).where('id', '=', committee.province.id).execute();
    roundId = (await openRound(committee)).id;
    const dept = committee.department.id;
    for (const [body, votes] of [
      [individual(roundId, dept, { nomineeName: 'Trần Văn Bình' }), ['approve', 'approve']],
      [collective(roundId, dept, { nomineeName: 'Phòng Giáo dục Trung học' }), ['approve', 'approve']],
      [individual(roundId, dept, { nomineeName: 'Nguyễn Thị Anh' }), ['approve', 'approve']],
      [individual(roundId, dept, { nomineeName: 'Lê Văn Cường' }), ['reject', 'reject']],
    ] as const) {
      await voteAll(committee, await submitted(committee, body), [...votes]);
    }
    await closeRound(committee, roundId);
    const got = await download(`/award-rounds/${roundId}/proposal.docx`, committee.secretary.token);
    expect(got.status, JSON.stringify(got.json)).to.equal(200);
    expect(got.headers.get('content-disposition')).to.match(/^attachment; filename="to-trinh-.+\.docx"$/);
    texts = await docxTexts(got.bytes);
  });

  it('heads it with the body and its standing organ, the title and the authority it is addressed to', function () {
    expectInOrder(texts, [
      'ỦY BAN NHÂN DÂN', 'TỈNH SÔNG HẬU THỬ', 'BAN THI ĐUA - KHEN THƯỞNG', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Số:        /TTr-BTĐKT', 'TỜ TRÌNH', 'Về việc đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh',
      'Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Sông Hậu Thử',
    ]);
    expect(texts.some((t) => /^Sông Hậu Thử, ngày \d\d tháng \d\d? năm \d{4}$/.test(t)), texts.join('\n')).to.equal(true);
  });

  it('states the committee\'s meeting and vote, proposes the approved ones and lists them in the annex\'s order', function () {
    const meeting = texts.find((t) => t.includes('Hội đồng Thi đua - Khen thưởng đã họp xét'))!;
    expect(meeting).to.include('"Tổng kết công tác dân vận chính quyền năm 2025"');
    expect(meeting).to.include('Hội đồng có 3 thành viên; nguyên tắc biểu quyết: ');
    expect(meeting).to.include('Tổng số hồ sơ được xét: 4; số hồ sơ đạt: 3; số hồ sơ không đạt: 1.');
    expect(texts).to.include('Đề nghị Chủ tịch Ủy ban nhân dân tỉnh Sông Hậu Thử xem xét, quyết định tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 1 tập thể và 2 cá nhân (có danh sách kèm theo), đã có thành tích xuất sắc trong phong trào thi đua "Dân vận khéo" năm 2025.');
    expectInOrder(texts, [
      'Kính trình Chủ tịch Ủy ban nhân dân tỉnh Sông Hậu Thử xem xét, quyết định./.', 'Nơi nhận:', 'TRƯỞNG BAN',
      'DANH SÁCH', 'TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ TẶNG BẰNG KHEN CỦA CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH',
      'I. TẬP THỂ', 'Phòng Giáo dục Trung học', 'II. CÁ NHÂN', 'Nguyễn Thị Anh', 'Trần Văn Bình',
    ]);
    expect(texts).to.not.include('Lê Văn Cường');
  });

  it('is the round\'s secretariat\'s: 403 for other roles, 404 for another province, 409 while the round is open', async function () {
    expect((await download(`/award-rounds/${roundId}/proposal.docx`, committee.agency.token)).status).to.equal(403);
    expect((await download(`/award-rounds/${roundId}/proposal.docx`, committee.members[0]!.token)).status).to.equal(403);
    const stranger = await createUserWithToken({ role: 'secretary', unitId: (await createUnit({ kind: 'province', name: 'Tỉnh khác' })).id });
    expect((await download(`/award-rounds/${roundId}/proposal.docx`, stranger.token)).status).to.equal(404);
    const open = await openRound(committee);
    const refused = await download(`/award-rounds/${open.id}/proposal.docx`, committee.secretary.token);
    expect(refused.status).to.equal(409);
    expect(refused.json.error.reason).to.equal('round_not_closed');
  });

  it('is offered on the closed round\'s page to its secretariat', async function () {
    const browser = await signedIn(committee.secretary);
    const page = await browser.get(`/awards/${roundId}`);
    expect(page.html).to.include(`href="/awards/${roundId}/proposal.docx"`);
    const file = await browser.get(`/awards/${roundId}/proposal.docx`);
    expect(file.status).to.equal(200);
  });
});

describe('the proposal of a batch sent up to the body above', function () {
  it('lists only the nominations sent to that round, addressed to the upper body\'s authority', async function () {
    this.timeout(60_000);
    const levels = await createLevels();
    const below = await approvedBelow(levels.lower, ['Võ Thị Hoa', 'Phan Văn Đức']);
    const upperRound = await openRound(levels.upper);
    const sent = await forward(levels.lower.secretary.token, below.ids[0]!, upperRound.id);
    expect(sent.status, JSON.stringify(sent.body)).to.equal(201);
    const got = await download(`/award-rounds/${below.roundId}/proposal.docx?forwardedTo=${upperRound.id}`, levels.lower.secretary.token);
    expect(got.status, JSON.stringify(got.json)).to.equal(200);
    const texts = await docxTexts(got.bytes);
    expectInOrder(texts, ['ỦY BAN NHÂN DÂN', 'XÃ THỬ NGHIỆM', 'TỜ TRÌNH', 'Về việc đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh', 'Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh thử nghiệm', 'I. CÁ NHÂN', 'Võ Thị Hoa']);
    expect(texts).to.not.include('Phan Văn Đức');
    const roundPage = await (await signedIn(levels.lower.secretary)).get(`/awards/${below.roundId}`);
    expect(roundPage.html.replace(/&#x3D;/g, '=')).to.include(`href="/awards/${below.roundId}/proposal.docx?forwardedTo=${upperRound.id}"`);
    const stray = await download(`/award-rounds/${below.roundId}/proposal.docx?forwardedTo=999999999`, levels.lower.secretary.token);
    expect(stray.status).to.equal(422);
    expect(stray.json.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['forwardedTo']);
  });
});

describe('the year-end report as a Word file', function () {
  it('carries the summary\'s headline paragraph, its figures and the awards of the year', async function () {
    this.timeout(60_000);
    const committee = await createCommittee();
    await issueDecision(committee, [{ name: 'Nguyễn Thị Anh' }, { name: 'Phòng Giáo dục Trung học', kind: 'collective' }]);
    const query = `year=2025&unitId=${committee.province.id}`;
    const summary = await api('GET', `/reports/summary?${query}`, { token: committee.secretary.token });
    expect(summary.status).to.equal(200);
    const got = await download(`/reports/summary.docx?${query}`, committee.secretary.token);
    expect(got.status, JSON.stringify(got.json)).to.equal(200);
    expect(got.headers.get('content-disposition')).to.equal('attachment; filename="bao-cao-dan-van-kheo-2025.docx"');
    const texts = await docxTexts(got.bytes);
    expectInOrder(texts, ['BÁO CÁO TỔNG HỢP 2025', 'Tỉnh thử nghiệm', 'Kết quả chung', summary.body.paragraph, 'Đăng ký', formatNumber(summary.body.models.registered)]);
    expectInOrder(texts, ['Bằng khen tập thể', '1', 'Bằng khen cá nhân', '1']);
    expectInOrder(texts, ['Khen thưởng', 'Tổng kết công tác dân vận chính quyền năm 2025', 'Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh', '1', '1', 'Tổng cộng']);
    const stranger = await createUserWithToken({ role: 'agency', unitId: (await createUnit({ kind: 'province', name: 'Tỉnh khác' })).id });
    expect((await download(`/reports/summary.docx?${query}`, stranger.token)).status).to.equal(404);
  });
});
