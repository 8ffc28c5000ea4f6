// Committee votes through the API, and closing a round by its voting rule: quorum, ties, the
// nominating unit's own member, changed votes, votes after closing, and a round with another rule.
import { expect } from 'chai';
import { translate, type MessageKey } from '../../server/web/i18n/index.ts';
import { db } from '../support/context.ts';
import { auditRows, createUserWithToken } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { closeRound, collective, createCommittee, individual, openRound, rowCounts, submitted, voteAll, type Committee, EARLY_CLOSE } from '../support/awards.ts';

const fields = (response: { body: { error: { details: { field: string }[] } } }) => response.body.error.details.map((d) => d.field).sort();

async function tallyOf(committee: Committee, id: number) {
  const response = await api('GET', `/nominations/${id}`, { token: committee.secretary.token });
  expect(response.status).to.equal(200);
  return { status: response.body.status as string, tally: response.body.tally as { approvals: number; rejections: number; eligibleVoters: number; decidedAt: string } | null };
}

async function storedTally(id: number) {
  return db().selectFrom('nominations').select(['status', 'approvals', 'rejections', 'eligible_voters']).where('id', '=', id).executeTakeFirstOrThrow();
}

describe('awards API: votes and the voting rule', () => {
  describe('who may vote', () => {
    it('records a committee member\'s vote (201), one row, audited with the member', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id));
      const member = committee.members[0]!;
      const response = await api('POST', `/nominations/${id}/votes`, { token: member.token, body: { vote: 'approve', comment: 'Thành tích nổi bật' } });
      expect(response.status).to.equal(201);
      expect(response.body).to.include({ nominationId: id, memberId: member.id, vote: 'approve', comment: 'Thành tích nổi bật' });
      const rows = await db().selectFrom('votes').selectAll().where('nomination_id', '=', id).execute();
      expect(rows).to.have.length(1);
      expect(rows[0]).to.include({ member_id: member.id, vote: 'approve' });
      const audit = (await auditRows('nomination', id)).at(-1)!;
      expect(audit).to.include({ action: 'vote.cast', actor_user_id: member.id });
    });

    for (const role of ['secretary', 'agency', 'admin', 'printer'] as const) {
      it(`refuses a vote from ${role} staff with 403 and writes nothing`, async () => {
        const committee = await createCommittee();
        const round = await openRound(committee);
        const id = await submitted(committee, individual(round.id, committee.department.id));
        const token = role === 'secretary' ? committee.secretary.token : role === 'agency' ? committee.agency.token : (await createUserWithToken({ role, unitId: committee.province.id })).token;
        const before = await rowCounts();
        const response = await api('POST', `/nominations/${id}/votes`, { token, body: { vote: 'approve' } });
        expect(response.status).to.equal(403);
        expect(response.body.error.code).to.equal('forbidden');
        expect(await rowCounts()).to.deep.equal(before);
      });
    }

    it('answers 401 to an anonymous vote', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id));
      expect((await api('POST', `/nominations/${id}/votes`, { body: { vote: 'approve' } })).status).to.equal(401);
    });

    it('refuses a member of the nominating unit (403), and does not count them among eligible voters', async () => {
      const committee = await createCommittee({ memberInDepartment: true });
      const round = await openRound(committee);
      const own = await submitted(committee, individual(round.id, committee.department.id));
      const foreign = await submitted(committee, collective(round.id, committee.otherDepartment.id), committee.otherAgency.token);
      const insider = committee.members[2]!;
      const before = await rowCounts();
      const refused = await api('POST', `/nominations/${own}/votes`, { token: insider.token, body: { vote: 'approve' } });
      expect(refused.status).to.equal(403);
      expect(refused.body.error.message).to.equal(translate('vi', 'awards.ownUnitVote'));
      expect(await rowCounts()).to.deep.equal(before);
      // The same member votes on another department's nomination.
      expect((await api('POST', `/nominations/${foreign}/votes`, { token: insider.token, body: { vote: 'approve' } })).status).to.equal(201);
      await voteAll(committee, own, ['approve', 'approve']);
      await voteAll(committee, foreign, ['approve']);

      const closed = await closeRound(committee, round.id);
      const outcomes = Object.fromEntries(closed.outcomes.map((o) => [o.nominationId, o]));
      expect(outcomes[own]).to.include({ status: 'approved', approvals: 2, rejections: 0, eligibleVoters: 2 });
      expect(outcomes[foreign]).to.include({ status: 'approved', approvals: 2, rejections: 0, eligibleVoters: 3 });
      expect(await tallyOf(committee, own)).to.deep.include({ status: 'approved' });
      expect((await tallyOf(committee, own)).tally).to.include({ approvals: 2, rejections: 0, eligibleVoters: 2 });
      expect(await storedTally(own)).to.deep.equal({ status: 'approved', approvals: 2, rejections: 0, eligible_voters: 2 });
    });

    it('answers 404 to a member of an unrelated province\'s committee', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id));
      const stranger = await createCommittee();
      expect((await api('POST', `/nominations/${id}/votes`, { token: stranger.members[0]!.token, body: { vote: 'reject' } })).status).to.equal(404);
      expect(await db().selectFrom('votes').select('member_id').where('nomination_id', '=', id).execute()).to.deep.equal([]);
    });

    it('shows a member only their own vote, and the secretary every vote', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id));
      await voteAll(committee, id, ['approve', 'reject']);
      const mine = await api('GET', `/nominations/${id}`, { token: committee.members[0]!.token });
      expect(mine.body.votes.map((v: { memberId: number }) => v.memberId)).to.deep.equal([committee.members[0]!.id]);
      const all = await api('GET', `/nominations/${id}`, { token: committee.secretary.token });
      expect(all.body.votes).to.have.length(2);
    });
  });

  describe('validation of a vote body', () => {
    it('answers 422 naming every bad field (vote, comment, unknown status), in Vietnamese and English, writing nothing', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id));
      const token = committee.members[0]!.token;
      const before = await rowCounts();
      const body = { vote: 'abstain', comment: 'x'.repeat(1001), status: 'approved' };
      const vi = await api('POST', `/nominations/${id}/votes`, { token, body });
      expect(vi.status).to.equal(422);
      expect(fields(vi)).to.deep.equal(['comment', 'status', 'vote']);
      const messages = Object.fromEntries(vi.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
      const label = (language: 'vi' | 'en', field: string) => translate(language, `field.award.${field}` as MessageKey);
      expect(messages.vote).to.equal(`${label('vi', 'vote')}: chọn một trong Đồng ý, Không đồng ý.`);
      expect(messages.comment).to.equal(translate('vi', 'validation.tooLong', { label: label('vi', 'comment'), limit: 1000 }));
      const en = await api('POST', `/nominations/${id}/votes`, { token, body, language: 'en' });
      expect(fields(en)).to.deep.equal(['comment', 'status', 'vote']);
      const english = Object.fromEntries(en.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
      expect(english.vote).to.equal(`${label('en', 'vote')}: choose one of Approve, Reject.`);
      const empty = await api('POST', `/nominations/${id}/votes`, { token, body: {} });
      expect(empty.status).to.equal(422);
      expect(empty.body.error.details).to.deep.equal([{ field: 'vote', reason: 'required', message: translate('vi', 'validation.required', { label: label('vi', 'vote') }) }]);
      expect(await rowCounts()).to.deep.equal(before);
    });
  });

  describe('changing and closing', () => {
    it('changes a member\'s vote on a second POST: one row per member, the new vote, audited as a change', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id));
      const member = committee.members[1]!;
      expect((await api('POST', `/nominations/${id}/votes`, { token: member.token, body: { vote: 'reject', comment: 'Chưa đủ minh chứng' } })).status).to.equal(201);
      const second = await api('POST', `/nominations/${id}/votes`, { token: member.token, body: { vote: 'approve' } });
      expect(second.status).to.equal(201);
      expect(second.body).to.include({ vote: 'approve', comment: null });
      const rows = await db().selectFrom('votes').select(['member_id', 'vote']).where('nomination_id', '=', id).execute();
      expect(rows).to.deep.equal([{ member_id: member.id, vote: 'approve' }]);
      expect((await auditRows('nomination', id)).slice(-2).map((a) => a.action)).to.deep.equal(['vote.cast', 'vote.change']);
    });

    it('refuses votes once the round is closed (409) and keeps the tally as it was', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id));
      await voteAll(committee, id, ['approve', 'approve']);
      await closeRound(committee, round.id);
      const before = await rowCounts();
      for (const member of committee.members) {
        const response = await api('POST', `/nominations/${id}/votes`, { token: member.token, body: { vote: 'reject' } });
        expect(response.status).to.equal(409);
        expect(response.body.error.code).to.equal('conflict');
      }
      expect(await rowCounts()).to.deep.equal(before);
      expect(await storedTally(id)).to.deep.equal({ status: 'approved', approvals: 2, rejections: 0, eligible_voters: 3 });
    });

    it('refuses a vote on a returned nomination (409)', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id));
      await api('POST', `/nominations/${id}/return`, { token: committee.secretary.token, body: { reason: 'Thiếu báo cáo thành tích' } });
      expect((await api('POST', `/nominations/${id}/votes`, { token: committee.members[0]!.token, body: { vote: 'approve' } })).status).to.equal(409);
    });
  });

  describe('closing by the default rule (2/3 of members vote, more than half approve)', () => {
    it('approves 2 approvals of 3 members, rejects 1 of 3 for lack of quorum, rejects a tie, approves 2 to 1; tallies kept', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const quorate = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Nguyễn Văn Đủ' }));
      const lonely = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Trần Văn Một' }));
      const tie = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Lê Thị Hòa' }));
      const majority = await submitted(committee, collective(round.id, committee.department.id));
      const unvoted = await submitted(committee, collective(round.id, committee.department.id, { nomineeName: 'Phòng Chưa Biểu Quyết' }));
      await voteAll(committee, quorate, ['approve', 'approve']);
      await voteAll(committee, lonely, ['approve']);
      await voteAll(committee, tie, ['approve', 'reject']);
      await voteAll(committee, majority, ['approve', 'reject', 'approve']);

      const closed = await api('POST', `/award-rounds/${round.id}/close`, { token: committee.secretary.token, body: EARLY_CLOSE });
      expect(closed.status).to.equal(200);
      const outcomes = Object.fromEntries(closed.body.outcomes.map((o: { nominationId: number }) => [o.nominationId, o]));
      expect(outcomes[quorate]).to.deep.include({ status: 'approved', reason: 'approved', approvals: 2, rejections: 0, eligibleVoters: 3 });
      expect(outcomes[lonely]).to.deep.include({ status: 'rejected', reason: 'no_quorum', approvals: 1, rejections: 0, eligibleVoters: 3 });
      expect(outcomes[tie]).to.deep.include({ status: 'rejected', reason: 'not_enough_approvals', approvals: 1, rejections: 1, eligibleVoters: 3 });
      expect(outcomes[majority]).to.deep.include({ status: 'approved', approvals: 2, rejections: 1 });
      expect(outcomes[unvoted]).to.deep.include({ status: 'rejected', reason: 'no_quorum', approvals: 0, rejections: 0 });

      expect(await tallyOf(committee, lonely)).to.deep.include({ status: 'rejected' });
      expect((await tallyOf(committee, lonely)).tally).to.include({ approvals: 1, rejections: 0, eligibleVoters: 3 });
      expect((await tallyOf(committee, tie)).tally).to.include({ approvals: 1, rejections: 1, eligibleVoters: 3 });
      expect((await tallyOf(committee, quorate)).tally).to.include({ approvals: 2, rejections: 0, eligibleVoters: 3 });
      expect(await storedTally(lonely)).to.deep.equal({ status: 'rejected', approvals: 1, rejections: 0, eligible_voters: 3 });
      expect(await storedTally(majority)).to.deep.equal({ status: 'approved', approvals: 2, rejections: 1, eligible_voters: 3 });
      const audit = (await auditRows('award_round', round.id)).at(-1)!;
      expect(audit).to.include({ action: 'round.close', actor_user_id: committee.secretary.id });
      expect((audit.after as { outcomes: unknown[] }).outcomes).to.have.length(5);
    });

    it('leaves drafts and returned nominations out of closing, with no tally', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const draft = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id, { nomineeName: 'Bùi Thị Nháp' }) });
      const returned = await submitted(committee, collective(round.id, committee.department.id));
      await api('POST', `/nominations/${returned}/return`, { token: committee.secretary.token, body: { reason: 'Thiếu biên bản họp xét' } });
      const closed = await closeRound(committee, round.id);
      expect(closed.outcomes).to.deep.equal([]);
      expect(await storedTally(draft.body.id)).to.deep.equal({ status: 'draft', approvals: null, rejections: null, eligible_voters: null });
      expect(await storedTally(returned)).to.deep.equal({ status: 'returned', approvals: null, rejections: null, eligible_voters: null });
    });
  });

  describe('a round with another rule (quorum "all", approval "two_thirds")', () => {
    it('rejects when one member did not vote, approves exactly two thirds, rejects one third', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee, { quorum: 'all', approval: 'two_thirds' });
      const missingVoter = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Đỗ Văn Thiếu' }));
      const twoThirds = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Đỗ Văn Đạt' }));
      const oneThird = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Đỗ Văn Trượt' }));
      await voteAll(committee, missingVoter, ['approve', 'approve']);
      await voteAll(committee, twoThirds, ['approve', 'reject', 'approve']);
      await voteAll(committee, oneThird, ['reject', 'approve', 'reject']);
      const closed = await closeRound(committee, round.id);
      const outcomes = Object.fromEntries(closed.outcomes.map((o) => [o.nominationId, o]));
      expect(outcomes[missingVoter]).to.deep.include({ status: 'rejected', reason: 'no_quorum', approvals: 2, eligibleVoters: 3 });
      expect(outcomes[twoThirds]).to.deep.include({ status: 'approved', approvals: 2, rejections: 1 });
      expect(outcomes[oneThird]).to.deep.include({ status: 'rejected', reason: 'not_enough_approvals' });
      expect((await storedTally(missingVoter)).status).to.equal('rejected');
      expect((await storedTally(twoThirds)).status).to.equal('approved');
    });
  });
});
