// Evaluation by criteria through the API: a body's set of criteria with a score scale, the members'
// scores (every criterion, within its maximum; a draft until submitted; never a model of one's own
// unit; recusal), the results' arithmetic to two decimals, and recognising in one step the completed
// models that reach the threshold, with their result as the reason. Each refusal writes nothing.
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { ctx } from '../support/context.ts';
import { db } from '../support/context.ts';
import { api, Browser } from '../support/http.ts';
import { collective, createCommittee, openRound, type Committee } from '../support/awards.ts';
import { auditRows, createUserWithToken, TEST_PASSWORD } from '../support/factories.ts';
import { completedModel, createSet, CRITERIA } from '../support/evaluation.ts';

const scores = (tc1: number, tc2: number, tc3: number) => [{ code: 'TC1', score: tc1 }, { code: 'TC2', score: tc2, comment: 'Lợi ích rõ' }, { code: 'TC3', score: tc3 }];
const evaluationsOf = (setId: number) => db().selectFrom('evaluations').selectAll().where('set_id', '=', setId).execute();

describe('evaluation by criteria (API)', function () {
  this.timeout(60_000);
  let committee: Committee;

  before(async function () {
    this.timeout(60_000);
    committee = await createCommittee({ members: 4, memberInDepartment: true });
  });

  it('creates a set with its criteria and scale, audited; refuses duplicate codes, a threshold over the scale and bad fields at once, writing nothing', async () => {
    const set = await createSet(committee);
    const read = await api('GET', `/criteria-sets/${set.id}`, { token: committee.members[0]!.token });
    expect(read.status).to.equal(200);
    expect(read.body).to.deep.include({ year: 2025, issuingUnitId: committee.province.id, threshold: 75, scale: 100 });
    expect(read.body.criteria).to.deep.equal(CRITERIA.map((c) => ({ ...c })));
    expect((await auditRows('criteria_set', set.id)).map((row) => row.action)).to.deep.equal(['criteria_set.create']);

    const before = (await db().selectFrom('criteria_sets').select('id').execute()).length;
    const bad = await api('POST', '/criteria-sets', {
      token: committee.secretary.token,
      body: { title: 'X', year: 2025, issuingUnitId: committee.province.id, threshold: 150, criteria: [CRITERIA[0], { ...CRITERIA[1], code: 'tc1' }, { code: 'TC9', name: 'Điểm âm', maxScore: -5 }] },
    });
    expect(bad.status).to.equal(422);
    const fields = bad.body.error.details.map((d: { field: string; reason: string }) => `${d.field}:${d.reason}`);
    expect(fields).to.include.members(['title:too_short', 'criteria.2.maxScore:too_small']);
    const semantic = await api('POST', '/criteria-sets', { token: committee.secretary.token, body: { title: 'Bộ tiêu chí lặp mã', year: 2025, issuingUnitId: committee.province.id, threshold: 150, criteria: [CRITERIA[0], { ...CRITERIA[1], code: 'tc1' }] } });
    expect(semantic.status).to.equal(422);
    expect(semantic.body.error.details.map((d: { field: string; reason: string }) => `${d.field}:${d.reason}`)).to.deep.equal(['criteria.1.code:not_unique', 'threshold:too_large']);
    expect((await db().selectFrom('criteria_sets').select('id').execute()).length).to.equal(before);
    expect((await api('POST', '/criteria-sets', { token: committee.members[0]!.token, body: {} })).status).to.equal(403);
    const stranger = await createCommittee();
    expect((await api('GET', `/criteria-sets/${set.id}`, { token: stranger.secretary.token })).status).to.equal(404);
  });

  it('scores: every criterion within its maximum, all bad ones named; a draft until submitted, then final; never one\'s own unit\'s model', async () => {
    const set = await createSet(committee);
    const model = await completedModel(committee, 'Dân vận khéo trong hiến đất làm đường');
    const [first] = committee.members;
    const over = await api('PUT', `/criteria-sets/${set.id}/scores/${model}`, { token: first!.token, body: { scores: [{ code: 'TC1', score: 31 }, { code: 'TC2', score: -1 }] } });
    expect(over.status).to.equal(422);
    expect(over.body.error.details.map((d: { field: string; reason: string }) => `${d.field}:${d.reason}`)).to.deep.equal(['scores.1.score:too_small']);
    const incomplete = await api('PUT', `/criteria-sets/${set.id}/scores/${model}`, { token: first!.token, body: { scores: [{ code: 'TC1', score: 31 }, { code: 'TC2', score: 20 }] } });
    expect(incomplete.body.error.details.map((d: { field: string; reason: string }) => `${d.field}:${d.reason}`)).to.deep.equal(['scores.0.score:too_large', 'scores.TC3:required']);
    expect(incomplete.body.error.details[0].message).to.equal('Điểm tiêu chí TC1 không được vượt 30.');
    const unknown = await api('PUT', `/criteria-sets/${set.id}/scores/${model}`, { token: first!.token, body: { scores: [...scores(1, 1, 1), { code: 'TC7', score: 1 }] } });
    expect(unknown.body.error.details.map((d: { field: string; reason: string }) => `${d.field}:${d.reason}`)).to.deep.equal(['scores.3.code:unknown_reference']);
    expect(await evaluationsOf(set.id)).to.deep.equal([]);

    const draft = await api('PUT', `/criteria-sets/${set.id}/scores/${model}`, { token: first!.token, body: { scores: scores(20, 30.5, 25) } });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(200);
    expect(draft.body).to.deep.equal({ setId: set.id, modelId: model, status: 'draft', total: 75.5 });
    const again = await api('PUT', `/criteria-sets/${set.id}/scores/${model}`, { token: first!.token, body: { scores: scores(20, 30, 25), submit: true } });
    expect(again.body).to.include({ status: 'submitted', total: 75 });
    const [stored] = await evaluationsOf(set.id);
    expect(stored).to.include({ status: 'submitted', total: '75.00', evaluator_id: first!.id });
    const rows = await db().selectFrom('evaluation_scores').select(['score', 'comment']).where('evaluation_id', '=', stored!.id).execute();
    expect(rows.map((row) => Number(row.score))).to.have.members([20, 30, 25]);
    expect((await auditRows('model', model)).map((row) => row.action)).to.include.members(['evaluation.draft', 'evaluation.submit']);
    const final = await api('PUT', `/criteria-sets/${set.id}/scores/${model}`, { token: first!.token, body: { scores: scores(30, 40, 30) } });
    expect(final.status).to.equal(409);
    expect(final.body.error.reason).to.equal('evaluation_submitted');

    const own = committee.members[3]!; // sits in the model's department
    const refused = await api('PUT', `/criteria-sets/${set.id}/scores/${model}`, { token: own.token, body: { scores: scores(30, 40, 30) } });
    expect(refused.status).to.equal(403);
    expect(refused.body.error.reason).to.equal('own_unit_score');
    expect((await api('PUT', `/criteria-sets/${set.id}/scores/${model}`, { token: committee.secretary.token, body: { scores: scores(1, 1, 1) } })).body.error.reason).to.equal('members_only');
    const offCommittee = await createUserWithToken({ role: 'member', unitId: committee.province.id });
    expect((await api('PUT', `/criteria-sets/${set.id}/scores/${model}`, { token: offCommittee.token, body: { scores: scores(1, 1, 1) } })).body.error.reason).to.equal('not_on_committee');
    expect((await evaluationsOf(set.id)).length).to.equal(1);
  });

  it('takes no scores outside the set\'s window (409)', async () => {
    const set = await createSet(committee, { opensOn: '2025-01-01', closesOn: '2025-01-31' });
    const model = await completedModel(committee, 'Mô hình chấm trễ hạn');
    const late = await api('PUT', `/criteria-sets/${set.id}/scores/${model}`, { token: committee.members[0]!.token, body: { scores: scores(10, 10, 10) } });
    expect(late.status).to.equal(409);
    expect(late.body.error.reason).to.equal('evaluation_closed');
    expect(await evaluationsOf(set.id)).to.deep.equal([]);
    const order = await api('POST', '/criteria-sets', { token: committee.secretary.token, body: { title: 'Bộ tiêu chí sai ngày', year: 2025, issuingUnitId: committee.province.id, threshold: 1, criteria: CRITERIA, opensOn: '2025-03-01', closesOn: '2025-02-01' } });
    expect(order.body.error.details.map((d: { field: string; reason: string }) => `${d.field}:${d.reason}`)).to.deep.equal(['closesOn:date_order']);
  });

  it('a member who stands aside (with a reason) cannot score the model; the draft is dropped', async () => {
    const set = await createSet(committee);
    const model = await completedModel(committee, 'Tổ tự quản an ninh trật tự');
    const member = committee.members[1]!;
    await api('PUT', `/criteria-sets/${set.id}/scores/${model}`, { token: member.token, body: { scores: scores(10, 10, 10) } });
    expect((await api('POST', `/criteria-sets/${set.id}/recusals/${model}`, { token: member.token, body: { reason: 'a' } })).status).to.equal(422);
    const recused = await api('POST', `/criteria-sets/${set.id}/recusals/${model}`, { token: member.token, body: { reason: 'Vợ tôi là tổ trưởng của mô hình' } });
    expect(recused.status).to.equal(201);
    expect(await evaluationsOf(set.id)).to.deep.equal([]);
    const scored = await api('PUT', `/criteria-sets/${set.id}/scores/${model}`, { token: member.token, body: { scores: scores(10, 10, 10) } });
    expect(scored.status).to.equal(409);
    expect(scored.body.error.reason).to.equal('recused');
    expect((await auditRows('model', model)).map((row) => row.action)).to.include('evaluation.recuse');
  });

  it('computes results from submitted scores: the mean of totals to two decimals (half up), the spread, the threshold, the rank', async () => {
    const set = await createSet(committee, { threshold: 75.5 });
    const a = await completedModel(committee, 'Mô hình A: chợ an toàn');
    const b = await completedModel(committee, 'Mô hình B: đường hoa');
    const c = await completedModel(committee, 'Mô hình C: nhà văn hóa');
    const [m1, m2, m3] = committee.members;
    const put = (member: typeof m1, model: number, s: ReturnType<typeof scores>, submit = true) => api('PUT', `/criteria-sets/${set.id}/scores/${model}`, { token: member!.token, body: { scores: s, submit } });
    // A: 80 + 70.25 + 76 = 226.25 / 3 = 75.41666… → 75.42 (below 75.5); spread 9.75.
    await put(m1, a, scores(25, 30, 25));
    await put(m2, a, scores(20.25, 30, 20));
    await put(m3, a, scores(26, 30, 20));
    // B: 80.01 + 71 = 151.01 / 2 = 75.505 → 75.51 (half up: reaches 75.5).
    await put(m1, b, scores(25.01, 30, 25));
    await put(m2, b, scores(21, 30, 20));
    await put(m3, b, scores(30, 40, 30), false); // a draft counts for nothing
    const results = await api('GET', `/criteria-sets/${set.id}/results`, { token: committee.secretary.token });
    expect(results.status).to.equal(200);
    const row = (id: number) => results.body.items.find((item: { modelId: number }) => item.modelId === id);
    expect(row(b)).to.deep.include({ evaluators: 2, average: 75.51, spread: 9.01, meetsThreshold: true, rank: 1 });
    expect(row(a)).to.deep.include({ evaluators: 3, average: 75.42, spread: 9.75, meetsThreshold: false, rank: 2 });
    expect(row(c)).to.deep.include({ evaluators: 0, average: null, spread: null, meetsThreshold: false, rank: null });
    // Best first; models nobody scored yet (this committee's other tests' too) come last.
    expect(results.body.items.map((item: { modelId: number }) => item.modelId).filter((id: number) => [a, b, c].includes(id))).to.deep.equal([b, a, c]);
    expect((await api('GET', `/criteria-sets/${set.id}/results`, { token: committee.agency.token })).status).to.equal(404);
  });

  it('recognises in one step the completed models that reach the threshold, the result kept as the reason; copies the set to next year', async () => {
    const set = await createSet(committee, { threshold: 60 });
    const good = await completedModel(committee, 'Mô hình đạt: dân vận khéo xây cầu');
    const weak = await completedModel(committee, 'Mô hình chưa đạt: sân chơi thiếu nhi');
    for (const member of committee.members.slice(0, 2)) {
      await api('PUT', `/criteria-sets/${set.id}/scores/${good}`, { token: member.token, body: { scores: scores(25, 35, 25), submit: true } });
      await api('PUT', `/criteria-sets/${set.id}/scores/${weak}`, { token: member.token, body: { scores: scores(10, 20, 10), submit: true } });
    }
    expect((await api('POST', `/criteria-sets/${set.id}/recognitions`, { token: committee.members[0]!.token, body: {} })).status).to.equal(403);
    const done = await api('POST', `/criteria-sets/${set.id}/recognitions`, { token: committee.secretary.token, body: {} });
    expect(done.status, JSON.stringify(done.body)).to.equal(200);
    expect(done.body.recognised).to.deep.equal([{ modelId: good, average: 85, note: 'Đạt 85/100 điểm theo Bộ tiêu chí mô hình "Dân vận khéo" năm 2025 (2 thành viên chấm; xếp thứ 1).' }]);
    const models = await db().selectFrom('models').select(['id', 'status']).where('id', 'in', [good, weak]).orderBy('id').execute();
    expect(models).to.deep.equal([{ id: good, status: 'recognized' }, { id: weak, status: 'completed' }]);
    const report = await db().selectFrom('model_reports').selectAll().where('model_id', '=', good).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(report).to.include({ from_status: 'completed', to_status: 'recognized', created_by: committee.secretary.id });
    expect(report.note).to.contain('Đạt 85/100 điểm');
    expect((await api('POST', `/criteria-sets/${set.id}/recognitions`, { token: committee.secretary.token, body: {} })).body.recognised, 'a second time: nothing left').to.deep.equal([]);

    // The year's report gains a section on evaluation by criteria.
    const summary = await api('GET', `/reports/summary?year=2025&unitId=${committee.department.id}`, { token: committee.secretary.token });
    expect(summary.status).to.equal(200);
    expect(summary.body.evaluation.evaluated).to.be.at.least(2);
    expect(summary.body.evaluation.recognized).to.be.at.least(1);
    const field = summary.body.evaluation.byField.find((row: { code: string }) => row.code === 'nong_thon_moi');
    expect(field).to.include({ name: 'Xây dựng nông thôn mới' });
    expect(field.averagePercent).to.be.a('number');

    // A nomination citing the model shows its result.
    const round = await openRound(committee);
    const nomination = await api('POST', '/nominations', { token: committee.agency.token, body: collective(round.id, committee.department.id, { nomineeName: `Tập thể mô hình ${good}`, modelIds: [good] }) });
    expect(nomination.status, JSON.stringify(nomination.body)).to.equal(201);
    const cited = await api('GET', `/nominations/${nomination.body.id}`, { token: committee.agency.token });
    expect(cited.body.models[0].evaluation).to.deep.equal({ criteriaSet: 'Bộ tiêu chí mô hình "Dân vận khéo" năm 2025', average: 85, scale: 100 });
    const browser = new Browser();
    await browser.login(committee.agency.username, TEST_PASSWORD);
    expect((await browser.get(`/nominations/${nomination.body.id}`)).html).to.contain('Kết quả chấm: 85/100 điểm (Bộ tiêu chí mô hình &quot;Dân vận khéo&quot; năm 2025)');

    const copy = await api('POST', `/criteria-sets/${set.id}/copy`, { token: committee.secretary.token, body: { year: 2026 } });
    expect(copy.status).to.equal(201);
    expect(copy.body).to.deep.include({ year: 2026, title: 'Bộ tiêu chí mô hình "Dân vận khéo" năm 2026', threshold: 60, scale: 100, copiedFromId: set.id });
    expect(copy.body.criteria.map((c: { code: string }) => c.code)).to.deep.equal(['TC1', 'TC2', 'TC3']);
  });

  it('round-trips the scoring sheet: downloaded with the models to score, filled offline, sent back all or none with every bad cell named', async () => {
    const set = await createSet(committee);
    const first = await completedModel(committee, 'Mô hình bảng chấm một');
    const second = await completedModel(committee, 'Mô hình bảng chấm hai');
    const member = committee.members[2]!;
    const download = await fetch(`${ctx().baseUrl}/api/v1/criteria-sets/${set.id}/scoresheet.xlsx`, { headers: { authorization: `Bearer ${member.token}` } });
    expect(download.status).to.equal(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await download.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).to.deep.equal([undefined, 'Mã mô hình', 'Tên mô hình', 'Đơn vị', 'TC1 (tối đa 30)', 'TC2 (tối đa 40)', 'TC3 (tối đa 30)']);
    const codes = await db().selectFrom('models').select(['id', 'code']).where('id', 'in', [first, second]).execute();
    const rowOf = (modelId: number) => { let found = 0; sheet.eachRow((row, number) => { if (row.getCell(1).value === codes.find((c) => c.id === modelId)!.code) found = number; }); return found; };
    const [r1, r2] = [rowOf(first), rowOf(second)];
    expect(r1).to.be.greaterThan(1);
    expect(r2).to.be.greaterThan(1);
    const send = async (fill: (ws: ExcelJS.Worksheet) => void, submit = false) => {
      fill(sheet);
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(await workbook.xlsx.writeBuffer())]), 'bang-cham.xlsx');
      const response = await fetch(`${ctx().baseUrl}/api/v1/criteria-sets/${set.id}/scoresheet${submit ? '?submit=1' : ''}`, { method: 'POST', headers: { authorization: `Bearer ${member.token}` }, body: form });
      return { status: response.status, body: await response.json() };
    };
    const bad = await send((ws) => {
      ws.getRow(r1).getCell(4).value = 25; ws.getRow(r1).getCell(5).value = 'nhiều'; ws.getRow(r1).getCell(6).value = 20;
      ws.getRow(r2).getCell(4).value = 31; ws.getRow(r2).getCell(5).value = 30;
    });
    expect(bad.status).to.equal(422);
    expect(bad.body.error.details.map((d: { field: string; reason: string }) => `${d.field}:${d.reason}`)).to.deep.equal([[r1, 'TC2:not_a_number'], [r2, 'TC1:too_large'], [r2, 'TC3:required']].sort((a, b) => Number(a[0]) - Number(b[0])).map(([line, rest]) => `rows.${line}.${rest}`));
    expect(await evaluationsOf(set.id), 'all or none').to.deep.equal([]);

    const good = await send((ws) => {
      ws.getRow(r1).getCell(5).value = '35,5';
      ws.getRow(r2).getCell(4).value = 28; ws.getRow(r2).getCell(6).value = 27;
    }, true);
    expect(good.status, JSON.stringify(good.body)).to.equal(200);
    expect(good.body.saved).to.have.deep.members([{ modelId: first, status: 'submitted', total: 80.5 }, { modelId: second, status: 'submitted', total: 85 }]);
    expect((await evaluationsOf(set.id)).map((row) => [row.model_id, row.status, row.total])).to.have.deep.members([[first, 'submitted', '80.50'], [second, 'submitted', '85.00']]);
  });
});
