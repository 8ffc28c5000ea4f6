// The decision page's printing block (issue 18: "downloading or previewing is not printing"): one
// print-mode choice for both actions; the print job is the main action and records prints, "Tải tất
// cả" posts the mode and goes on to the download, which records nothing; the page says how many
// certificates were printed and marks each recipient printed or not.
import { expect } from 'chai';
import { db } from '../support/context.ts';
import { TEST_PASSWORD } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';
import { createCommittee } from '../support/awards.ts';
import { issueDecision, printerOf } from '../support/certificates.ts';

describe('the decision page\'s print block', function () {
  this.timeout(60_000);

  it('offers one mode for the print job and the download, counts what was printed and marks each recipient', async () => {
    const committee = await createCommittee();
    const printer = await printerOf(committee);
    const decision = await issueDecision(committee, [{ name: 'Lạc Thị Hồng' }, { name: 'Tống Văn Khoa', gender: 'male' }]);
    const [first] = decision.certificates;
    expect((await api('POST', `/certificates/${first!.id}/print-log`, { token: printer.token, body: { mode: 'full' } })).status).to.equal(201);

    const browser = new Browser();
    await browser.login(printer.username, TEST_PASSWORD);
    const page = await browser.get(`/decisions/${decision.id}`);
    expect(page.status).to.equal(200);
    expect(page.html.match(/name="mode"/g), 'one mode choice').to.have.length(1);
    expect(page.html).to.include(`formaction="/decisions/${decision.id}/certificates.pdf"`).and.include(`action="/decisions/${decision.id}/print-jobs"`);
    expect(page.html).to.include('Đã in 1/2 bằng khen còn hiệu lực.');
    expect(page.html.match(/badge--printed/g)).to.have.length(1);
    expect(page.html.match(/badge--not-printed/g)).to.have.length(1);

    const download = await browser.post(`/decisions/${decision.id}/certificates.pdf`, { mode: 'overlay' });
    expect(download.status).to.equal(303);
    expect(download.location).to.equal(`/decisions/${decision.id}/certificates.pdf?mode=overlay`);
    expect((await browser.post(`/decisions/${decision.id}/certificates.pdf`, { mode: 'sideways' })).status).to.equal(422);
    const logged = await db().selectFrom('print_log').select('certificate_id').where('certificate_id', 'in', decision.certificates.map((c) => c.id)).execute();
    expect(logged.map((row) => row.certificate_id), 'going to the download records no print').to.deep.equal([first!.id]);
  });
});
