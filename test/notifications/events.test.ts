// Notifications written by the events themselves (API.md, The committee's work): a nomination
// returned, approved or rejected tells its unit's agency staff (a forwarded twin: the secretariat
// that forwarded it); a forward tells the upper body's secretariat; a decision tells each unit's staff
// once and the printers; a finished print job tells whoever asked for it. Never anyone else, never the actor.
import { expect } from 'chai';
import { sql } from 'kysely';
import { approvedInClosedRound, closeRound, createCommittee, decisionBody, individual, openRound, submitted, voteAll } from '../support/awards.ts';
import { printerOf, until } from '../support/certificates.ts';
import { db } from '../support/context.ts';
import { createUserWithToken } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { approvedBelow, createLevels, forward } from '../support/levels.ts';

interface Item { id: number; kind: string; params: Record<string, unknown>; text: string; href: string; read: boolean; readAt: string | null; createdAt: string }

async function notificationsOf(token: string, query = ''): Promise<{ items: Item[]; total: number; unread: number; nextCursor: string | null }> {
  const answer = await api('GET', `/notifications${query}`, { token });
  expect(answer.status, JSON.stringify(answer.body)).to.equal(200);
  return answer.body;
}

/** The stored rows naming a nomination (or a decision, a print job) in their parameters. */
async function rowsAbout(key: 'nominationId' | 'decisionId' | 'printJobId' | 'roundId', id: number) {
  return db().selectFrom('notifications').selectAll().where(sql<string>`params->>${key}`, '=', String(id)).orderBy('id').execute();
}

