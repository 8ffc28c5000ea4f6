import { expect } from 'chai';
import { sql } from 'kysely';
import { db } from '../support/context.ts';
import { createUnit, createUser, createUserWithToken, TEST_PASSWORD, uniqueSuffix } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';
import { LIST_COUNT_CAP } from '../../server/models/http.ts';

function validModel(unitId: number, overrides: Record<string, unknown> = {}) {
  return {
    title: 'Tuyến đường hoa tự quản',
    unitId,
    year: 2024,
    fieldCode: 'nong_thon_moi',
    kind: 'model',
    summary: 'Chi hội phụ nữ ấp 3 vận động trồng và chăm sóc hoa hai bên đường.',
    ...overrides,
  };
}

/**
 * `count` models of one unit, each titled with `word`, 250 per statement: embedded PGlite
 * runs in the test's thread, and one statement of seconds would let idle keep-alive sockets expire
 * under the HTTP client (ECONNRESET on the next request).
 */
async function createManyModels(unitId: number, count: number, word: string): Promise<void> {
  const prefix = `T${uniqueSuffix()}`;
  for (let from = 1; from <= count; from += 250) {
    await sql`
      INSERT INTO models (code, title, unit_id, year, field_code, block_code, kind, summary)
      SELECT ${prefix} || '-' || g, 'Mô hình ' || ${word} || ' số ' || g, ${unitId}::integer, 2024, 'nong_thon_moi', 'chinh_quyen', 'model', 'Tóm tắt mô hình số ' || g
      FROM generate_series(${from}::integer, ${Math.min(from + 249, count)}::integer) AS g`.execute(db());
  }
}

const search = async (token: string, unitId: number, q: string) => api('GET', `/models?unitId=${unitId}&q=${encodeURIComponent(q)}`, { token });

describe('model search', () => {
  it('finds "Dân vận khéo" from the words without diacritics, from their beginnings, and keeps the phrase order', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { title: 'Mô hình "Dân vận khéo" ở khu dân cư' }) });
    await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { title: 'Khéo léo vận động dân làng', summary: 'Người dân góp công sửa đường làng.' }) });
    for (const q of ['dan van kheo', 'Dân vận khéo', 'dan van kh', 'DAN VAN K', 'khu dan cu', 'hoa hai']) {
      const found = await search(agency.token, unit.id, q);
      expect(found.status, q).to.equal(200);
      expect(found.body.total, q).to.equal(1);
      expect(found.body).not.to.have.property('totalCapped');
    }
    expect((await search(agency.token, unit.id, 'dan van kheo')).body.items[0].title).to.equal('Mô hình "Dân vận khéo" ở khu dân cư');
    expect((await search(agency.token, unit.id, 'kheo van dan')).body.total, 'words out of order are not the phrase').to.equal(0);
    expect((await search(agency.token, unit.id, 'van')).body.total, 'a word found in both').to.equal(2);
  });

  it('answers a search of punctuation or query syntax alone as text, never as an error', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { title: 'Mô hình "Dân vận khéo" (2024) & xã hội!' }) });
    for (const q of ['!!!', "'", '&', '|', ':*', '(', '"', '\\', '%', '_', '...', ' - ']) {
      const found = await search(agency.token, unit.id, q);
      expect(found.status, q).to.equal(200);
      expect(found.body.items, q).to.be.an('array');
    }
    expect((await search(agency.token, unit.id, '" (')).body.total, 'punctuation in the title, matched by the LIKE').to.equal(1);
    expect((await search(agency.token, unit.id, '(2024) &')).body.total).to.equal(1);
    for (const q of ["dan' & !van", 'dan:* | xyz', "khéo') OR 1=1 --", 'dân vận khéo" (2024']) {
      const found = await search(agency.token, unit.id, q);
      expect(found.status, q).to.equal(200);
    }
    expect((await search(agency.token, unit.id, 'dân vận khéo" (2024')).body.total).to.equal(1);
    expect((await search(agency.token, unit.id, 'dan:* | xyz')).body.total, 'operators are text').to.equal(0);
    const page = new Browser();
    const user = await createUser({ role: 'agency', unitId: unit.id });
    await page.login(user.username, TEST_PASSWORD);
    expect((await page.get(`/models?q=${encodeURIComponent("'&|!")}`)).status).to.equal(200);
  });
});

