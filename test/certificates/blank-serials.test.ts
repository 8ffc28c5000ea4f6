// The serials of the blank forms (phôi) a print job used: optional, onto blank forms only, both ends
// or neither, one prefix and width, no more forms than the job prints; stored on the job, audited,
// shown on the job page and in the history, the same through the API and the decision page's form.
import { expect } from 'chai';
import { ctx, db } from '../support/context.ts';
import { auditRows } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { createCommittee } from '../support/awards.ts';
import { signedIn } from '../support/security.ts';
import { issueDecision, printerOf, type IssuedDecision } from '../support/certificates.ts';

describe('blank-form serials of a print job', function () {
  this.timeout(60_000);
  let decision: IssuedDecision;
  let printer: Awaited<ReturnType<typeof printerOf>>;

  before(async function () {
    this.timeout(120_000);
    const committee = await createCommittee();
    printer = await printerOf(committee);
    decision = await issueDecision(committee, [{ name: 'Lý Thị Hoa' }, { name: 'Mai Văn Lộc', gender: 'male' }]);
    // The jobs are not rendered here: only what is stored and shown.
    await ctx().printJobs.stop();
  });
  after(() => ctx().printJobs.start());

  const jobsOfDecision = async () => (await db().selectFrom('print_jobs').select('id').where('decision_id', '=', decision.id).execute()).length;

  it('refuses with 422 one end alone, two prefixes or widths, an end before the start, more forms than certificates, a full-mode job, writing nothing', async () => {
    const cases: [Record<string, unknown>, { field: string; reason: string }[]][] = [
      [{ mode: 'overlay', blankSerialFrom: 'AG-000123' }, [{ field: 'blankSerialTo', reason: 'required' }]],
      [{ mode: 'overlay', blankSerialTo: 'AG-000124' }, [{ field: 'blankSerialFrom', reason: 'required' }]],
      [{ mode: 'overlay', blankSerialFrom: 'AG-000123', blankSerialTo: 'KG-000124' }, [{ field: 'blankSerialTo', reason: 'serial_range' }]],
      [{ mode: 'overlay', blankSerialFrom: 'AG-000123', blankSerialTo: 'AG-00124' }, [{ field: 'blankSerialTo', reason: 'serial_range' }]],
      [{ mode: 'overlay', blankSerialFrom: 'AG-000124', blankSerialTo: 'AG-000123' }, [{ field: 'blankSerialTo', reason: 'serial_range' }]],
      [{ mode: 'overlay', blankSerialFrom: 'AG-000123', blankSerialTo: 'AG-000125' }, [{ field: 'blankSerialTo', reason: 'serial_count' }]],
      [{ mode: 'full', blankSerialFrom: 'AG-000123', blankSerialTo: 'AG-000124' }, [{ field: 'blankSerialFrom', reason: 'not_allowed_value' }]],
      [{ mode: 'overlay', blankSerialFrom: 'AG-', blankSerialTo: 'AG-000124' }, [{ field: 'blankSerialFrom', reason: 'invalid_format' }]],
    ];
    for (const [body, details] of cases) {
      const answer = await api('POST', `/decisions/${decision.id}/print-jobs`, { token: printer.token, body });
      expect(answer.status, JSON.stringify(body)).to.equal(422);
      expect(answer.body.error.details.map((d: { field: string; reason: string }) => ({ field: d.field, reason: d.reason })), JSON.stringify(body)).to.deep.equal(details);
    }
    expect(await jobsOfDecision()).to.equal(0);
  });

  it('stores a run of serials with an overlay job, audited, in the API answers, on the job page and in the history', async () => {
    const created = await api('POST', `/decisions/${decision.id}/print-jobs`, { token: printer.token, body: { mode: 'overlay', blankSerialFrom: 'AG-000123', blankSerialTo: 'AG-000124' } });
    expect(created.status).to.equal(202);
    expect(created.body).to.include({ total: 2, blankSerialFrom: 'AG-000123', blankSerialTo: 'AG-000124' });
    const row = await db().selectFrom('print_jobs').selectAll().where('id', '=', created.body.id).executeTakeFirstOrThrow();
    expect(row).to.include({ blank_serial_from: 'AG-000123', blank_serial_to: 'AG-000124', mode: 'overlay' });
    expect((await auditRows('print_job', created.body.id))[0]!.after).to.include({ blank_serial_from: 'AG-000123', blank_serial_to: 'AG-000124' });
    expect((await api('GET', `/print-jobs/${created.body.id}`, { token: printer.token })).body).to.include({ blankSerialFrom: 'AG-000123', blankSerialTo: 'AG-000124' });
    const listed = (await api('GET', '/print-jobs', { token: printer.token })).body.items.find((job: { id: number }) => job.id === created.body.id);
    expect(listed).to.include({ blankSerialFrom: 'AG-000123', blankSerialTo: 'AG-000124' });

    const browser = await signedIn(printer);
    expect((await browser.get(`/print-jobs/${created.body.id}`)).html).to.contain('Phôi số AG-000123 đến AG-000124 (2 tờ)');
    expect((await browser.get('/print-jobs')).html).to.contain('Phôi số AG-000123 đến AG-000124 (2 tờ)');

    // The decision page's form: the same fields, and a job without serials keeps none.
    const page = await browser.get(`/decisions/${decision.id}`);
    expect(page.html).to.contain('name="blankSerialFrom"').and.contain('name="blankSerialTo"');
    const posted = await browser.post(`/decisions/${decision.id}/print-jobs`, { mode: 'overlay', blankSerialFrom: 'AG-000125', blankSerialTo: 'AG-000125' });
    expect(posted.status).to.equal(303);
    expect((await browser.get(posted.location!)).html).to.contain('Phôi số AG-000125 đến AG-000125 (1 tờ)');
    const plain = await browser.post(`/decisions/${decision.id}/print-jobs`, { mode: 'full', blankSerialFrom: '', blankSerialTo: '' });
    expect(plain.status).to.equal(303);
    expect((await browser.get(plain.location!)).html).to.not.contain('Phôi số');

    // A refused run comes back on the decision page: the field marked with its message, what was typed kept, no job.
    const jobsBefore = await db().selectFrom('print_jobs').select((eb) => eb.fn.countAll<string>().as('n')).where('decision_id', '=', decision.id).executeTakeFirstOrThrow();
    const refused = await browser.post(`/decisions/${decision.id}/print-jobs`, { mode: 'overlay', blankSerialFrom: 'AG-000130', blankSerialTo: '' });
    expect(refused.status).to.equal(422);
    expect(refused.html).to.contain('id="error-blankSerialTo"').and.contain('value="AG-000130"').and.contain('aria-invalid="true"');
    expect(refused.html).to.match(/<option value="overlay" selected>/);
    expect(refused.html).to.contain('class="error-summary"');
    const jobsAfter = await db().selectFrom('print_jobs').select((eb) => eb.fn.countAll<string>().as('n')).where('decision_id', '=', decision.id).executeTakeFirstOrThrow();
    expect(Number(jobsAfter.n)).to.equal(Number(jobsBefore.n));
  });
});
