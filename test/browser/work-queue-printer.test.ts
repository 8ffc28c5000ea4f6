// The printing staff's work queue in a real browser (Chromium, axe-core): a decision of three
// certificates waits on the home page as "3 Bằng khen chưa in" and leads to the decision; the
// printer opens one certificate from the annex and records the print ("Ghi nhận đã in"), comes home
// to 2, goes back to the decision and makes a print job for the rest, waits on the job's page (it
// refreshes itself) until it is done, and the home page says nothing waits. Only recorded prints
// count (print_log: one "single" row, then a "job" row for each certificate); the page's links to
// the PDF are not followed, downloading is not printing. Done at desktop size and again at phone
// size, each page checked with axe-core and screenshotted to test/screenshots/work-queue-printer-*.
import { expect } from 'chai';
import { createCommittee } from '../support/awards.ts';
import { issueDecision, printerOf } from '../support/certificates.ts';
import { db } from '../support/context.ts';
import { QueueWalk, SCREENS, useBrowserSession, vi } from '../support/work-queue.ts';

describe('work queue in a real browser: the printing staff print what waits', function () {
  this.timeout(180_000);
  const browser = useBrowserSession();

  for (const screen of SCREENS) {
    it(`follows "Bằng khen chưa in" from the home page, records one print, prints the rest as a job until nothing waits (${screen.name})`, async function () {
      const session = browser();
      const committee = await createCommittee({ members: 3 });
      const decision = await issueDecision(committee, [{ name: 'Vũ Thị Mai' }, { name: 'Hoàng Văn Nam' }, { name: 'Trường Tiểu học Kim Đồng', kind: 'collective' }]);
      const printer = await printerOf(committee);
      const [first] = decision.certificates as [(typeof decision.certificates)[number]];
      const walk = new QueueWalk(session, screen, 'work-queue-printer');
      const { page } = session;

      await walk.run(async () => {
        await walk.signIn(printer.username);
        expect(await walk.queueTexts()).to.deep.equal([QueueWalk.line('certificates_to_print', 3)]);
        await walk.inspect('01-home-three-to-print');

        // One decision: the pile opens it, with its annex linking each certificate.
        expect(await walk.follow('certificates_to_print', 3)).to.equal(`/decisions/${decision.id}`);
        expect(await session.text('main h1')).to.equal(vi('awards.decision.title', { number: decision.number }));
        expect(await page.$$eval('table.annex a', (links) => links.map((link) => link.getAttribute('href')))).to.have.members(decision.certificates.map((c) => `/certificates/${c.id}`));
        await walk.inspect('02-decision');

        // One certificate, printed on its own and recorded as such.
        await session.clickAndWait(`table.annex a[href="/certificates/${first.id}"]`);
        expect(await session.text('article h1')).to.equal(first.recipientName);
        expect(await session.text(`form[action="/certificates/${first.id}/print-log"] button`)).to.equal(vi('certificates.recordPrint'));
        await walk.inspect('03-certificate');
        await page.select('#field-print-log-mode', 'full');
        const recorded = await session.clickAndWait(`form[action="/certificates/${first.id}/print-log"] button[type="submit"]`);
        expect(recorded.status()).to.equal(200);
        expect(session.pathname()).to.equal(`/certificates/${first.id}`);
        expect(await session.text('.flash')).to.equal(vi('certificates.printRecorded'));
        const logged = await db().selectFrom('print_log').select(['certificate_id', 'mode', 'channel', 'printed_by']).where('certificate_id', 'in', decision.certificates.map((c) => c.id)).execute();
        expect(logged).to.deep.equal([{ certificate_id: first.id, mode: 'full', channel: 'single', printed_by: printer.id }]);
        const audit = await db().selectFrom('audit_log').select(['action', 'actor_user_id']).where('entity_type', '=', 'certificate').where('entity_id', '=', String(first.id)).execute();
        expect(audit).to.deep.equal([{ action: 'certificate.print', actor_user_id: printer.id }]);

        await walk.goHome();
        expect(await walk.queueTexts()).to.deep.equal([QueueWalk.line('certificates_to_print', 2)]);
        await walk.inspect('04-home-two-to-print');

        // The rest, as a print job for the decision.
        expect(await walk.follow('certificates_to_print', 2)).to.equal(`/decisions/${decision.id}`);
        expect(await session.text(`form[action="/decisions/${decision.id}/print-jobs"] button`)).to.equal(vi('certificates.printJob'));
        const queued = await session.clickAndWait(`form[action="/decisions/${decision.id}/print-jobs"] button[type="submit"]`);
        expect(queued.status()).to.equal(200);
        const match = /^\/print-jobs\/(\d+)$/.exec(session.pathname());
        expect(match, session.pathname()).to.not.equal(null);
        // The page refreshes itself every 2 s while the job runs.
        await page.waitForSelector('.badge--job-done', { timeout: 90_000 });
        expect(await session.text('.progress-label')).to.equal(vi('printJobs.progress', { done: '3', total: '3', percent: 100 }));
        await walk.inspect('05-print-job-done');
        const jobRows = await db().selectFrom('print_log').select(['certificate_id', 'channel', 'job_id', 'printed_by']).where('channel', '=', 'job').where('certificate_id', 'in', decision.certificates.map((c) => c.id)).execute();
        expect(jobRows).to.have.deep.members(decision.certificates.map((c) => ({ certificate_id: c.id, channel: 'job', job_id: Number(match![1]), printed_by: printer.id })));

        await walk.goHome();
        await walk.expectNothingWaits();
        await walk.inspect('06-home-nothing-waits');
      });
    });
  }
});