describe('model search by words (sql/0009)', () => {
  it('matches whole words from their beginning, the last one as a prefix, đ as d, punctuation as space, with exact counts', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const create = async (title: string, summary = 'Tóm tắt ngắn.') =>
      (await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { title, summary }) })).body as { id: number; code: string };
    const road = await create('Đường làng sáng – xanh – sạch', 'Đoàn viên "dân vận khéo" cùng nhân dân thắp sáng đường quê.');
    const loan = await create('Tổ vay vốn khéo léo', 'Hội viên giúp nhau vay vốn, trả đúng hạn.');
    await create('Bếp ăn bán trú', 'Nấu ăn cho học sinh vùng cao.');
    const ids = async (q: string) => {
      const found = await search(agency.token, unit.id, q);
      expect(found.status, q).to.equal(200);
      expect(found.body.total, `${q}: total is the number of items`).to.equal(found.body.items.length);
      return (found.body.items as { id: number }[]).map((item) => item.id).sort((a, b) => a - b);
    };
    expect(await ids('duong lang'), 'đ folds to d').to.deep.equal([road.id]);
    expect(await ids('ĐƯỜNG LÀNG SÁNG'), 'case and marks').to.deep.equal([road.id]);
    expect(await ids('sang xanh sach'), 'dashes between the words are spaces').to.deep.equal([road.id]);
    expect(await ids('dân vận, khéo'), 'a comma between words of the phrase does not matter').to.deep.equal([road.id]);
    expect(await ids('kheo'), 'one word, as a prefix: khéo and khéo léo').to.deep.equal([road.id, loan.id]);
    expect(await ids('kh'), 'a prefix of one word').to.deep.equal([road.id, loan.id]);
    expect(await ids('an van kheo'), 'a word is matched from its beginning (not "dân")').to.deep.equal([]);
    expect(await ids('heo'), 'nor inside a word').to.deep.equal([]);
    expect(await ids('vay von kheo'), 'the words in order').to.deep.equal([loan.id]);
    expect(await ids('vay kheo'), 'next to each other').to.deep.equal([]);
    expect(await ids('von'), 'both vốn in one model count once').to.deep.equal([loan.id]);
    expect(await ids('nau an cho hoc sinh vung cao'), 'from the summary').to.deep.equal([(await ids('bep an'))[0]!]);
  });

  it('looks a phrase up by its pairs of adjacent words, the last word still a prefix while typing', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const create = async (title: string, summary: string) =>
      ((await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { title, summary }) })).body as { id: number }).id;
    const brocade = await create('Dệt thổ cẩm Tà Ôi', 'Giữ nghề thổ cẩm truyền thống.');
    const poems = await create('Câu lạc bộ thơ', 'Thơ ca cảm xúc, thờ cúng tổ tiên.');
    const camera = await create('Thợ camera cộng đồng', 'Ghi hình các buổi họp dân.');
    const ids = async (q: string) => {
      const found = await search(agency.token, unit.id, q);
      expect(found.status, q).to.equal(200);
      return (found.body.items as { id: number }[]).map((item) => item.id).sort((a, b) => a - b);
    };
    expect(await ids('thổ cẩm'), 'cẩm and camera start with cam').to.deep.equal([brocade, camera]);
    expect(await ids('tho cam tr'), 'three words, the last one typed in part').to.deep.equal([brocade]);
    expect(await ids('det tho cam ta oi'), 'a longer phrase').to.deep.equal([brocade]);
    expect(await ids('tho c'), 'thổ cẩm, thơ ca, thờ cúng, thợ camera').to.deep.equal([brocade, poems, camera]);
    expect(await ids('cam tho'), 'swapped').to.deep.equal([]);
    expect(await ids('tho cam xuc'), 'thơ and cảm xúc are a word apart').to.deep.equal([]);
    expect(await ids('ca'), 'one word is looked up as itself').to.deep.equal([brocade, poems, camera]);
    const stored = await db().selectFrom('models').select(sql<string>`search_words::text`.as('words')).where('id', '=', brocade).executeTakeFirstOrThrow();
    expect(stored.words).to.include("'_tho_cam'").and.to.include("'tho':");
  });

  it('finds a model by its registration code, whole or by its parts, and by the words of an edited title only', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const { body: model } = await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { title: 'Mô hình tìm theo mã' }) });
    const code = model.code as string;
    expect(code).to.match(/^MH-2024-\d{6}$/);
    const [, , number] = code.split('-') as [string, string, string];
    for (const q of [code, code.toLowerCase(), code.slice(0, -2), `2024-${number}`, number, `MH 2024 ${number}`]) {
      const found = await search(agency.token, unit.id, q);
      expect(found.body.items.map((item: { id: number }) => item.id), q).to.deep.equal([model.id]);
    }
    expect((await search(agency.token, unit.id, `DH-2024-${number}`)).body.total, 'the kind is part of the code').to.equal(0);

    const stored = await db().selectFrom('models').select(sql<string>`search_words::text`.as('words')).where('id', '=', model.id).executeTakeFirstOrThrow();
    expect(stored.words).to.include(`'${number}'`).and.to.include("'mh'").and.to.include("'ma'");

    const edited = await api('PATCH', `/models/${model.id}`, { token: agency.token, body: { title: 'Chợ phiên đổi mới' } });
    expect(edited.status).to.equal(200);
    expect((await search(agency.token, unit.id, 'cho phien doi moi')).body.total, 'the trigger refolds an edited title').to.equal(1);
    expect((await search(agency.token, unit.id, 'tim theo ma')).body.total, 'the old title is gone').to.equal(0);
    expect((await search(agency.token, unit.id, 'hoa hai ben duong')).body.total, 'the summary is kept').to.equal(1);
  });

  it('takes hostile input as words: no tsquery syntax, no error, the same answer as the words alone', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const { body: model } = await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { title: 'Dân vận khéo ấp An Bình' }) });
    const same = [
      ["'a & | ! ( ) :* <->'", 'a'],
      ['a & | ! ( ) :* <->', 'a'],
      ["dan' & !van", 'dan van'],
      ['dan <-> van', 'dan van'],
      ['!dan | (van & kheo)', 'dan van kheo'],
      ['dan:* <2> kheo', 'dan 2 kheo'],
      ["\\' OR ''='", 'or'],
      ['ấp\\an', 'ap an'],
    ];
    for (const [hostile, words] of same) {
      const found = await search(agency.token, unit.id, hostile!);
      expect(found.status, hostile).to.equal(200);
      const plain = await search(agency.token, unit.id, words!);
      expect(found.body.total, hostile).to.equal(plain.body.total);
    }
    expect((await search(agency.token, unit.id, "'a & | ! ( ) :* <->'")).body.items.map((item: { id: number }) => item.id), '"a" as a prefix: ấp, An').to.deep.equal([model.id]);
    expect((await search(agency.token, unit.id, '!dan | (van & kheo)')).body.total).to.equal(1);
    for (const q of ['“ ” – …', '!!!', '<->', ':*', "''", '\\']) {
      const found = await search(agency.token, unit.id, q);
      expect(found.status, q).to.equal(200);
      expect(found.body.total, `${q}: no word, and not in the text`).to.equal(0);
    }
  });
});

