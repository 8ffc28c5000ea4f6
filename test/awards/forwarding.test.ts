// Dossiers going up a level (issue 17, API.md Levels): a commune's secretariat forwards what its
// committee approved to an open round of the province; the province reviews, returns, votes and
// decides; both sides see the outcome. Each step is checked in the answer, the rows and the audit
// log, and every refusal writes nothing.
import { expect } from 'chai';
import { attachRequiredFiles, closeRound, decisionBody, individual, openRound, pdfBytes, rowCounts, submitted, uploadDossierFile, voteAll, downloadBytes } from '../support/awards.ts';
import { db } from '../support/context.ts';
import { auditRows, createUserWithToken } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { approvedBelow, createLevels, forward, type Levels } from '../support/levels.ts';

const TABLES = ['nominations', 'nomination_models', 'nomination_files', 'nomination_file_contents', 'votes', 'decisions', 'audit_log'];

async function writesNothing<T>(send: () => Promise<T>): Promise<T> {
  const before = await rowCounts(TABLES);
  const answer = await send();
  expect(await rowCounts(TABLES), 'rows written by a refused forward').to.deep.equal(before);
  return answer;
}

/** A commune nomination with a cited model and a dossier file, approved by the commune's committee (2 of 3). */
async function approvedWithDossier(levels: Levels, name: string) {
  const { lower } = levels;
  const model = await api('POST', '/models', {
    token: lower.agency.token,
    body: { title: `Dân vận khéo trong trường học ${name}`, unitId: lower.department.id, year: 2025, fieldCode: 'nong_thon_moi', kind: 'model', summary: 'Vận động phụ huynh góp công sửa sân trường.' },
  });
  expect(model.status).to.equal(201);
  const round = await openRound(lower, { title: 'Khen thưởng Dân vận khéo cấp xã năm 2025', awardKind: 'giay_khen' });
  const created = await api('POST', '/nominations', { token: lower.agency.token, body: individual(round.id, lower.department.id, { nomineeName: name, modelIds: [model.body.id] }) });
  expect(created.status).to.equal(201);
  const file = pdfBytes(`Báo cáo thành tích của ${name}`);
  expect((await uploadDossierFile(lower.agency.token, created.body.id, { name: 'bao-cao-thanh-tich.pdf', content: file, kind: 'achievement_report' })).status).to.equal(201);
  await attachRequiredFiles(created.body.id);
  expect((await api('POST', `/nominations/${created.body.id}/submit`, { token: lower.agency.token })).status).to.equal(200);
  await voteAll(lower, created.body.id, ['approve', 'approve', 'reject']);
  await closeRound(lower, round.id);
  return { lowerRoundId: round.id, id: created.body.id as number, modelId: model.body.id as number, file };
}

