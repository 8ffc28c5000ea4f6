// Print jobs: a decision printed in the background, chunk by chunk, with progress; a browser killed
// in the middle of a batch costs a retry, not a page; a job delivered or run twice logs nothing twice.
import { expect } from 'chai';
import { ctx, db } from '../support/context.ts';
import { auditRows } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { createCommittee } from '../support/awards.ts';
import { download, issueDecision, issueLargeDecision, pdfInfo, pdfPagesText, pdfText, printerOf, until } from '../support/certificates.ts';
import { PRINT_QUEUE } from '../../server/jobs/queue.ts';
import { CHUNK_SIZE } from '../../server/certificates/rendering/chunks.ts';

async function jobLog(jobId: number) {
  return db().selectFrom('print_log').selectAll().where('job_id', '=', jobId).orderBy('id').execute();
}

/** Stops the app's job worker for the length of `work`, and always starts it again. */
async function withRunnerStopped<T>(work: () => Promise<T>): Promise<T> {
  await ctx().printJobs.stop();
  try {
    return await work();
  } finally {
    await ctx().printJobs.start();
  }
}

describe('print jobs', () => {
  it('prints a decision in the background: 202, progress to done, a PDF with one page per certificate, logged once per certificate', async function () {
    this.timeout(90_000);
    const committee = await createCommittee();
    const printer = await printerOf(committee);
    const decision = await issueDecision(committee, [{ name: 'Võ Thị Sáu' }, { name: 'Ban Dân vận huyện', kind: 'collective' }, { name: 'Đinh Công Tráng', gender: 'male' }]);

    const created = await api('POST', `/decisions/${decision.id}/print-jobs`, { token: printer.token, body: {} });
    expect(created.status).to.equal(202);
    expect(created.body).to.include({ total: 3 });
    expect(created.body.id).to.be.a('number');
    expect(created.headers.get('location')).to.equal(`/api/v1/print-jobs/${created.body.id}`);
    const [audit] = await auditRows('print_job', created.body.id);
    expect(audit).to.include({ action: 'print_job.create', actor_user_id: printer.id });

    const early = await download(`/print-jobs/${created.body.id}/file`, printer.token);
    const finished = await until(async () => {
      const status = await api('GET', `/print-jobs/${created.body.id}`, { token: printer.token });
      expect(status.status).to.equal(200);
      expect(['queued', 'running', 'done']).to.include(status.body.status);
      return status.body.status === 'done' ? status.body : undefined;
    }, 60_000, 'the print job to finish', 200);
    expect(finished).to.include({ id: created.body.id, decisionId: decision.id, status: 'done', done: 3, total: 3, mode: 'full', error: null });
    expect(finished.fileUrl).to.equal(`/api/v1/print-jobs/${created.body.id}/file`);
    // Asked for before it was done, the file was a 409, not an empty PDF (unless the worker was quicker).
    if (early.status !== 200) expect(early.status).to.equal(409);

    const file = await download(`/print-jobs/${created.body.id}/file`, printer.token);
    expect(file.status).to.equal(200);
    expect(file.headers.get('content-type')).to.equal('application/pdf');
    expect((await pdfInfo(file.bytes)).pages).to.equal(3);
    const pages = await pdfPagesText(file.bytes);
    decision.certificates.forEach((certificate, index) => expect(pages[index]).to.contain(`Số sổ: ${certificate.registerNumber}/2025`));

    const log = await jobLog(created.body.id);
    expect(log.map((row) => row.certificate_id).sort()).to.deep.equal(decision.certificates.map((c) => c.id).sort());
    for (const row of log) expect(row).to.include({ channel: 'job', mode: 'full', printed_by: printer.id, copy_number: 0 });
    const stored = await db().selectFrom('print_jobs').select(['status', 'done', 'total', 'attempts', 'finished_at']).where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(stored).to.include({ status: 'done', done: 3, total: 3 });
    expect(await db().selectFrom('print_job_chunks').select('chunk_index').where('job_id', '=', created.body.id).execute()).to.deep.equal([]);

    // Delivered again (a duplicate from the queue), and run again from scratch: still one row per certificate.
    await withRunnerStopped(async () => {
      await ctx().queue.send(PRINT_QUEUE, { printJobId: created.body.id });
      await ctx().printJobs.runAvailable();
      expect(await jobLog(created.body.id)).to.have.length(3);
      await db().updateTable('print_jobs').set({ status: 'queued' }).where('id', '=', created.body.id).execute();
      await ctx().queue.send(PRINT_QUEUE, { printJobId: created.body.id });
      expect(await ctx().printJobs.runAvailable()).to.be.at.least(1);
    });
    const again = await jobLog(created.body.id);
    expect(again.map((row) => row.id)).to.deep.equal(log.map((row) => row.id));
    const rerun = await api('GET', `/print-jobs/${created.body.id}`, { token: printer.token });
    expect(rerun.body).to.include({ status: 'done', done: 3, total: 3 });
  });

  it('refuses the print job routes to agency staff (403) and another province (404), and the file of an unknown job (404)', async () => {
    const committee = await createCommittee();
    const printer = await printerOf(committee);
    expect((await api('GET', '/print-jobs/2147483000', { token: printer.token })).status).to.equal(404);
    expect((await download('/print-jobs/2147483000/file', printer.token)).status).to.equal(404);
    expect((await api('GET', '/print-jobs/1', { token: committee.agency.token })).status).to.equal(403);
    expect((await api('POST', '/decisions/1/print-jobs', { token: committee.agency.token, body: {} })).status).to.equal(403);
    expect((await api('POST', '/decisions/1/print-jobs', { body: {} })).status).to.equal(401);
    expect((await api('POST', '/decisions/2147483000/print-jobs', { token: printer.token, body: {} })).status).to.equal(404);
    expect((await api('POST', '/decisions/1/print-jobs', { token: printer.token, body: { mode: 'poster' } })).status).to.equal(422);
  });

  it('finishes a batch whose browser is killed after the first chunk: every page once, in order, logged once', async function () {
    this.timeout(180_000);
    const count = 2 * CHUNK_SIZE + 1; // three chunks: 100, 100, 1
    const committee = await createCommittee();
    const printer = await printerOf(committee);
    const decision = await issueLargeDecision(committee, count);
    expect(decision.certificates).to.have.length(count);
    expect(decision.certificates.map((c) => c.registerNumber)).to.deep.equal(Array.from({ length: count }, (_, i) => i + 1));

    const jobId = await withRunnerStopped(async () => {
      const created = await api('POST', `/decisions/${decision.id}/print-jobs`, { token: printer.token, body: {} });
      expect(created.status).to.equal(202);
      const id = created.body.id as number;
      const running = ctx().printJobs.runAvailable();
      let failure: unknown;
      running.catch((error: unknown) => { failure = error; });
      // The first chunk is stored: kill Chromium while the second renders.
      await until(async () => {
        if (failure) throw failure;
        return (await db().selectFrom('print_job_chunks').select('chunk_index').where('job_id', '=', id).execute()).length > 0;
      }, 120_000, 'the first chunk', 50);
      const launchesBefore = ctx().renderer.launches;
      const pid = await ctx().renderer.browserPid();
      expect(pid).to.be.a('number');
      process.kill(pid!, 'SIGKILL');
      const progress = await api('GET', `/print-jobs/${id}`, { token: printer.token });
      if (progress.body.status === 'running') expect(progress.body.done).to.be.within(CHUNK_SIZE, count - 1);
      expect(await running).to.be.at.least(1);
      expect(ctx().renderer.launches, 'the renderer launched a new browser').to.be.above(launchesBefore);
      return id;
    });

    const status = await api('GET', `/print-jobs/${jobId}`, { token: printer.token });
    expect(status.body).to.include({ status: 'done', done: count, total: count });
    const file = await download(`/print-jobs/${jobId}/file`, printer.token);
    expect(file.status).to.equal(200);
    expect((await pdfInfo(file.bytes)).pages).to.equal(count);
    const text = await pdfText(file.bytes);
    const numbers = [...text.matchAll(/Số sổ: (\d+)\/2025/g)].map((m) => Number(m[1]));
    expect(numbers, 'register numbers in page order').to.deep.equal(Array.from({ length: count }, (_, i) => i + 1));
    const pages = text.split('\f').filter((page) => page.trim());
    expect(pages).to.have.length(count);

    const log = await jobLog(jobId);
    expect(log).to.have.length(count);
    expect(new Set(log.map((row) => row.certificate_id)).size).to.equal(count);
    for (const row of log) expect(row).to.include({ channel: 'job', printed_by: printer.id, job_id: jobId });

    // Running the worker again over the finished job changes nothing.
    await withRunnerStopped(async () => {
      await ctx().queue.send(PRINT_QUEUE, { printJobId: jobId });
      await ctx().printJobs.runAvailable();
    });
    expect(await jobLog(jobId)).to.have.length(count);
    expect((await api('GET', `/print-jobs/${jobId}`, { token: printer.token })).body).to.include({ status: 'done', done: count });
  });
});
