// Award rounds through the API: who may open, publish and close them, what a round body must hold,
// the award kinds list, paging, and closing under concurrency.
import { expect } from 'chai';
import { translate, type Language, type MessageKey } from '../../server/web/i18n/index.ts';
import { db } from '../support/context.ts';
import { auditRows, createUnit, createUserWithToken } from '../support/factories.ts';
import { api, type ApiResponse } from '../support/http.ts';
import { createCommittee, decisionBody, inDays, individual, openRound, rowCounts, submitted, voteAll, EARLY_CLOSE } from '../support/awards.ts';

function roundBody(issuingUnitId: number, overrides: Record<string, unknown> = {}) {
  return { title: 'Tổng kết công tác dân vận năm 2025', year: 2025, awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId, closesOn: inDays(10), ...overrides };
}

/** The message validate() gives a field, from the catalogs (the label is the field's award label). */
function fieldMessage(language: Language, key: MessageKey, field: string, params: Record<string, unknown> = {}) {
  return translate(language, key, { label: translate(language, `field.award.${field}` as MessageKey), ...params });
}

describe('awards API: rounds', () => {
  describe('who may open a round', () => {
    it('lets the secretary open a round (201), stored with the default rule and audited with the actor', async () => {
      const committee = await createCommittee();
      const response = await api('POST', '/award-rounds', { token: committee.secretary.token, body: roundBody(committee.province.id) });
      expect(response.status).to.equal(201);
      expect(response.body).to.include({ title: 'Tổng kết công tác dân vận năm 2025', year: 2025, awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId: committee.province.id, status: 'open', publicComment: false, decisionSuffix: 'QĐ-UBND' });
      expect(response.body.votingRule).to.deep.equal({ quorumNum: 2, quorumDen: 3, approvalNum: 1, approvalDen: 2, approvalStrict: true, quorum: '2/3', approval: 'more_than_half' });
      const stored = await db().selectFrom('award_rounds').selectAll().where('id', '=', response.body.id).executeTakeFirstOrThrow();
      expect(stored).to.include({ status: 'open', issuing_unit_id: committee.province.id, created_by: committee.secretary.id, quorum_num: 2, quorum_den: 3 });
      const audit = await auditRows('award_round', response.body.id);
      expect(audit).to.have.length(1);
      expect(audit[0]).to.include({ action: 'round.create', actor_user_id: committee.secretary.id });
    });

    it('lets an administrator open a round (201) with its own rule, audited', async () => {
      const committee = await createCommittee();
      const admin = await createUserWithToken({ role: 'admin' });
      const response = await api('POST', '/award-rounds', { token: admin.token, body: roundBody(committee.province.id, { quorum: 'all', approval: 'two_thirds', publicComment: true, decisionSuffix: 'QĐ-CT' }) });
      expect(response.status).to.equal(201);
      expect(response.body.votingRule).to.include({ quorum: 'all', approval: 'two_thirds', approvalStrict: false });
      expect(response.body).to.include({ publicComment: true, decisionSuffix: 'QĐ-CT' });
      const stored = await db().selectFrom('award_rounds').selectAll().where('id', '=', response.body.id).executeTakeFirstOrThrow();
      expect(stored).to.include({ quorum_num: 1, quorum_den: 1, approval_num: 2, approval_den: 3, approval_strict: false, public_comment: true, created_by: admin.id });
      expect((await auditRows('award_round', response.body.id))[0]).to.include({ action: 'round.create', actor_user_id: admin.id });
    });

    for (const role of ['agency', 'member', 'printer'] as const) {
      it(`refuses ${role} staff with 403 and writes nothing`, async () => {
        const committee = await createCommittee();
        const user = await createUserWithToken({ role, unitId: role === 'agency' ? committee.department.id : committee.province.id });
        const before = await rowCounts();
        const response = await api('POST', '/award-rounds', { token: user.token, body: roundBody(committee.province.id) });
        expect(response.status).to.equal(403);
        expect(response.body.error.code).to.equal('forbidden');
        expect(await rowCounts()).to.deep.equal(before);
      });
    }

    it('answers 401 without a token and writes nothing', async () => {
      const committee = await createCommittee();
      const before = await rowCounts();
      const response = await api('POST', '/award-rounds', { body: roundBody(committee.province.id) });
      expect(response.status).to.equal(401);
      expect(response.body.error.code).to.equal('unauthenticated');
      expect(await rowCounts()).to.deep.equal(before);
    });

    it('refuses with 422 a round for an issuing body the secretary does not serve, or an unknown award kind', async () => {
      const committee = await createCommittee();
      const elsewhere = await createUnit({ kind: 'province' });
      const before = await rowCounts();
      const response = await api('POST', '/award-rounds', { token: committee.secretary.token, body: roundBody(elsewhere.id, { awardKind: 'huan_chuong_khong_co' }) });
      expect(response.status).to.equal(422);
      expect(response.body.error.details.map((d: { field: string }) => d.field).sort()).to.deep.equal(['awardKind', 'issuingUnitId']);
      expect(await rowCounts()).to.deep.equal(before);
    });
  });

  describe('validation of a round body', () => {
    const bad = {
      title: '',
      year: 1999,
      awardKind: 'Bằng khen!',
      issuingUnitId: 'abc',
      closesOn: '31/02/2025',
      quorum: 'most',
      approval: 'some',
      publicComment: 'perhaps',
      decisionSuffix: 'QĐ/UBND',
      status: 'closed',
    };

    it('answers 422 naming every bad field, in Vietnamese, and writes nothing', async () => {
      const committee = await createCommittee();
      const before = await rowCounts();
      const response = await api('POST', '/award-rounds', { token: committee.secretary.token, body: bad });
      expect(response.status).to.equal(422);
      expect(response.body.error.code).to.equal('validation_failed');
      const details = Object.fromEntries(response.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
      expect(Object.keys(details).sort()).to.deep.equal(Object.keys(bad).sort());
      expect(details.title).to.equal(fieldMessage('vi', 'validation.required', 'title'));
      expect(details.year).to.equal(fieldMessage('vi', 'validation.min', 'year', { limit: 2000 }));
      expect(details.status).to.equal(fieldMessage('vi', 'validation.unknownField', 'status'));
      expect(details.closesOn).to.equal(fieldMessage('vi', 'validation.date', 'closesOn'));
      expect(details.decisionSuffix).to.equal(fieldMessage('vi', 'validation.pattern.decisionSuffix', 'decisionSuffix'));
      expect(details.title).to.match(/bắt buộc/);
      expect(await rowCounts()).to.deep.equal(before);
    });

    it('answers the same 422 in English when asked', async () => {
      const committee = await createCommittee();
      const response = await api('POST', '/award-rounds', { token: committee.secretary.token, body: bad, language: 'en' });
      expect(response.status).to.equal(422);
      const details = Object.fromEntries(response.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
      expect(Object.keys(details).sort()).to.deep.equal(Object.keys(bad).sort());
      expect(details.title).to.equal(fieldMessage('en', 'validation.required', 'title'));
      expect(details.title).to.match(/is required/);
      expect(details.status).to.equal(fieldMessage('en', 'validation.unknownField', 'status'));
    });

    it('requires title, year, awardKind, issuingUnitId and closesOn', async () => {
      const committee = await createCommittee();
      const response = await api('POST', '/award-rounds', { token: committee.secretary.token, body: {} });
      expect(response.status).to.equal(422);
      expect(response.body.error.details.map((d: { field: string }) => d.field).sort()).to.deep.equal(['awardKind', 'closesOn', 'issuingUnitId', 'title', 'year']);
    });

    it('refuses a year after next year and a title with a bidi override (422)', async () => {
      const committee = await createCommittee();
      const response = await api('POST', '/award-rounds', { token: committee.secretary.token, body: roundBody(committee.province.id, { year: new Date().getFullYear() + 2, title: 'Đợt \u202Eabc' }) });
      expect(response.status).to.equal(422);
      expect(response.body.error.details.map((d: { field: string }) => d.field).sort()).to.deep.equal(['title', 'year']);
    });

    it('refuses a closing date already past (422 date_in_past on closesOn, with any other bad field) and writes nothing; today is accepted', async () => {
      const committee = await createCommittee();
      const before = await rowCounts(['award_rounds', 'audit_log']);
      const response = await api('POST', '/award-rounds', { token: committee.secretary.token, body: roundBody(committee.province.id, { closesOn: inDays(-1), awardKind: 'khong_co' }) });
      expect(response.status).to.equal(422);
      expect(response.body.error.details.map((d: { field: string; reason: string }) => [d.field, d.reason])).to.deep.equal([['closesOn', 'date_in_past'], ['awardKind', 'unknown_reference']]);
      expect(await rowCounts(['award_rounds', 'audit_log'])).to.deep.equal(before);
      const today = await api('POST', '/award-rounds', { token: committee.secretary.token, body: roundBody(committee.province.id, { closesOn: inDays(0) }) });
      expect(today.status).to.equal(201);
    });
  });

  describe('award kinds and round lists', () => {
    it('lists the award kinds as {items, nextCursor, total}, always with the chairman\'s Bằng khen', async () => {
      const member = await createUserWithToken({ role: 'member' });
      const response = await api('GET', '/award-kinds', { token: member.token });
      expect(response.status).to.equal(200);
      expect(response.body).to.have.keys(['items', 'nextCursor', 'total']);
      expect(response.body.total).to.equal(response.body.items.length);
      const kind = response.body.items.find((k: { code: string }) => k.code === 'bang_khen_chu_tich_ubnd_tinh');
      expect(kind).to.include({ code: 'bang_khen_chu_tich_ubnd_tinh' });
      expect(kind.name).to.be.a('string').and.match(/Bằng khen/);
      expect((await api('GET', '/award-kinds')).status).to.equal(401);
    });

    it('pages the rounds with limit and cursor, every round exactly once, with the total', async () => {
      const committee = await createCommittee();
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push((await openRound(committee, { title: `Đợt khen thưởng số ${i + 1}` })).id);
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response: ApiResponse = await api('GET', `/award-rounds?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: committee.secretary.token });
        expect(response.status).to.equal(200);
        expect(response.body.total).to.equal(5);
        expect(response.body.items.length).to.be.at.most(2);
        seen.push(...response.body.items.map((r: { id: number }) => r.id));
        cursor = response.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).to.equal(3);
      expect([...seen].sort((a, b) => a - b)).to.deep.equal([...ids].sort((a, b) => a - b));
    });

    it('refuses a limit above 200 with 422', async () => {
      const committee = await createCommittee();
      const response = await api('GET', '/award-rounds?limit=201', { token: committee.secretary.token });
      expect(response.status).to.equal(422);
      expect(response.body.error.details[0].field).to.equal('limit');
    });

    it('hides a round from a secretary of an unrelated province: 404 and absent from the list', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const stranger = await createCommittee();
      expect((await api('GET', `/award-rounds/${round.id}`, { token: stranger.secretary.token })).status).to.equal(404);
      expect((await api('GET', `/award-rounds/${round.id}`, { token: stranger.agency.token })).status).to.equal(404);
      const list = await api('GET', '/award-rounds?limit=200', { token: stranger.secretary.token });
      expect(list.body.items.map((r: { id: number }) => r.id)).to.not.include(round.id);
      const own = await api('GET', `/award-rounds/${round.id}`, { token: committee.agency.token });
      expect(own.status).to.equal(200);
      expect(own.body.decisions).to.deep.equal([]);
    });
  });

  describe('publishing for public comment', () => {
    it('refuses with 409 to publish a round that does not ask for public comment, and writes nothing', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const before = await rowCounts();
      const response = await api('POST', `/award-rounds/${round.id}/publish`, { token: committee.secretary.token });
      expect(response.status).to.equal(409);
      expect(response.body.error.code).to.equal('conflict');
      expect(await rowCounts()).to.deep.equal(before);
      expect((await db().selectFrom('award_rounds').select('published_at').where('id', '=', round.id).executeTakeFirstOrThrow()).published_at).to.equal(null);
    });

    it('publishes a round that asks for comment once (200, audited), a second time 409; agency 403', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee, { publicComment: true });
      expect((await api('POST', `/award-rounds/${round.id}/publish`, { token: committee.agency.token })).status).to.equal(403);
      const response = await api('POST', `/award-rounds/${round.id}/publish`, { token: committee.secretary.token });
      expect(response.status).to.equal(200);
      expect(response.body.publishedAt).to.be.a('string');
      expect((await db().selectFrom('award_rounds').select('published_at').where('id', '=', round.id).executeTakeFirstOrThrow()).published_at).to.be.instanceOf(Date);
      expect((await auditRows('award_round', round.id)).map((a) => a.action)).to.deep.equal(['round.create', 'round.publish']);
      expect((await api('POST', `/award-rounds/${round.id}/publish`, { token: committee.secretary.token })).status).to.equal(409);
    });
  });

  describe('closing', () => {
    it('lets the secretary close a round (200), audited; a second close answers 409 and writes nothing', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const response = await api('POST', `/award-rounds/${round.id}/close`, { token: committee.secretary.token, body: EARLY_CLOSE });
      expect(response.status).to.equal(200);
      expect(response.body).to.include({ status: 'closed' });
      expect(response.body.outcomes).to.deep.equal([]);
      const stored = await db().selectFrom('award_rounds').select(['status', 'closed_at']).where('id', '=', round.id).executeTakeFirstOrThrow();
      expect(stored.status).to.equal('closed');
      expect(stored.closed_at).to.be.instanceOf(Date);
      const audit = await auditRows('award_round', round.id);
      expect(audit.map((a) => a.action)).to.deep.equal(['round.create', 'round.close']);
      expect(audit[1]!.actor_user_id).to.equal(committee.secretary.id);

      const before = await rowCounts();
      const again = await api('POST', `/award-rounds/${round.id}/close`, { token: committee.secretary.token, body: EARLY_CLOSE });
      expect(again.status).to.equal(409);
      expect(again.body.error.code).to.equal('conflict');
      expect(await rowCounts()).to.deep.equal(before);
    });

    it('lets an administrator close a round (200)', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const admin = await createUserWithToken({ role: 'admin' });
      const response = await api('POST', `/award-rounds/${round.id}/close`, { token: admin.token, body: EARLY_CLOSE });
      expect(response.status).to.equal(200);
      expect((await auditRows('award_round', round.id)).at(-1)).to.include({ action: 'round.close', actor_user_id: admin.id });
    });

    it('refuses agency staff, members and printers (403) and anonymous callers (401); the round stays open', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const printer = await createUserWithToken({ role: 'printer', unitId: committee.province.id });
      for (const token of [committee.agency.token, committee.members[0]!.token, printer.token]) {
        const response = await api('POST', `/award-rounds/${round.id}/close`, { token });
        expect(response.status).to.equal(403);
      }
      expect((await api('POST', `/award-rounds/${round.id}/close`)).status).to.equal(401);
      expect((await db().selectFrom('award_rounds').select('status').where('id', '=', round.id).executeTakeFirstOrThrow()).status).to.equal('open');
      expect(await auditRows('award_round', round.id)).to.have.length(1);
    });

    it('answers 404 to a secretary of an unrelated province closing the round', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const stranger = await createCommittee();
      expect((await api('POST', `/award-rounds/${round.id}/close`, { token: stranger.secretary.token, body: EARLY_CLOSE })).status).to.equal(404);
    });

    it('gives exactly one 200 to 20 concurrent closes, the others 409, and decides each nomination once', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const nomination = await submitted(committee, individual(round.id, committee.department.id));
      const responses = await Promise.all(Array.from({ length: 20 }, () => api('POST', `/award-rounds/${round.id}/close`, { token: committee.secretary.token, body: EARLY_CLOSE })));
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).to.have.length(1);
      expect(statuses.filter((s) => s === 409)).to.have.length(19);
      expect((await auditRows('award_round', round.id)).filter((a) => a.action === 'round.close')).to.have.length(1);
      const stored = await db().selectFrom('nominations').select(['status', 'eligible_voters']).where('id', '=', nomination).executeTakeFirstOrThrow();
      expect(stored).to.deep.equal({ status: 'rejected', eligible_voters: 3 });
    });
  });
});

describe('awards API: closing on purpose, and reopening', function () {
  this.timeout(60_000);

  it('refuses to close a round still taking nominations (409 round_still_open) unless early with a reason (422 without one); the reason is audited', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Lâm Văn Tài' }));
    const before = await rowCounts(['award_rounds', 'nominations', 'audit_log']);
    const plain = await api('POST', `/award-rounds/${round.id}/close`, { token: committee.secretary.token });
    expect(plain.status).to.equal(409);
    expect(plain.body.error.reason).to.equal('round_still_open');
    const reasonless = await api('POST', `/award-rounds/${round.id}/close`, { token: committee.secretary.token, body: { early: true } });
    expect(reasonless.status).to.equal(422);
    expect(reasonless.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['reason']);
    expect(await rowCounts(['award_rounds', 'nominations', 'audit_log'])).to.deep.equal(before);

    const closed = await api('POST', `/award-rounds/${round.id}/close`, { token: committee.secretary.token, body: EARLY_CLOSE });
    expect(closed.status).to.equal(200);
    const audit = await db().selectFrom('audit_log').select('after').where('action', '=', 'round.close').where('entity_id', '=', String(round.id)).executeTakeFirstOrThrow();
    expect(audit.after).to.deep.include({ status: 'closed', early: true, reason: EARLY_CLOSE.reason });
    expect((await db().selectFrom('nominations').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).to.equal('rejected');
  });

  it('closes a round past its closing date without asking', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    await db().updateTable('award_rounds').set({ closes_on: inDays(-1) }).where('id', '=', round.id).execute();
    expect((await api('POST', `/award-rounds/${round.id}/close`, { token: committee.secretary.token })).status).to.equal(200);
  });

  it('reopens a closed round without a decision: outcomes undone, votes kept, audited with the reason; the committee votes on and closes again', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Mạc Thị Uyên' }));
    await voteAll(committee, id, ['approve']);
    await api('POST', `/award-rounds/${round.id}/close`, { token: committee.secretary.token, body: EARLY_CLOSE });
    expect((await db().selectFrom('nominations').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'no quorum').to.equal('rejected');

    const reasonless = await api('POST', `/award-rounds/${round.id}/reopen`, { token: committee.secretary.token, body: {} });
    expect(reasonless.status).to.equal(422);
    const reopened = await api('POST', `/award-rounds/${round.id}/reopen`, { token: committee.secretary.token, body: { reason: 'Hai thành viên chưa kịp biểu quyết' } });
    expect(reopened.status, JSON.stringify(reopened.body)).to.equal(200);
    expect(reopened.body.status).to.equal('open');
    const stored = await db().selectFrom('nominations').select(['status', 'approvals', 'eligible_voters', 'decided_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored).to.deep.equal({ status: 'submitted', approvals: null, eligible_voters: null, decided_at: null });
    expect(await db().selectFrom('votes').select('vote').where('nomination_id', '=', id).execute()).to.have.length(1);
    const audit = await db().selectFrom('audit_log').select(['after', 'actor_user_id']).where('action', '=', 'round.reopen').where('entity_id', '=', String(round.id)).executeTakeFirstOrThrow();
    expect(audit).to.deep.equal({ actor_user_id: committee.secretary.id, after: { status: 'open', reason: 'Hai thành viên chưa kịp biểu quyết', nominationIds: [id] } });

    await voteAll(committee, id, ['approve', 'approve', 'approve']);
    const again = await api('POST', `/award-rounds/${round.id}/close`, { token: committee.secretary.token, body: EARLY_CLOSE });
    expect(again.body.outcomes).to.deep.equal([{ nominationId: id, status: 'approved', reason: 'approved', approvals: 3, rejections: 0, eligibleVoters: 3 }]);
  });

  it('keeps a round closed once a decision names it (409 round_decided), an open one (409 round_not_closed), and answers 404 to another body\'s secretary', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const open = await api('POST', `/award-rounds/${round.id}/reopen`, { token: committee.secretary.token, body: { reason: 'Mở lại để xét tiếp' } });
    expect(open.status).to.equal(409);
    expect(open.body.error.reason).to.equal('round_not_closed');
    const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Tôn Nữ Vy' }));
    await voteAll(committee, id, ['approve', 'approve']);
    await api('POST', `/award-rounds/${round.id}/close`, { token: committee.secretary.token, body: EARLY_CLOSE });
    expect((await api('POST', `/award-rounds/${round.id}/reopen`, { token: (await createCommittee()).secretary.token, body: { reason: 'Mở lại để xét tiếp' } })).status).to.equal(404);
    expect((await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, [id]) })).status).to.equal(201);
    const before = await rowCounts(['award_rounds', 'nominations', 'audit_log']);
    const decided = await api('POST', `/award-rounds/${round.id}/reopen`, { token: committee.secretary.token, body: { reason: 'Mở lại để xét tiếp' } });
    expect(decided.status).to.equal(409);
    expect(decided.body.error.reason).to.equal('round_decided');
    expect(await rowCounts(['award_rounds', 'nominations', 'audit_log'])).to.deep.equal(before);
  });
});
