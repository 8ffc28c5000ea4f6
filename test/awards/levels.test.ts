// Levels: a national body above two provinces (as the centre is above the 34) opens a round. Its
// committee is the list it keeps (its own members and one of its departments'); a province's members
// are not on it, so they neither vote on nor read what another province submitted there, and a
// province's secretary does not act for the body above. The listed members vote, and only they count.
import { expect } from 'chai';
import { forgetUnitTrees } from '../../server/auth/scope.ts';
import { attachRequiredFiles, createCommittee, inDays, individual, collective, rowCounts, seatOnCommittee, EARLY_CLOSE } from '../support/awards.ts';
import { db } from '../support/context.ts';
import { createUnit, createUserWithToken, uniqueSuffix } from '../support/factories.ts';
import { api } from '../support/http.ts';

async function nationWithTwoProvinces() {
  const nation = await createUnit({ name: `Ban Dân vận Trung ương (thử ${uniqueSuffix()})`, blockCode: 'dang' });
  const nationDepartment = await createUnit({ parentId: nation.id, name: 'Vụ Dân vận chính quyền (thử)', blockCode: 'dang' });
  const a = await createCommittee();
  const b = await createCommittee();
  await db().updateTable('units').set({ parent_id: nation.id }).where('id', 'in', [a.province.id, b.province.id]).execute();
  forgetUnitTrees();
  const secretary = await createUserWithToken({ role: 'secretary', unitId: nation.id, fullName: 'Thư ký Hội đồng Trung ương' });
  const members = [
    await createUserWithToken({ role: 'member', unitId: nation.id, fullName: 'Ủy viên Trung ương 1' }),
    await createUserWithToken({ role: 'member', unitId: nation.id, fullName: 'Ủy viên Trung ương 2' }),
    await createUserWithToken({ role: 'member', unitId: nationDepartment.id, fullName: 'Ủy viên Trung ương 3' }),
  ];
  await seatOnCommittee(nation.id, members.map((member) => member.id));
  const admin = await createUserWithToken({ role: 'admin' });
  const round = await api('POST', '/award-rounds', {
    token: secretary.token,
    body: { title: 'Khen thưởng điển hình Dân vận khéo toàn quốc (thử)', year: 2025, awardKind: 'bang_khen_thu_tuong', issuingUnitId: nation.id, closesOn: inDays(60), decisionSuffix: 'QĐ-TTg' },
  });
  expect(round.status, JSON.stringify(round.body)).to.equal(201);
  const nominate = async (body: Record<string, unknown>) => {
    const created = await api('POST', '/nominations', { token: admin.token, body });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    await attachRequiredFiles(created.body.id);
    expect((await api('POST', `/nominations/${created.body.id}/submit`, { token: admin.token })).status).to.equal(200);
    return created.body.id as number;
  };
  const fromA = await nominate(individual(round.body.id, a.department.id, { nomineeName: 'Nguyễn Thị Lan' }));
  const fromB = await nominate(collective(round.body.id, b.department.id, { nomineeName: 'Phòng Giáo dục Trung học tỉnh B' }));
  return { nation, a, b, secretary, members, admin, roundId: round.body.id as number, fromA, fromB };
}

