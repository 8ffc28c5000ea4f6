// Committees as named bodies (issue 17): a body's council is an explicit list of member accounts, kept
// by the administrator or the body's own secretariat; only the listed members vote in its rounds, and
// closing a round counts them as the eligible voters.
import { expect } from 'chai';
import { db } from '../support/context.ts';
import { auditRows, createUnit, createUserWithToken } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { signedIn } from '../support/security.ts';
import { closeRound, createCommittee, individual, openRound, rowCounts, seatOnCommittee, submitted } from '../support/awards.ts';

async function seatedIds(bodyId: number): Promise<number[]> {
  const rows = await db().selectFrom('committee_members').select('user_id').where('issuing_unit_id', '=', bodyId).orderBy('user_id').execute();
  return rows.map((row) => row.user_id);
}

const committeeTables = ['committee_members', 'audit_log'];

describe('committees: a body\'s council is a named list of member accounts', () => {
  describe('keeping the list', () => {
    it('lets the body\'s secretary seat a department leader and unseat a member: 200, the rows, one audit row', async () => {
      const committee = await createCommittee();
      const leader = await createUserWithToken({ role: 'member', unitId: committee.otherDepartment.id, fullName: 'Giám đốc Sở Y tế' });
      const members = [committee.members[0]!.id, committee.members[1]!.id, leader.id];
      const response = await api('PUT', `/units/${committee.province.id}/committee`, { token: committee.secretary.token, body: { members } });
      expect(response.status).to.equal(200);
      expect(response.body.unitId).to.equal(committee.province.id);
      expect([...response.body.members].sort((a: number, b: number) => a - b)).to.deep.equal([...members].sort((a, b) => a - b));
      expect(response.body.accounts.find((a: { id: number }) => a.id === leader.id)).to.include({ fullName: 'Giám đốc Sở Y tế', unitId: committee.otherDepartment.id, active: true });
      expect(await seatedIds(committee.province.id)).to.deep.equal([...members].sort((a, b) => a - b));
      const audit = (await auditRows('unit', committee.province.id)).filter((row) => row.action === 'committee.update');
      expect(audit).to.have.length(1);
      expect(audit[0]!.actor_user_id).to.equal(committee.secretary.id);
      expect(audit[0]!.before).to.deep.equal({ members: committee.members.map((m) => m.id).sort((a, b) => a - b) });
      const read = await api('GET', `/units/${committee.province.id}/committee`, { token: committee.secretary.token });
      expect(read.status).to.equal(200);
      expect(read.body.members).to.have.length(3);
    });

    it('lets an administrator keep any body\'s list, and an empty list is a committee of no one', async () => {
      const committee = await createCommittee();
      const admin = await createUserWithToken({ role: 'admin' });
      const response = await api('PUT', `/units/${committee.province.id}/committee`, { token: admin.token, body: { members: [] } });
      expect(response.status).to.equal(200);
      expect(response.body.members).to.deep.equal([]);
      expect(await seatedIds(committee.province.id)).to.deep.equal([]);
    });

    it('hides the list of a body above or beside the secretary (404) and refuses other roles (403), writing nothing', async () => {
      const committee = await createCommittee();
      const departmentSecretary = await createUserWithToken({ role: 'secretary', unitId: committee.department.id });
      const stranger = await createUserWithToken({ role: 'secretary', unitId: (await createUnit({ kind: 'province' })).id });
      const body = { members: [committee.members[0]!.id] };
      const before = await rowCounts(committeeTables);
      for (const token of [departmentSecretary.token, stranger.token]) {
        expect((await api('PUT', `/units/${committee.province.id}/committee`, { token, body })).status).to.equal(404);
        expect((await api('GET', `/units/${committee.province.id}/committee`, { token })).status).to.equal(404);
      }
      for (const user of [committee.agency, committee.members[0]!]) {
        const refused = await api('PUT', `/units/${committee.province.id}/committee`, { token: user.token, body });
        expect(refused.status).to.equal(403);
        expect(refused.body.error.reason).to.equal('secretary_only');
      }
      expect((await api('PUT', `/units/${committee.province.id}/committee`, { body })).status).to.equal(401);
      expect((await api('PUT', `/units/999999999/committee`, { token: (await createUserWithToken({ role: 'admin' })).token, body })).status).to.equal(404);
      expect(await rowCounts(committeeTables)).to.deep.equal(before);
    });

    it('answers 422 naming each bad seat: an unknown or out-of-sight account, a non-member, a disabled member; nothing written', async () => {
      const committee = await createCommittee();
      const disabled = await createUserWithToken({ role: 'member', unitId: committee.province.id, disabled: true });
      const elsewhere = await createUserWithToken({ role: 'member', unitId: (await createUnit({ kind: 'province' })).id });
      const before = await rowCounts(committeeTables);
      const response = await api('PUT', `/units/${committee.province.id}/committee`, {
        token: committee.secretary.token,
        body: { members: [committee.members[0]!.id, 999999999, elsewhere.id, committee.agency.id, disabled.id] },
      });
      expect(response.status).to.equal(422);
      expect(response.body.error.details.map((d: { field: string; reason: string }) => [d.field, d.reason])).to.deep.equal([
        ['members.1', 'unknown_reference'], ['members.2', 'unknown_reference'], ['members.3', 'not_a_member'], ['members.4', 'not_a_member'],
      ]);
      const shapes = await api('PUT', `/units/${committee.province.id}/committee`, { token: committee.secretary.token, body: { members: [1, 1, 'x'] } });
      expect(shapes.status).to.equal(422);
      expect(await rowCounts(committeeTables)).to.deep.equal(before);
    });
  });

  describe('only the listed members vote', () => {
    it('refuses a member of the province who is not listed (403 not_on_committee) and takes the vote of a seated department leader', async () => {
      const committee = await createCommittee();
      const unlisted = await createUserWithToken({ role: 'member', unitId: committee.province.id });
      const leader = await createUserWithToken({ role: 'member', unitId: committee.otherDepartment.id });
      await seatOnCommittee(committee.province.id, [leader.id]);
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id));
      const refused = await api('POST', `/nominations/${id}/votes`, { token: unlisted.token, body: { vote: 'approve' } });
      expect(refused.status).to.equal(403);
      expect(refused.body.error.reason).to.equal('not_on_committee');
      expect((await api('POST', `/nominations/${id}/votes`, { token: leader.token, body: { vote: 'approve' } })).status).to.equal(201);
      expect((await api('POST', `/nominations/${id}/votes`, { token: committee.members[0]!.token, body: { vote: 'approve' } })).status).to.equal(201);
      expect((await api('POST', `/nominations/${id}/votes`, { token: committee.members[1]!.token, body: { vote: 'approve' } })).status).to.equal(201);
      const closed = await closeRound(committee, round.id);
      expect(closed.outcomes[0]).to.include({ nominationId: id, status: 'approved', approvals: 3, eligibleVoters: 4 });
    });

    it('counts a member unseated before closing out of the eligible voters, and their vote with them', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id));
      for (const member of committee.members) expect((await api('POST', `/nominations/${id}/votes`, { token: member.token, body: { vote: 'reject' } })).status).to.equal(201);
      const kept = [committee.members[0]!.id];
      expect((await api('PUT', `/units/${committee.province.id}/committee`, { token: committee.secretary.token, body: { members: kept } })).status).to.equal(200);
      const closed = await closeRound(committee, round.id);
      expect(closed.outcomes[0]).to.include({ rejections: 1, eligibleVoters: 1 });
    });

    it('shows a seated member from another province the body\'s round and lets them vote; unseated, the round is out of sight', async () => {
      const committee = await createCommittee();
      const outsider = await createUserWithToken({ role: 'member', unitId: (await createUnit({ kind: 'province' })).id });
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id));
      expect((await api('GET', `/award-rounds/${round.id}`, { token: outsider.token })).status).to.equal(404);
      await seatOnCommittee(committee.province.id, [outsider.id]);
      expect((await api('GET', `/award-rounds/${round.id}`, { token: outsider.token })).status).to.equal(200);
      expect((await api('GET', `/nominations/${id}`, { token: outsider.token })).status).to.equal(200);
      expect((await api('POST', `/nominations/${id}/votes`, { token: outsider.token, body: { vote: 'approve' } })).status).to.equal(201);
    });
  });

  describe('the committee page', () => {
    it('lets the secretary tick the members and save; the round page links to it; agency staff get 403', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const browser = await signedIn(committee.secretary);
      const roundPage = await browser.get(`/awards/${round.id}`);
      expect(roundPage.html).to.include(`href="/committees/${committee.province.id}"`);
      const page = await browser.get(`/committees/${committee.province.id}`);
      expect(page.status).to.equal(200);
      expect(page.html).to.include('Hội đồng Thi đua - Khen thưởng');
      const saved = await browser.post(`/committees/${committee.province.id}`, { members: [String(committee.members[2]!.id)] });
      expect(saved.status).to.equal(303);
      expect(await seatedIds(committee.province.id)).to.deep.equal([committee.members[2]!.id]);
      const after = await browser.get(`/committees/${committee.province.id}`);
      expect(after.html).to.include('Đã lưu danh sách Hội đồng (1 thành viên).');
      const agency = await signedIn(committee.agency);
      expect((await agency.get(`/committees/${committee.province.id}`)).status).to.equal(403);
      expect((await agency.post(`/committees/${committee.province.id}`, { members: [String(committee.members[0]!.id)] })).status).to.equal(403);
      expect(await seatedIds(committee.province.id)).to.deep.equal([committee.members[2]!.id]);
    });
  });
});
