// Downloading or previewing is not printing: a GET of a certificate's PDF, or of a decision's,
// records nothing; POST /certificates/:id/print-log (or the page's "Ghi nhận đã in" button) records
// one print with who, which mode and which copy, audited; a print job still records its own.
import { expect } from 'chai';
import { ctx } from '../support/context.ts';
import { auditRows, createUser } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';
import { createCommittee, type Committee } from '../support/awards.ts';
import { download, issueDecision, printerOf, printLogOf, type IssuedDecision } from '../support/certificates.ts';

describe('print log: downloading is not printing', () => {
  let committee: Committee;
  let decision: IssuedDecision;
  let printer: Awaited<ReturnType<typeof printerOf>>;

  before(async function () {
    this.timeout(120_000);
    committee = await createCommittee();
    printer = await printerOf(committee);
    decision = await issueDecision(committee, [{ name: 'Hoàng Thị Thúy Hằng' }, { name: 'Tổ dân vận ấp Phước Lộc', kind: 'collective' }]);
  });

  it('writes no print-log row for a GET of a certificate PDF, a decision PDF or its overlay, on the API and the pages', async function () {
    this.timeout(60_000);
    const [first] = decision.certificates;
    for (const path of [`/certificates/${first!.id}.pdf`, `/certificates/${first!.id}.pdf?mode=overlay`, `/decisions/${decision.id}/certificates.pdf`, `/decisions/${decision.id}/certificates.pdf?mode=overlay`]) {
      const answer = await download(path, printer.token);
      expect(answer.status, path).to.equal(200);
      expect(answer.headers.get('content-type')).to.equal('application/pdf');
    }
    const page = await createUser({ role: 'printer', unitId: committee.province.id });
    const browser = new Browser();
    expect((await browser.login(page.username, page.password)).status).to.equal(303);
    const preview = await fetch(`${ctx().baseUrl}/certificates/${first!.id}.pdf?mode=full`, { headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-forwarded-for': browser.address } });
    expect(preview.status).to.equal(200);
    expect(preview.headers.get('content-type')).to.equal('application/pdf');
    await preview.arrayBuffer();
    expect(await printLogOf(decision.certificates.map((c) => c.id))).to.deep.equal([]);
  });

  it('records one print with POST print-log: 201, the printer, the mode, channel single, the current copy, and an audit row', async () => {
    const certificate = decision.certificates[1]!;
    const recorded = await api('POST', `/certificates/${certificate.id}/print-log`, { token: printer.token, body: { mode: 'overlay' } });
    expect(recorded.status, JSON.stringify(recorded.body)).to.equal(201);
    expect(recorded.body).to.include({ certificateId: certificate.id, copyNumber: 0, mode: 'overlay', channel: 'single', printedBy: printer.id });
    expect(recorded.body.id).to.be.a('number');
    expect(Date.parse(recorded.body.printedAt)).to.be.closeTo(Date.now(), 60_000);
    const rows = await printLogOf([certificate.id]);
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ certificate_id: certificate.id, printed_by: printer.id, mode: 'overlay', channel: 'single', copy_number: 0, job_id: null });
    const audit = await auditRows('certificate', certificate.id);
    expect(audit.map((row) => ({ action: row.action, actor: row.actor_user_id }))).to.deep.equal([{ action: 'certificate.print', actor: printer.id }]);
    expect(audit[0]!.after).to.deep.equal({ printLogId: recorded.body.id, mode: 'overlay', copyNumber: 0 });
  });

  it('refuses a print-log without a valid mode (422), from agency staff (403) and without a login (401), writing nothing', async () => {
    const certificate = decision.certificates[0]!;
    const before = await printLogOf([certificate.id]);
    for (const body of [{}, { mode: 'poster' }]) {
      const refused = await api('POST', `/certificates/${certificate.id}/print-log`, { token: printer.token, body });
      expect(refused.status).to.equal(422);
      expect(refused.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['mode']);
    }
    expect((await api('POST', `/certificates/${certificate.id}/print-log`, { token: committee.agency.token, body: { mode: 'full' } })).status).to.equal(403);
    expect((await api('POST', `/certificates/${certificate.id}/print-log`, { body: { mode: 'full' } })).status).to.equal(401);
    expect((await api('POST', '/certificates/2147483000/print-log', { token: printer.token, body: { mode: 'full' } })).status).to.equal(404);
    expect(await printLogOf([certificate.id])).to.deep.equal(before);
  });

  it('records a print from the certificate page\'s "Ghi nhận đã in" button (with its CSRF token) and shows it in the page\'s log', async () => {
    const certificate = decision.certificates[0]!;
    const user = await createUser({ role: 'printer', unitId: committee.province.id, fullName: 'Văn thư Lê Thị Mai' });
    const browser = new Browser();
    expect((await browser.login(user.username, user.password)).status).to.equal(303);
    const page = await browser.get(`/certificates/${certificate.id}`);
    expect(page.status).to.equal(200);
    expect(page.html).to.contain(`action="/certificates/${certificate.id}/print-log"`);
    expect(page.html).to.contain('Ghi nhận đã in');
    expect(page.html).to.contain('Chưa in lần nào.');

    // Without the token the form is refused and nothing is written.
    const forged = await browser.post(`/certificates/${certificate.id}/print-log`, { _csrf: null, mode: 'full' });
    expect(forged.status).to.equal(403);
    expect(await printLogOf([certificate.id])).to.deep.equal([]);

    const sent = await browser.post(`/certificates/${certificate.id}/print-log`, { mode: 'full' });
    expect(sent.status).to.equal(303);
    expect(sent.location).to.equal(`/certificates/${certificate.id}`);
    const rows = await printLogOf([certificate.id]);
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ printed_by: user.id, mode: 'full', channel: 'single' });
    expect((await auditRows('certificate', certificate.id)).map((row) => row.action)).to.deep.equal(['certificate.print']);
    const after = await browser.get(`/certificates/${certificate.id}`);
    expect(after.html).to.contain('Đã ghi nhận một lần in vào nhật ký.');
    expect(after.html).to.contain('Văn thư Lê Thị Mai · In lẻ · Giấy trắng');
  });
});
