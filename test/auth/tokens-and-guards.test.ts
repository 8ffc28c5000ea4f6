import { expect } from 'chai';
import { db } from '../support/context.ts';
import { auditRows, createUnit, createUser, createUserWithToken, TEST_PASSWORD } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';

describe('API tokens', () => {
  it('issues a bearer token for valid credentials, stores only its hash, and audits it', async () => {
    const user = await createUser({ role: 'agency' });
    const response = await api('POST', '/tokens', { body: { username: user.username, password: TEST_PASSWORD } });
    expect(response.status).to.equal(201);
    expect(response.body.token).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(response.body.expiresAt)).to.be.greaterThan(Date.now());
    expect(response.body.user).to.deep.equal({ id: user.id, username: user.username, role: 'agency', unitId: user.unit_id });
    const stored = await db().selectFrom('api_tokens').select('token_hash').where('user_id', '=', user.id).execute();
    expect(stored).to.have.length(1);
    expect(stored[0]?.token_hash).to.not.equal(response.body.token);
    const me = await api('GET', '/me', { token: response.body.token });
    expect(me.status).to.equal(200);
    expect(me.body.username).to.equal(user.username);
    expect((await auditRows('user', user.id)).map((row) => row.action)).to.include('auth.login');
  });

  it('answers wrong credentials with 401 unauthenticated', async () => {
    const user = await createUser({ role: 'agency' });
    const response = await api('POST', '/tokens', { body: { username: user.username, password: 'wrong-password' } });
    expect(response.status).to.equal(401);
    expect(response.body.error.code).to.equal('unauthenticated');
  });

  it('answers a missing or malformed body with 422 listing both fields', async () => {
    const response = await api('POST', '/tokens', { body: { username: '', extra: 1 } });
    expect(response.status).to.equal(422);
    expect(response.body.error.code).to.equal('validation_failed');
    expect(response.body.error.details.map((d: { field: string }) => d.field).sort()).to.deep.equal(['extra', 'password', 'username']);
  });

  it('refuses an unknown, revoked or disabled user\'s token with 401', async () => {
    expect((await api('GET', '/me', { token: 'not-a-token' })).status).to.equal(401);
    const user = await createUserWithToken({ role: 'member' });
    expect((await api('DELETE', '/tokens/current', { token: user.token })).status).to.equal(204);
    expect((await api('GET', '/me', { token: user.token })).status).to.equal(401);
    const disabled = await createUserWithToken({ role: 'member' });
    await db().updateTable('users').set({ disabled_at: new Date() }).where('id', '=', disabled.id).execute();
    expect((await api('GET', '/me', { token: disabled.token })).status).to.equal(401);
  });

  it('answers an API call without a token with 401 in JSON', async () => {
    const response = await api('GET', '/units');
    expect(response.status).to.equal(401);
    expect(response.body).to.deep.equal({ error: { code: 'unauthenticated', message: 'Bạn cần đăng nhập.' } });
  });

  it('answers in English when the client asks for it', async () => {
    const response = await api('GET', '/units', { language: 'en' });
    expect(response.body.error.message).to.equal('Please log in.');
  });
});

describe('role guards', () => {
  for (const role of ['agency', 'secretary', 'member', 'printer'] as const) {
    it(`forbids a ${role} the admin pages and the unit and user API (403)`, async () => {
      const user = await createUserWithToken({ role });
      const browser = new Browser();
      await browser.login(user.username, TEST_PASSWORD);
      for (const path of ['/admin/units', '/admin/units/new', '/admin/users', '/admin/users/new']) {
        expect((await browser.get(path)).status, path).to.equal(403);
      }
      expect((await browser.post('/admin/units', { code: 'X1', name: 'Không được tạo', kind: 'agency' })).status).to.equal(403);
      expect((await api('POST', '/units', { token: user.token, body: { code: `Z${user.id}`, name: 'Không được tạo', kind: 'agency' } })).status).to.equal(403);
      expect((await api('POST', '/users', { token: user.token, body: {} })).status).to.equal(403);
      expect((await api('GET', '/users', { token: user.token })).status).to.equal(403);
      const written = await db().selectFrom('units').select('id').where('name', '=', 'Không được tạo').execute();
      expect(written).to.have.length(0);
    });
  }

  it('sends a visitor who is not logged in to the login page, keeping where they were going', async () => {
    const response = await new Browser().get('/admin/units');
    expect(response.status).to.equal(303);
    expect(response.location).to.equal('/login?next=%2Fadmin%2Funits');
  });

  it('lets an admin open every admin page', async () => {
    const admin = await createUser({ role: 'admin' });
    const browser = new Browser();
    await browser.login(admin.username, TEST_PASSWORD);
    for (const path of ['/admin/units', '/admin/units/new', '/admin/users', '/admin/users/new']) {
      expect((await browser.get(path)).status, path).to.equal(200);
    }
  });
});

