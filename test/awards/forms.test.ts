// What a Vietnamese office notices on the awards forms (issue 22, "Forms"): fields required only
// for an individual say so, a dossier upload without its file asks for a file to attach, and no
// GET form sends the CSRF token (it would show as ?_csrf= in the address bar).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ctx } from '../support/context.ts';
import { TEST_PASSWORD } from '../support/factories.ts';
import { Browser, type PageResponse } from '../support/http.ts';
import { createCommittee, individual, openRound, rowCounts } from '../support/awards.ts';
import { api } from '../support/http.ts';
import { LANGUAGE_COOKIE } from '../../server/web/request.ts';

async function loggedIn(username: string): Promise<Browser> {
  const browser = new Browser();
  expect((await browser.login(username, TEST_PASSWORD)).status).to.equal(303);
  return browser;
}

/** The page's multipart upload, as a browser sends it: the form's action (with its token) and the session cookie. */
async function uploadThroughPage(browser: Browser, action: string, fields: Record<string, string>, file?: { name: string; content: Buffer }): Promise<PageResponse> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  if (file) form.append('file', new Blob([new Uint8Array(file.content)], { type: 'application/pdf' }), file.name);
  const response = await fetch(ctx().baseUrl + action, {
    method: 'POST', redirect: 'manual', body: form,
    headers: { 'x-forwarded-for': browser.address, cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  return { status: response.status, html: await response.text(), location: response.headers.get('location'), headers: response.headers };
}

const labelOf = (html: string, field: string) => new RegExp(`<label for="field-${field}">([^]*?)</label>`).exec(html)?.[1] ?? '';

describe('awards forms (issue 22)', () => {
  it('marks position, gender and birth year "bắt buộc với cá nhân" on the nomination form, in both languages', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const agency = await loggedIn(committee.agency.username);
    const page = await agency.get(`/awards/${round.id}/nominations/new`);
    expect(page.status).to.equal(200);
    for (const field of ['position', 'gender', 'birthYear']) {
      expect(labelOf(page.html, field), field).to.include('(bắt buộc với cá nhân)').and.not.include('không bắt buộc');
    }
    expect(page.html).to.include('Để trống nếu đề nghị khen tập thể.');
    // A field optional for everyone keeps its marker.
    expect(page.html).to.include('(không bắt buộc)');
    agency.cookies.set(LANGUAGE_COOKIE, 'en');
    const english = await agency.get(`/awards/${round.id}/nominations/new`);
    agency.cookies.delete(LANGUAGE_COOKIE);
    expect(labelOf(english.html, 'gender')).to.include('(required for an individual)');
    // The refusal that the marker announces.
    const refused = await agency.post(`/awards/${round.id}/nominations`, { roundId: String(round.id), nomineeKind: 'individual', unitId: String(committee.department.id), nomineeName: 'Võ Thị Hồng', achievement: 'Đã có thành tích xuất sắc trong phong trào.', gender: 'other' });
    expect(refused.status).to.equal(422);
    expect(refused.html).to.include('Giới tính: chọn một trong Nữ, Nam.').and.include('Năm sinh là bắt buộc.');
  });

  it('asks for a file to attach (not to import) when the dossier form is sent without one, storing nothing', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const created = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id) });
    expect(created.status).to.equal(201);
    const agency = await loggedIn(committee.agency.username);
    const page = await agency.get(`/nominations/${created.body.id}`);
    const action = /<form method="post" action="([^"]*\/files)" enctype="multipart\/form-data"/.exec(page.html)?.[1];
    expect(action).to.equal(`/nominations/${created.body.id}/files`);
    const before = await rowCounts(['nomination_files', 'audit_log']);
    const noFile = await uploadThroughPage(agency, action!, { _csrf: agency.csrfToken!, kind: 'proposal' });
    expect(noFile.status).to.equal(422);
    expect(noFile.html).to.include('Hãy chọn tệp cần đính kèm.').and.not.include('Hãy chọn tệp cần nhập.');
    const renamed = await uploadThroughPage(agency, action!, { _csrf: agency.csrfToken!, kind: 'proposal' }, { name: 'to-trinh.pdf', content: Buffer.from('Tờ trình đề nghị khen thưởng năm 2025\n') });
    expect(renamed.status).to.equal(422);
    expect(renamed.html).to.include('Tệp không phải là PDF thật: nội dung là văn bản thuần');
    expect(await rowCounts(['nomination_files', 'audit_log'])).to.deep.equal(before);
  });

  it('sends an upload form\'s CSRF token as a field, not in the address, and still refuses a forged upload or multipart post', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const created = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id) });
    const agency = await loggedIn(committee.agency.username);
    const page = await agency.get(`/nominations/${created.body.id}`);
    expect(page.html).to.not.include('?_csrf=');
    const before = await rowCounts(['nomination_files', 'audit_log']);
    const pdf = { name: 'to-trinh.pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n') };
    expect((await uploadThroughPage(agency, `/nominations/${created.body.id}/files`, { kind: 'proposal' }, pdf)).status).to.equal(403);
    expect((await uploadThroughPage(agency, `/nominations/${created.body.id}/files`, { _csrf: 'forged', kind: 'proposal' }, pdf)).status).to.equal(403);
    // Only the declared upload routes wait for the body: a multipart post elsewhere without a token is refused at once.
    expect((await uploadThroughPage(agency, `/nominations/${created.body.id}/submit`, {})).status).to.equal(403);
    expect((await uploadThroughPage(agency, `/nominations/${created.body.id}/submit`, { _csrf: agency.csrfToken! })).status).to.equal(403);
    expect(await rowCounts(['nomination_files', 'audit_log'])).to.deep.equal(before);
    const stored = await uploadThroughPage(agency, `/nominations/${created.body.id}/files`, { _csrf: agency.csrfToken!, kind: 'proposal' }, pdf);
    expect(stored.status).to.equal(303);
    expect(stored.location).to.equal(`/nominations/${created.body.id}#dossier`);
  });

  it('sends no CSRF token from a GET form (a filter), so none shows in the address bar', () => {
    const views = join(import.meta.dirname, '../../views');
    const files = (function walk(dir: string): string[] {
      return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : name.endsWith('.hbs') ? [join(dir, name)] : []));
    })(views);
    const getForms = files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/<form\b(?![^>]*method="post")[^>]*>([^]*?)<\/form>/gi)].map((match) => ({ file, body: match[1] ?? '' })));
    expect(getForms.length).to.be.greaterThan(3);
    for (const form of getForms) expect(form.body, form.file).to.not.include('_csrf');
  });
});
