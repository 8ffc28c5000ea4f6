// Never a 500 for bad input: tampered cursors on every list, page numbers beyond integers, a NUL in a
// username, a JSON body of 90.000 nested arrays, and implausible dates in every date field each
// answer 400 or 422 with a clear error and a stable reason.
import { expect } from 'chai';
import { ctx, db } from '../support/context.ts';
import { createCommittee, inDays, openRound } from '../support/awards.ts';
import { createUnit, createUserWithToken, TEST_PASSWORD, uniqueSuffix } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Cursors nobody was given: as typed, and as base64url JSON of numbers out of range. */
const TAMPERED_CURSORS = [
  '1e308', '2147483648', '-1', 'abc',
  encode(1e308), encode(2147483648), encode(-1), encode(1.5), encode({ before: 1e308 }), encode({ before: 2147483648 }), encode({ before: -1 }), encode([[[[1]]]]),
];

/** Every list of the API that pages with ?cursor=. */
const LISTS = ['/models', '/models?sort=title', '/units', '/users', '/award-rounds', '/nominations'];

function reasonOf(body: { error?: { reason?: string; details?: { field: string; reason?: string }[] } }): string | undefined {
  return body.error?.reason ?? body.error?.details?.find((d) => d.field === 'cursor')?.reason;
}

describe('bad input: tampered cursors and pages', () => {
  it('answers every tampered cursor on every list with 400 or 422 invalid_cursor', async function () {
    this.timeout(120_000);
    const admin = await createUserWithToken({ role: 'admin' });
    const failures: string[] = [];
    for (const list of LISTS) {
      for (const cursor of TAMPERED_CURSORS) {
        const response = await api('GET', `${list}${list.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`, { token: admin.token });
        if (![400, 422].includes(response.status) || reasonOf(response.body) !== 'invalid_cursor' || !response.body.error.message) {
          failures.push(`${list} cursor=${cursor}: ${response.status} ${JSON.stringify(response.body).slice(0, 160)}`);
        }
      }
    }
    expect(failures).to.deep.equal([]);
  });

  it('still follows the cursors it gave out', async () => {
    const unit = await createUnit();
    const admin = await createUserWithToken({ role: 'admin', unitId: unit.id });
    for (let i = 0; i < 2; i++) await createUserWithToken({ role: 'agency' }); // each in a unit of its own: three users, three units at least
    for (let i = 0; i < 3; i++) await api('POST', '/models', { token: admin.token, body: { title: `Mô hình phân trang ${i}`, unitId: unit.id, year: 2024, fieldCode: 'kinh_te', kind: 'model', summary: 'Một nội dung tóm tắt đủ dài.' } });
    for (const list of [`/models?unitId=${unit.id}&limit=2`, `/models?unitId=${unit.id}&limit=2&sort=title`, '/units?limit=2', '/users?limit=2']) {
      const first = await api('GET', list, { token: admin.token });
      expect(first.body.nextCursor, list).to.be.a('string');
      const second = await api('GET', `${list}&cursor=${first.body.nextCursor}`, { token: admin.token });
      expect(second.status, list).to.equal(200);
    }
  });

  it('answers a page number beyond integers on the model list page with 422', async () => {
    const user = await createUserWithToken({ role: 'agency' });
    const browser = new Browser();
    await browser.login(user.username, TEST_PASSWORD);
    for (const page of ['1e400', '2147483648', '99999999999999999999', '-1', '0', 'abc', '1.5', 'Infinity', 'NaN']) {
      const response = await browser.get(`/models?page=${encodeURIComponent(page)}`);
      expect(response.status, page).to.equal(422);
    }
  });
});

describe('bad input: a NUL in a username', () => {
  it('refuses a NUL in the username of a token request, the login form and a new user with 422', async () => {
    const unit = await createUnit();
    const admin = await createUserWithToken({ role: 'admin', unitId: unit.id });
    const token = await api('POST', '/tokens', { body: { username: `${admin.username}\u0000`, password: TEST_PASSWORD } });
    expect(token.status).to.equal(422);
    expect(token.body.error.details[0]).to.include({ field: 'username', reason: 'invalid_characters' });
    const browser = new Browser();
    await browser.get('/login');
    const login = await browser.post('/login', { username: `ad\u0000min`, password: TEST_PASSWORD });
    expect(login.status).to.equal(422);
    const created = await api('POST', '/users', { token: admin.token, body: { username: `u\u0000${uniqueSuffix().toLowerCase()}`, password: 'Mật-khẩu-dài-đủ-1', fullName: 'Nguyễn Văn An', role: 'agency', unitId: unit.id } });
    expect(created.status).to.equal(422);
    expect(created.body.error.details[0].field).to.equal('username');
  });
});

