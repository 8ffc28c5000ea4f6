// Error pages are titled by what happened (issue 22): "Không tìm thấy", "Không có quyền"... in the
// heading and the window title, in English when the user chose it; the message says the rest.
import { expect } from 'chai';
import { createUserWithToken } from '../support/factories.ts';
import { signedIn } from '../support/security.ts';

const heading = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];

describe('error pages', () => {
  it('title a missing page "Không tìm thấy", a refused one "Không có quyền", bad input "Dữ liệu chưa hợp lệ"', async () => {
    const agency = await signedIn(await createUserWithToken({ role: 'agency' }));
    const missing = await agency.get('/awards/2000000000');
    expect(missing.status).to.equal(404);
    expect(heading(missing.html)).to.equal('Không tìm thấy');
    expect(missing.html).to.match(/<title>Không tìm thấy/);
    const refused = await agency.get('/admin/users');
    expect(refused.status).to.equal(403);
    expect(heading(refused.html)).to.equal('Không có quyền');
    const bad = await agency.get('/awards/abc');
    expect(bad.status).to.equal(422);
    expect(heading(bad.html)).to.equal('Dữ liệu chưa hợp lệ');
    await agency.get('/language/en?next=/');
    expect(heading((await agency.get('/awards/2000000000')).html)).to.equal('Not found');
  });
});
