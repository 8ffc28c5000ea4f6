import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { IMPORT_COLUMNS } from '../../server/models/import.ts';
import { ctx, db } from '../support/context.ts';
import { auditRows, createUnit, createUserWithToken } from '../support/factories.ts';
import { api, expectListedReasons } from '../support/http.ts';
import { unzip } from '../support/zip.ts';

const HEADER = IMPORT_COLUMNS.map((column) => column.header);

async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Danh sách');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function upload(token: string, fileName: string, content: Buffer) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(content)]), fileName);
  const response = await fetch(`${ctx().baseUrl}/api/v1/models/import`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = (await response.json()) as any;
  expectListedReasons('POST', '/models/import', response.status, body);
  return { status: response.status, body };
}

async function countFor(unitId: number): Promise<number> {
  return Number((await db().selectFrom('models').select((eb) => eb.fn.countAll<number>().as('n')).where('unit_id', '=', unitId).executeTakeFirstOrThrow()).n);
}

function row(unitCode: string, overrides: Partial<Record<(typeof IMPORT_COLUMNS)[number]['key'], string | number>> = {}): (string | number)[] {
  const values: Record<string, string | number> = {
    title: 'Dân vận khéo trong cải cách hành chính',
    unitCode,
    year: 2023,
    field: 'Cải cách hành chính',
    kind: 'Mô hình',
    summary: 'Niêm yết công khai thủ tục, hướng dẫn tận tình người dân.',
    block: '',
    goals: '',
    startedOn: '01/02/2023',
    participants: '',
    contact: '',
    ...overrides,
  };
  return IMPORT_COLUMNS.map((column) => values[column.key] ?? '');
}

