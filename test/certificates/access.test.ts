// Who may print: printing staff, the secretariat and administrators of the issuing body; agency
// staff and committee members are refused (403), printers of another province do not see the
// decision at all (404). Downloading is not printing: a print is recorded by POST print-log, one
// row with who and how.
import { expect } from 'chai';
import { db } from '../support/context.ts';
import { createUnit, createUserWithToken } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { createCommittee, type Committee } from '../support/awards.ts';
import { download, issueDecision, pdfInfo, printerOf, printLogOf, type IssuedDecision } from '../support/certificates.ts';


describe('certificate printing: roles and unit scope', () => {
  let committee: Committee;
  let decision: IssuedDecision;
  let paths: string[];
  const printLogCount = async () => (await printLogOf(decision.certificates.map((c) => c.id))).length;

  before(async function () {
    this.timeout(120_000);
    committee = await createCommittee();
    decision = await issueDecision(committee, [{ name: 'Trần Thị Thu Hà' }, { name: 'Đội công tác dân vận xã', kind: 'collective' }]);
    paths = [`/certificates/${decision.certificates[0]!.id}.pdf`, `/decisions/${decision.id}/certificates.pdf`, `/decisions/${decision.id}/certificates.pdf?mode=overlay`];
  });

  it('refuses agency staff and committee members with 403, writing no print log', async () => {
    const before = await printLogCount();
    for (const user of [committee.agency, committee.members[0]!]) {
      for (const path of paths) {
        const answer = await download(path, user.token);
        expect(answer.status, `${user.role} ${path}`).to.equal(403);
        expect(answer.json.error.code).to.equal('forbidden');
      }
      const job = await api('POST', `/decisions/${decision.id}/print-jobs`, { token: user.token, body: {} });
      expect(job.status).to.equal(403);
      const logged = await api('POST', `/certificates/${decision.certificates[0]!.id}/print-log`, { token: user.token, body: { mode: 'full' } });
      expect(logged.status).to.equal(403);
    }
    expect(await printLogCount()).to.equal(before);
    expect(await db().selectFrom('print_jobs').select('id').where('decision_id', '=', decision.id).execute()).to.deep.equal([]);
  });

  it('answers 404 to a printer of another province, as if the decision did not exist', async () => {
    const otherProvince = await createUnit({ kind: 'province', name: 'Tỉnh khác' });
    const outsider = await createUserWithToken({ role: 'printer', unitId: otherProvince.id });
    const before = await printLogCount();
    for (const path of paths) {
      const answer = await download(path, outsider.token);
      expect(answer.status, path).to.equal(404);
      expect(answer.json.error.code).to.equal('not_found');
    }
    const job = await api('POST', `/decisions/${decision.id}/print-jobs`, { token: outsider.token, body: {} });
    expect(job.status).to.equal(404);
    const reissue = await api('POST', `/certificates/${decision.certificates[0]!.id}/reissue`, { token: outsider.token, body: { reason: 'Bằng khen bị mất' } });
    expect(reissue.status).to.equal(404);
    const logged = await api('POST', `/certificates/${decision.certificates[0]!.id}/print-log`, { token: outsider.token, body: { mode: 'full' } });
    expect(logged.status).to.equal(404);
    expect(await printLogCount()).to.equal(before);
  });

  it('answers 401 without a token or with a wrong one', async () => {
    for (const path of paths) {
      for (const token of [undefined, 'not-a-real-token']) {
        const answer = await download(path, token);
        expect(answer.status, `${path} ${token}`).to.equal(401);
        expect(answer.json.error.code).to.equal('unauthenticated');
      }
    }
  });

  it('answers 404 for an unknown certificate or decision and 422 for an id that is not a number', async () => {
    const printer = await printerOf(committee);
    expect((await download('/certificates/2147483000.pdf', printer.token)).status).to.equal(404);
    expect((await download('/decisions/2147483000/certificates.pdf', printer.token)).status).to.equal(404);
    const bad = await download('/certificates/abc.pdf', printer.token);
    expect(bad.status).to.equal(422);
    expect(bad.json.error.code).to.equal('validation_failed');
    expect((await download(`/decisions/${decision.id}/certificates.pdf?mode=poster`, printer.token)).status).to.equal(422);
  });

  it('lets a printer, the secretary and an administrator download without logging, and record a print with one row each with who and which mode', async () => {
    const printer = await printerOf(committee);
    const admin = await createUserWithToken({ role: 'admin' });
    const [first, second] = decision.certificates;
    const before = await printLogOf([first!.id, second!.id]);

    const single = await download(`/certificates/${first!.id}.pdf`, printer.token);
    expect(single.status).to.equal(200);
    expect((await pdfInfo(single.bytes)).pages).to.equal(1);
    const whole = await download(`/decisions/${decision.id}/certificates.pdf`, printer.token);
    expect(whole.status).to.equal(200);
    expect((await pdfInfo(whole.bytes)).pages).to.equal(2);
    const bySecretary = await download(`/certificates/${second!.id}.pdf?mode=overlay`, committee.secretary.token);
    expect(bySecretary.status).to.equal(200);
    const byAdmin = await download(`/certificates/${first!.id}.pdf`, admin.token);
    expect(byAdmin.status).to.equal(200);

    expect(await printLogOf([first!.id, second!.id]), 'downloads are not prints').to.deep.equal(before);

    for (const [user, certificate, mode] of [[printer, first!, 'full'], [committee.secretary, second!, 'overlay'], [admin, first!, 'full']] as const) {
      const recorded = await api('POST', `/certificates/${certificate.id}/print-log`, { token: user.token, body: { mode } });
      expect(recorded.status, JSON.stringify(recorded.body)).to.equal(201);
    }
    const rows = (await printLogOf([first!.id, second!.id])).filter((row) => !before.some((old) => old.id === row.id));
    expect(rows.map((row) => ({ certificate: row.certificate_id, by: row.printed_by, channel: row.channel, mode: row.mode, job: row.job_id, copy: row.copy_number }))).to.deep.equal([
      { certificate: first!.id, by: printer.id, channel: 'single', mode: 'full', job: null, copy: 0 },
      { certificate: second!.id, by: committee.secretary.id, channel: 'single', mode: 'overlay', job: null, copy: 0 },
      { certificate: first!.id, by: admin.id, channel: 'single', mode: 'full', job: null, copy: 0 },
    ]);
    for (const row of rows) expect(row.printed_at).to.be.an.instanceOf(Date);
  });
});
