// Public verification: anyone holding a certificate's code (its QR code) sees whether it is valid,
// who received it, for what, by which decision and issuer, and nothing more. Unknown and malformed
// codes are 404 (or 422), never an error; one address gets 30 answers a minute, then 429.
import { randomBytes, randomInt } from 'node:crypto';
import { expect } from 'chai';
import { ctx } from '../support/context.ts';
import { api } from '../support/http.ts';
import { createUserWithToken } from '../support/factories.ts';
import { createCommittee, type Committee } from '../support/awards.ts';
import { issueDecision, type IssuedDecision } from '../support/certificates.ts';
import { bodyName } from '../../server/units/names.ts';

const ACHIEVEMENT = 'Vận động 120 hộ dân hiến đất làm đường giao thông nông thôn';
const POSITION = 'Trưởng ban Công tác Mặt trận khu dân cư';

async function page(path: string, address = randomAddress()) {
  const response = await fetch(`${ctx().baseUrl}${path}`, { headers: { 'x-forwarded-for': address }, redirect: 'manual' });
  return { status: response.status, html: await response.text(), headers: response.headers };
}

function randomAddress(): string {
  return `172.${randomInt(16, 32)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

describe('public verification of certificates', () => {
  let committee: Committee;
  let decision: IssuedDecision;

  before(async function () {
    this.timeout(60_000);
    committee = await createCommittee();
    decision = await issueDecision(committee, [{ name: 'Nguyễn Thị Ánh Tuyết', position: POSITION, achievement: ACHIEVEMENT }]);
  });

  it('answers the JSON without login with exactly status, recipient, award, decision, date and issuer', async () => {
    const [certificate] = decision.certificates;
    const answer = await api('GET', `/verify/${certificate!.verificationCode}`);
    expect(answer.status).to.equal(200);
    expect(answer.body).to.deep.equal({
      status: 'valid',
      recipientName: 'Nguyễn Thị Ánh Tuyết',
      awardTitle: 'Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh',
      decisionNumber: decision.number,
      decisionDate: '2025-12-20',
      issuer: bodyName(committee.province.name, 'province'),
    });
    expect(Object.keys(answer.body).sort()).to.deep.equal(['awardTitle', 'decisionDate', 'decisionNumber', 'issuer', 'recipientName', 'status']);
  });

  it('answers 404 for an unknown code and 404 or 422 for a malformed one, never a server error', async () => {
    const unknown = await api('GET', `/verify/${randomBytes(16).toString('base64url')}`);
    expect(unknown.status).to.equal(404);
    expect(unknown.body.error.code).to.equal('not_found');
    const registerNumber = String(decision.certificates[0]!.registerNumber);
    for (const code of ['abc', registerNumber, 'x'.repeat(65), encodeURIComponent("' OR 1=1 --"), encodeURIComponent('../../etc/passwd'), encodeURIComponent('ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ'), `${decision.certificates[0]!.verificationCode}%00`]) {
      const answer = await api('GET', `/verify/${code}`);
      expect([404, 422], code).to.include(answer.status);
      expect(answer.body.error.code).to.be.oneOf(['not_found', 'validation_failed', 'bad_request']);
    }
  });

  it('answers a code with a broken percent-escape with 400 and the usual Vietnamese error, never 500', async () => {
    for (const code of ['%E0%A4%A', '%']) {
      const answer = await api('GET', `/verify/${code}`);
      expect(answer.status, code).to.equal(400);
      expect(answer.body.error).to.deep.equal({
        code: 'bad_request',
        reason: 'bad_request',
        message: 'Yêu cầu không hợp lệ.',
      });
      const shown = await page(`/verify/${code}`);
      expect(shown.status, code).to.equal(400);
      expect(shown.headers.get('content-type')).to.match(/^text\/html/);
      expect(shown.html).to.contain('Yêu cầu không hợp lệ.');
      expect(shown.html).to.not.contain('URIError');
    }
  });

  it('answers a broken percent-escape on the models routes with 400 too, for a signed-in caller and a broken language cookie', async () => {
    const user = await createUserWithToken({ role: 'admin' });
    const listed = await api('GET', '/models/%E0%A4%A', { token: user.token });
    expect(listed.status).to.equal(400);
    expect(listed.body.error.code).to.equal('bad_request');
    const shown = await fetch(`${ctx().baseUrl}/models/%E0%A4%A`, { headers: { cookie: 'lang=%E0%A4%A', 'x-forwarded-for': randomAddress() }, redirect: 'manual' });
    expect(shown.status).to.equal(400);
    expect(await shown.text()).to.contain('Yêu cầu không hợp lệ.');
  });

  it('shows the page with the name and "hợp lệ", without the achievement or position', async () => {
    const [certificate] = decision.certificates;
    const shown = await page(`/verify/${certificate!.verificationCode}`);
    expect(shown.status).to.equal(200);
    expect(shown.headers.get('content-type')).to.match(/^text\/html/);
    expect(shown.html).to.contain('Nguyễn Thị Ánh Tuyết');
    expect(shown.html).to.contain('hợp lệ');
    expect(shown.html).to.contain(decision.number);
    expect(shown.html, 'the People\'s Committee, not the territory').to.contain(bodyName(committee.province.name, 'province'));
    expect(shown.html).to.not.contain(ACHIEVEMENT);
    expect(shown.html).to.not.contain(POSITION);
    const missing = await page(`/verify/${randomBytes(16).toString('base64url')}`);
    expect(missing.status).to.equal(404);
    expect(missing.html).to.contain('Không tìm thấy bằng khen');
    expect(missing.html).to.not.contain('hợp lệ');
    expect((await page('/verify/abc')).status).to.equal(404);
  });

  it('answers 429 with Retry-After after 30 requests a minute from one address, pages and JSON alike, and not to another address', async () => {
    const code = decision.certificates[0]!.verificationCode;
    const address = randomAddress();
    for (let i = 0; i < 30; i++) {
      const answer = await api('GET', `/verify/${code}`, { address });
      expect(answer.status, `request ${i + 1}`).to.equal(200);
    }
    const limited = await api('GET', `/verify/${code}`, { address });
    expect(limited.status).to.equal(429);
    expect(limited.body.error.code).to.equal('rate_limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).to.be.within(1, 60);
    const limitedPage = await page(`/verify/${code}`, address);
    expect(limitedPage.status).to.equal(429);
    expect(limitedPage.headers.get('retry-after')).to.match(/^\d+$/);
    // Unknown codes count too: guessing is what the limit is for.
    expect((await api('GET', `/verify/${randomBytes(16).toString('base64url')}`, { address })).status).to.equal(429);
    expect((await api('GET', `/verify/${code}`, { address: randomAddress() })).status).to.equal(200);
  });
});