describe('awards API: forwarding up a level', function () {
  this.timeout(60_000);

  it('sends an approved commune nomination to the province round with its models, files and the commune tally; audited on both sides', async () => {
    const levels = await createLevels();
    const upperRound = await openRound(levels.upper);
    const lower = await approvedWithDossier(levels, 'Nguyễn Thị Thu Hà');

    const answer = await forward(levels.lower.secretary.token, lower.id, upperRound.id);
    expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
    const twin = answer.body;
    expect(twin).to.include({ roundId: upperRound.id, status: 'submitted', nomineeName: 'Nguyễn Thị Thu Hà', unitId: levels.lower.department.id, forwardedFromId: lower.id, forwardingUnitId: levels.lower.province.id });
    expect(twin.lowerTally).to.deep.equal({ approvals: 2, rejections: 1, eligibleVoters: 3 });
    expect(twin.forwardedAt).to.be.a('string');

    // The province sees it with its models and a copy of the file, bytes and all.
    const seen = await api('GET', `/nominations/${twin.id}`, { token: levels.upper.secretary.token });
    expect(seen.status).to.equal(200);
    expect(seen.body.modelIds).to.deep.equal([lower.modelId]);
    // The commune's dossier: the report uploaded here and the proposal the checklist asked for, all copied.
    expect(seen.body.files.map((f: { kind: string }) => f.kind).sort()).to.deep.equal(['achievement_report', 'proposal']);
    const report = seen.body.files.find((f: { kind: string }) => f.kind === 'achievement_report');
    expect(report).to.include({ fileName: 'bao-cao-thanh-tich.pdf' });
    const copy = await downloadBytes(levels.upper.secretary.token, `/nominations/${twin.id}/files/${report.id}`);
    expect(copy.status).to.equal(200);
    expect(copy.bytes.equals(lower.file)).to.equal(true);

    // The commune sees where it went.
    const below = await api('GET', `/nominations/${lower.id}`, { token: levels.lower.secretary.token });
    expect(below.body.status).to.equal('approved');
    expect(below.body.forwardedToId).to.equal(twin.id);
    expect(below.body.forwardedTo).to.deep.include({ id: twin.id, roundId: upperRound.id, status: 'submitted', returnReason: null, decisionNumber: null });

    const stored = await db().selectFrom('nominations').selectAll().where('id', '=', twin.id).executeTakeFirstOrThrow();
    expect(stored).to.include({ forwarded_from_id: lower.id, forwarding_unit_id: levels.lower.province.id, created_by: levels.lower.secretary.id, return_reason: null });
    const sent = await auditRows('nomination', lower.id);
    expect(sent.at(-1)).to.deep.include({ action: 'nomination.forward', actor_user_id: levels.lower.secretary.id });
    expect(sent.at(-1)!.after).to.deep.equal({ forwardedToId: twin.id, roundId: upperRound.id });
    const received = await auditRows('nomination', twin.id);
    expect(received.map((row) => row.action)).to.deep.equal(['nomination.received']);
    expect(received[0]!.after).to.deep.equal({ forwardedFromId: lower.id, roundId: upperRound.id, status: 'submitted' });
  });

  it('walks the dossier up: returned by the province, fixed and sent again by the commune, approved and decided, the decision seen on both sides', async () => {
    const levels = await createLevels();
    const upperRound = await openRound(levels.upper);
    const lower = await approvedWithDossier(levels, 'Trần Văn Bình');
    const twinId = (await forward(levels.lower.secretary.token, lower.id, upperRound.id)).body.id as number;

    const returned = await api('POST', `/nominations/${twinId}/return`, { token: levels.upper.secretary.token, body: { reason: 'Bổ sung biên bản họp Hội đồng xã' } });
    expect(returned.status, JSON.stringify(returned.body)).to.equal(200);
    const below = await api('GET', `/nominations/${lower.id}`, { token: levels.lower.secretary.token });
    expect(below.body.forwardedTo).to.deep.include({ status: 'returned', returnReason: 'Bổ sung biên bản họp Hội đồng xã' });

    // The school cannot touch it now; the commune's secretariat fixes it and sends it again.
    expect((await api('PATCH', `/nominations/${twinId}`, { token: levels.lower.agency.token, body: { position: 'Hiệu trưởng' } })).status).to.equal(403);
    const fixed = await uploadDossierFile(levels.lower.secretary.token, twinId, { name: 'bien-ban-hop.pdf', content: pdfBytes('Biên bản họp Hội đồng'), kind: 'minutes' });
    expect(fixed.status, JSON.stringify(fixed.body)).to.equal(201);
    const patched = await api('PATCH', `/nominations/${twinId}`, { token: levels.lower.secretary.token, body: { position: 'Hiệu trưởng' } });
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    const again = await forward(levels.lower.secretary.token, lower.id, upperRound.id);
    expect(again.status, JSON.stringify(again.body)).to.equal(200);
    expect(again.body).to.include({ id: twinId, status: 'submitted', returnReason: null, position: 'Hiệu trưởng' });
    expect((await auditRows('nomination', lower.id)).map((row) => row.action)).to.include('nomination.forward_again');
    expect((await auditRows('nomination', twinId)).map((row) => row.action)).to.include.members(['nomination.received', 'nomination.return', 'nomination.received_again']);

    // The province's committee votes, the round closes, the decision is issued.
    await voteAll(levels.upper, twinId, ['approve', 'approve', 'approve']);
    await closeRound(levels.upper, upperRound.id);
    const decision = await api('POST', '/decisions', { token: levels.upper.secretary.token, body: decisionBody(upperRound.id, [twinId]) });
    expect(decision.status, JSON.stringify(decision.body)).to.equal(201);

    const above = await api('GET', `/nominations/${twinId}`, { token: levels.upper.secretary.token });
    expect(decision.body.number).to.be.a('string').and.match(/^\d+\//);
    expect(above.body).to.include({ status: 'approved', decisionId: decision.body.id, decisionNumber: decision.body.number });
    const seenBelow = await api('GET', `/nominations/${lower.id}`, { token: levels.lower.secretary.token });
    expect(seenBelow.body.forwardedTo).to.deep.include({ status: 'approved', decisionNumber: decision.body.number });
    const seenBySchool = await api('GET', `/nominations/${twinId}`, { token: levels.lower.agency.token });
    expect(seenBySchool.status).to.equal(200);
    expect(seenBySchool.body.decisionNumber).to.equal(decision.body.number);
  });

  it('forwards several approved nominations of a round at once, and none when one of them cannot go', async () => {
    const levels = await createLevels();
    const upperRound = await openRound(levels.upper);
    const { roundId, ids } = await approvedBelow(levels.lower, ['Lê Văn An', 'Phạm Thị Bích', 'Võ Văn Cường']);

    // One of them already went up: the batch is refused whole.
    expect((await forward(levels.lower.secretary.token, ids[2]!, upperRound.id)).status).to.equal(201);
    const refused = await writesNothing(() => api('POST', `/award-rounds/${roundId}/forward`, { token: levels.lower.secretary.token, body: { roundId: upperRound.id, nominationIds: ids } }));
    expect(refused.status).to.equal(409);
    expect(refused.body.error.reason).to.equal('already_forwarded');

    const batch = await api('POST', `/award-rounds/${roundId}/forward`, { token: levels.lower.secretary.token, body: { roundId: upperRound.id, nominationIds: ids.slice(0, 2) } });
    expect(batch.status, JSON.stringify(batch.body)).to.equal(201);
    expect(batch.body.items.map((twin: { forwardedFromId: number }) => twin.forwardedFromId)).to.deep.equal(ids.slice(0, 2));
    expect(batch.body.items.every((twin: { status: string; roundId: number }) => twin.status === 'submitted' && twin.roundId === upperRound.id)).to.equal(true);
    const count = await db().selectFrom('nominations').select((eb) => eb.fn.countAll<string>().as('n')).where('round_id', '=', upperRound.id).executeTakeFirstOrThrow();
    expect(Number(count.n)).to.equal(3);

    // A nomination of another round named in this round's batch is not found there.
    const other = await approvedBelow(levels.lower, ['Đặng Thị Duyên']);
    const stray = await writesNothing(() => api('POST', `/award-rounds/${roundId}/forward`, { token: levels.lower.secretary.token, body: { roundId: upperRound.id, nominationIds: other.ids } }));
    expect(stray.status).to.equal(404);
  });

  describe('refusals, each writing nothing', () => {
    let levels: Levels;
    let upperRoundId: number;
    before(async () => {
      levels = await createLevels();
      upperRoundId = (await openRound(levels.upper)).id;
    });

    it('answers 404 to a sibling commune and 403 to the school and to committee members', async () => {
      const { ids: [id] } = await approvedBelow(levels.lower, ['Huỳnh Văn Đạt']);
      const sibling = await writesNothing(() => forward(levels.sibling.secretary.token, id!, upperRoundId));
      expect(sibling.status).to.equal(404);
      for (const token of [levels.lower.agency.token, levels.lower.members[0]!.token, levels.upper.members[0]!.token]) {
        const answer = await writesNothing(() => forward(token, id!, upperRoundId));
        expect(answer.status).to.equal(403);
      }
    });

    it('answers 422 unknown_reference for a round the commune cannot see (a sibling\'s) or that does not exist', async () => {
      const { ids: [id] } = await approvedBelow(levels.lower, ['Mai Thị Giang']);
      const siblingRound = await openRound(levels.sibling, { awardKind: 'giay_khen' });
      for (const roundId of [siblingRound.id, 99_999_999]) {
        const answer = await writesNothing(() => forward(levels.lower.secretary.token, id!, roundId));
        expect(answer.status).to.equal(422);
        expect(answer.body.error.details).to.deep.include({ field: 'roundId', reason: 'unknown_reference', message: answer.body.error.details[0].message });
      }
    });

    it('answers 409 round_closed for a closed province round and duplicate_nominee when the province round holds the person', async () => {
      const { ids: [id] } = await approvedBelow(levels.lower, ['Cao Văn Hải']);
      const closed = await openRound(levels.upper, { title: 'Đợt khen thưởng đã khóa sổ' });
      await closeRound(levels.upper, closed.id);
      const late = await writesNothing(() => forward(levels.lower.secretary.token, id!, closed.id));
      expect(late.status).to.equal(409);
      expect(late.body.error.reason).to.equal('round_closed');

      // The school also nominated him directly to the province.
      await submitted(levels.lower, individual(upperRoundId, levels.lower.department.id, { nomineeName: 'Cao Văn Hải' }));
      const twice = await writesNothing(() => forward(levels.lower.secretary.token, id!, upperRoundId));
      expect(twice.status).to.equal(409);
      expect(twice.body.error.reason).to.equal('duplicate_nominee');
    });

    it('answers 422 naming roundId to a body without a round', async () => {
      const { ids: [id] } = await approvedBelow(levels.lower, ['Kiều Thị Lan']);
      const answer = await writesNothing(() => api('POST', `/nominations/${id}/forward`, { token: levels.lower.secretary.token, body: {} }));
      expect(answer.status).to.equal(422);
      expect(answer.body.error.details.map((detail: { field: string }) => detail.field)).to.deep.equal(['roundId']);
    });
  });

  it('lets only the province committee vote on the forwarded nomination', async () => {
    const levels = await createLevels();
    const upperRound = await openRound(levels.upper);
    const { ids: [id] } = await approvedBelow(levels.lower, ['Lý Thị Mai']);
    const twinId = (await forward(levels.lower.secretary.token, id!, upperRound.id)).body.id;
    const communeVote = await api('POST', `/nominations/${twinId}/votes`, { token: levels.lower.members[0]!.token, body: { vote: 'approve' } });
    expect(communeVote.status).to.be.oneOf([403, 404]);
    const provinceVote = await api('POST', `/nominations/${twinId}/votes`, { token: levels.upper.members[0]!.token, body: { vote: 'approve' } });
    expect(provinceVote.status, JSON.stringify(provinceVote.body)).to.equal(201);
  });

  it('lets an administrator forward, and keeps the lower nomination as its committee decided it', async () => {
    const levels = await createLevels();
    const admin = await createUserWithToken({ role: 'admin' });
    const upperRound = await openRound(levels.upper);
    const { ids: [id] } = await approvedBelow(levels.lower, ['Đoàn Văn Nam']);
    const before = await db().selectFrom('nominations').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    expect((await forward(admin.token, id!, upperRound.id)).status).to.equal(201);
    const after = await db().selectFrom('nominations').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    expect(after).to.deep.equal(before);
  });
});