describe('unit scope', () => {
  async function tree() {
    const oldProvince = await createUnit({ kind: 'province', name: 'Tỉnh Cũ', validTo: '2025-06-30' });
    const newProvince = await createUnit({ kind: 'province', name: 'Tỉnh Mới', validFrom: '2025-07-01' });
    await db().updateTable('units').set({ successor_id: newProvince.id }).where('id', '=', oldProvince.id).execute();
    const oldDistrict = await createUnit({ kind: 'district', parentId: oldProvince.id, validTo: '2025-06-30' });
    const oldCommune = await createUnit({ kind: 'commune', parentId: oldDistrict.id, validTo: '2025-06-30' });
    const department = await createUnit({ kind: 'agency', parentId: newProvince.id });
    const other = await createUnit({ kind: 'province', name: 'Tỉnh Khác' });
    return { oldProvince, newProvince, oldDistrict, oldCommune, department, other };
  }

  it('shows a user its own unit and the units under it, and hides other units as 404', async () => {
    const units = await tree();
    const user = await createUserWithToken({ role: 'agency', unitId: units.oldDistrict.id });
    expect((await api('GET', `/units/${units.oldDistrict.id}`, { token: user.token })).status, 'own').to.equal(200);
    expect((await api('GET', `/units/${units.oldCommune.id}`, { token: user.token })).status, 'child').to.equal(200);
    const other = await api('GET', `/units/${units.other.id}`, { token: user.token });
    expect(other.status, 'other').to.equal(404);
    expect(other.body.error.code).to.equal('not_found');
    expect((await api('GET', `/units/${units.oldProvince.id}`, { token: user.token })).status, 'parent').to.equal(404);
    const list = await api('GET', '/units?limit=200', { token: user.token });
    expect(list.body.items.map((unit: { id: number }) => unit.id).sort()).to.deep.equal([units.oldDistrict.id, units.oldCommune.id].sort());
    expect(list.body.total).to.equal(2);
  });

  it('gives the successor of a 2025 merger the merged unit and everything that was under it', async () => {
    const units = await tree();
    const user = await createUserWithToken({ role: 'secretary', unitId: units.newProvince.id });
    const list = await api('GET', '/units?limit=200', { token: user.token });
    expect(list.body.items.map((unit: { id: number }) => unit.id).sort()).to.deep.equal(
      [units.newProvince.id, units.oldProvince.id, units.oldDistrict.id, units.oldCommune.id, units.department.id].sort(),
    );
    expect((await api('GET', `/units/${units.other.id}`, { token: user.token })).status).to.equal(404);
  });

  it('lets an administrator see every unit', async () => {
    const units = await tree();
    const admin = await createUserWithToken({ role: 'admin', unitId: units.department.id });
    expect((await api('GET', `/units/${units.other.id}`, { token: admin.token })).status).to.equal(200);
  });

  it('pages the unit list with limit and cursor, each unit once', async () => {
    const units = await tree();
    const user = await createUserWithToken({ role: 'secretary', unitId: units.newProvince.id });
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: number }[]; nextCursor: string | null; total: number } } = await api('GET', `/units?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: user.token });
      expect(page.body.items.length).to.be.at.most(2);
      expect(page.body.total).to.equal(5);
      seen.push(...page.body.items.map((unit) => unit.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).to.have.length(5);
    expect(new Set(seen).size).to.equal(5);
    expect((await api('GET', '/units?limit=500', { token: user.token })).status).to.equal(422);
  });
});
