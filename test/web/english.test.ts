// Pages read in English (issue 22): award names in English, plurals that agree ("1 collective",
// "2 individuals"), numbers written and typed the English way ("1,200"); Vietnamese pages unchanged.
import { expect } from 'chai';
import { createCommittee } from '../support/awards.ts';
import { issueDecision } from '../support/certificates.ts';
import { createUnit, createUserWithToken, TEST_PASSWORD } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';
import { signedIn } from '../support/security.ts';

async function inEnglish(user: { username: string }): Promise<Browser> {
  const browser = await signedIn({ username: user.username, password: TEST_PASSWORD });
  browser.cookies.set('lang', 'en');
  return browser;
}

describe('pages in English', () => {
  it('names the award in English and counts recipients in agreeing plurals on the decision and certificate pages', async () => {
    const committee = await createCommittee();
    const decision = await issueDecision(committee, [{ name: 'Trường THCS Vĩnh Lạc', kind: 'collective' }, { name: 'Phạm Thị Thu Trang' }, { name: 'Huỳnh Văn Lộc' }]);
    const browser = await inEnglish(committee.secretary);
    const page = await browser.get(`/decisions/${decision.id}`);
    expect(page.status).to.equal(200);
    expect(page.html).to.include('Certificate of merit of the Chairman of the Provincial People&#x27;s Committee · 1 collective and 2 individuals');
    const certificate = await browser.get(`/certificates/${decision.certificates[0]!.id}`);
    expect(certificate.html).to.include('Certificate of merit of the Chairman of the Provincial People&#x27;s Committee ·');
    const vietnamese = await (await signedIn({ username: committee.secretary.username, password: TEST_PASSWORD })).get(`/decisions/${decision.id}`);
    expect(vietnamese.html).to.include('Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh · 1 tập thể và 2 cá nhân');
  });

  it('writes 1,250 people and 350,000,000 đồng on a model in English, 1.250 in Vietnamese, and reads "1,200" typed in English as 1200', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const model = await api('POST', '/models', { token: agency.token, body: { title: 'Mô hình đếm số người', unitId: unit.id, year: 2024, fieldCode: 'kinh_te', kind: 'model', summary: 'Thử cách viết số.' } });
    expect(model.status).to.equal(201);
    await api('POST', `/models/${model.body.id}/reports`, { token: agency.token, body: { status: 'implementing', reportedOn: '2024-04-01', note: 'Đợt 1', peopleReached: 1250, fundsVnd: 350000000 } });
    const english = await inEnglish(agency);
    const shown = await english.get(`/models/${model.body.id}`);
    expect(shown.html).to.include('1,250').and.include('350,000,000');
    const vietnamese = await (await signedIn({ username: agency.username, password: TEST_PASSWORD })).get(`/models/${model.body.id}`);
    expect(vietnamese.html).to.include('1.250').and.include('350.000.000');

    const typed = await english.post(`/models/${model.body.id}/reports`, { status: 'implementing', reportedOn: '02/04/2024', note: 'Đợt 2', peopleReached: '1,200', fundsVnd: '', workdays: '1,500' });
    expect(typed.status, /<div class="error-summary"[\s\S]*?<\/ul>/.exec(typed.html)?.[0]).to.equal(303);
    const detail = await api('GET', `/models/${model.body.id}`, { token: agency.token });
    const latest = detail.body.reports.at(-1);
    expect(latest).to.include({ peopleReached: 1200, workdays: 1500 });
  });
});