describe('model counts for common searches', () => {
  it('counts a search with more than 1,000 matches up to the cap, says so in the API and on the page, and counts exactly below it', async () => {
    const unit = await createUnit();
    const word = `phobien${uniqueSuffix().toLowerCase()}`;
    await createManyModels(unit.id, 1_001, word);
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const capped = await search(agency.token, unit.id, word);
    expect(capped.status).to.equal(200);
    expect(capped.body.total).to.equal(1_000);
    expect(capped.body.totalCapped).to.equal(true);
    expect(capped.body.items).to.have.length(50);
    expect(capped.body.byStatus.registered).to.be.at.least(1_000);

    const exact = await search(agency.token, unit.id, `${word} so 50`);
    expect(exact.body.total, 'số 50 and số 500 to 509').to.equal(11);
    expect(exact.body).not.to.have.property('totalCapped');
    const list = await api('GET', `/models?unitId=${unit.id}&limit=1`, { token: agency.token });
    expect(list.body.total, 'a list without a search counts exactly').to.equal(1_001);
    expect(list.body).not.to.have.property('totalCapped');

    const user = await createUser({ role: 'agency', unitId: unit.id });
    const browser = new Browser();
    await browser.login(user.username, TEST_PASSWORD);
    const vi = await browser.get(`/models?q=${word}`);
    expect(vi.status).to.equal(200);
    expect(vi.html).to.include('Tìm thấy hơn 1.000 mô hình');
    expect(vi.html).to.match(/Đã đăng ký: ít nhất [\d.]+/);
    expect(vi.html).to.include('rel="next"');
    expect(vi.html).not.to.include('Trang 1/');
    await browser.get('/language/en');
    const en = await browser.get(`/models?q=${word}`);
    expect(en.html).to.include('more than 1,000 models and exemplars found');
    const exactPage = await browser.get(`/models?q=${encodeURIComponent(`${word} so 50`)}`);
    expect(exactPage.html).to.include('11 models and exemplars found');
  });
});

