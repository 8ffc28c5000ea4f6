// Imports cannot stall the server: a huge sheet is refused at the row cap while other requests are
// answered, a zip bomb is refused by its declared and by its inflated size, a file of 20.000 bad
// rows answers 100 errors and their total, imports beyond the process's bound answer 429 at once,
// and the same file sent twice (one after the other, or at the same moment) imports once.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { manyRowsSheet, rawXlsx, sheetXml, xlsxWithSheet } from '../../bench/lib/raw-xlsx.ts';
import { IMPORT_COLUMNS, MAX_IMPORT_ROWS } from '../../server/models/import.ts';
import { ctx, db } from '../support/context.ts';
import { createUnit, createUser, createUserWithToken } from '../support/factories.ts';
import { Browser } from '../support/http.ts';

const HEADER = IMPORT_COLUMNS.map((column) => column.header);
const MB = 1024 * 1024;

function row(unitCode: string, overrides: Partial<Record<(typeof IMPORT_COLUMNS)[number]['key'], string>> = {}): string[] {
  const values: Record<string, string> = {
    title: 'Dân vận khéo trong cải cách hành chính',
    unitCode,
    year: '2023',
    field: 'Cải cách hành chính',
    kind: 'Mô hình',
    summary: 'Niêm yết công khai thủ tục, hướng dẫn tận tình người dân.',
    ...overrides,
  };
  return IMPORT_COLUMNS.map((column) => values[column.key] ?? '');
}

const csv = (rows: string[][]) => Buffer.from(`\uFEFF${rows.map((cells) => cells.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',')).join('\r\n')}\r\n`, 'utf8');

async function upload(token: string, fileName: string, content: Buffer) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), fileName);
  const started = performance.now();
  const response = await fetch(`${ctx().baseUrl}/api/v1/models/import`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as any, bytes: Buffer.byteLength(text), headers: response.headers, ms: performance.now() - started };
}