describe('model import and export', () => {
  it('imports every row of an .xlsx in one go, in NFC, audited, with readable codes', async () => {
    const unit = await createUnit({ blockCode: 'chinh_quyen' });
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const file = await xlsx([HEADER, row(unit.code, { title: 'Mô hình một'.normalize('NFD') }), row(unit.code, { title: 'Điển hình hai', kind: 'Điển hình', field: 'kinh_te', block: 'Đảng' }), [], row(unit.code.toLowerCase(), { title: 'Mô hình ba' })]);
    const response = await upload(agency.token, 'danh-sach.xlsx', file);
    expect(response.status).to.equal(200);
    expect(response.body).to.deep.equal({ imported: 3, encoding: 'unicode', alreadyImported: false });
    const rows = await db().selectFrom('models').select(['title', 'kind', 'block_code', 'code', 'started_on']).where('unit_id', '=', unit.id).orderBy('id').execute();
    expect(rows.map((r) => r.title)).to.deep.equal(['Mô hình một'.normalize('NFC'), 'Điển hình hai', 'Mô hình ba']);
    expect(rows[1]).to.deep.include({ kind: 'exemplar', block_code: 'dang' });
    expect(rows[0]?.code).to.match(/^MH-2023-\d{6}$/);
    expect(rows[0]?.started_on).to.equal('2023-02-01');
    const audit = (await db().selectFrom('audit_log').select(['action', 'after', 'actor_user_id']).where('action', '=', 'model.import').where('actor_user_id', '=', agency.id).execute())[0];
    expect(audit?.after).to.deep.include({ count: 3, fileName: 'danh-sach.xlsx' });
  });

  it('imports nothing when one row is bad, and names every bad row and field in Vietnamese', async () => {
    const unit = await createUnit();
    const other = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const file = await xlsx([
      HEADER,
      row(unit.code),
      row(unit.code, { title: '', year: 1990 }),
      row(other.code, { field: 'Thể thao điện tử', kind: 'Phong trào', startedOn: '31/02/2023' }),
      row(unit.code),
    ]);
    const response = await upload(agency.token, 'loi.xlsx', file);
    expect(response.status).to.equal(422);
    const details: { field: string; message: string }[] = response.body.error.details;
    expect(details.map((d) => d.field)).to.deep.equal(['rows[3].title', 'rows[3].year', 'rows[4].unitCode', 'rows[4].field', 'rows[4].kind', 'rows[4].startedOn']);
    expect(details[0]?.message).to.equal('Dòng 3, cột "Tên mô hình, điển hình": Tên mô hình, điển hình là bắt buộc.');
    expect(details[2]?.message).to.include(`không tìm thấy "${other.code}"`);
    expect(await countFor(unit.id)).to.equal(0);
  });

  it('fixing the bad rows and importing again succeeds', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const quoted = (values: (string | number)[]) => values.map((v) => `"${v}"`).join(',');
    const bad = await upload(agency.token, 'lan1.csv', Buffer.from(`${quoted(HEADER)}\n${quoted(row(unit.code, { year: 'hai nghìn' }))}\n`));
    expect(bad.status).to.equal(422);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['rows[2].year']);
    const good = await upload(agency.token, 'lan2.csv', Buffer.from(`\uFEFF${quoted(HEADER)}\r\n${quoted(row(unit.code, { year: 2024 }))}\r\n`));
    expect(good.status).to.equal(200);
    expect(await countFor(unit.id)).to.equal(1);
  });

  it('recognises TCVN3 in a legacy CSV and VNI in an xlsx, converts them, and says so', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const tcvn3Header = ['Tªn m« h×nh, ®iÓn h×nh', 'M· ®¬n vÞ', 'N¨m', 'LÜnh vùc', 'Lo¹i', 'Néi dung tãm t¾t'];
    const tcvn3Row = ['D©n vËn khÐo ë Mong Thä A', unit.code, '2019', 'Kinh tÕ', 'M« h×nh', 'VËn ®éng nh©n d©n lµm ®\u00ADêng'];
    const csv = Buffer.from(`${tcvn3Header.join(';')}\r\n${tcvn3Row.join(';')}\r\n`, 'latin1');
    const legacy = await upload(agency.token, 'tcvn3.csv', csv);
    expect(legacy.status, JSON.stringify(legacy.body)).to.equal(200);
    expect(legacy.body.encoding).to.equal('tcvn3');
    const vni = await upload(agency.token, 'vni.xlsx', await xlsx([
      ['Teân moâ hình, ñieån hình', 'Maõ ñôn vò', 'Naêm', 'Lónh vöïc', 'Loaïi', 'Noäi dung toùm taét'],
      ['Daân vaän kheùo trong tröôøng hoïc', unit.code, 2020, 'Vaên hoùa - xaõ hoäi', 'Ñieån hình', 'Giaùo vieân vaän ñoäng hoïc sinh'],
    ]));
    expect(vni.status, JSON.stringify(vni.body)).to.equal(200);
    expect(vni.body.encoding).to.equal('vni');
    const titles = await db().selectFrom('models').select(['title', 'summary', 'kind']).where('unit_id', '=', unit.id).orderBy('id').execute();
    expect(titles).to.deep.equal([
      { title: 'Dân vận khéo ở Mong Thọ A', summary: 'Vận động nhân dân làm đường', kind: 'model' },
      { title: 'Dân vận khéo trong trường học', summary: 'Giáo viên vận động học sinh', kind: 'exemplar' },
    ]);
  });

  it('refuses a file that is too big (413), of another type, or missing', async () => {
    const agency = await createUserWithToken({ role: 'agency' });
    expect((await upload(agency.token, 'lon.csv', Buffer.alloc(11 * 1024 * 1024, 'a'))).status).to.equal(413);
    const pdf = await upload(agency.token, 'to-trinh.pdf', Buffer.from('%PDF-1.4'));
    expect(pdf.status).to.equal(422);
    expect(pdf.body.error.details[0].message).to.equal('Chỉ nhận tệp .xlsx hoặc .csv.');
    const garbage = await upload(agency.token, 'hong.xlsx', Buffer.from('not a zip'));
    expect(garbage.status).to.equal(422);
    const none = await api('POST', '/models/import', { token: agency.token, body: {} });
    expect(none.status).to.equal(422);
    const member = await createUserWithToken({ role: 'member' });
    expect((await upload(member.token, 'a.csv', Buffer.from('x'))).status).to.equal(403);
  });

  it('exports the filtered list as csv and xlsx, neutralising formulas, without other units\' records', async () => {
    const unit = await createUnit();
    const other = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const admin = await createUserWithToken({ role: 'admin' });
    const register = (unitId: number, title: string) => api('POST', '/models', { token: admin.token, body: { title, unitId, year: 2022, fieldCode: 'kinh_te', kind: 'model', summary: '@SUM(A1:A9) hoặc =HYPERLINK("http://x")' } });
    await register(unit.id, '=1+2 mô hình công thức');
    await register(unit.id, '+cmd|calc mô hình hai');
    await register(other.id, 'Mô hình đánh dấu không được xuất');
    const csvResponse = await fetch(`${ctx().baseUrl}/api/v1/models/export.csv?year=2022`, { headers: { authorization: `Bearer ${agency.token}` } });
    expect(csvResponse.headers.get('content-disposition')).to.match(/attachment; filename="?mo-hinh-dan-van-kheo-[\d-]+\.csv/);
    const bytes = Buffer.from(await csvResponse.arrayBuffer());
    expect([...bytes.subarray(0, 3)], 'a UTF-8 BOM, so Excel reads Vietnamese right').to.deep.equal([0xef, 0xbb, 0xbf]);
    const csv = bytes.toString('utf8');
    expect(csv).to.include("'=1+2 mô hình công thức");
    expect(csv).to.include("'+cmd|calc mô hình hai");
    expect(csv).to.include(`"'@SUM(A1:A9) hoặc =HYPERLINK(""http://x"")"`);
    expect(csv).to.not.include('đánh dấu không được xuất');
    const xlsxResponse = await fetch(`${ctx().baseUrl}/api/v1/models/export.xlsx?year=2022`, { headers: { authorization: `Bearer ${agency.token}` } });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await xlsxResponse.arrayBuffer()) as ArrayBuffer);
    const values = workbook.worksheets[0]!.getSheetValues().flat().filter((v) => typeof v === 'string') as string[];
    expect(values).to.include("'=1+2 mô hình công thức");
    expect(values.some((v) => v.includes('đánh dấu không được xuất'))).to.equal(false);
    let formulas = 0;
    workbook.worksheets[0]!.eachRow((r) => r.eachCell((c) => void (c.formula ? formulas++ : 0)));
    expect(formulas).to.equal(0);
  });

  it('exports every field, dates as dates and counts as numbers, the latest figures, and a ";" CSV for Excel in Vietnamese', async () => {
    const unit = await createUnit();
    const agency = await createUserWithToken({ role: 'agency', unitId: unit.id });
    const created = await api('POST', '/models', { token: agency.token, body: { title: 'Mô hình xuất đủ trường', unitId: unit.id, year: 2021, fieldCode: 'kinh_te', kind: 'model', summary: 'Tóm tắt; có dấu chấm phẩy', goals: 'Mục tiêu rõ ràng', startedOn: '2021-03-15', participants: 'Hội Nông dân, Đoàn Thanh niên', contact: 'Chị Lan, 0912 345 678' } });
    expect(created.status).to.equal(201);
    await api('POST', `/models/${created.body.id}/reports`, { token: agency.token, body: { status: 'implementing', reportedOn: '2021-06-01', note: 'Đợt 1', peopleReached: 1200, fundsVnd: 15000000, workdays: 300 } });
    await api('POST', `/models/${created.body.id}/reports`, { token: agency.token, body: { status: 'implementing', reportedOn: '2021-09-01', note: 'Đợt 2', peopleReached: 2500 } });
    const get = (path: string) => fetch(`${ctx().baseUrl}/api/v1/models/${path}`, { headers: { authorization: `Bearer ${agency.token}` } });

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await (await get(`export.xlsx?unitId=${unit.id}`)).arrayBuffer()) as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).to.deep.equal(['Mã đăng ký', 'Tên mô hình, điển hình', 'Mã đơn vị', 'Đơn vị', 'Năm', 'Lĩnh vực', 'Khối', 'Loại', 'Trạng thái', 'Ngày bắt đầu', 'Nội dung tóm tắt', 'Mục tiêu', 'Lực lượng tham gia', 'Người liên hệ', 'Nhân rộng từ mô hình', 'Ngày báo cáo số liệu gần nhất', 'Số người được vận động, hưởng lợi', 'Kinh phí huy động (đồng)', 'Ngày công huy động', 'Ngày đăng ký vào sổ']);
    const row = sheet.getRow(2);
    expect(row.getCell(3).value).to.equal(unit.code);
    expect(row.getCell(10).value, 'the start date is a date cell').to.be.instanceOf(Date);
    expect((row.getCell(10).value as Date).toISOString().slice(0, 10)).to.equal('2021-03-15');
    expect(row.getCell(10).numFmt).to.equal('dd/mm/yyyy');
    expect([row.getCell(12).value, row.getCell(13).value, row.getCell(14).value]).to.deep.equal(['Mục tiêu rõ ràng', 'Hội Nông dân, Đoàn Thanh niên', 'Chị Lan, 0912 345 678']);
    // The latest report with figures: people from the second, but đồng and workdays were not reported again.
    expect((row.getCell(16).value as Date).toISOString().slice(0, 10)).to.equal('2021-09-01');
    expect([row.getCell(17).value, row.getCell(18).value, row.getCell(19).value]).to.deep.equal([2500, null, null]);
    expect(row.getCell(17).numFmt).to.equal('#,##0');
    expect(row.getCell(20).value).to.be.instanceOf(Date);

    const csv = (await (await get(`export.csv?unitId=${unit.id}&separator=semicolon`)).text()).replace(/^\uFEFF/, '');
    const [csvHeader, csvRow] = csv.trim().split('\r\n');
    expect(csvHeader!.split(';')).to.have.length(20);
    expect(csvRow).to.include(';15/03/2021;"Tóm tắt; có dấu chấm phẩy";Mục tiêu rõ ràng;"Hội Nông dân, Đoàn Thanh niên";');
    expect(csvRow).to.include(';01/09/2021;2500;;;');
    expect((await get(`export.csv?unitId=${unit.id}&separator=tab`)).status, 'another separator').to.equal(422);
  });

  it('offers a template that imports as it is', async () => {
    const agency = await createUserWithToken({ role: 'agency' });
    const response = await fetch(`${ctx().baseUrl}/api/v1/models/import-template.xlsx`, { headers: { authorization: `Bearer ${agency.token}` } });
    expect(response.status).to.equal(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await response.arrayBuffer()) as ArrayBuffer);
    expect(workbook.worksheets[0]!.getRow(1).getCell(1).value).to.equal('Tên mô hình, điển hình');
    const imported = await upload(agency.token, 'mau.xlsx', Buffer.from(await (await fetch(`${ctx().baseUrl}/api/v1/models/import-template.xlsx`, { headers: { authorization: `Bearer ${agency.token}` } })).arrayBuffer()));
    expect(imported.status, JSON.stringify(imported.body)).to.equal(200);
    expect(imported.body.imported).to.equal(1);
    void auditRows;

    // Drop-down lists on the columns with fixed choices, fed by the sheet of valid codes (read from the XML itself).
    const bytes = Buffer.from(await (await fetch(`${ctx().baseUrl}/api/v1/models/import-template.xlsx`, { headers: { authorization: `Bearer ${agency.token}` } })).arrayBuffer());
    const template = new ExcelJS.Workbook();
    await template.xlsx.load(bytes as unknown as ArrayBuffer);
    const codes = template.getWorksheet('Mã hợp lệ')!;
    expect((codes.getRow(1).values as unknown[]).slice(1)).to.deep.equal(['Mã đơn vị', 'Tên đơn vị', 'Lĩnh vực', 'Khối', 'Loại']);
    const unitCodes = codes.getColumn(1).values.slice(2);
    expect(unitCodes).to.include((await db().selectFrom('units').select('code').where('id', '=', agency.unit_id).executeTakeFirstOrThrow()).code);
    expect(codes.getColumn(3).values.slice(2)).to.include('Xây dựng nông thôn mới');
    expect(codes.getColumn(5).values.slice(2, 4)).to.deep.equal(['Mô hình', 'Điển hình']);
    const entries = await unzip(bytes);
    const sheetXml = entries.get('xl/worksheets/sheet1.xml')!.toString('utf8');
    const validations = [...sheetXml.matchAll(/<dataValidation [^>]*sqref="([^"]+)"[^>]*>\s*<formula1>([^<]+)<\/formula1>/g)].map((m) => [m[1], m[2]!.replace(/&apos;/g, "'")]);
    expect(validations.map(([range]) => range).sort()).to.deep.equal(['B2:B20001', 'D2:D20001', 'E2:E20001', 'G2:G20001']);
    expect(validations.find(([range]) => range === 'E2:E20001')?.[1]).to.equal("'Mã hợp lệ'!$E$2:$E$3");
    expect(validations.find(([range]) => range === 'B2:B20001')?.[1]).to.equal(`'Mã hợp lệ'!$A$2:$A$${unitCodes.length + 1}`);
  });
});