describe('model counts for long lists', () => {
  it('counts a list up to 10.000 exactly, and beyond it says "more than 10.000" in the API and on the page, pointing to the reports', async function () {
    this.timeout(120_000);
    const unit = await createUnit();
    await createManyModels(unit.id, LIST_COUNT_CAP, 'danhsachdai');
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const exact = await api('GET', `/models?unitId=${unit.id}&limit=1`, { token: agency.token });
    expect(exact.body.total).to.equal(LIST_COUNT_CAP);
    expect(exact.body).not.to.have.property('totalCapped');
    await createManyModels(unit.id, 1, 'danhsachdai');
    const capped = await api('GET', `/models?unitId=${unit.id}&limit=1`, { token: agency.token });
    expect(capped.body.total).to.equal(LIST_COUNT_CAP);
    expect(capped.body.totalCapped).to.equal(true);
    expect(capped.body.items).to.have.length(1);
    const { rows } = await sql<{ count: string }>`SELECT count(*) FROM models WHERE unit_id = ${unit.id}::integer`.execute(db());
    expect(Number(rows[0]!.count), 'the rows are all there').to.equal(LIST_COUNT_CAP + 1);

    const user = await createUser({ role: 'agency', unitId: unit.id });
    const browser = new Browser();
    await browser.login(user.username, TEST_PASSWORD);
    const page = await browser.get(`/models?unitId=${unit.id}`);
    expect(page.html).to.include('Tìm thấy hơn 10.000 mô hình');
    expect(page.html).to.include('Danh sách chỉ đếm đến 10.000 mô hình; số liệu đầy đủ xem ở mục Báo cáo.');
    expect(page.html).to.include('rel="next"');
  });
});

