// Recusal (API.md The committee's work): a member declares a conflict of interest on a nomination
// with the reason; a vote already cast is withdrawn, the member votes no more on it and is not an
// eligible voter when the round closes; the secretariat sees who stood aside and why.
import { expect } from 'chai';
import { createCommittee, EARLY_CLOSE, individual, openRound, rowCounts, submitted, voteAll } from '../support/awards.ts';
import { db } from '../support/context.ts';
import { auditRows } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { signedIn } from '../support/security.ts';

const REASON = 'Người được đề nghị là em ruột của tôi';

describe('awards API: recusals', function () {
  this.timeout(60_000);

  it('withdraws the member\'s vote, refuses a second recusal and any later vote (409 recused), audits it, shows it to the secretary only, and takes the member out of the eligible voters', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Vương Thị Xuân' }));
    const [first, second, third] = committee.members as [typeof committee.members[0], typeof committee.members[0], typeof committee.members[0]];
    await voteAll(committee, id, ['approve']);

    const declared = await api('POST', `/nominations/${id}/recusals`, { token: first!.token, body: { reason: REASON } });
    expect(declared.status, JSON.stringify(declared.body)).to.equal(201);
    expect(declared.body).to.include({ nominationId: id, memberId: first!.id, reason: REASON, withdrawnVote: 'approve' });
    expect(await db().selectFrom('votes').select('member_id').where('nomination_id', '=', id).execute()).to.deep.equal([]);
    const audit = (await auditRows('nomination', id)).at(-1)!;
    expect(audit).to.deep.include({ action: 'vote.recuse', actor_user_id: first!.id, before: { vote: 'approve', comment: null }, after: { memberId: first!.id, reason: REASON } });

    const before = await rowCounts(['votes', 'audit_log']);
    const again = await api('POST', `/nominations/${id}/recusals`, { token: first!.token, body: { reason: REASON } });
    expect(again.status).to.equal(409);
    expect(again.body.error.reason).to.equal('recused');
    const vote = await api('POST', `/nominations/${id}/votes`, { token: first!.token, body: { vote: 'approve' } });
    expect(vote.status).to.equal(409);
    expect(vote.body.error.reason).to.equal('recused');
    expect(await rowCounts(['votes', 'audit_log'])).to.deep.equal(before);

    const bySecretary = await api('GET', `/nominations/${id}`, { token: committee.secretary.token });
    expect(bySecretary.body.recusals.map((r: { memberId: number; reason: string }) => [r.memberId, r.reason])).to.deep.equal([[first!.id, REASON]]);
    expect((await api('GET', `/nominations/${id}`, { token: second!.token })).body.recusals).to.deep.equal([]);
    expect((await api('GET', `/nominations/${id}`, { token: first!.token })).body.recusals.map((r: { memberId: number }) => r.memberId)).to.deep.equal([first!.id]);

    // Two of the two remaining eligible voters approve: quorum and majority of 2, not of 3.
    for (const member of [second, third]) expect((await api('POST', `/nominations/${id}/votes`, { token: member!.token, body: { vote: 'approve' } })).status).to.equal(201);
    const closed = await api('POST', `/award-rounds/${round.id}/close`, { token: committee.secretary.token, body: EARLY_CLOSE });
    expect(closed.body.outcomes[0]).to.include({ status: 'approved', approvals: 2, eligibleVoters: 2 });
  });

  it('asks for the reason (422), is for committee members only (403), and hides other units\' nominations (404)', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Diệp Văn Yên' }));
    const before = await rowCounts(['votes', 'audit_log']);
    const reasonless = await api('POST', `/nominations/${id}/recusals`, { token: committee.members[0]!.token, body: {} });
    expect(reasonless.status).to.equal(422);
    expect(reasonless.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['reason']);
    expect((await api('POST', `/nominations/${id}/recusals`, { token: committee.secretary.token, body: { reason: REASON } })).status).to.equal(403);
    expect((await api('POST', `/nominations/${id}/recusals`, { token: (await createCommittee()).members[0]!.token, body: { reason: REASON } })).status).to.equal(404);
    expect(await rowCounts(['votes', 'audit_log'])).to.deep.equal(before);
    expect(await db().selectFrom('recusals').select('member_id').where('nomination_id', '=', id).execute()).to.deep.equal([]);
  });

  it('lets a member stand aside from the nomination page; the secretary reads who and why there, and the member\'s queue no longer counts it', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Ông Thị Ánh' }));
    const member = await signedIn(committee.members[1]!);
    const page = await member.get(`/nominations/${id}`);
    expect(page.html).to.include(`action="/nominations/${id}/recusals"`);
    const refused = await member.post(`/nominations/${id}/recusals`, { reason: '' });
    expect(refused.status).to.equal(422);
    const done = await member.post(`/nominations/${id}/recusals`, { reason: REASON });
    expect(done.status).to.equal(303);
    const after = await member.get(`/nominations/${id}`);
    expect(after.html).to.include('id="my-recusal"').and.not.include(`action="/nominations/${id}/votes"`);
    const secretary = await signedIn(committee.secretary);
    const seen = await secretary.get(`/nominations/${id}`);
    expect(seen.html).to.include('id="recusals"').and.include(REASON);
    const tasks = await api('GET', '/me/tasks', { token: committee.members[1]!.token });
    expect(tasks.body.items[0]).to.include({ kind: 'votes_pending', count: 0 });
  });
});
