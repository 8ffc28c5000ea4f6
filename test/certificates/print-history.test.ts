// The printers' print job history: /print-jobs (and GET /api/v1/print-jobs) lists the jobs of the
// bodies the caller prints for, newest first, a page at a time, with the decision, mode, count,
// status, who asked and when; another province's jobs never appear. The jobs are stored rows here
// (no rendering needed to list them).
import { expect } from 'chai';
import { db } from '../support/context.ts';
import { TEST_PASSWORD } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';
import { createCommittee, type Committee } from '../support/awards.ts';
import { issueDecision, printerOf, type IssuedDecision } from '../support/certificates.ts';

async function storedJob(decisionId: number, createdBy: number, status: 'queued' | 'done' | 'failed', total: number) {
  const row = await db().insertInto('print_jobs').values({ decision_id: decisionId, mode: 'overlay', status, total, done: status === 'done' ? total : 0, created_by: createdBy }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

describe('the print job history', () => {
  let committee: Committee;
  let other: Committee;
  let decision: IssuedDecision;
  let printer: Awaited<ReturnType<typeof printerOf>>;
  const ours: number[] = [];
  let theirs: number;

  before(async function () {
    this.timeout(60_000);
    committee = await createCommittee();
    other = await createCommittee();
    printer = await printerOf(committee);
    decision = await issueDecision(committee, [{ name: 'Kiều Thị Thanh' }, { name: 'Đoàn Văn Hậu', gender: 'male' }]);
    const elsewhere = await issueDecision(other, [{ name: 'Quách Thị Liên' }]);
    for (let i = 0; i < 3; i++) ours.push(await storedJob(decision.id, printer.id, i === 0 ? 'done' : 'queued', 2));
    theirs = await storedJob(elsewhere.id, other.secretary.id, 'done', 1);
  });

  it('answers the caller\'s units\' jobs newest first in pages ({items, nextCursor, total}), never another province\'s', async () => {
    const first = await api('GET', '/print-jobs?limit=2', { token: printer.token });
    expect(first.status).to.equal(200);
    expect(first.body.total).to.equal(3);
    expect(first.body.items.map((j: { id: number }) => j.id)).to.deep.equal([ours[2], ours[1]]);
    expect(first.body.items[0]).to.include({ decisionId: decision.id, decisionNumber: decision.number, mode: 'overlay', status: 'queued', total: 2, fileUrl: null });
    expect(first.body.items[0].createdBy).to.be.a('string');
    const second = await api('GET', `/print-jobs?limit=2&cursor=${first.body.nextCursor}`, { token: printer.token });
    expect(second.body.items.map((j: { id: number }) => j.id)).to.deep.equal([ours[0]]);
    expect(second.body.items[0]).to.include({ status: 'done', fileUrl: `/api/v1/print-jobs/${ours[0]}/file` });
    expect(second.body.nextCursor).to.equal(null);
    const theirList = await api('GET', '/print-jobs', { token: other.secretary.token });
    expect(theirList.body.items.map((j: { id: number }) => j.id)).to.deep.equal([theirs]);
    expect((await api('GET', '/print-jobs', { token: committee.agency.token })).status).to.equal(403);
    expect((await api('GET', '/print-jobs?cursor=abc', { token: printer.token })).status).to.equal(422);
  });

  it('shows the page, linked from the printer\'s navigation and home page, with links to each job, its decision and its file', async () => {
    const browser = new Browser();
    await browser.login(printer.username, TEST_PASSWORD);
    const home = await browser.get('/');
    expect(home.html).to.contain('href="/print-jobs"');
    const page = await browser.get('/print-jobs');
    expect(page.status).to.equal(200);
    expect(page.html).to.contain('<h1>Lịch sử lệnh in</h1>');
    for (const id of ours) expect(page.html).to.contain(`href="/print-jobs/${id}"`);
    expect(page.html).to.contain(`href="/print-jobs/${ours[0]}/file"`).and.contain(`href="/decisions/${decision.id}"`).and.contain('In lên phôi');
    expect(page.html).to.not.contain(`href="/print-jobs/${theirs}"`);
    const agency = new Browser();
    await agency.login(committee.agency.username, TEST_PASSWORD);
    expect((await agency.get('/')).html).to.not.contain('href="/print-jobs"');
    expect((await agency.get('/print-jobs')).status).to.equal(403);
  });
});
