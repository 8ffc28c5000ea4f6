// The models list and its exports sorted by title in Vietnamese order (sql/0035): the API, the page and
// the .csv agree with Intl.Collator('vi'), on PGlite and on PostgreSQL alike.
import { expect } from 'chai';
import { ctx } from '../support/context.ts';
import { createUnit, createUserWithToken, TEST_PASSWORD } from '../support/factories.ts';
import { api } from '../support/http.ts';
import { signedIn } from '../support/security.ts';

const TITLES = ['Công an xã nói dân nghe', 'Chi bộ ấp gương mẫu', 'Cải cách thủ tục một cửa', 'Đường hoa nông thôn mới', 'Dân vận khéo trong trường học', 'Ủy ban xã thân thiện', 'Ứng dụng số cho người cao tuổi', 'Bếp ăn tình thương'];
const vietnamese = new Intl.Collator('vi');

describe('models sorted by title, in Vietnamese order', () => {
  it('lists, shows and exports them as a Vietnamese reader expects: Cải before Chi before Công, Đ after D, Ư after U', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    for (const title of TITLES) {
      const created = await api('POST', '/models', { token: agency.token, body: { title, unitId: unit.id, year: 2023, fieldCode: 'kinh_te', kind: 'model', summary: 'Mô hình để thử thứ tự sắp xếp tiếng Việt.' } });
      expect(created.status, JSON.stringify(created.body)).to.equal(201);
    }
    const expected = [...TITLES].sort(vietnamese.compare);
    expect(expected.slice(1, 4)).to.deep.equal(['Cải cách thủ tục một cửa', 'Chi bộ ấp gương mẫu', 'Công an xã nói dân nghe']);

    const listed = await api('GET', `/models?unitId=${unit.id}&sort=title&limit=50`, { token: agency.token });
    expect(listed.body.items.map((m: { title: string }) => m.title)).to.deep.equal(expected);

    const page = await (await signedIn({ username: agency.username, password: TEST_PASSWORD })).get(`/models?unitId=${unit.id}&sort=title`);
    const shown = TITLES.map((title) => [title, page.html.indexOf(title)] as const).sort((a, b) => a[1] - b[1]).map(([title]) => title);
    expect(shown).to.deep.equal(expected);

    const csv = await (await fetch(`${ctx().baseUrl}/api/v1/models/export.csv?unitId=${unit.id}&sort=title`, { headers: { authorization: `Bearer ${agency.token}` } })).text();
    const exported = TITLES.map((title) => [title, csv.indexOf(title)] as const).sort((a, b) => a[1] - b[1]).map(([title]) => title);
    expect(exported).to.deep.equal(expected);
  });
});
