// Nominations through the API: who may nominate, what a nomination body must hold, duplicates,
// the moves a nomination may (not) make, returning and resubmitting, and who sees what.
import { expect } from 'chai';
import { translate, type Language, type MessageKey } from '../../server/web/i18n/index.ts';
import { db } from '../support/context.ts';
import { auditRows, createUnit, createUserWithToken } from '../support/factories.ts';
import { api, type ApiResponse } from '../support/http.ts';
import { attachRequiredFiles, closeRound, collective, createCommittee, inDays, individual, openRound, rowCounts, submitted, type Committee } from '../support/awards.ts';

function fieldMessage(language: Language, key: MessageKey, field: string, params: Record<string, unknown> = {}) {
  return translate(language, key, { label: translate(language, `field.award.${field}` as MessageKey), ...params });
}

const fields = (response: { body: { error: { details: { field: string }[] } } }) => response.body.error.details.map((d) => d.field).sort();

async function createDraft(committee: Committee, body: Record<string, unknown>, token = committee.agency.token): Promise<number> {
  const response = await api('POST', '/nominations', { token, body });
  if (response.status !== 201) throw new Error(`draft not created: ${JSON.stringify(response.body)}`);
  return response.body.id;
}

async function storedNomination(id: number) {
  return db().selectFrom('nominations').selectAll().where('id', '=', id).executeTakeFirst();
}

async function registerModel(token: string, unitId: number, title: string): Promise<number> {
  const response = await api('POST', '/models', { token, body: { title, unitId, year: 2024, fieldCode: 'nong_thon_moi', kind: 'model', summary: 'Vận động nhân dân hiến đất làm đường giao thông nông thôn.' } });
  if (response.status !== 201) throw new Error(`model not registered: ${JSON.stringify(response.body)}`);
  return response.body.id;
}

