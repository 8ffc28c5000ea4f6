// A revocation shows where the office looks (issue 18): the certificate page says when, by whom and
// why; the decision page marks the revoked recipient and says how many "print all" leaves out.
import { expect } from 'chai';
import { createCommittee } from '../support/awards.ts';
import { issueDecision } from '../support/certificates.ts';
import { api } from '../support/http.ts';
import { signedIn } from '../support/security.ts';

describe('certificates: a revocation shows on the certificate and decision pages', function () {
  this.timeout(60_000);

  it('names the date, the person and the reason on the certificate page, marks the recipient in the annex and counts what printing leaves out', async () => {
    const committee = await createCommittee();
    const decision = await issueDecision(committee, [{ name: 'Phí Văn Hùng' }, { name: 'La Thị Kim' }]);
    const revoked = decision.certificates[0]!;
    const reason = 'Cá nhân vi phạm quy định, bị kỷ luật khiển trách';
    expect((await api('POST', `/certificates/${revoked.id}/revoke`, { token: committee.secretary.token, body: { reason } })).status).to.equal(200);

    const secretary = await signedIn(committee.secretary);
    const page = await secretary.get(`/certificates/${revoked.id}`);
    expect(page.status).to.equal(200);
    const notice = /<p class="alert" role="status" id="revocation">([^<]*)<\/p>/.exec(page.html)?.[1] ?? '';
    expect(notice).to.match(/^Đã thu hồi lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}, người thu hồi: Thư ký Hội đồng\. Lý do: /);
    expect(notice).to.include(reason);
    expect((await secretary.get(`/certificates/${decision.certificates[1]!.id}`)).html).to.not.include('id="revocation"');

    const decisionPage = await secretary.get(`/decisions/${decision.id}`);
    expect(decisionPage.html).to.include('1 bằng khen đã thu hồi không được in khi tải tất cả hoặc in theo lô.');
    expect(decisionPage.html.match(/badge--certificate-revoked/g)).to.have.length(1);
    const annex = await secretary.get(`/decisions/${decision.id}/annex`);
    expect(annex.html, 'the printable annex is the signed list as it stands').to.not.include('badge--certificate-revoked');
  });
});