describe('notifications: who is told of what', function () {
  this.timeout(120_000);

  it('tells the agency staff of the unit (and of the units above it) that their nomination was returned, with the reason and a link; nobody else', async () => {
    const committee = await createCommittee();
    const provinceAgency = await createUserWithToken({ role: 'agency', unitId: committee.province.id });
    const round = await openRound(committee);
    const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Nguyễn Thị Hồng Nhung' }));
    const returned = await api('POST', `/nominations/${id}/return`, { token: committee.secretary.token, body: { reason: 'Thiếu biên bản họp xét của đơn vị' } });
    expect(returned.status).to.equal(200);

    const rows = await rowsAbout('nominationId', id);
    expect(rows.map((row) => row.user_id).sort()).to.deep.equal([committee.agency.id, provinceAgency.id].sort());
    expect(rows.every((row) => row.kind === 'nomination_returned' && row.href === `/nominations/${id}` && row.read_at === null)).to.equal(true);
    expect(rows[0]!.params).to.include({ nominationId: id, nomineeName: 'Nguyễn Thị Hồng Nhung', reason: 'Thiếu biên bản họp xét của đơn vị', roundId: round.id, forwarded: false });
    // No address on the account: nothing to e-mail.
    expect(rows.map((row) => row.email_status)).to.deep.equal(['none', 'none']);

    const { items, unread } = await notificationsOf(committee.agency.token);
    expect(unread).to.equal(1);
    expect(items).to.have.length(1);
    expect(items[0]).to.include({ kind: 'nomination_returned', href: `/nominations/${id}`, read: false, readAt: null });
    expect(items[0]!.text).to.equal('Hồ sơ "Nguyễn Thị Hồng Nhung" (đợt "Tổng kết công tác dân vận chính quyền năm 2025") bị trả lại để bổ sung. Lý do: Thiếu biên bản họp xét của đơn vị');
    // The same notification in the reader's other language: rendered when read, not when written.
    const english = await api('GET', '/notifications', { token: committee.agency.token, language: 'en' });
    expect(english.body.items[0].text).to.match(/^The dossier "Nguyễn Thị Hồng Nhung" \(round ".+"\) was returned for completion\. Reason: Thiếu biên bản/);

    for (const other of [committee.otherAgency, committee.secretary, ...committee.members]) expect((await notificationsOf(other.token)).total, `user ${other.id}`).to.equal(0);
  });

  it('tells the unit each outcome when the round closes: approved and rejected, one notification per nomination; the members and other units hear nothing', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const approved = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Trần Văn Được' }));
    const rejected = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Lê Thị Không' }));
    const elsewhere = await submitted(committee, individual(round.id, committee.otherDepartment.id, { nomineeName: 'Phạm Văn Khác' }), committee.otherAgency.token);
    await voteAll(committee, approved, ['approve', 'approve']);
    await voteAll(committee, rejected, ['reject', 'reject']);
    await voteAll(committee, elsewhere, ['approve', 'approve']);
    await closeRound(committee, round.id);

    const mine = await notificationsOf(committee.agency.token);
    expect(mine.items.map((item) => [item.kind, item.params.nominationId, item.href])).to.have.deep.members([
      ['nomination_approved', approved, `/nominations/${approved}`],
      ['nomination_rejected', rejected, `/nominations/${rejected}`],
    ]);
    expect(mine.items.find((item) => item.kind === 'nomination_approved')!.text).to.equal('Hồ sơ "Trần Văn Được" được Hội đồng thông qua khi kết thúc đợt "Tổng kết công tác dân vận chính quyền năm 2025".');
    const theirs = await notificationsOf(committee.otherAgency.token);
    expect(theirs.items.map((item) => [item.kind, item.params.nominationId])).to.deep.equal([['nomination_approved', elsewhere]]);
    for (const other of [committee.secretary, ...committee.members]) expect((await notificationsOf(other.token)).total).to.equal(0);
    expect((await rowsAbout('roundId', round.id)).length).to.equal(3);
  });

  it('tells the upper body\'s secretariat of a forward (one notification for the batch), and the forwarding secretariat, not the school, of the twin\'s return', async () => {
    const { upper, lower, sibling } = await createLevels();
    const below = await approvedBelow(lower, ['Võ Thị Chuyển', 'Đặng Văn Lên']);
    const upperRound = await openRound(upper, { title: 'Khen thưởng cấp tỉnh năm 2025' });
    const sent = await api('POST', `/award-rounds/${below.roundId}/forward`, { token: lower.secretary.token, body: { roundId: upperRound.id, nominationIds: below.ids } });
    expect(sent.status).to.equal(201);
    const twins = (sent.body.items as { id: number; nomineeName: string }[]).map((twin) => twin.id);

    const told = await notificationsOf(upper.secretary.token);
    expect(told.items).to.have.length(1);
    expect(told.items[0]).to.include({ kind: 'nominations_forwarded', href: `/awards/${upperRound.id}?status=submitted` });
    expect(told.items[0]!.params).to.include({ count: 2, roundId: upperRound.id, fromUnitName: 'Xã Thử Nghiệm' });
    expect(told.items[0]!.text).to.equal('Xã Thử Nghiệm chuyển lên 2 hồ sơ vào đợt "Khen thưởng cấp tỉnh năm 2025" để thẩm định.');
    for (const other of [lower.secretary, sibling.secretary, lower.agency, upper.agency]) expect((await notificationsOf(other.token)).items.filter((i) => i.kind === 'nominations_forwarded')).to.have.length(0);

    const returned = await api('POST', `/nominations/${twins[0]}/return`, { token: upper.secretary.token, body: { reason: 'Bổ sung bản tóm tắt thành tích' } });
    expect(returned.status).to.equal(200);
    const keeper = (await notificationsOf(lower.secretary.token)).items;
    expect(keeper.map((item) => [item.kind, item.params.nominationId, item.href, item.params.forwarded])).to.deep.equal([['nomination_returned', twins[0], `/nominations/${twins[0]}`, true]]);
    expect((await notificationsOf(lower.agency.token)).items.filter((item) => item.kind === 'nomination_returned')).to.have.length(0);
    expect((await notificationsOf(sibling.secretary.token)).total).to.equal(0);

    // Sent again, alone: the upper secretariat hears of the one dossier, by name, with a link to it.
    expect((await forward(lower.secretary.token, below.ids[0]!, upperRound.id)).status).to.equal(200);
    const again = (await notificationsOf(upper.secretary.token, '?unread=true')).items;
    expect(again[0]).to.include({ kind: 'nominations_forwarded', href: `/nominations/${twins[0]}` });
    expect(again[0]!.text).to.equal(`Xã Thử Nghiệm chuyển lên hồ sơ "${(sent.body.items as { nomineeName: string }[])[0]!.nomineeName}" vào đợt "Khen thưởng cấp tỉnh năm 2025" để thẩm định.`);
  });

  it('tells each unit\'s staff of a decision once (not once per nominee), and the printers of the body; nobody else', async () => {
    const committee = await createCommittee();
    const printer = await printerOf(committee);
    const otherPrinter = await printerOf(await createCommittee());
    const { round, ids } = await approvedInClosedRound(committee, [{ name: 'Ngô Thị Một', kind: 'individual' }, { name: 'Phòng Công tác dân vận', kind: 'collective' }]);
    const before = await db().selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'decision_issued').executeTakeFirstOrThrow();
    const issued = await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, Object.values(ids)) });
    expect(issued.status).to.equal(201);

    const rows = await rowsAbout('decisionId', issued.body.id);
    expect(rows.map((row) => row.user_id).sort()).to.deep.equal([committee.agency.id, printer.id].sort());
    const agency = (await notificationsOf(committee.agency.token)).items.filter((item) => item.kind === 'decision_issued');
    expect(agency).to.have.length(1);
    expect(agency[0]).to.include({ href: `/decisions/${issued.body.id}` });
    expect(agency[0]!.text).to.equal(`Đã ban hành Quyết định số ${issued.body.number} (đợt "Tổng kết công tác dân vận chính quyền năm 2025"): 2 hồ sơ của đơn vị bạn được khen thưởng.`);
    const printed = (await notificationsOf(printer.token)).items;
    expect(printed.map((item) => item.text)).to.deep.equal([`Đã ban hành Quyết định số ${issued.body.number} (đợt "Tổng kết công tác dân vận chính quyền năm 2025"): 2 bằng khen chờ in.`]);
    for (const other of [committee.otherAgency, committee.secretary, otherPrinter]) expect((await notificationsOf(other.token)).items.filter((item) => item.kind === 'decision_issued')).to.have.length(0);
    const after = await db().selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'decision_issued').executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).to.equal(2);
  });

  it('tells whoever asked for a print job that it is done, with a link to the job; the other printers hear nothing of it', async () => {
    const committee = await createCommittee();
    const printer = await printerOf(committee);
    const colleague = await printerOf(committee);
    const { round, ids } = await approvedInClosedRound(committee, [{ name: 'Hoàng Văn In', kind: 'individual' }]);
    const issued = await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, Object.values(ids)) });
    const job = await api('POST', `/decisions/${issued.body.id}/print-jobs`, { token: printer.token, body: {} });
    expect(job.status).to.equal(202);
    await until(async () => (await api('GET', `/print-jobs/${job.body.id}`, { token: printer.token })).body.status === 'done', 60_000, 'the print job');

    const rows = await rowsAbout('printJobId', job.body.id);
    expect(rows.map((row) => [row.user_id, row.kind, row.href])).to.deep.equal([[printer.id, 'print_job_done', `/print-jobs/${job.body.id}`]]);
    const items = (await notificationsOf(printer.token)).items.filter((item) => item.kind === 'print_job_done');
    expect(items[0]!.text).to.equal(`Lệnh in bằng khen của Quyết định số ${issued.body.number} đã xong (1 bằng khen); tệp PDF sẵn sàng để tải.`);
    expect((await notificationsOf(colleague.token)).items.filter((item) => item.kind === 'print_job_done')).to.have.length(0);
  });

  it('leaves disabled accounts out', async () => {
    const committee = await createCommittee();
    const gone = await createUserWithToken({ role: 'agency', unitId: committee.department.id, disabled: true });
    const round = await openRound(committee);
    const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Bùi Thị Khóa' }));
    await api('POST', `/nominations/${id}/return`, { token: committee.secretary.token, body: { reason: 'Bổ sung hồ sơ' } });
    expect((await rowsAbout('nominationId', id)).map((row) => row.user_id)).to.deep.equal([committee.agency.id]);
    expect(gone.id).to.be.a('number');
  });
});
