// Units scored by the same criteria sets (a commune's "Chính quyền thân thiện" standard reviewed by
// the province): the commune's staff write its self-assessment (same rules, a draft until sent, one
// per unit, never counted), committee members score the units (never their own), the results rank
// the units with the self-assessment beside. Other units see nothing of it. Each refusal writes nothing.
import { expect } from 'chai';
import { db } from '../support/context.ts';
import { api } from '../support/http.ts';
import { createCommittee, seatOnCommittee, type Committee } from '../support/awards.ts';
import { auditRows, createUnit, createUserWithToken } from '../support/factories.ts';
import { completedModel, createSet, CRITERIA } from '../support/evaluation.ts';

const scores = (tc1: number, tc2: number, tc3: number) => [{ code: 'TC1', score: tc1, comment: 'Có biên bản tiếp dân' }, { code: 'TC2', score: tc2 }, { code: 'TC3', score: tc3 }];
const reasons = (body: { error: { details: { field: string; reason: string }[] } }) => body.error.details.map((d) => `${d.field}:${d.reason}`);
const evaluationsOf = (setId: number) => db().selectFrom('evaluations').selectAll().where('set_id', '=', setId).orderBy('id').execute();

describe('evaluation by criteria: units and their self-assessment (API)', function () {
  this.timeout(60_000);
  let committee: Committee;
  let communeA: { id: number; name: string };
  let communeB: { id: number; name: string };
  let clerkA: { id: number; token: string };
  let setId: number;

  before(async function () {
    this.timeout(60_000);
    committee = await createCommittee({ members: 3 });
    communeA = await createUnit({ parentId: committee.province.id, kind: 'commune', name: 'Xã Tân Thử Nghiệm' });
    communeB = await createUnit({ parentId: committee.province.id, kind: 'commune', name: 'Phường Đông Thử Nghiệm' });
    clerkA = await createUserWithToken({ role: 'agency', unitId: communeA.id, fullName: 'Văn phòng xã Tân Thử Nghiệm' });
    const created = await api('POST', '/criteria-sets', {
      token: committee.secretary.token,
      body: { title: 'Bộ tiêu chí xã, phường đạt chuẩn "Chính quyền thân thiện" năm 2025', year: 2025, issuingUnitId: committee.province.id, threshold: 80, criteria: CRITERIA, subject: 'units', unitKinds: ['commune'] },
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body).to.deep.include({ subject: 'units', unitKinds: ['commune'], scale: 100 });
    setId = created.body.id;
  });

  it('refuses a set that scores something else, naming the field', async () => {
    const bad = await api('POST', '/criteria-sets', { token: committee.secretary.token, body: { title: 'Bộ tiêu chí sai', year: 2025, issuingUnitId: committee.province.id, threshold: 10, criteria: CRITERIA, subject: 'people', unitKinds: ['village'] } });
    expect(bad.status).to.equal(422);
    expect(reasons(bad.body)).to.deep.equal(['subject:not_allowed_value', 'unitKinds.0:not_allowed_value']);
  });

  it('lets a commune assess itself: every criterion within its maximum, a draft until sent, then final; audited on the unit; its work queue says so until sent', async () => {
    const queue = async (token: string) => ((await api('GET', '/me/tasks', { token })).body.items as { kind: string; count: number; href: string }[]).find((task) => task.kind === 'self_assessments_to_send');
    expect(await queue(clerkA.token)).to.deep.equal({ kind: 'self_assessments_to_send', count: 1, href: `/criteria-sets/${setId}/self-assessment` });
    expect((await queue(committee.agency.token))!.count, 'the department is not a commune').to.equal(0);
    const list = await api('GET', '/criteria-sets', { token: clerkA.token });
    expect(list.body.items.map((item: { id: number }) => item.id)).to.include(setId);
    expect((await api('GET', `/criteria-sets/${setId}`, { token: clerkA.token })).status).to.equal(200);

    const bad = await api('PUT', `/criteria-sets/${setId}/self-assessment`, { token: clerkA.token, body: { scores: [{ code: 'TC1', score: 31 }, { code: 'TC2', score: 20 }] } });
    expect(bad.status).to.equal(422);
    expect(reasons(bad.body)).to.deep.equal(['scores.0.score:too_large', 'scores.TC3:required']);
    expect(await evaluationsOf(setId)).to.have.length(0);

    const draft = await api('PUT', `/criteria-sets/${setId}/self-assessment`, { token: clerkA.token, body: { scores: scores(28, 35, 20) } });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(200);
    expect(draft.body).to.deep.equal({ setId, unitId: communeA.id, status: 'draft', total: 83 });
    const sent = await api('PUT', `/criteria-sets/${setId}/self-assessment`, { token: clerkA.token, body: { scores: scores(28, 36.5, 25), submit: true } });
    expect(sent.body).to.deep.equal({ setId, unitId: communeA.id, status: 'submitted', total: 89.5 });
    expect((await queue(clerkA.token))!.count, 'sent: nothing waits').to.equal(0);

    // A colleague of the same commune finds the one self-assessment, already sent.
    const colleague = await createUserWithToken({ role: 'agency', unitId: communeA.id });
    const again = await api('PUT', `/criteria-sets/${setId}/self-assessment`, { token: colleague.token, body: { scores: scores(30, 40, 30), submit: true } });
    expect(again.status).to.equal(409);
    expect(again.body.error.reason).to.equal('evaluation_submitted');
    const read = await api('GET', `/criteria-sets/${setId}/self-assessment`, { token: colleague.token });
    expect(read.body).to.deep.include({ unitId: communeA.id, status: 'submitted', total: 89.5 });
    expect(read.body.scores[0]).to.deep.equal({ code: 'TC1', score: 28, comment: 'Có biên bản tiếp dân' });

    const rows = await evaluationsOf(setId);
    expect(rows.map((row) => [row.unit_id, row.model_id, row.self_assessment, row.status, row.total])).to.deep.equal([[communeA.id, null, true, 'submitted', '89.50']]);
    expect((await auditRows('unit', communeA.id)).map((row) => row.action)).to.deep.equal(['evaluation.self_draft', 'evaluation.self_submit']);
  });

  it('shows a unit nothing of the others: no results, no member work, no other set; a unit the set does not score cannot assess itself', async () => {
    expect((await api('GET', `/criteria-sets/${setId}/results`, { token: clerkA.token })).status).to.equal(404);
    expect((await api('GET', `/criteria-sets/${setId}/scoresheet.xlsx`, { token: clerkA.token })).status).to.equal(404);
    expect((await api('PUT', `/criteria-sets/${setId}/unit-scores/${communeB.id}`, { token: clerkA.token, body: { scores: scores(1, 1, 1) } })).status).to.equal(404);
    // The department is an agency, not a commune: the set does not score it.
    expect((await api('PUT', `/criteria-sets/${setId}/self-assessment`, { token: committee.agency.token, body: { scores: scores(1, 1, 1) } })).status).to.equal(404);
    const stranger = await createCommittee();
    const strangerCommune = await createUnit({ parentId: stranger.province.id, kind: 'commune' });
    const strangerClerk = await createUserWithToken({ role: 'agency', unitId: strangerCommune.id });
    expect((await api('GET', `/criteria-sets/${setId}`, { token: strangerClerk.token })).status).to.equal(404);
    expect((await api('PUT', `/criteria-sets/${setId}/self-assessment`, { token: strangerClerk.token, body: { scores: scores(1, 1, 1) } })).status).to.equal(404);
    // A set that scores models has no self-assessment.
    const models = await api('POST', '/criteria-sets', { token: committee.secretary.token, body: { title: 'Bộ tiêu chí mô hình 2025', year: 2025, issuingUnitId: committee.province.id, threshold: 50, criteria: CRITERIA } });
    expect(models.body.subject).to.equal('models');
    expect((await api('GET', `/criteria-sets/${models.body.id}`, { token: clerkA.token })).status).to.equal(404);
    expect((await api('PUT', `/criteria-sets/${models.body.id}/unit-scores/${communeA.id}`, { token: committee.members[0]!.token, body: { scores: scores(1, 1, 1) } })).status).to.equal(404);
    expect((await evaluationsOf(setId)).length).to.equal(1);
  });

  it('scores, in a set of models, only the models of the kinds of unit it names (the communes\' models)', async () => {
    const ofCommune = await completedModel(committee, 'Tổ tự quản đường làng', clerkA.token, communeA.id);
    const ofDepartment = await completedModel(committee, 'Trường học thân thiện');
    const set = await createSet(committee, { title: 'Bộ tiêu chí mô hình cấp xã 2025', unitKinds: ['commune'] });
    const results = await api('GET', `/criteria-sets/${set.id}/results`, { token: committee.secretary.token });
    const ids = results.body.items.map((item: { modelId: number }) => item.modelId);
    expect(ids).to.include(ofCommune);
    expect(ids).not.to.include(ofDepartment);
  });

  it('has members score the units (never their own, never after standing aside), and ranks them with the self-assessment beside, not counted', async () => {
    const [first, second, third] = committee.members;
    const fromCommuneB = await createUserWithToken({ role: 'member', unitId: communeB.id, fullName: 'Thành viên ở phường' });
    await seatOnCommittee(committee.province.id, [fromCommuneB.id]);

    const work = await api('GET', `/criteria-sets/${setId}/results`, { token: first!.token });
    expect(work.body.items.map((item: { unitId: number }) => item.unitId)).to.have.members([communeA.id, communeB.id]);

    const own = await api('PUT', `/criteria-sets/${setId}/unit-scores/${communeB.id}`, { token: fromCommuneB.token, body: { scores: scores(30, 40, 30), submit: true } });
    expect(own.status).to.equal(403);
    expect(own.body.error.reason).to.equal('own_unit_score');
    // Scores of a unit by the model route: this set scores units.
    expect((await api('PUT', `/criteria-sets/${setId}/scores/${communeA.id}`, { token: first!.token, body: { scores: scores(1, 1, 1) } })).status).to.equal(404);

    for (const [member, a, b] of [[first!, scores(25, 35, 22), scores(20, 30, 20)], [second!, scores(24, 34, 22), scores(21, 31, 20)]] as const) {
      expect((await api('PUT', `/criteria-sets/${setId}/unit-scores/${communeA.id}`, { token: member.token, body: { scores: a, submit: true } })).status).to.equal(200);
      const saved = await api('PUT', `/criteria-sets/${setId}/unit-scores/${communeB.id}`, { token: member.token, body: { scores: b, submit: true } });
      expect(saved.body).to.deep.include({ unitId: communeB.id, status: 'submitted' });
    }
    const aside = await api('POST', `/criteria-sets/${setId}/unit-recusals/${communeA.id}`, { token: third!.token, body: { reason: 'Vợ tôi là cán bộ của xã' } });
    expect(aside.status).to.equal(201);
    expect(aside.body).to.deep.include({ setId, unitId: communeA.id });
    const afterAside = await api('PUT', `/criteria-sets/${setId}/unit-scores/${communeA.id}`, { token: third!.token, body: { scores: scores(30, 40, 30), submit: true } });
    expect(afterAside.status).to.equal(409);
    expect(afterAside.body.error.reason).to.equal('recused');

    const results = await api('GET', `/criteria-sets/${setId}/results`, { token: committee.secretary.token });
    expect(results.status).to.equal(200);
    // A: 82 and 80 → 81 (the self-assessment's 89,5 is beside, not in it); B: 70 and 72 → 71.
    expect(results.body.items).to.deep.equal([
      { unitId: communeA.id, title: 'Xã Tân Thử Nghiệm', code: results.body.items[0].code, parentName: 'Tỉnh thử nghiệm', evaluators: 2, average: 81, spread: 2, meetsThreshold: true, rank: 1, selfAssessment: 89.5 },
      { unitId: communeB.id, title: 'Phường Đông Thử Nghiệm', code: results.body.items[1].code, parentName: 'Tỉnh thử nghiệm', evaluators: 2, average: 71, spread: 2, meetsThreshold: false, rank: 2, selfAssessment: null },
    ]);
    const rows = await evaluationsOf(setId);
    expect(rows.filter((row) => !row.self_assessment).map((row) => [row.unit_id, row.model_id])).to.deep.equal([[communeA.id, null], [communeB.id, null], [communeA.id, null], [communeB.id, null]]);
    expect((await auditRows('unit', communeB.id)).map((row) => row.action)).to.deep.equal(['evaluation.submit', 'evaluation.submit']);
    expect((await auditRows('unit', communeA.id)).map((row) => row.action)).to.include('evaluation.recuse');
    // Units are not models: nothing to recognise.
    const recognise = await api('POST', `/criteria-sets/${setId}/recognitions`, { token: committee.secretary.token, body: {} });
    expect(recognise.body).to.deep.equal({ recognised: [] });
  });
});
