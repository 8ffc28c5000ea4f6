import { expect } from 'chai';
import { db } from '../support/context.ts';
import { auditRows } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { collective, createCommittee, individual, openRound, submitted, voteAll, EARLY_CLOSE } from '../support/awards.ts';

describe('awards API: a round from nomination to decision', () => {
  it('takes nominations through votes and closing to a numbered decision with certificates', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const lan = await submitted(committee, individual(round.id, committee.department.id));
    const an = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Trần Văn An', gender: 'male' }));
    const team = await submitted(committee, collective(round.id, committee.department.id));
    const weak = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Lê Văn Bình', gender: 'male' }));
    for (const id of [lan, an, team]) await voteAll(committee, id, ['approve', 'approve', 'reject']);
    await voteAll(committee, weak, ['approve', 'reject']);

    const closed = await api('POST', `/award-rounds/${round.id}/close`, { token: committee.secretary.token, body: EARLY_CLOSE });
    expect(closed.status).to.equal(200);
    expect(closed.body.status).to.equal('closed');
    const statuses = Object.fromEntries(closed.body.outcomes.map((o: { nominationId: number; status: string }) => [o.nominationId, o.status]));
    expect(statuses).to.deep.equal({ [lan]: 'approved', [an]: 'approved', [team]: 'approved', [weak]: 'rejected' });

    const decision = await api('POST', '/decisions', {
      token: committee.secretary.token,
      body: { roundId: round.id, signedOn: '2025-12-20', signerName: 'Hồ Văn Mừng', signerTitle: 'Phó Chủ tịch', nominationIds: [lan, an, team] },
    });
    expect(decision.status).to.equal(201);
    expect(decision.body.number).to.equal('1/QĐ-UBND');
    const names = decision.body.certificates.map((c: { recipientName: string }) => c.recipientName);
    expect(names).to.deep.equal(['Phòng Giáo dục Trung học', 'Trần Văn An', 'Nguyễn Thị Lan']);
    expect(decision.body.certificates.map((c: { registerNumber: number }) => c.registerNumber)).to.deep.equal([1, 2, 3]);
    for (const certificate of decision.body.certificates) expect(Buffer.from(certificate.verificationCode, 'base64url')).to.have.length(16);
    const [audit] = await auditRows('decision', decision.body.id);
    expect(audit).to.include({ action: 'decision.issue', actor_user_id: committee.secretary.id });
    const stored = await db().selectFrom('nominations').select(['id', 'decision_id']).where('round_id', '=', round.id).execute();
    expect(stored.filter((n) => n.decision_id === decision.body.id).map((n) => n.id).sort()).to.deep.equal([lan, an, team].sort());

    const again = await api('POST', '/decisions', { token: committee.secretary.token, body: { roundId: round.id, signedOn: '2025-12-21', signerName: 'Hồ Văn Mừng', signerTitle: 'Phó Chủ tịch', nominationIds: [lan] } });
    expect(again.status).to.equal(409);
    const shown = await api('GET', `/decisions/${decision.body.id}`, { token: committee.secretary.token });
    expect(shown.status).to.equal(200);
    expect(shown.body.certificates).to.have.length(3);
  });
});
