import { expect } from 'chai';
import { sql } from 'kysely';
import { ctx, db } from '../support/context.ts';
import { createUserWithToken } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { collective, createCommittee, individual, openRound, submitted, voteAll, EARLY_CLOSE } from '../support/awards.ts';
import { PRINT_QUEUE, startQueue } from '../../server/jobs/queue.ts';
import { MAX_OPEN_JOBS } from '../../server/certificates/service.ts';

async function decisionWith(count: number) {
  const committee = await createCommittee({ members: 1 });
  const round = await openRound(committee);
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const body = i % 2 ? collective(round.id, committee.department.id, { nomineeName: `Tổ dân vận số ${i}` }) : individual(round.id, committee.department.id, { nomineeName: `Nguyễn Văn Số${i}` });
    const id = await submitted(committee, body);
    await voteAll(committee, id, ['approve']);
    ids.push(id);
  }
  await api('POST', `/award-rounds/${round.id}/close`, { token: committee.secretary.token, body: EARLY_CLOSE });
  const decision = await api('POST', '/decisions', { token: committee.secretary.token, body: { roundId: round.id, signedOn: '2025-12-20', signerName: 'Hồ Văn Mừng', signerTitle: 'Phó Chủ tịch', nominationIds: ids } });
  const printer = await createUserWithToken({ role: 'printer', unitId: committee.province.id });
  return { committee, decisionId: decision.body.id as number, printer };
}

async function waitForJob(token: string, id: number) {
  for (let i = 0; i < 120; i++) {
    const job = await api('GET', `/print-jobs/${id}`, { token });
    if (job.body.status === 'done' || job.body.status === 'failed') return job.body;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('print job did not finish');
}

async function queuedJobsFor(printJobId: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = ${PRINT_QUEUE} AND data->>'printJobId' = ${String(printJobId)}`.execute(db());
  return rows[0]!.n;
}

describe('print jobs through the pg-boss queue', () => {
  it('queues the job in the request\'s transaction and a worker prints it once, with one log row per certificate', async () => {
    const { decisionId, printer } = await decisionWith(3);
    const created = await api('POST', `/decisions/${decisionId}/print-jobs`, { token: printer.token, body: { mode: 'overlay' } });
    expect(created.status).to.equal(202);
    expect(await queuedJobsFor(created.body.id)).to.equal(1);
    const job = await waitForJob(printer.token, created.body.id);
    expect(job).to.include({ status: 'done', done: 3, total: 3 });
    const file = await fetch(`${ctx().baseUrl}/api/v1/print-jobs/${created.body.id}/file`, { headers: { authorization: `Bearer ${printer.token}` } });
    expect(file.headers.get('content-type')).to.equal('application/pdf');
    const log = await db().selectFrom('print_log').select(['certificate_id', 'channel', 'mode', 'printed_by']).where('job_id', '=', created.body.id).execute();
    expect(log).to.have.length(3);
    expect(log.every((row) => row.channel === 'job' && row.mode === 'overlay' && row.printed_by === printer.id)).to.equal(true);
  });

  it('delivers a job twice without printing or logging anything twice', async () => {
    const { decisionId, printer } = await decisionWith(2);
    await ctx().printJobs.stop();
    try {
      const created = await api('POST', `/decisions/${decisionId}/print-jobs`, { token: printer.token, body: {} });
      // A second delivery of the same work, as after a worker crash.
      await ctx().queue.send(PRINT_QUEUE, { printJobId: created.body.id });
      expect(await ctx().printJobs.runAvailable()).to.equal(2);
      const job = await api('GET', `/print-jobs/${created.body.id}`, { token: printer.token });
      expect(job.body).to.include({ status: 'done', done: 2 });
      expect(await db().selectFrom('print_log').select('id').where('job_id', '=', created.body.id).execute()).to.have.length(2);
    } finally {
      await ctx().printJobs.start();
    }
  });

  it('counts the open-job limit per issuing unit: a unit with 20 open jobs gets 429, another unit\'s printer still gets 202', async () => {
    const a = await decisionWith(1);
    const b = await decisionWith(1);
    // Unit A at the limit: 20 open jobs of its decision, with no queue entry, so no worker takes them.
    const filler = await db()
      .insertInto('print_jobs')
      .values(Array.from({ length: MAX_OPEN_JOBS }, () => ({ decision_id: a.decisionId, mode: 'full', total: 1, created_by: a.printer.id })))
      .returning('id')
      .execute();
    try {
      const refused = await api('POST', `/decisions/${a.decisionId}/print-jobs`, { token: a.printer.token, body: {} });
      expect(refused.status).to.equal(429);
      expect(refused.body.error.code).to.equal('rate_limited');
      expect(refused.headers.get('retry-after')).to.equal('30');
      const accepted = await api('POST', `/decisions/${b.decisionId}/print-jobs`, { token: b.printer.token, body: {} });
      expect(accepted.status, JSON.stringify(accepted.body)).to.equal(202);
      expect(await waitForJob(b.printer.token, accepted.body.id)).to.include({ status: 'done', done: 1 });
    } finally {
      await db().updateTable('print_jobs').set({ status: 'failed' }).where('id', 'in', filler.map((row) => row.id)).execute();
    }
    // Below the limit again, unit A's printer is served.
    expect((await api('POST', `/decisions/${a.decisionId}/print-jobs`, { token: a.printer.token, body: {} })).status).to.equal(202);
  });

  it('writes neither the job nor its queue entry when the request is refused', async () => {
    const { decisionId } = await decisionWith(1);
    const agency = await createUserWithToken({ role: 'agency' });
    const before = await db().selectFrom('print_jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect((await api('POST', `/decisions/${decisionId}/print-jobs`, { token: agency.token, body: {} })).status).to.equal(403);
    const after = await db().selectFrom('print_jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).to.equal(Number(before.n));
  });

  it('applies the expiry and retry settings of every process that starts, not only the first one\'s', async () => {
    const settings = async () => (await ctx().queue.getQueue(PRINT_QUEUE))!;
    const before = await settings();
    // The queue exists already (the test app created it); a process started with other settings:
    const other = await startQueue(ctx().database.pool, { expireInSeconds: 77, retryLimit: 5, retryDelaySeconds: 4 });
    try {
      expect(await settings()).to.include({ expireInSeconds: 77, retryLimit: 5, retryDelay: 4 });
      const { rows } = await sql<{ expire_seconds: number }>`SELECT expire_seconds FROM pgboss.queue WHERE name = ${PRINT_QUEUE}`.execute(db());
      expect(rows[0]!.expire_seconds).to.equal(77);
    } finally {
      await other.stop({ graceful: false, wait: true, close: false });
      // Give the shared test queue its own settings back.
      const restored = await startQueue(ctx().database.pool, { expireInSeconds: before.expireInSeconds, retryLimit: before.retryLimit, retryDelaySeconds: before.retryDelay });
      await restored.stop({ graceful: false, wait: true, close: false });
    }
    expect(await settings()).to.include({ expireInSeconds: before.expireInSeconds, retryLimit: before.retryLimit, retryDelay: before.retryDelay });
  });
});