describe('model list paging', () => {
  it('pages the newest first by keyset: every model exactly once, also when models are added between pages', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const created: number[] = [];
    for (let i = 0; i < 7; i++) created.push((await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { title: `Mô hình số ${i}` }) })).body.id);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response: { status: number; body: { items: { id: number }[]; nextCursor: string | null; total: number } } = await api('GET', `/models?unitId=${unit.id}&limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: agency.token });
      expect(response.status).to.equal(200);
      seen.push(...response.body.items.map((item) => item.id));
      cursor = response.body.nextCursor;
      // A model registered after the first page is newer than the cursor: it does not shift the pages.
      if (pages === 0) await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { title: 'Mô hình mới giữa chừng' }) });
      pages++;
    } while (cursor && pages < 10);
    expect(pages).to.equal(3);
    expect(seen).to.deep.equal([...created].reverse());
    // A cursor this list never gives ({"x":1}) is refused, not silently read as the first page.
    const foreign = await api('GET', `/models?unitId=${unit.id}&cursor=eyJ4IjoxfQ`, { token: agency.token });
    expect(foreign.status, 'a foreign cursor').to.equal(400);
    expect(foreign.body.error.reason).to.equal('invalid_cursor');
  });

  it('pages the other sorts by offset, and the HTML list by page number', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    for (const title of ['Cờ', 'Ba', 'Ấp', 'Đường', 'Em']) await api('POST', '/models', { token: agency.token, body: validModel(unit.id, { title: `${title} mô hình` }) });
    const titles: string[] = [];
    let cursor: string | null = null;
    do {
      const response: { body: { items: { title: string }[]; nextCursor: string | null } } = await api('GET', `/models?unitId=${unit.id}&limit=2&sort=code${cursor ? `&cursor=${cursor}` : ''}`, { token: agency.token });
      titles.push(...response.body.items.map((item) => item.title));
      cursor = response.body.nextCursor;
    } while (cursor);
    expect(titles).to.have.length(5);
    expect(new Set(titles).size).to.equal(5);

    await createManyModels(unit.id, 30, 'trang');
    const user = await createUser({ role: 'agency', unitId: unit.id });
    const browser = new Browser();
    await browser.login(user.username, TEST_PASSWORD);
    const first = await browser.get(`/models?unitId=${unit.id}`);
    expect(first.html).to.include('Trang 1/2');
    expect(first.html).to.include('rel="next"');
    const second = await browser.get(`/models?unitId=${unit.id}&page=2`);
    expect(second.html).to.include('Trang 2/2');
    expect(second.html).not.to.include('rel="next"');
    expect(second.html).to.include('rel="prev"');
    expect((second.html.match(/<tr>/g) ?? []).length - 1, 'rows on the last page').to.equal(10);

    // Page numbers and rows per page: 35 models are 2 pages of 25, 1 page of 50, and 4 pages of 10 are not offered.
    const pager = unescape(first.html.slice(first.html.indexOf('class="pager"')));
    expect(pager).to.include(`href="/models?unitId=${unit.id}&page=2" aria-label="Trang 2">2</a>`);
    expect(pager).to.include('aria-current="page" class="pager__current">1</a>');
    expect(pager).to.include(`href="/models?unitId=${unit.id}&size=50&page=1" aria-label="Hiển thị 50 dòng mỗi trang">50</a>`);
    const fifty = await browser.get(`/models?unitId=${unit.id}&size=50`);
    expect(fifty.html).to.include('Trang 1/1');
    expect((fifty.html.match(/<tr>/g) ?? []).length - 1, 'rows on a page of 50').to.equal(35);
    expect(fifty.html).to.include('<strong aria-current="true">50</strong>');
    const refused = await browser.get(`/models?unitId=${unit.id}&size=10`);
    expect(refused.status, 'a size not offered').to.equal(422);
    expect(refused.html).to.include('25, 50, 100');
  });
});

/** An attribute as written in the page, its entities undone (&amp; and Handlebars' &#x3D;). */
function unescape(html: string): string {
  return html.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
}

describe('unit scope cache', () => {
  it('sees a unit added under the caller\'s unit at once, through the units service', async () => {
    const province = await createUnit({ kind: 'province' });
    const staff = await createUserWithToken({ role: 'agency', unitId: province.id });
    const admin = await createUserWithToken({ role: 'admin' });
    expect((await api('GET', '/models', { token: staff.token })).body.total, 'scope loaded and kept').to.equal(0);
    const child = await api('POST', '/units', { token: admin.token, body: { code: `C.${uniqueSuffix()}`, name: 'Xã mới thử', kind: 'commune', blockCode: 'chinh_quyen', parentId: province.id } });
    expect(child.status).to.equal(201);
    expect((await api('POST', '/models', { token: admin.token, body: validModel(child.body.id) })).status).to.equal(201);
    expect((await api('GET', '/models', { token: staff.token })).body.total, 'the new unit is in scope').to.equal(1);
  });
});

describe('API token use', () => {
  it('records a token\'s last use at most once a minute', async () => {
    const user = await createUserWithToken({ role: 'agency' });
    const lastUsed = async () =>
      (await db().selectFrom('api_tokens').select('last_used_at').where('user_id', '=', user.id).executeTakeFirstOrThrow()).last_used_at;
    expect(await lastUsed()).to.equal(null);
    expect((await api('GET', '/me', { token: user.token })).status).to.equal(200);
    const first = await lastUsed();
    expect(first).to.be.an.instanceOf(Date);
    expect((await api('GET', '/me', { token: user.token })).status).to.equal(200);
    expect((await lastUsed())?.getTime(), 'not written again within the minute').to.equal(first?.getTime());
    await db().updateTable('api_tokens').set({ last_used_at: sql<Date>`now() - interval '2 minutes'` }).where('user_id', '=', user.id).execute();
    const old = await lastUsed();
    expect((await api('GET', '/me', { token: user.token })).status).to.equal(200);
    expect((await lastUsed())!.getTime()).to.be.greaterThan(old!.getTime());
  });
});
