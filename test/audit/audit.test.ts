// The administrator's audit viewer (issue 18): GET /api/v1/audit filtered by person, the person's unit
// (and everything under it), action (exact or a prefix) and Vietnam calendar days, newest first in
// keyset pages; the page /admin/audit with its form errors and "Trang sau"; the same filter as .xlsx.
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { exportAuditTrail } from '../../server/audit/service.ts';
import { auditWorkbook } from '../../server/audit/xlsx.ts';
import { translate } from '../../server/web/i18n/index.ts';
import { ctx, db } from '../support/context.ts';
import { createUnit, createUser, createUserWithToken, uniqueSuffix } from '../support/factories.ts';
import { api, type Browser } from '../support/http.ts';
import { signedIn } from '../support/security.ts';

const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);

interface Entry {
  actor: number | null;
  action: string;
  at?: Date;
  entityType?: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Writes audit rows straight into the trail, in order (ids grow); answers their ids. */
async function audit(...entries: Entry[]): Promise<number[]> {
  const ids: number[] = [];
  for (const entry of entries) {
    const row = await db()
      .insertInto('audit_log')
      .values({
        actor_user_id: entry.actor, actor_ip: '10.0.0.7', action: entry.action, at: entry.at ?? new Date(), entity_type: entry.entityType ?? 'nomination',
        entity_id: entry.entityId === undefined ? '1' : entry.entityId,
        before: entry.before === undefined ? null : JSON.stringify(entry.before), after: entry.after === undefined ? null : JSON.stringify(entry.after),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  return ids;
}

const idsOf = (body: { items: { id: number }[] }) => body.items.map((item) => item.id);
const newestFirst = (ids: number[]) => [...ids].sort((a, b) => b - a);
/** An action code no other test writes: `t1a2b3c4d.<what>`. */
const code = (tag: string, what: string) => `t${tag}.${what}`;

describe('audit viewer: GET /api/v1/audit (administrators only)', function () {
  let admin: Awaited<ReturnType<typeof createUserWithToken>>;
  let province: { id: number };
  let district: { id: number };
  let elsewhere: { id: number };
  let inProvince: Awaited<ReturnType<typeof createUser>>;
  let inDistrict: Awaited<ReturnType<typeof createUser>>;
  let outside: Awaited<ReturnType<typeof createUser>>;
  const tag = uniqueSuffix().toLowerCase();
  let rows: { provinceSubmit: number; districtSubmit: number; districtFile: number; outsideSubmit: number; outsideRound: number };

  before(async () => {
    admin = await createUserWithToken({ role: 'admin', fullName: 'Quản trị Nhật ký' });
    province = await createUnit({ kind: 'province', name: 'Tỉnh có nhật ký' });
    district = await createUnit({ parentId: province.id, kind: 'district', name: 'Huyện dưới tỉnh có nhật ký' });
    elsewhere = await createUnit({ kind: 'province', name: 'Tỉnh khác' });
    inProvince = await createUser({ role: 'secretary', unitId: province.id, fullName: 'Thư ký Tỉnh' });
    inDistrict = await createUser({ role: 'agency', unitId: district.id, fullName: 'Cán bộ Huyện' });
    outside = await createUser({ role: 'agency', unitId: elsewhere.id, fullName: 'Cán bộ Tỉnh khác' });
    const [provinceSubmit, districtSubmit, districtFile, outsideSubmit, outsideRound] = await audit(
      { actor: inProvince.id, action: code(tag, 'submit') },
      { actor: inDistrict.id, action: code(tag, 'submit'), before: { status: 'draft' }, after: { status: 'submitted' } },
      { actor: inDistrict.id, action: `${code(tag, 'file')}.attach` },
      { actor: outside.id, action: code(tag, 'submit') },
      { actor: outside.id, action: `r${tag}.close`, entityType: 'award_round' },
    );
    rows = { provinceSubmit: provinceSubmit!, districtSubmit: districtSubmit!, districtFile: districtFile!, outsideSubmit: outsideSubmit!, outsideRound: outsideRound! };
  });

  const get = (query: string, token = admin.token) => api('GET', `/audit?${query}`, { token });

  it('lists a real action through the API newest first, with the actor, the address and before/after as JSON', async () => {
    const unitCode = `AUD${uniqueSuffix()}`;
    expect((await api('POST', '/units', { token: admin.token, body: { code: unitCode, name: 'Đơn vị ghi nhật ký', kind: 'agency' } })).status).to.equal(201);
    const response = await get(`actorId=${admin.id}`);
    expect(response.status).to.equal(200);
    const [first] = response.body.items;
    expect(first).to.include({ action: 'unit.create', entityType: 'unit' });
    expect(first.actor).to.deep.equal({ id: admin.id, username: admin.username, fullName: 'Quản trị Nhật ký' });
    expect(first.after).to.include({ code: unitCode });
    expect(first.before).to.equal(null);
    expect(new Date(first.at).toISOString()).to.equal(first.at);
    expect(Object.keys(first).sort()).to.deep.equal(['action', 'actor', 'after', 'at', 'before', 'entityId', 'entityType', 'id', 'ip']);
    expect(response.body).to.have.property('nextCursor', null);
  });

  it('filters by person alone', async () => {
    const response = await get(`actorId=${inDistrict.id}`);
    expect(idsOf(response.body)).to.deep.equal([rows.districtFile, rows.districtSubmit]);
    expect(response.body.items[1]).to.deep.include({ before: { status: 'draft' }, after: { status: 'submitted' }, ip: '10.0.0.7' });
  });

  it('filters by unit: the unit\'s people and those of every unit under it, not another province\'s', async () => {
    expect(idsOf((await get(`unitId=${province.id}`)).body)).to.deep.equal([rows.districtFile, rows.districtSubmit, rows.provinceSubmit]);
    expect(idsOf((await get(`unitId=${district.id}`)).body)).to.deep.equal([rows.districtFile, rows.districtSubmit]);
    expect(idsOf((await get(`unitId=${elsewhere.id}`)).body)).to.deep.equal([rows.outsideRound, rows.outsideSubmit]);
  });

  it('finds nothing for a unit with no accounts (nobody there did anything)', async () => {
    const empty = await createUnit({ parentId: elsewhere.id });
    const response = await get(`unitId=${empty.id}`);
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({ items: [], nextCursor: null });
  });

  it('filters by action exactly, or by a prefix ending in a dot', async () => {
    expect(idsOf((await get(`action=${code(tag, 'submit')}`)).body)).to.deep.equal([rows.outsideSubmit, rows.districtSubmit, rows.provinceSubmit]);
    expect(idsOf((await get(`action=t${tag}.`)).body)).to.deep.equal([rows.outsideSubmit, rows.districtFile, rows.districtSubmit, rows.provinceSubmit]);
    expect(idsOf((await get(`action=${code(tag, 'file')}.`)).body)).to.deep.equal([rows.districtFile]);
    expect(idsOf((await get(`action=t${tag}`)).body), 'no dot: the exact code, which nobody used').to.deep.equal([]);
  });

  it('takes an underscore in a prefix literally (LIKE would match any character there)', async () => {
    const suffix = uniqueSuffix().toLowerCase();
    const [underscore] = await audit({ actor: outside.id, action: `m${suffix}_c.issue` }, { actor: outside.id, action: `m${suffix}xc.issue` });
    expect(idsOf((await get(`action=m${suffix}_c.`)).body)).to.deep.equal([underscore]);
  });

  it('filters by Vietnam calendar days, both ends inclusive, and combines every filter', async () => {
    const late = await createUser({ role: 'agency', unitId: district.id });
    // 17:00 UTC is midnight in Vietnam: 1 March 1987 16:59:59 UTC is still 1 March there.
    const [lastOfFirst, firstOfSecond, lastOfSecond, firstOfThird] = await audit(
      { actor: late.id, action: code(tag, 'dated'), at: new Date('1987-03-01T16:59:59Z') },
      { actor: late.id, action: code(tag, 'dated'), at: new Date('1987-03-01T17:00:00Z') },
      { actor: late.id, action: code(tag, 'dated'), at: new Date('1987-03-02T16:59:59Z') },
      { actor: late.id, action: code(tag, 'dated'), at: new Date('1987-03-02T17:00:00Z') },
    );
    expect(idsOf((await get('from=1987-03-02&to=1987-03-02')).body)).to.deep.equal([lastOfSecond, firstOfSecond]);
    expect(idsOf((await get('from=1987-03-02')).body)).to.include.members([firstOfThird, lastOfSecond, firstOfSecond]).and.not.include(lastOfFirst);
    expect(idsOf((await get('to=1987-03-01')).body)).to.include(lastOfFirst).and.not.include(firstOfSecond);
    const combined = await get(`actorId=${late.id}&unitId=${province.id}&action=t${tag}.&from=1987-03-01&to=1987-03-02`);
    expect(idsOf(combined.body)).to.deep.equal([lastOfSecond, firstOfSecond, lastOfFirst]);
    expect(idsOf((await get(`actorId=${late.id}&unitId=${elsewhere.id}`)).body), 'the person is not of that unit').to.deep.equal([]);
  });

  it('pages with the cursor newest first, without duplicates or gaps, and ends with nextCursor null', async () => {
    const busy = await createUser({ role: 'agency', unitId: elsewhere.id });
    const written = await audit(...Array.from({ length: 7 }, (_, i) => ({ actor: busy.id, action: code(tag, `step${i}`) })));
    const seen: number[] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const response = await get(`actorId=${busy.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.status).to.equal(200);
      sizes.push(response.body.items.length);
      seen.push(...idsOf(response.body));
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(sizes).to.deep.equal([3, 3, 1]);
    expect(seen).to.deep.equal(newestFirst(written));
    // A row written between two pages is newer than the cursor: the next page neither repeats nor skips.
    const first = await get(`actorId=${busy.id}&limit=2`);
    await audit({ actor: busy.id, action: code(tag, 'later') });
    const second = await get(`actorId=${busy.id}&limit=5&cursor=${first.body.nextCursor}`);
    expect([...idsOf(first.body), ...idsOf(second.body)]).to.deep.equal(newestFirst(written));
  });

  it('answers 422 listing every bad field with its reason', async () => {
    const response = await get('actorId=abc&unitId=0&action=Bad%20Action!&from=31/02/2024&limit=500&cursor=%21%21&colour=red');
    expect(response.status).to.equal(422);
    const details = response.body.error.details.map((d: { field: string; reason: string }) => [d.field, d.reason]);
    expect(details).to.have.deep.members([
      ['actorId', 'not_a_number'], ['unitId', 'too_small'], ['action', 'invalid_format'], ['from', 'invalid_date'],
      ['limit', 'too_large'], ['cursor', 'invalid_cursor'], ['colour', 'unknown_field'],
    ]);
  });

  it('answers 422 on `to` when it is before `from`, and on a unit that does not exist', async () => {
    const order = await get('from=2024-05-01&to=2024-01-01');
    expect(order.status).to.equal(422);
    expect(order.body.error.details.map((d: { field: string; reason: string }) => [d.field, d.reason])).to.deep.equal([['to', 'date_order']]);
    expect((await get('from=2024-05-01&to=2024-05-01')).status, 'one day is a range').to.equal(200);
    const unknown = await get('unitId=999999999');
    expect(unknown.status).to.equal(422);
    expect(unknown.body.error.details.map((d: { field: string; reason: string }) => [d.field, d.reason])).to.deep.equal([['unitId', 'unknown_reference']]);
  });

  it('refuses every other role with 403 and an anonymous call with 401', async () => {
    for (const role of ['agency', 'secretary', 'member', 'printer'] as const) {
      const user = await createUserWithToken({ role, unitId: province.id });
      const response = await get(`unitId=${province.id}`, user.token);
      expect(response.status, role).to.equal(403);
      expect(response.body.error.reason).to.equal('forbidden');
    }
    expect((await api('GET', '/audit')).status).to.equal(401);
  });

  describe('the page /admin/audit and its workbook', () => {
    let browser: Browser;

    before(async () => {
      const pageAdmin = await createUser({ role: 'admin' });
      browser = await signedIn(pageAdmin);
    });

    /** The workbook the page links to, fetched with the signed-in browser's cookies. */
    async function workbookAt(path: string) {
      const response = await fetch(ctx().baseUrl + path, { headers: { cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-forwarded-for': browser.address } });
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.contain('spreadsheetml');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ExcelJS.Buffer);
      return workbook.worksheets[0]!;
    }

    it('shows the filtered rows with Vietnamese times, labels, the record\'s link and what changed, and links the same filter to Excel', async () => {
      const [row] = await audit({ actor: inDistrict.id, action: 'nomination.return', at: new Date('2025-06-30T17:05:00Z'), entityId: '42', before: { status: 'submitted' }, after: { status: 'returned', returnReason: 'Thiếu biên bản' } });
      const page = await browser.get(`/admin/audit?actor=${inDistrict.username}&action=nomination.&from=01/07/2025&to=01/07/2025`);
      expect(page.status).to.equal(200);
      expect(page.html).to.contain('01/07/2025 00:05');
      expect(page.html).to.contain(vi('audit.action.nomination.return'));
      expect(page.html).to.contain('href="/nominations/42"');
      expect(page.html).to.match(/status<\/span>: <span class="audit-changes__from">submitted<\/span> → <span class="audit-changes__to">returned<\/span>/);
      expect(page.html).to.contain('Thiếu biên bản');
      expect(page.html).to.contain('Huyện dưới tỉnh có nhật ký');
      expect(page.html).to.contain(`<option value="nomination." selected>${vi('audit.allOfGroup', { group: vi('audit.group.nomination') })}</option>`);
      const exportHref = /href="(\/admin\/audit\.xlsx\?[^"]+)"/.exec(page.html)?.[1]?.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
      expect(exportHref).to.equal(`/admin/audit.xlsx?actor=${inDistrict.username}&action=nomination.&from=01%2F07%2F2025&to=01%2F07%2F2025`);
      const sheet = await workbookAt(exportHref!);
      expect(sheet.getRow(1).font?.bold).to.equal(true);
      expect(sheet.views[0]).to.include({ state: 'frozen', ySplit: 1 });
      expect(sheet.getRow(1).getCell(1).value).to.equal(vi('audit.col.at'));
      expect(sheet.rowCount).to.equal(2);
      const cells = sheet.getRow(2).values as unknown[];
      expect(cells[1]).to.be.instanceOf(Date);
      expect((cells[1] as Date).toISOString(), 'the Vietnam wall clock').to.equal('2025-07-01T00:05:00.000Z');
      expect(sheet.getRow(2).getCell(1).numFmt).to.equal('dd/mm/yyyy hh:mm');
      expect(cells.slice(2, 10)).to.deep.equal([inDistrict.username, 'Cán bộ Huyện', 'Huyện dưới tỉnh có nhật ký', '10.0.0.7', vi('audit.action.nomination.return'), 'nomination.return', vi('audit.entity.nomination'), '42']);
      expect(cells[10]).to.equal('status: submitted → returned; returnReason: — → Thiếu biên bản');
      expect(JSON.parse(String(cells[12]))).to.deep.equal({ status: 'returned', returnReason: 'Thiếu biên bản' });
      expect(row).to.be.a('number');
    });

    it('marks an unknown person, a bad date and an end before the start at their fields with 422, showing no rows', async () => {
      const page = await browser.get('/admin/audit?actor=khong.co.ai&from=31/02/2024&to=01/01/2024');
      expect(page.status).to.equal(422);
      expect(page.html).to.contain('href="#field-from"');
      expect(page.html).to.contain(vi('validation.date', { label: vi('field.audit.from') }));
      expect(page.html).not.to.contain('audit.xlsx');
      const order = await browser.get('/admin/audit?from=01/05/2024&to=01/01/2024');
      expect(order.status).to.equal(422);
      expect(order.html).to.contain(vi('validation.dateFromTo', { label: vi('field.audit.to') }));
      const unknown = await browser.get('/admin/audit?actor=khong.co.ai');
      expect(unknown.status).to.equal(422);
      expect(unknown.html).to.contain('href="#field-actor"');
      expect((await browser.get('/admin/audit.xlsx?from=31/02/2024')).status).to.equal(422);
    });

    it('shows fifty rows a page and "Trang sau" leads to the rest', async () => {
      const busy = await createUser({ role: 'agency', unitId: elsewhere.id });
      const written = await audit(...Array.from({ length: 53 }, (_, i) => ({ actor: busy.id, action: code(tag, `many${i}`) })));
      const first = await browser.get(`/admin/audit?actor=${busy.username}`);
      const countRows = (html: string) => (html.match(/<time datetime=/g) ?? []).length;
      expect(countRows(first.html)).to.equal(50);
      const next = /<a href="([^"]+)" rel="next">/.exec(first.html)?.[1]?.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
      expect(first.html).to.contain(`${vi('audit.nextPage')} →`);
      const second = await browser.get(next!);
      expect(second.status).to.equal(200);
      expect(countRows(second.html)).to.equal(3);
      expect(second.html).not.to.contain('rel="next"');
      expect(second.html).to.contain(vi('audit.firstPage'));
      expect(written).to.have.length(53);
    });

    it('refuses the page and the workbook to another role (403)', async () => {
      const agency = await signedIn(await createUser({ role: 'agency' }));
      expect((await agency.get('/admin/audit')).status).to.equal(403);
      expect((await agency.get('/admin/audit.xlsx')).status).to.equal(403);
    });
  });

  it('cuts a workbook at the cap with a note row saying so', async () => {
    const busy = await createUser({ role: 'agency', unitId: elsewhere.id });
    const written = await audit(...Array.from({ length: 5 }, (_, i) => ({ actor: busy.id, action: code(tag, `cap${i}`) })));
    const caller = { user: { role: 'admin' as const } };
    const { rows: capped, capped: wasCapped } = await exportAuditTrail(db(), { caller }, { actorId: busy.id }, 3);
    expect(wasCapped).to.equal(true);
    expect(capped.map((row) => row.id)).to.deep.equal(newestFirst(written).slice(0, 3));
    const whole = await exportAuditTrail(db(), { caller }, { actorId: busy.id }, 5);
    expect(whole.capped).to.equal(false);
    expect(whole.rows).to.have.length(5);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await auditWorkbook(capped, true, 'vi') as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).to.equal(5);
    expect(sheet.getRow(5).getCell(1).value).to.equal(vi('audit.capped', { count: '3' }));
  });
});