describe('awards API: nominations', () => {
  describe('who may nominate', () => {
    it('lets agency staff create a draft for their unit (201), stored with its key and audited', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const response = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id) });
      expect(response.status).to.equal(201);
      expect(response.body).to.include({ roundId: round.id, unitId: committee.department.id, nomineeKind: 'individual', nomineeName: 'Nguyễn Thị Lan', gender: 'female', birthYear: 1980, position: 'Phó Trưởng phòng', status: 'draft', tally: null, decisionId: null });
      expect(response.body.modelIds).to.deep.equal([]);
      const stored = await storedNomination(response.body.id);
      expect(stored).to.include({ status: 'draft', nominee_key: 'nguyễn thị lan', created_by: committee.agency.id, unit_id: committee.department.id });
      const audit = await auditRows('nomination', response.body.id);
      expect(audit).to.have.length(1);
      expect(audit[0]).to.include({ action: 'nomination.create', actor_user_id: committee.agency.id });
    });

    it('lets an administrator nominate for any unit (201)', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const admin = await createUserWithToken({ role: 'admin' });
      const response = await api('POST', '/nominations', { token: admin.token, body: collective(round.id, committee.otherDepartment.id) });
      expect(response.status).to.equal(201);
      expect((await auditRows('nomination', response.body.id))[0]).to.include({ action: 'nomination.create', actor_user_id: admin.id });
    });

    for (const role of ['secretary', 'member', 'printer'] as const) {
      it(`refuses ${role} staff with 403 and writes nothing`, async () => {
        const committee = await createCommittee();
        const round = await openRound(committee);
        const user = role === 'secretary' ? committee.secretary : role === 'member' ? committee.members[0]! : await createUserWithToken({ role, unitId: committee.province.id });
        const before = await rowCounts();
        const response = await api('POST', '/nominations', { token: user.token, body: individual(round.id, committee.department.id) });
        expect(response.status).to.equal(403);
        expect(response.body.error.code).to.equal('forbidden');
        expect(await rowCounts()).to.deep.equal(before);
      });
    }

    it('answers 401 to an anonymous caller on every nomination route', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await createDraft(committee, individual(round.id, committee.department.id));
      const before = await rowCounts();
      expect((await api('POST', '/nominations', { body: individual(round.id, committee.department.id, { nomineeName: 'Lê Văn Tám' }) })).status).to.equal(401);
      expect((await api('GET', '/nominations')).status).to.equal(401);
      expect((await api('GET', `/nominations/${id}`)).status).to.equal(401);
      expect((await api('PATCH', `/nominations/${id}`, { body: { position: 'Trưởng phòng' } })).status).to.equal(401);
      expect((await api('POST', `/nominations/${id}/submit`)).status).to.equal(401);
      expect((await api('POST', `/nominations/${id}/return`, { body: { reason: 'Thiếu biên bản họp' } })).status).to.equal(401);
      expect((await api('POST', `/nominations/${id}/votes`, { body: { vote: 'approve' } })).status).to.equal(401);
      expect(await rowCounts()).to.deep.equal(before);
    });

    it('refuses with 422 (unitId) a nomination for a unit outside the agency\'s own', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const before = await rowCounts();
      const response = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.otherDepartment.id) });
      expect(response.status).to.equal(422);
      expect(fields(response)).to.deep.equal(['unitId']);
      expect(await rowCounts()).to.deep.equal(before);
    });

    it('refuses with 422 (roundId) a nomination to a round of an unrelated province', async () => {
      const committee = await createCommittee();
      const stranger = await createCommittee();
      const round = await openRound(stranger);
      const response = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id) });
      expect(response.status).to.equal(422);
      expect(fields(response)).to.deep.equal(['roundId']);
    });
  });

  describe('validation of a nomination body', () => {
    const bad = (roundId: number, unitId: number) => ({
      roundId: 'một',
      nomineeKind: 'group',
      unitId: 0,
      nomineeName: 'A',
      position: 'x'.repeat(201),
      gender: 'other',
      birthYear: new Date().getFullYear() - 10,
      achievement: 'Tốt',
      modelIds: Array.from({ length: 21 }, (_, i) => i + 1),
      status: 'approved',
      registerNumber: 7,
      _unused: [roundId, unitId],
    });

    it('answers 422 naming every bad field (unknown keys status and registerNumber too), in Vietnamese, and writes nothing', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const body = bad(round.id, committee.department.id);
      const before = await rowCounts();
      const response = await api('POST', '/nominations', { token: committee.agency.token, body });
      expect(response.status).to.equal(422);
      expect(response.body.error.code).to.equal('validation_failed');
      expect(fields(response)).to.deep.equal(Object.keys(body).sort());
      const details = Object.fromEntries(response.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
      expect(details.status).to.equal(fieldMessage('vi', 'validation.unknownField', 'status'));
      expect(details.registerNumber).to.equal(translate('vi', 'validation.unknownField', { label: 'registerNumber' }));
      expect(details.nomineeName).to.equal(fieldMessage('vi', 'validation.tooShort', 'nomineeName', { limit: 2 }));
      expect(details.achievement).to.equal(fieldMessage('vi', 'validation.tooShort', 'achievement', { limit: 10 }));
      expect(details.position).to.equal(fieldMessage('vi', 'validation.tooLong', 'position', { limit: 200 }));
      // A refused choice names the choices by their labels (the reason stays not_allowed_value).
      expect(details.gender).to.equal('Giới tính: chọn một trong Nữ, Nam.');
      expect(details.nomineeKind).to.equal(`${translate('vi', 'field.award.nomineeKind')}: chọn một trong Tập thể, Cá nhân.`);
      expect(response.body.error.details.find((d: { field: string }) => d.field === 'gender').reason).to.equal('not_allowed_value');
      expect(await rowCounts()).to.deep.equal(before);
    });

    it('answers the same 422 in English when asked', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const body = bad(round.id, committee.department.id);
      const response = await api('POST', '/nominations', { token: committee.agency.token, body, language: 'en' });
      expect(response.status).to.equal(422);
      expect(fields(response)).to.deep.equal(Object.keys(body).sort());
      const details = Object.fromEntries(response.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
      expect(details.status).to.equal(fieldMessage('en', 'validation.unknownField', 'status'));
      expect(details.nomineeName).to.equal(fieldMessage('en', 'validation.tooShort', 'nomineeName', { limit: 2 }));
      expect(details.gender).to.equal('Gender: choose one of Female, Male.');
    });

    it('requires roundId, nomineeKind, unitId, nomineeName and achievement', async () => {
      const committee = await createCommittee();
      const response = await api('POST', '/nominations', { token: committee.agency.token, body: {} });
      expect(response.status).to.equal(422);
      expect(fields(response)).to.deep.equal(['achievement', 'nomineeKind', 'nomineeName', 'roundId', 'unitId']);
    });

    it('requires gender, birthYear and position of an individual (absent or null), and writes nothing', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const before = await rowCounts();
      const { gender: _g, birthYear: _b, position: _p, ...withoutDetails } = individual(round.id, committee.department.id);
      const missing = await api('POST', '/nominations', { token: committee.agency.token, body: withoutDetails });
      expect(missing.status).to.equal(422);
      expect(fields(missing)).to.deep.equal(['birthYear', 'gender', 'position']);
      const details = Object.fromEntries(missing.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
      expect(details.gender).to.equal(fieldMessage('vi', 'validation.required', 'gender'));
      const nulls = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id, { gender: null, birthYear: null, position: null }) });
      expect(nulls.status).to.equal(422);
      expect(fields(nulls)).to.deep.equal(['birthYear', 'gender', 'position']);
      expect(await rowCounts()).to.deep.equal(before);
    });

    it('accepts a collective without gender, birth year or position, and drops them when a form sent them', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const response = await api('POST', '/nominations', { token: committee.agency.token, body: collective(round.id, committee.department.id, { gender: 'male', birthYear: 1970, position: 'Trưởng phòng' }) });
      expect(response.status).to.equal(201);
      expect(await storedNomination(response.body.id)).to.include({ gender: null, birth_year: null, position: null, nominee_kind: 'collective' });
    });

    it('refuses a name with a zero-width character and stores names as NFC', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const hidden = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id, { nomineeName: 'Nguyễn\u200B Văn An' }) });
      expect(hidden.status).to.equal(422);
      expect(fields(hidden)).to.deep.equal(['nomineeName']);
      const nfd = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id, { nomineeName: 'Nguyễn Văn An'.normalize('NFD') }) });
      expect(nfd.status).to.equal(201);
      expect((await storedNomination(nfd.body.id))!.nominee_name).to.equal('Nguyễn Văn An'.normalize('NFC'));
    });

    it('refuses a PATCH with an unknown key (status) or nothing to change (422), changing nothing', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await createDraft(committee, individual(round.id, committee.department.id));
      const before = await rowCounts();
      const sneaky = await api('PATCH', `/nominations/${id}`, { token: committee.agency.token, body: { status: 'approved', roundId: round.id, birthYear: 1800 } });
      expect(sneaky.status).to.equal(422);
      expect(fields(sneaky)).to.deep.equal(['birthYear', 'roundId', 'status']);
      expect((await api('PATCH', `/nominations/${id}`, { token: committee.agency.token, body: {} })).status).to.equal(422);
      expect(await rowCounts()).to.deep.equal(before);
      expect((await storedNomination(id))!.status).to.equal('draft');
    });
  });

  describe('cited models', () => {
    it('records models of the unit\'s own scope and shows them', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const model = await registerModel(committee.agency.token, committee.department.id, 'Dân vận khéo trong dạy học vùng sâu');
      const response = await api('POST', '/nominations', { token: committee.agency.token, body: collective(round.id, committee.department.id, { modelIds: [model] }) });
      expect(response.status).to.equal(201);
      expect(response.body.modelIds).to.deep.equal([model]);
      const rows = await db().selectFrom('nomination_models').select('model_id').where('nomination_id', '=', response.body.id).execute();
      expect(rows.map((r) => r.model_id)).to.deep.equal([model]);
      const shown = await api('GET', `/nominations/${response.body.id}`, { token: committee.agency.token });
      expect(shown.body.modelIds).to.deep.equal([model]);
    });

    it('refuses with 422 (modelIds) a nomination citing another unit\'s model, and writes nothing', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const foreign = await registerModel(committee.otherAgency.token, committee.otherDepartment.id, 'Dân vận khéo trong khám chữa bệnh');
      const before = await rowCounts();
      const response = await api('POST', '/nominations', { token: committee.agency.token, body: collective(round.id, committee.department.id, { modelIds: [foreign] }) });
      expect(response.status).to.equal(422);
      expect(fields(response)).to.deep.equal(['modelIds']);
      expect(await rowCounts()).to.deep.equal(before);
    });
  });

  describe('duplicate nominees', () => {
    it('refuses the same person in the same round with another case, extra spaces or NFD (409, field nomineeName), writing nothing', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      await createDraft(committee, individual(round.id, committee.department.id, { nomineeName: 'Nguyễn Văn Ánh' }));
      for (const spelling of ['NGUYỄN VĂN ÁNH', '  Nguyễn   Văn  Ánh ', 'Nguyễn Văn Ánh'.normalize('NFD'), 'nguyễn văn ánh'.normalize('NFD')]) {
        const before = await rowCounts();
        const response = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id, { nomineeName: spelling }) });
        expect(response.status, spelling).to.equal(409);
        expect(response.body.error.code).to.equal('conflict');
        expect(response.body.error.message).to.equal(translate('vi', 'awards.duplicateNominee'));
        expect(await rowCounts()).to.deep.equal(before);
      }
      // Another unit of the same province may not put the same person forward either.
      const other = await api('POST', '/nominations', { token: committee.otherAgency.token, body: individual(round.id, committee.otherDepartment.id, { nomineeName: 'nguyễn văn ánh' }) });
      expect(other.status).to.equal(409);
    });

    it('names the field nomineeName in the 409 answer to a duplicate', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      await createDraft(committee, individual(round.id, committee.department.id, { nomineeName: 'Trần Thị Hoa' }));
      const response = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id, { nomineeName: 'TRẦN THỊ HOA' }) });
      expect(response.status).to.equal(409);
      expect(response.body.error.details?.map((d: { field: string }) => d.field)).to.deep.equal(['nomineeName']);
    });

    it('accepts the same name in another round, and as a collective vs an individual in the same round', async () => {
      const committee = await createCommittee();
      const first = await openRound(committee);
      const second = await openRound(committee, { title: 'Đợt khen thưởng chuyên đề 2025' });
      await createDraft(committee, individual(first.id, committee.department.id, { nomineeName: 'Nguyễn Văn Ánh' }));
      expect((await api('POST', '/nominations', { token: committee.agency.token, body: individual(second.id, committee.department.id, { nomineeName: 'Nguyễn Văn Ánh' }) })).status).to.equal(201);
      expect((await api('POST', '/nominations', { token: committee.agency.token, body: collective(first.id, committee.department.id, { nomineeName: 'Nguyễn Văn Ánh' }) })).status).to.equal(201);
    });

    it('refuses renaming a nomination (PATCH) to a nominee already in the round with 409', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      await createDraft(committee, individual(round.id, committee.department.id, { nomineeName: 'Võ Thị Sáu' }));
      const id = await createDraft(committee, individual(round.id, committee.department.id, { nomineeName: 'Lê Văn Tám' }));
      const response = await api('PATCH', `/nominations/${id}`, { token: committee.agency.token, body: { nomineeName: 'VÕ THỊ SÁU' } });
      expect(response.status).to.equal(409);
      expect((await storedNomination(id))!.nominee_name).to.equal('Lê Văn Tám');
    });

    it('gives exactly one 201 to 10 concurrent identical nominations, the others 409', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const body = individual(round.id, committee.department.id, { nomineeName: 'Phạm Thị Đồng thời' });
      const responses = await Promise.all(Array.from({ length: 10 }, () => api('POST', '/nominations', { token: committee.agency.token, body })));
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).to.deep.equal([201, ...Array(9).fill(409)]);
      const rows = await db().selectFrom('nominations').select('id').where('round_id', '=', round.id).execute();
      expect(rows).to.have.length(1);
      expect(await auditRows('nomination', rows[0]!.id)).to.have.length(1);
    });
  });

  describe('moves', () => {
    it('submits a draft (200), stamped and audited; a second submit answers 409 and writes nothing', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await createDraft(committee, individual(round.id, committee.department.id));
      await attachRequiredFiles(id);
      const response = await api('POST', `/nominations/${id}/submit`, { token: committee.agency.token });
      expect(response.status).to.equal(200);
      expect(response.body.status).to.equal('submitted');
      expect(response.body.submittedAt).to.be.a('string');
      expect(await storedNomination(id)).to.include({ status: 'submitted' });
      expect((await auditRows('nomination', id)).map((a) => a.action)).to.deep.equal(['nomination.create', 'nomination.submit']);
      const before = await rowCounts();
      await attachRequiredFiles(id);
      const again = await api('POST', `/nominations/${id}/submit`, { token: committee.agency.token });
      expect(again.status).to.equal(409);
      expect(again.body.error.code).to.equal('conflict');
      expect(await rowCounts()).to.deep.equal(before);
    });

    it('refuses to return a draft (409)', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await createDraft(committee, individual(round.id, committee.department.id));
      // The secretary does not see drafts at all (404); an administrator sees it, and is refused by the status.
      const admin = await createUserWithToken({ role: 'admin' });
      const response = await api('POST', `/nominations/${id}/return`, { token: admin.token, body: { reason: 'Thiếu biên bản họp xét' } });
      expect(response.status).to.equal(409);
      expect((await storedNomination(id))!.status).to.equal('draft');
      expect((await auditRows('nomination', id)).map((a) => a.action)).to.deep.equal(['nomination.create']);
    });

    it('refuses to edit a submitted nomination (409) and keeps it as it was', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id));
      const before = await rowCounts();
      const response = await api('PATCH', `/nominations/${id}`, { token: committee.agency.token, body: { position: 'Trưởng phòng' } });
      expect(response.status).to.equal(409);
      expect(await rowCounts()).to.deep.equal(before);
      expect((await storedNomination(id))!.position).to.equal('Phó Trưởng phòng');
    });

    it('refuses to submit a draft once the round is closed (409)', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await createDraft(committee, individual(round.id, committee.department.id));
      await closeRound(committee, round.id);
      await attachRequiredFiles(id);
      const response = await api('POST', `/nominations/${id}/submit`, { token: committee.agency.token });
      expect(response.status).to.equal(409);
      expect((await storedNomination(id))!.status).to.equal('draft');
      const late = await api('POST', '/nominations', { token: committee.agency.token, body: collective(round.id, committee.department.id) });
      expect(late.status).to.equal(409);
    });

    it('refuses nominations to a round whose closing date has passed (409), on create and on submit', async () => {
      const committee = await createCommittee();
      const past = await openRound(committee);
      await db().updateTable('award_rounds').set({ closes_on: inDays(-1) }).where('id', '=', past.id).execute();
      const before = await rowCounts();
      const create = await api('POST', '/nominations', { token: committee.agency.token, body: individual(past.id, committee.department.id) });
      expect(create.status).to.equal(409);
      expect(await rowCounts()).to.deep.equal(before);

      const round = await openRound(committee);
      const id = await createDraft(committee, individual(round.id, committee.department.id));
      await db().updateTable('award_rounds').set({ closes_on: inDays(-1) }).where('id', '=', round.id).execute();
      await attachRequiredFiles(id);
      const submit = await api('POST', `/nominations/${id}/submit`, { token: committee.agency.token });
      expect(submit.status).to.equal(409);
      expect((await storedNomination(id))!.status).to.equal('draft');
    });

    it('gives exactly one 200 to 50 concurrent submits of one nomination, the others 409, with one audit row', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await createDraft(committee, individual(round.id, committee.department.id));
      await attachRequiredFiles(id);
      const responses = await Promise.all(Array.from({ length: 50 }, () => api('POST', `/nominations/${id}/submit`, { token: committee.agency.token })));
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).to.have.length(1);
      expect(statuses.filter((s) => s === 409)).to.have.length(49);
      expect((await auditRows('nomination', id)).filter((a) => a.action === 'nomination.submit')).to.have.length(1);
    });
  });

  describe('returning a nomination', () => {
    it('goes back to its unit with the reason; the unit sees it, fixes it and resubmits', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id));
      const reason = 'Thiếu biên bản họp xét của đơn vị';
      const returned = await api('POST', `/nominations/${id}/return`, { token: committee.secretary.token, body: { reason } });
      expect(returned.status).to.equal(200);
      expect(returned.body).to.include({ status: 'returned', returnReason: reason });
      expect(await storedNomination(id)).to.include({ status: 'returned', return_reason: reason });
      const returnAudit = (await auditRows('nomination', id)).at(-1)!;
      expect(returnAudit).to.include({ action: 'nomination.return', actor_user_id: committee.secretary.id });

      const seen = await api('GET', `/nominations/${id}`, { token: committee.agency.token });
      expect(seen.body).to.include({ status: 'returned', returnReason: reason });

      const fixed = await api('PATCH', `/nominations/${id}`, { token: committee.agency.token, body: { achievement: 'Đã có thành tích xuất sắc, có biên bản họp xét kèm theo', position: 'Trưởng phòng' } });
      expect(fixed.status).to.equal(200);
      expect(fixed.body).to.include({ status: 'returned', position: 'Trưởng phòng' });
      expect((await auditRows('nomination', id)).at(-1)).to.include({ action: 'nomination.update', actor_user_id: committee.agency.id });

      await attachRequiredFiles(id);
      const again = await api('POST', `/nominations/${id}/submit`, { token: committee.agency.token });
      expect(again.status).to.equal(200);
      expect(again.body).to.include({ status: 'submitted', returnReason: null });
      expect(await storedNomination(id)).to.include({ status: 'submitted', return_reason: null, position: 'Trưởng phòng' });
      expect((await auditRows('nomination', id)).map((a) => a.action)).to.deep.equal(['nomination.create', 'nomination.submit', 'nomination.return', 'nomination.update', 'nomination.submit']);
    });

    it('lets an administrator return a nomination (200)', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id));
      const admin = await createUserWithToken({ role: 'admin' });
      const response = await api('POST', `/nominations/${id}/return`, { token: admin.token, body: { reason: 'Thiếu báo cáo thành tích' } });
      expect(response.status).to.equal(200);
      expect((await auditRows('nomination', id)).at(-1)).to.include({ action: 'nomination.return', actor_user_id: admin.id });
    });

    it('refuses agency staff and members returning a nomination (403), and changes nothing', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id));
      const before = await rowCounts();
      for (const token of [committee.agency.token, committee.members[0]!.token]) {
        expect((await api('POST', `/nominations/${id}/return`, { token, body: { reason: 'Thiếu biên bản họp xét' } })).status).to.equal(403);
      }
      expect(await rowCounts()).to.deep.equal(before);
      expect((await storedNomination(id))!.status).to.equal('submitted');
    });

    it('refuses a return body without a reason, too short, or with unknown keys (422 naming each), changing nothing', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id));
      const before = await rowCounts();
      const missing = await api('POST', `/nominations/${id}/return`, { token: committee.secretary.token, body: { status: 'draft' } });
      expect(missing.status).to.equal(422);
      expect(fields(missing)).to.deep.equal(['reason', 'status']);
      const details = Object.fromEntries(missing.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
      expect(details.reason).to.equal(fieldMessage('vi', 'validation.required', 'reason'));
      const short = await api('POST', `/nominations/${id}/return`, { token: committee.secretary.token, body: { reason: 'ít' }, language: 'en' });
      expect(short.status).to.equal(422);
      expect(short.body.error.details).to.deep.equal([{ field: 'reason', reason: 'too_short', message: fieldMessage('en', 'validation.tooShort', 'reason', { limit: 5 }) }]);
      expect(await rowCounts()).to.deep.equal(before);
      expect((await storedNomination(id))!.status).to.equal('submitted');
    });
  });

  describe('who sees which nomination', () => {
    it('answers 404 to an agency of another department on GET, PATCH and submit, and never lists it', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const id = await createDraft(committee, individual(round.id, committee.department.id));
      const before = await rowCounts();
      const token = committee.otherAgency.token;
      expect((await api('GET', `/nominations/${id}`, { token })).status).to.equal(404);
      expect((await api('PATCH', `/nominations/${id}`, { token, body: { position: 'Giám đốc' } })).status).to.equal(404);
      expect((await api('POST', `/nominations/${id}/submit`, { token })).status).to.equal(404);
      expect(await rowCounts()).to.deep.equal(before);
      const list = await api('GET', `/nominations?roundId=${round.id}`, { token });
      expect(list.status).to.equal(200);
      expect(list.body).to.deep.include({ items: [], total: 0, nextCursor: null });
      await attachRequiredFiles(id);
      await api('POST', `/nominations/${id}/submit`, { token: committee.agency.token });
      expect((await api('GET', `/nominations/${id}`, { token })).status, 'still 404 once submitted').to.equal(404);
      expect((await api('GET', `/nominations?roundId=${round.id}`, { token })).body.total).to.equal(0);
    });

    it('hides the units\' drafts from the secretary and members (404, not listed) but shows submitted ones', async () => {
      const committee = await createCommittee({ memberInDepartment: true });
      const round = await openRound(committee);
      const draft = await createDraft(committee, individual(round.id, committee.department.id, { nomineeName: 'Hồ Thị Nháp' }));
      const sent = await submitted(committee, collective(round.id, committee.department.id));
      for (const user of [committee.secretary, ...committee.members]) {
        expect((await api('GET', `/nominations/${draft}`, { token: user.token })).status, `${user.username} on a draft`).to.equal(404);
        expect((await api('GET', `/nominations/${sent}`, { token: user.token })).status, `${user.username} on a submitted one`).to.equal(200);
        const list = await api('GET', `/nominations?roundId=${round.id}`, { token: user.token });
        expect(list.body.items.map((n: { id: number }) => n.id), user.username).to.deep.equal([sent]);
        expect(list.body.total).to.equal(1);
      }
      expect((await api('POST', `/nominations/${draft}/return`, { token: committee.secretary.token, body: { reason: 'Thử trả lại bản nháp' } })).status).to.equal(404);
    });

    it('hides a round\'s nominations from users of an unrelated province', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const sent = await submitted(committee, collective(round.id, committee.department.id));
      const stranger = await createCommittee();
      for (const user of [stranger.secretary, stranger.members[0]!, stranger.agency]) {
        expect((await api('GET', `/nominations/${sent}`, { token: user.token })).status).to.equal(404);
        const list = await api('GET', `/nominations?roundId=${round.id}`, { token: user.token });
        expect(list.body.total).to.equal(0);
      }
      expect((await api('POST', `/nominations/${sent}/votes`, { token: stranger.members[0]!.token, body: { vote: 'approve' } })).status).to.equal(404);
    });

    it('lets an agency of a parent unit see its sub-units\' nominations', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const school = await createUnit({ parentId: committee.department.id, name: 'Trường THPT Thử nghiệm' });
      const id = await createDraft(committee, collective(round.id, school.id, { nomineeName: 'Trường THPT Thử nghiệm' }));
      const schoolStaff = await createUserWithToken({ role: 'agency', unitId: school.id });
      expect((await api('GET', `/nominations/${id}`, { token: committee.agency.token })).status).to.equal(200);
      expect((await api('GET', `/nominations/${id}`, { token: schoolStaff.token })).status).to.equal(200);
    });

    it('pages the nominations with limit and cursor, every row once, and filters by status', async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      const ids: number[] = [];
      for (let i = 0; i < 7; i++) ids.push(await createDraft(committee, collective(round.id, committee.department.id, { nomineeName: `Tổ dân vận số ${i + 1}` })));
      await attachRequiredFiles(ids[0]!);
      await api('POST', `/nominations/${ids[0]}/submit`, { token: committee.agency.token });
      const seen: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const response: ApiResponse = await api('GET', `/nominations?roundId=${round.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: committee.agency.token });
        expect(response.status).to.equal(200);
        expect(response.body).to.have.keys(['items', 'nextCursor', 'total']);
        expect(response.body.total).to.equal(7);
        seen.push(...response.body.items.map((n: { id: number }) => n.id));
        cursor = response.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).to.equal(3);
      expect(seen).to.deep.equal(ids);
      const drafts = await api('GET', `/nominations?roundId=${round.id}&status=draft`, { token: committee.agency.token });
      expect(drafts.body.total).to.equal(6);
      expect((await api('GET', `/nominations?status=won`, { token: committee.agency.token })).status).to.equal(422);
    });
  });
});