/** The import form posted by a signed-in browser (multipart, with its session cookie and CSRF token). */
async function uploadPage(browser: Browser, fileName: string, content: Buffer) {
  await browser.get('/models/import');
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), fileName);
  const response = await fetch(`${ctx().baseUrl}/models/import?_csrf=${encodeURIComponent(browser.csrfToken ?? '')}`, {
    method: 'POST',
    redirect: 'manual',
    body: form,
    headers: { 'x-forwarded-for': browser.address, cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  return { status: response.status, html: await response.text(), location: response.headers.get('location') };
}

/**
 * Building a big file blocks this process, which is also the server's: idle keep-alive sockets then
 * time out on both sides at once, and a request sent at that moment meets ECONNRESET. A pause lets
 * both sides drop them first.
 */
const afterBuilding = () => new Promise((resolve) => setTimeout(resolve, 300));

async function countFor(unitId: number): Promise<number> {
  return Number((await db().selectFrom('models').select((eb) => eb.fn.countAll<number>().as('n')).where('unit_id', '=', unitId).executeTakeFirstOrThrow()).n);
}

/** An upload whose body is sent in two goes: it stays open (its headers and a first part sent) until `finish`. */
function heldUpload(token: string, fileName: string, content: Buffer) {
  const boundary = `dvk${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const req = httpRequest(`${ctx().baseUrl}/api/v1/models/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` } });
  let answeredEarly = false;
  const answered = new Promise<{ status: number; body: any }>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (response: IncomingMessage) => {
      answeredEarly = true;
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
    });
  });
  req.write(Buffer.concat([head, content.subarray(0, 10)]));
  return {
    /** Answered before the body was finished: it did not get a slot (429), its body is discarded. */
    refused: () => answeredEarly,
    abandon: () => {
      answered.catch(() => undefined);
      req.destroy();
    },
    finish: () => {
      req.end(Buffer.concat([content.subarray(10), tail]));
      return answered;
    },
  };
}

describe('model import limits', function () {
  this.timeout(180_000);

  it('answers GET /login in under 2 s while a 540.000-row .xlsx is being read, and refuses it with 422 too_many_rows', async () => {
    const agency = await createUserWithToken({ role: 'agency' });
    const file = xlsxWithSheet(manyRowsSheet(HEADER, 540_000));
    await afterBuilding();
    const importing = upload(agency.token, 'qua-nhieu-dong.xlsx', file);
    let done = false;
    void importing.finally(() => (done = true));
    const logins: { ms: number; whileImporting: boolean }[] = [];
    await new Promise((resolve) => setTimeout(resolve, 100));
    while (!done) {
      const started = performance.now();
      const response = await fetch(`${ctx().baseUrl}/login`);
      await response.text();
      expect(response.status).to.equal(200);
      logins.push({ ms: performance.now() - started, whileImporting: !done });
    }
    const refused = await importing;
    expect(logins.filter((login) => login.whileImporting), 'a login answered while the sheet was read').to.not.be.empty;
    expect(Math.max(...logins.map((login) => login.ms)), `login times: ${logins.map((login) => Math.round(login.ms)).join(', ')} ms`).to.be.below(2000);
    expect(refused.status, JSON.stringify(refused.body).slice(0, 300)).to.equal(422);
    expect(refused.body.error.reason).to.equal('too_many_rows');
    expect(refused.body.error.details).to.deep.equal([{ field: 'file', reason: 'too_many_rows', message: 'Mỗi lần nhập tối đa 20.000 dòng.' }]);
  });

  it('refuses 20.001 data rows (.xlsx and .csv) with 422 too_many_rows and imports nothing', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const rows = [HEADER, ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, () => row(unit.code))];
    const files = [['danh-sach.xlsx', rawXlsx(rows)], ['danh-sach.csv', csv(rows)]] as const;
    await afterBuilding();
    for (const [name, file] of files) {
      const refused = await upload(agency.token, name, file);
      expect(refused.status, name).to.equal(422);
      expect(refused.body.error.details.map((detail: { reason: string }) => detail.reason), name).to.deep.equal(['too_many_rows']);
    }
    expect(await countFor(unit.id)).to.equal(0);
  });

  it('refuses an .xlsx that declares more than 100 MB inflated, and one that inflates past what it declares, with 422 uncompressed_too_large', async () => {
    const agency = await createUserWithToken({ role: 'agency' });
    // 120 MB of spaces inside the sheet: a few hundred kilobytes once deflated.
    const head = sheetXml([HEADER]);
    const bomb = Buffer.concat([head.subarray(0, head.length - '</worksheet>'.length), Buffer.alloc(120 * MB, ' '), Buffer.from('</worksheet>')]);
    const declared = xlsxWithSheet(bomb);
    const lying = xlsxWithSheet(bomb, 4096);
    expect(declared.length, 'the upload itself is small').to.be.below(MB);
    await afterBuilding();
    for (const [name, file] of [['khai-that.xlsx', declared], ['khai-gian.xlsx', lying]] as const) {
      const refused = await upload(agency.token, name, file);
      expect(refused.status, name).to.equal(422);
      expect(refused.body.error.reason, name).to.equal('uncompressed_too_large');
      expect(refused.body.error.details[0].message).to.equal('Tệp .xlsx khi giải nén lớn hơn 100 MB; mỗi lần nhập tối đa 20.000 dòng.');
    }
  });

  it('answers a .csv of 20.000 bad rows with 100 errors and totalErrors 20000 in a small body, and the page says "và 19.900 lỗi khác"', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const file = csv([HEADER, ...Array.from({ length: MAX_IMPORT_ROWS }, (_, index) => row(unit.code, { year: index % 2 ? 'hai nghìn' : '1990' }))]);
    await afterBuilding();
    const refused = await upload(agency.token, 'sai-het.csv', file);
    expect(refused.status).to.equal(422);
    expect(refused.body.error.totalErrors).to.equal(20_000);
    expect(refused.body.error.details).to.have.length(100);
    expect(refused.body.error.details[0]).to.deep.include({ field: 'rows[2].year', reason: 'invalid_value' });
    expect(refused.body.error.details[99].field).to.equal('rows[101].year');
    expect(refused.bytes, 'the answer stays small').to.be.below(50_000);

    const clerk = await createUser({ role: 'agency', unitId: unit.id });
    const browser = new Browser();
    await browser.login(clerk.username, clerk.password);
    const page = await uploadPage(browser, 'sai-het.csv', file);
    expect(page.status).to.equal(422);
    expect(page.html).to.include('Không nhập dòng nào vì có 20.000 lỗi:');
    expect(page.html.match(/<li>Dòng \d+, cột/g)).to.have.length(100);
    expect(page.html).to.include('và 19.900 lỗi khác.');
    expect(await countFor(unit.id)).to.equal(0);
  });

  it('answers 429 rate_limited with Retry-After at once when two imports are already running, and takes imports again after them', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    // Each held upload is given time to take its slot; one answered at once (a slot was busy) is sent again.
    const hold = async (fileName: string, title: string) => {
      for (let attempt = 0; ; attempt++) {
        const held = heldUpload(agency.token, fileName, csv([HEADER, row(unit.code, { title })]));
        await new Promise((resolve) => setTimeout(resolve, 500));
        if (!held.refused()) return held;
        held.abandon();
        if (attempt === 20) throw new Error('no import slot came free for a held upload');
      }
    };
    const first = await hold('mot.csv', 'Mô hình giữ chỗ một');
    const second = await hold('hai.csv', 'Mô hình giữ chỗ hai');
    // The two held uploads take their slots once signed in; until then a third may still get one.
    let third = await upload(agency.token, 'ba.pdf', Buffer.from('%PDF-1.4'));
    for (const until = Date.now() + 15_000; third.status !== 429 && Date.now() < until; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      third = await upload(agency.token, 'ba.pdf', Buffer.from('%PDF-1.4'));
    }
    expect(third.status).to.equal(429);
    expect(third.body.error.code).to.equal('rate_limited');
    expect(Number(third.headers.get('retry-after'))).to.be.greaterThan(0);
    expect(third.ms, 'answered without waiting for the running imports').to.be.below(2000);

    const answers = await Promise.all([first.finish(), second.finish()]);
    expect(answers.map((answer) => answer.status)).to.deep.equal([200, 200]);
    let fourth = await upload(agency.token, 'bon.csv', csv([HEADER, row(unit.code, { title: 'Mô hình sau khi nhả chỗ' })]));
    for (const until = Date.now() + 5_000; fourth.status === 429 && Date.now() < until; ) fourth = await upload(agency.token, 'bon.csv', csv([HEADER, row(unit.code, { title: 'Mô hình sau khi nhả chỗ' })]));
    expect(fourth.status).to.equal(200);
    expect(await countFor(unit.id)).to.equal(3);
  });

  it('imports the same file once: sent again it answers 200 alreadyImported with the earlier count, on the page too, and two identical uploads at once add one set', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const file = csv([HEADER, row(unit.code, { title: 'Mô hình nhập một lần' }), row(unit.code, { title: 'Điển hình nhập một lần', kind: 'Điển hình' })]);
    const once = await upload(agency.token, 'mot-lan.csv', file);
    expect(once.status).to.equal(200);
    expect(once.body).to.deep.include({ imported: 2, alreadyImported: false });
    const again = await upload(agency.token, 'mot-lan (1).csv', file);
    expect(again.status).to.equal(200);
    expect(again.body).to.deep.include({ imported: 2, alreadyImported: true });
    expect(await countFor(unit.id)).to.equal(2);

    const clerk = await createUser({ role: 'agency', unitId: unit.id });
    const browser = new Browser();
    await browser.login(clerk.username, clerk.password);
    const page = await uploadPage(browser, 'mot-lan.csv', file);
    expect(page.status).to.equal(303);
    expect((await browser.get(page.location!)).html).to.include('Tệp này đã được nhập lúc').and.include('(2 mô hình, điển hình); lần này không nhập thêm.');
    expect(await countFor(unit.id)).to.equal(2);

    const other = await createUnit();
    const otherAgency = await createUserWithToken({ role: 'agency', unitId: other.id });
    const twin = csv([HEADER, row(other.code, { title: 'Mô hình gửi hai lần cùng lúc' })]);
    // A slot of the uploads above is given back just after their answers: a 429 then is sent again.
    const sendTwin = async () => {
      let answer = await upload(otherAgency.token, 'cung-luc.csv', twin);
      for (let tries = 0; answer.status === 429 && tries < 50; tries++) answer = await upload(otherAgency.token, 'cung-luc.csv', twin);
      return answer;
    };
    const both = await Promise.all([sendTwin(), sendTwin()]);
    expect(both.map((answer) => answer.status)).to.deep.equal([200, 200]);
    expect(both.map((answer) => answer.body.alreadyImported).sort()).to.deep.equal([false, true]);
    expect(await countFor(other.id)).to.equal(1);
    const audits = await db().selectFrom('audit_log').select('after').where('action', '=', 'model.import').where('actor_user_id', '=', otherAgency.id).execute();
    expect(audits).to.have.length(1);
  });
});