describe('awards: a national body above the provinces, with a committee of its own', function () {
  this.timeout(60_000);

  it('keeps another province\'s nomination to the national round from a province\'s member (404 to read, list or vote) and refuses the member a vote on their own province\'s (403 not_on_committee)', async () => {
    const n = await nationWithTwoProvinces();
    const memberA = n.a.members[0]!;
    const before = await rowCounts(['votes', 'audit_log']);
    expect((await api('GET', `/nominations/${n.fromB}`, { token: memberA.token })).status).to.equal(404);
    expect((await api('POST', `/nominations/${n.fromB}/votes`, { token: memberA.token, body: { vote: 'approve' } })).status).to.equal(404);
    const listed = await api('GET', `/nominations?roundId=${n.roundId}`, { token: memberA.token });
    expect(listed.status).to.equal(200);
    expect(listed.body.items.map((i: { id: number }) => i.id)).to.deep.equal([n.fromA]);
    const own = await api('POST', `/nominations/${n.fromA}/votes`, { token: memberA.token, body: { vote: 'approve' } });
    expect(own.status).to.equal(403);
    expect(own.body.error.reason).to.equal('not_on_committee');
    expect(await rowCounts(['votes', 'audit_log'])).to.deep.equal(before);
  });

  it('keeps the national round\'s management from a province\'s secretary: 404 to close, 422 to open a round in its name, and only its own province\'s nomination listed', async () => {
    const n = await nationWithTwoProvinces();
    const before = await rowCounts();
    expect((await api('POST', `/award-rounds/${n.roundId}/close`, { token: n.a.secretary.token, body: EARLY_CLOSE })).status).to.equal(404);
    expect((await api('POST', `/nominations/${n.fromA}/return`, { token: n.a.secretary.token, body: { reason: 'Trả lại trái thẩm quyền' } })).status).to.equal(404);
    const opened = await api('POST', '/award-rounds', { token: n.a.secretary.token, body: { title: 'Đợt mạo danh Trung ương', year: 2025, awardKind: 'bang_khen_thu_tuong', issuingUnitId: n.nation.id, closesOn: inDays(10) } });
    expect(opened.status).to.equal(422);
    expect(opened.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['issuingUnitId']);
    expect(await rowCounts()).to.deep.equal(before);
    const listed = await api('GET', `/nominations?roundId=${n.roundId}`, { token: n.a.secretary.token });
    expect(listed.body.items.map((i: { id: number }) => i.id)).to.deep.equal([n.fromA]);
    // The round itself is listed to the province: it takes part in it.
    const rounds = await api('GET', '/award-rounds?year=2025', { token: n.a.agency.token });
    expect(rounds.body.items.map((r: { id: number }) => r.id)).to.include(n.roundId);
    expect((await api('GET', `/nominations/${n.fromB}`, { token: n.a.agency.token })).status).to.equal(404);
  });

  it('lets the national body\'s own members vote on both provinces\' nominations, and counts only them as eligible when its secretary closes the round', async () => {
    const n = await nationWithTwoProvinces();
    for (const id of [n.fromA, n.fromB]) {
      for (const member of n.members) expect((await api('POST', `/nominations/${id}/votes`, { token: member.token, body: { vote: 'approve' } })).status).to.equal(201);
    }
    const closed = await api('POST', `/award-rounds/${n.roundId}/close`, { token: n.secretary.token, body: EARLY_CLOSE });
    expect(closed.status, JSON.stringify(closed.body)).to.equal(200);
    const outcomes = (closed.body.outcomes as { nominationId: number; status: string; approvals: number; eligibleVoters: number }[]).map((o) => [o.nominationId, o.status, o.approvals, o.eligibleVoters]);
    expect(outcomes).to.deep.equal([[n.fromA, 'approved', 3, 3], [n.fromB, 'approved', 3, 3]]);
    const decision = await api('POST', '/decisions', { token: n.secretary.token, body: { roundId: n.roundId, signedOn: '2025-12-20', signerName: 'Phạm Minh Chính', signerTitle: 'Thủ tướng Chính phủ', nominationIds: [n.fromA, n.fromB] } });
    expect(decision.status, JSON.stringify(decision.body)).to.equal(201);
    expect(decision.body.number).to.match(/^1\/QĐ-TTg$/);
    // The province's secretary reads the decision with its own nominee's certificate only.
    const seen = await api('GET', `/decisions/${decision.body.id}`, { token: n.a.secretary.token });
    expect(seen.status).to.equal(200);
    expect(seen.body.certificates.map((c: { nominationId: number }) => c.nominationId)).to.deep.equal([n.fromA]);
  });

  it('keeps a province\'s own committee as it was: its members, also one in a department, vote in its round', async () => {
    const n = await nationWithTwoProvinces();
    const round = await api('POST', '/award-rounds', { token: n.a.secretary.token, body: { title: 'Tổng kết dân vận tỉnh A', year: 2025, awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId: n.a.province.id, closesOn: inDays(10) } });
    expect(round.status).to.equal(201);
    const created = await api('POST', '/nominations', { token: n.a.agency.token, body: individual(round.body.id, n.a.department.id) });
    await attachRequiredFiles(created.body.id);
    expect((await api('POST', `/nominations/${created.body.id}/submit`, { token: n.a.agency.token })).status).to.equal(200);
    for (const member of n.a.members) expect((await api('POST', `/nominations/${created.body.id}/votes`, { token: member.token, body: { vote: 'approve' } })).status).to.equal(201);
    const national = await api('POST', `/nominations/${created.body.id}/votes`, { token: n.members[0]!.token, body: { vote: 'approve' } });
    expect(national.status, 'a national member is not on the province\'s committee').to.be.oneOf([403, 404]);
    const closed = await api('POST', `/award-rounds/${round.body.id}/close`, { token: n.a.secretary.token, body: EARLY_CLOSE });
    expect(closed.body.outcomes[0]).to.include({ status: 'approved', approvals: 3, eligibleVoters: 3 });
  });
});
