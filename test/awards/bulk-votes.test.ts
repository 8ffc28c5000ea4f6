// Bulk voting (issue 18): a member casts one vote on several of a round's nominations at once, from
// the round page or POST /api/v1/award-rounds/:id/votes. All or none: one the member may not vote on
// refuses the batch and writes nothing; each vote is its own row and its own audit entry.
import { expect } from 'chai';
import { createCommittee, EARLY_CLOSE, individual, openRound, rowCounts, submitted } from '../support/awards.ts';
import { db } from '../support/context.ts';
import { auditRows } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { signedIn } from '../support/security.ts';

const votesOf = (ids: readonly number[]) =>
  db().selectFrom('votes').select(['nomination_id', 'member_id', 'vote']).where('nomination_id', 'in', ids).orderBy('nomination_id').orderBy('member_id').execute();

describe('awards: bulk voting on a round', function () {
  this.timeout(60_000);

  it('records the vote on every nomination named (201), one row and one audit entry each, and changes earlier votes', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const ids = [
      await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Đào Thị Mai' })),
      await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Lương Văn Khải' })),
      await submitted(committee, individual(round.id, committee.otherDepartment.id, { nomineeName: 'Mạc Thị Yên' }), committee.otherAgency.token),
    ];
    const member = committee.members[0]!;
    expect((await api('POST', `/nominations/${ids[1]}/votes`, { token: member.token, body: { vote: 'reject' } })).status).to.equal(201);

    const response = await api('POST', `/award-rounds/${round.id}/votes`, { token: member.token, body: { nominationIds: ids, vote: 'approve' } });
    expect(response.status).to.equal(201);
    expect(response.body.total).to.equal(3);
    expect(response.body.items.map((v: { nominationId: number; vote: string; memberId: number }) => [v.nominationId, v.vote, v.memberId])).to.deep.equal(ids.map((id) => [id, 'approve', member.id]));
    expect(await votesOf(ids)).to.deep.equal(ids.map((id) => ({ nomination_id: id, member_id: member.id, vote: 'approve' })));
    expect((await auditRows('nomination', ids[0]!)).at(-1)).to.include({ action: 'vote.cast', actor_user_id: member.id });
    expect((await auditRows('nomination', ids[1]!)).at(-1)).to.include({ action: 'vote.change', actor_user_id: member.id });
  });

  it('refuses the whole batch, writing nothing, when one nomination cannot take the member\'s vote: their own unit\'s (403), stood aside (409), another round\'s or unseen (404), closed round (409)', async () => {
    const committee = await createCommittee({ memberInDepartment: true });
    const round = await openRound(committee);
    const own = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Kiều Văn Sơn' }));
    const other = await submitted(committee, individual(round.id, committee.otherDepartment.id, { nomineeName: 'Hà Thị Nhung' }), committee.otherAgency.token);
    const inDepartment = committee.members.at(-1)!;
    const member = committee.members[0]!;
    const elsewhere = await openRound(committee, { title: 'Đợt khác' });
    const stray = await submitted(committee, individual(elsewhere.id, committee.otherDepartment.id, { nomineeName: 'Từ Văn Lộc' }), committee.otherAgency.token);
    const before = await rowCounts(['votes', 'audit_log']);

    const ownUnit = await api('POST', `/award-rounds/${round.id}/votes`, { token: inDepartment.token, body: { nominationIds: [other, own], vote: 'approve' } });
    expect(ownUnit.status).to.equal(403);
    expect(ownUnit.body.error.reason).to.equal('own_unit_vote');

    const notInRound = await api('POST', `/award-rounds/${round.id}/votes`, { token: member.token, body: { nominationIds: [other, stray], vote: 'approve' } });
    expect(notInRound.status).to.equal(404);
    expect((await api('POST', `/award-rounds/${round.id}/votes`, { token: member.token, body: { nominationIds: [other, 2_000_000_000], vote: 'approve' } })).status).to.equal(404);
    expect(await rowCounts(['votes', 'audit_log'])).to.deep.equal(before);

    expect((await api('POST', `/nominations/${own}/recusals`, { token: member.token, body: { reason: 'Người được đề nghị là em ruột của tôi' } })).status).to.equal(201);
    const recused = await api('POST', `/award-rounds/${round.id}/votes`, { token: member.token, body: { nominationIds: [other, own], vote: 'reject' } });
    expect(recused.status).to.equal(409);
    expect(recused.body.error.reason).to.equal('recused');
    expect(await votesOf([other, own])).to.deep.equal([]);

    expect((await api('POST', `/award-rounds/${round.id}/close`, { token: committee.secretary.token, body: EARLY_CLOSE })).status).to.equal(200);
    const closed = await api('POST', `/award-rounds/${round.id}/votes`, { token: committee.members[1]!.token, body: { nominationIds: [other], vote: 'approve' } });
    expect(closed.status).to.equal(409);
    expect(closed.body.error.reason).to.equal('round_closed');
  });

  it('answers 422 naming each bad field (no ids, duplicates, a bad vote), 403 to non-members, writing nothing', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const id = await submitted(committee, individual(round.id, committee.department.id));
    const before = await rowCounts(['votes', 'audit_log']);
    const bad = await api('POST', `/award-rounds/${round.id}/votes`, { token: committee.members[0]!.token, body: { nominationIds: [], vote: 'maybe' } });
    expect(bad.status).to.equal(422);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).to.deep.equal(['nominationIds', 'vote']);
    const twice = await api('POST', `/award-rounds/${round.id}/votes`, { token: committee.members[0]!.token, body: { nominationIds: [id, id], vote: 'approve' } });
    expect(twice.status).to.equal(422);
    const secretary = await api('POST', `/award-rounds/${round.id}/votes`, { token: committee.secretary.token, body: { nominationIds: [id], vote: 'approve' } });
    expect(secretary.status).to.equal(403);
    expect(await rowCounts(['votes', 'audit_log'])).to.deep.equal(before);
  });

  it('offers ticks on the round page beside the ones the member may vote on, and records the ticked ones', async () => {
    const committee = await createCommittee({ memberInDepartment: true });
    const round = await openRound(committee);
    const own = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Kiều Văn Sơn' }));
    const first = await submitted(committee, individual(round.id, committee.otherDepartment.id, { nomineeName: 'Hà Thị Nhung' }), committee.otherAgency.token);
    const second = await submitted(committee, individual(round.id, committee.otherDepartment.id, { nomineeName: 'Vi Văn Thắng' }), committee.otherAgency.token);
    const member = await signedIn(committee.members.at(-1)!);

    const page = await member.get(`/awards/${round.id}`);
    expect(page.html).to.include(`action="/awards/${round.id}/votes"`);
    const ticks = [...page.html.matchAll(/name="nominationIds" value="(\d+)"/g)].map((m) => Number(m[1]));
    expect(ticks, 'not their own unit\'s').to.deep.equal([first, second]);

    const empty = await member.post(`/awards/${round.id}/votes`, { vote: 'approve' });
    expect(empty.status).to.equal(422);
    expect(empty.html).to.include('href="#field-nominationIds"');
    const done = await member.post(`/awards/${round.id}/votes`, { nominationIds: [String(first), String(second)], vote: 'approve' });
    expect(done.status).to.equal(303);
    expect(done.location).to.equal(`/awards/${round.id}?status=submitted`);
    expect(await votesOf([own, first, second])).to.deep.equal([first, second].map((id) => ({ nomination_id: id, member_id: committee.members.at(-1)!.id, vote: 'approve' })));
    const after = await member.get(`/awards/${round.id}?status=submitted`);
    expect(after.html).to.include('Đã ghi phiếu &quot;Đồng ý&quot; cho 2 hồ sơ.');

    const secretary = await signedIn(committee.secretary);
    expect((await secretary.get(`/awards/${round.id}`)).html, 'no ticks for the secretary').not.to.include(`action="/awards/${round.id}/votes"`);
  });
});