describe('bad input: deeply nested JSON', () => {
  it('answers a body of 90.000 nested arrays with 400 too_deep, and the app keeps answering', async function () {
    this.timeout(60_000);
    const user = await createUserWithToken({ role: 'agency' });
    const depth = 90_000;
    for (const path of ['/api/v1/models', '/api/v1/tokens', '/api/v1/nominations']) {
      const response = await fetch(`${ctx().baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
        body: '['.repeat(depth) + ']'.repeat(depth),
      });
      expect(response.status, path).to.equal(400);
      const body = await response.json();
      expect(body.error, path).to.include({ code: 'bad_request', reason: 'too_deep' });
      expect(body.error.message).to.include('32');
    }
    const nested = await api('POST', '/models', { token: user.token, body: { title: [[[['x']]]] } });
    expect(nested.status, 'shallow nesting is a plain validation error').to.equal(422);
    expect((await api('GET', '/models', { token: user.token })).status).to.equal(200);
  });
});

describe('bad input: implausible dates', () => {
  const DATES = ['9999-12-31', '0100-01-01', '1944-12-31', `${new Date().getFullYear() + 2}-01-01`];

  function expectOutOfRange(response: { status: number; body: any }, field: string, what: string) {
    expect(response.status, what).to.equal(422);
    const detail = response.body.error.details.find((d: { field: string }) => d.field === field);
    expect(detail, `${what}: ${JSON.stringify(response.body)}`).to.include({ reason: 'date_out_of_range' });
    expect(detail.message, what).to.include('1945').and.include(String(new Date().getFullYear() + 1));
  }

  it('refuses them in every date field of the API with 422 date_out_of_range, and writes nothing', async function () {
    this.timeout(120_000);
    const committee = await createCommittee({ members: 1 });
    const round = await openRound(committee);
    const admin = await createUserWithToken({ role: 'admin' });
    const unit = await createUnit();
    const { body: model } = await api('POST', '/models', { token: admin.token, body: { title: 'Mô hình có ngày', unitId: unit.id, year: 2024, fieldCode: 'kinh_te', kind: 'model', summary: 'Một nội dung tóm tắt đủ dài.' } });
    const counts = async () => Promise.all(['models', 'model_reports', 'units', 'award_rounds', 'decisions'].map(async (table) => Number((await db().selectFrom(table as 'models').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)));
    const before = await counts();
    for (const date of DATES) {
      expectOutOfRange(await api('POST', '/models', { token: admin.token, body: { title: 'Mô hình có ngày', unitId: unit.id, year: 2024, fieldCode: 'kinh_te', kind: 'model', summary: 'Một nội dung tóm tắt đủ dài.', startedOn: date } }), 'startedOn', `startedOn ${date}`);
      expectOutOfRange(await api('PATCH', `/models/${model.id}`, { token: admin.token, body: { startedOn: date } }), 'startedOn', `PATCH startedOn ${date}`);
      expectOutOfRange(await api('POST', `/models/${model.id}/reports`, { token: admin.token, body: { status: 'implementing', reportedOn: date, note: 'Báo cáo' } }), 'reportedOn', `reportedOn ${date}`);
      for (const field of ['validFrom', 'validTo']) {
        expectOutOfRange(await api('POST', '/units', { token: admin.token, body: { code: `D${uniqueSuffix()}`, name: 'Đơn vị có ngày', kind: 'agency', [field]: date } }), field, `${field} ${date}`);
      }
      expectOutOfRange(
        await api('POST', '/award-rounds', { token: committee.secretary.token, body: { title: 'Đợt có ngày', year: 2025, awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId: committee.province.id, closesOn: date } }),
        'closesOn',
        `closesOn ${date}`,
      );
      expectOutOfRange(
        await api('POST', '/decisions', { token: committee.secretary.token, body: { roundId: round.id, signedOn: date, signerName: 'Trần Văn Bình', signerTitle: 'CHỦ TỊCH', nominationIds: [1] } }),
        'signedOn',
        `signedOn ${date}`,
      );
    }
    expect(await counts()).to.deep.equal(before);
    expect(inDays(10) < `${new Date().getFullYear() + 2}`, 'a round closing soon is still accepted').to.equal(true);
  });

  it('refuses them in a form date (dd/mm/yyyy) with 422 and says which years are accepted', async () => {
    const unit = await createUnit();
    const user = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const browser = new Browser();
    await browser.login(user.username, TEST_PASSWORD);
    await browser.get('/models/new');
    const response = await browser.post('/models', { title: 'Mô hình có ngày', unitId: String(unit.id), year: '2024', fieldCode: 'kinh_te', kind: 'model', summary: 'Một nội dung tóm tắt đủ dài.', startedOn: '31/12/9999' });
    expect(response.status).to.equal(422);
    expect(response.html).to.include(`từ năm 1945 đến năm ${new Date().getFullYear() + 1}`);
  });
});
