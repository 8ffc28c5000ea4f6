// The work queue (GET /api/v1/me/tasks, API.md The committee's work): each role's piles, counted
// only where the caller may act, linking straight to the one round or nomination when there is one.
import { expect } from 'chai';
import { closeRound, createCommittee, individual, inDays, openRound, submitted, voteAll } from '../support/awards.ts';
import { issueDecision, printerOf } from '../support/certificates.ts';
import { db } from '../support/context.ts';
import { createUserWithToken } from '../support/factories.ts';
import { api, type Browser } from '../support/http.ts';
import { signedIn } from '../support/security.ts';
import { approvedBelow, createLevels, forward } from '../support/levels.ts';

type Item = { kind: string; count: number; href: string };

async function tasks(token: string): Promise<Record<string, Item>> {
  const answer = await api('GET', '/me/tasks', { token });
  expect(answer.status).to.equal(200);
  return Object.fromEntries((answer.body.items as Item[]).map((item) => [item.kind, item]));
}

describe('work queue: GET /api/v1/me/tasks', function () {
  this.timeout(60_000);

  it('gives the secretary the nominations to review, the round past its closing date and the round awaiting its decision, each linked', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const first = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Nguyễn Văn Một' }));
    await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Trần Thị Hai' }));
    let queue = await tasks(committee.secretary.token);
    expect(Object.keys(queue)).to.deep.equal(['rounds_to_close', 'nominations_to_review', 'decisions_to_issue', 'nominations_returned']);
    expect(queue.nominations_to_review).to.deep.equal({ kind: 'nominations_to_review', count: 2, href: `/awards/${round.id}?status=submitted` });
    expect(queue.rounds_to_close!.count).to.equal(0);
    expect(queue.decisions_to_issue!.count).to.equal(0);

    await db().updateTable('award_rounds').set({ closes_on: inDays(-1) }).where('id', '=', round.id).execute();
    queue = await tasks(committee.secretary.token);
    expect(queue.rounds_to_close).to.deep.equal({ kind: 'rounds_to_close', count: 1, href: `/awards/${round.id}` });

    await db().updateTable('award_rounds').set({ closes_on: inDays(3) }).where('id', '=', round.id).execute();
    await voteAll(committee, first, ['approve', 'approve']);
    await closeRound(committee, round.id);
    queue = await tasks(committee.secretary.token);
    expect(queue.nominations_to_review!.count).to.equal(0);
    expect(queue.decisions_to_issue).to.deep.equal({ kind: 'decisions_to_issue', count: 1, href: `/awards/${round.id}/decisions/new` });

    // Another province's secretary sees none of it.
    const other = await createCommittee();
    const elsewhere = await tasks(other.secretary.token);
    expect(Object.values(elsewhere).map((item) => item.count)).to.deep.equal([0, 0, 0, 0]);
  });

  it('gives the agency its returned nominations and each member the votes not cast yet, not counting their own unit\'s', async () => {
    const committee = await createCommittee({ memberInDepartment: true });
    const round = await openRound(committee);
    const a = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Lê Văn Ba' }));
    const b = await submitted(committee, individual(round.id, committee.otherDepartment.id, { nomineeName: 'Phạm Thị Bốn' }), committee.otherAgency.token);
    expect((await tasks(committee.members[0]!.token)).votes_pending).to.deep.equal({ kind: 'votes_pending', count: 2, href: `/awards/${round.id}?status=submitted` });
    // The last member sits in the department: its nomination is not theirs to vote on.
    expect((await tasks(committee.members[2]!.token)).votes_pending).to.deep.equal({ kind: 'votes_pending', count: 1, href: `/nominations/${b}` });
    await voteAll(committee, a, ['approve']);
    expect((await tasks(committee.members[0]!.token)).votes_pending!.count).to.equal(1);

    expect((await tasks(committee.agency.token)).nominations_returned).to.deep.equal({ kind: 'nominations_returned', count: 0, href: '/nominations?status=returned' });
    expect((await api('POST', `/nominations/${a}/return`, { token: committee.secretary.token, body: { reason: 'Bổ sung biên bản' } })).status).to.equal(200);
    expect((await tasks(committee.agency.token)).nominations_returned).to.deep.equal({ kind: 'nominations_returned', count: 1, href: `/nominations/${a}` });
    expect((await tasks(committee.otherAgency.token)).nominations_returned!.count).to.equal(0);

    // Returned in two rounds: the unit's own list across rounds, on the returned tab ("Hồ sơ của tôi").
    const second = await openRound(committee, { title: 'Đợt khen thưởng chuyên đề' });
    const c = await submitted(committee, individual(second.id, committee.department.id, { nomineeName: 'Trịnh Văn Năm' }));
    expect((await api('POST', `/nominations/${c}/return`, { token: committee.secretary.token, body: { reason: 'Bổ sung báo cáo thành tích' } })).status).to.equal(200);
    expect((await tasks(committee.agency.token)).nominations_returned).to.deep.equal({ kind: 'nominations_returned', count: 2, href: '/nominations?status=returned' });
  });

  it('gives the lower secretariat the twins the body above returned, and the printer the certificates never printed', async () => {
    const levels = await createLevels();
    const upperRound = await openRound(levels.upper);
    const { ids: [id] } = await approvedBelow(levels.lower, ['Võ Thị Năm']);
    const twin = (await forward(levels.lower.secretary.token, id!, upperRound.id)).body.id as number;
    expect((await api('POST', `/nominations/${twin}/return`, { token: levels.upper.secretary.token, body: { reason: 'Thiếu tờ trình' } })).status).to.equal(200);
    expect((await tasks(levels.lower.secretary.token)).nominations_returned).to.deep.equal({ kind: 'nominations_returned', count: 1, href: `/nominations/${twin}` });
    expect((await tasks(levels.sibling.secretary.token)).nominations_returned!.count).to.equal(0);
    expect((await tasks(levels.lower.agency.token)).nominations_returned!.count, 'the school does not fix a forwarded one').to.equal(0);

    const committee = await createCommittee();
    const issued = await issueDecision(committee, [{ name: 'Hoàng Văn Bảy' }, { name: 'Ngô Thị Tám' }]);
    const printer = await printerOf(committee);
    expect((await tasks(printer.token)).certificates_to_print).to.deep.equal({ kind: 'certificates_to_print', count: 2, href: `/decisions/${issued.id}` });
  });

  it('gives the administrator no queue, and answers 401 without a session', async () => {
    const admin = await createUserWithToken({ role: 'admin' });
    expect((await api('GET', '/me/tasks', { token: admin.token })).body).to.deep.equal({ items: [] });
    expect((await api('GET', '/me/tasks', {})).status).to.equal(401);
  });

  it('shows the queue on the home page, each pile a link with its count, and says so when nothing waits', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Đỗ Văn Sáu' }));
    const secretary: Browser = await signedIn(committee.secretary);
    const home = await secretary.get('/');
    expect(home.status).to.equal(200);
    expect(home.html).to.include(`href="/awards/${round.id}?status&#x3D;submitted" data-task="nominations_to_review"`);
    // The count once, in its badge, before what waits (not again at the end of the words).
    expect(home.html).to.include('<span class="task-list__count">1</span> Hồ sơ đang chờ thẩm định</a>');
    expect(home.html).to.not.include('data-task="rounds_to_close"');
    const agency = await signedIn(committee.agency);
    expect((await agency.get('/')).html).to.include('Không có việc nào đang chờ bạn.');
  });
});
