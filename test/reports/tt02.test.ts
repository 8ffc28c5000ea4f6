// The statistical forms of Thông tư 02/2023/TT-BNV (GET /api/v1/reports/tt02/:form.xlsx and the
// page's /reports/tt02/:form.xlsx): each workbook opened with ExcelJS — the form's code, units,
// title, period, merged header, column numbers and signers; the registry's certificates in the
// cells they belong to and no figure anywhere else; scope (another unit is a 404) and 422s.
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { approvedInClosedRound, createCommittee, decisionBody, type Committee } from '../support/awards.ts';
import { issueDecision } from '../support/certificates.ts';
import { ctx } from '../support/context.ts';
import { createUserWithToken } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';
import { awardCertificates, createReportProvince, YEAR, type ReportProvince } from './dataset.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function get(token: string, path: string) {
  const response = await fetch(`${ctx().baseUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

async function workbookOf(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  expect(workbook.worksheets).to.have.length(1);
  return workbook.worksheets[0]!;
}

async function form(token: string, code: string, query: string): Promise<ExcelJS.Worksheet> {
  const file = await get(token, `/reports/tt02/${code}.xlsx?${query}`);
  expect(file.status, file.bytes.toString().slice(0, 300)).to.equal(200);
  expect(file.headers.get('content-type')).to.equal(XLSX);
  return workbookOf(file.bytes);
}

/** The text of a cell (a merged cell's master), '' when empty. */
const text = (sheet: ExcelJS.Worksheet, address: string) => String(sheet.getCell(address).value ?? '');

/** The sheet's row whose Mã số (column B) is the code. */
function rowOf(sheet: ExcelJS.Worksheet, code: string): ExcelJS.Row {
  let found: ExcelJS.Row | undefined;
  sheet.eachRow((row) => { if (row.getCell(2).value === code) found = row; });
  if (!found) throw new Error(`no row ${code}`);
  return found;
}

/** Every figure written in the table's cells after the text columns: "code:column" → number (a formula's cached result). */
function figures(sheet: ExcelJS.Worksheet, textColumns: number): Record<string, number> {
  const out: Record<string, number> = {};
  sheet.eachRow((row) => {
    const code = row.getCell(2).value;
    if (typeof code !== 'string' || !/^\d\d$/.test(code)) return;
    row.eachCell((cell, col) => {
      if (col <= textColumns) return;
      const value = cell.value;
      if (typeof value === 'number') out[`${code}:${col}`] = value;
      else if (value && typeof value === 'object' && 'formula' in value) {
        if (value.result !== undefined) {
          expect(value.result, `${code}:${col}`).to.be.a('number');
          out[`${code}:${col}`] = value.result as number;
        }
      } else if (value !== null && value !== undefined) throw new Error(`text in figure cell ${code}:${col}: ${String(value)}`);
    });
  });
  return out;
}

/** The text of every cell of the sheet, joined, to find a line wherever the layout put it. */
function allText(sheet: ExcelJS.Worksheet): string {
  const parts: string[] = [];
  sheet.eachRow((row) => row.eachCell((cell) => { if (typeof cell.value === 'string') parts.push(cell.value); }));
  return parts.join('\n');
}

function expectFormFrame(sheet: ExcelJS.Worksheet, code: string, title: string) {
  expect(text(sheet, 'A1')).to.equal(`Biểu số: ${code}/BNV-TĐKT`);
  expect(text(sheet, 'A2')).to.equal('Ban hành theo Thông tư số 02/2023/TT-BNV ngày 23/3/2023');
  expect(text(sheet, 'A3')).to.equal('Ngày nhận báo cáo: ngày 15 tháng 12 năm báo cáo');
  expect(text(sheet, 'A5')).to.equal(title);
  const all = allText(sheet);
  for (const line of ['NGƯỜI LẬP BIỂU', 'THỦ TRƯỞNG ĐƠN VỊ', '(Ký, họ tên)', '(Ký, họ tên, đóng dấu)', '…………, ngày …… tháng …… năm ……']) expect(all).to.include(line);
  expect(sheet.pageSetup.orientation).to.equal('landscape');
  expect(sheet.pageSetup.paperSize).to.equal(9);
  expect(sheet.getCell('A1').font?.name).to.equal('Times New Roman');
  expect(sheet.getCell('A5').font).to.include({ name: 'Times New Roman', bold: true });
}

describe('reports: the statistical forms of Thông tư 02/2023/TT-BNV as workbooks', function () {
  let p: ReportProvince;
  let q: Committee;
  const pQuery = () => `year=${YEAR}&unitId=${p.province.id}`;

  before(async function () {
    this.timeout(180_000);
    p = await createReportProvince();
    await awardCertificates(p);
    // Another province: a provincial Bằng khen for one individual, the Prime Minister's for a collective
    // and two individuals, and a Giấy khen (in no form), all signed on 20/12/2025.
    q = await createCommittee();
    await issueDecision(q, [{ name: 'Võ Thị Sáu Thử' }]);
    const decide = async (awardKind: string, nominees: { name: string; kind: 'individual' | 'collective' }[]) => {
      const { round, ids } = await approvedInClosedRound(q, nominees, { awardKind, year: 2025 });
      const decision = await api('POST', '/decisions', { token: q.secretary.token, body: decisionBody(round.id, Object.values(ids)) });
      expect(decision.status, JSON.stringify(decision.body)).to.equal(201);
    };
    await decide('bang_khen_thu_tuong', [{ name: 'Ban Dân vận xã thử', kind: 'collective' }, { name: 'Nguyễn Văn Một', kind: 'individual' }, { name: 'Trần Thị Hai', kind: 'individual' }]);
    await decide('giay_khen', [{ name: 'Lê Văn Ba', kind: 'individual' }]);
  });

  it('lays out form 0603 with its units, title, period, merged header and column numbers, A4 landscape in Times New Roman', async () => {
    const sheet = await form(p.secretary.token, '0603', pQuery());
    expectFormFrame(sheet, '0603.N', 'SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG VÀ TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG');
    expect(text(sheet, 'E1')).to.equal(`Đơn vị báo cáo: ${p.province.name}`);
    expect(text(sheet, 'E2')).to.equal('Đơn vị nhận báo cáo: Bộ Nội vụ');
    expect(text(sheet, 'A6')).to.equal(`Thời điểm báo cáo: năm ${YEAR}`);
    expect(text(sheet, 'B8')).to.equal('Mã số');
    expect(text(sheet, 'C8')).to.equal('Đơn vị tính');
    expect(text(sheet, 'D8')).to.equal('Tổng số');
    expect(text(sheet, 'E8')).to.equal('Chia ra');
    expect(['E9', 'F9', 'G9', 'H9'].map((a) => text(sheet, a))).to.deep.equal([
      'Bằng khen', 'Chiến sĩ thi đua cấp bộ, cấp tỉnh',
      'Cờ thi đua của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương',
      'Huy hiệu (kỷ niệm chương) của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương',
    ]);
    const merges = (sheet.model as unknown as { merges: string[] }).merges;
    expect(merges).to.include.members(['A8:A9', 'B8:B9', 'C8:C9', 'D8:D9', 'E8:H8']);
    expect(sheet.getRow(10).values).to.deep.equal([undefined, 'A', 'B', 'C', '1', '2', '3', '4', '5']);
    expect(text(sheet, 'A11')).to.equal('Tổng số');
    expect(rowOf(sheet, '02').getCell(1).value).to.equal('- Tập thể');
    expect(rowOf(sheet, '02').getCell(3).value).to.equal('Tập thể');
    expect(rowOf(sheet, '12').getCell(1).value).to.equal('- Chuyên đề');
    expect(rowOf(sheet, '17').getCell(1).value).to.equal('- Kháng chiến');
    expect(allText(sheet)).to.include('2. Chia theo phương thức khen thưởng');
    const area = sheet.pageSetup.printArea ?? '';
    expect(area, 'the form, not the note below it').to.match(/^A1:H(\d+)$/);
    const noteRow = rowOf(sheet, '17').number + 10;
    expect(Number(/\d+$/.exec(area)![0])).to.be.below(noteRow);
    expect(text(sheet, `A${noteRow}`)).to.match(/^Ghi chú của Sổ đăng ký/);
  });

  it('puts the province\'s valid Bằng khen of the year in column 2 of rows 01, 02, 05 and 12 of form 0603, the total as a formula, and no other figure', async () => {
    // 2024: two collectives (one of the merged department), two individuals; the revoked one and 2023's are not counted.
    const sheet = await form(p.secretary.token, '0603', pQuery());
    expect(figures(sheet, 3)).to.deep.equal({
      '01:4': 4, '01:5': 4,
      '02:4': 2, '02:5': 2,
      '05:4': 2, '05:5': 2,
      '12:4': 4, '12:5': 4,
    });
    const total = rowOf(sheet, '02').getCell(4).value as ExcelJS.CellFormulaValue;
    expect(total.formula).to.equal(`IF(COUNT(E${rowOf(sheet, '02').number}:H${rowOf(sheet, '02').number})=0,"",SUM(E${rowOf(sheet, '02').number}:H${rowOf(sheet, '02').number}))`);
    expect(rowOf(sheet, '02').getCell(5).numFmt).to.equal('#,##0');
    // The note for the office, below the signers and outside the printed area.
    const all = allText(sheet);
    expect(all).to.include('Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh');
    expect(all).to.include('các ô để trống là số liệu sổ không có, đơn vị tự điền');
  });

  it('reports a department with the unit merged into it, to the province above it', async () => {
    const sheet = await form(p.secretary.token, '0603', `year=${YEAR}&unitId=${p.education.id}`);
    expect(text(sheet, 'E1')).to.equal(`Đơn vị báo cáo: ${p.education.name}`);
    expect(text(sheet, 'E2')).to.equal(`Đơn vị nhận báo cáo: ${p.province.name}`);
    expect(figures(sheet, 3)).to.deep.equal({ '01:4': 3, '01:5': 3, '02:4': 2, '02:5': 2, '05:4': 1, '05:5': 1, '12:4': 3, '12:5': 3 });
  });

  it('puts the Prime Minister\'s Bằng khen in column 7 of form 0602 and leaves the Giấy khen out of every form', async () => {
    const query = `year=2025&unitId=${q.province.id}`;
    const sheet = await form(q.secretary.token, '0602', query);
    expectFormFrame(sheet, '0602.N', 'SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC');
    expect(text(sheet, 'L9')).to.equal('Bằng khen của Thủ tướng Chính phủ');
    expect(text(sheet, 'L11')).to.equal('Tập thể');
    expect(text(sheet, 'M11')).to.equal('Cá nhân');
    const merges = (sheet.model as unknown as { merges: string[] }).merges;
    expect(merges).to.include.members(['A8:A11', 'D8:D11', 'E8:P8', 'L9:M10', 'L12:M12']);
    expect(text(sheet, 'L12')).to.equal('7');
    // Columns L, M: Tập thể, Cá nhân of the Bằng khen; D the total of the row.
    expect(figures(sheet, 3)).to.deep.equal({
      '01:4': 3, '01:12': 1, '01:13': 2,
      '06:4': 1, '06:12': 1,
      '09:4': 2, '09:13': 2,
      '16:4': 3, '16:12': 1, '16:13': 2,
    });
    // A figure the registry counted is written even when it is nought: no collective had the provincial
    // Bằng khen. (The total's cached 0 is in the file, but ExcelJS reads a cached 0 back as no result.)
    const provincial = await form(q.secretary.token, '0603', query);
    expect(figures(provincial, 3)).to.deep.equal({ '01:4': 1, '01:5': 1, '02:5': 0, '05:4': 1, '05:5': 1, '12:4': 1, '12:5': 1 });
  });

  it('gives forms 0601, 0604 and 0605 with their layout and every figure cell empty for the office', async () => {
    const f0601 = await form(p.secretary.token, '0601', pQuery());
    expectFormFrame(f0601, '0601.N', 'SỐ PHONG TRÀO THI ĐUA');
    expect(text(f0601, 'A7')).to.equal('Đơn vị tính: Phong trào');
    expect(text(f0601, 'D8')).to.equal('Số phong trào thi đua chia theo cấp chủ trì phát động thi đua');
    expect(f0601.getRow(10).values).to.deep.equal([undefined, 'A', 'B', '1=(2+3+4)', '2', '3', '4']);
    expect(rowOf(f0601, '12').getCell(1).value).to.equal('- Thi đua thường xuyên hàng năm');
    expect(figures(f0601, 2)).to.deep.equal({});
    expect(allText(f0601)).to.include('mọi ô số liệu để trống để đơn vị điền');

    const f0604 = await form(p.secretary.token, '0604', pQuery());
    expectFormFrame(f0604, '0604.N', 'SỐ LƯỢNG TỔ CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG, TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG');
    expect(text(f0604, 'A6')).to.equal(`Năm ${YEAR}`);
    expect(rowOf(f0604, '05').getCell(3).value).to.equal('Phòng');
    expect(figures(f0604, 3)).to.deep.equal({});

    const f0605 = await form(p.secretary.token, '0605', pQuery());
    expectFormFrame(f0605, '0605.N', 'SỐ LƯỢNG CÔNG CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG, TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG');
    expect(text(f0605, 'C8')).to.equal('Số lượng (Người)');
    expect(text(f0605, 'D9')).to.equal('Trong đó: Nữ');
    expect(rowOf(f0605, '15').getCell(1).value).to.equal('- Từ 10 năm trở lên');
    expect(figures(f0605, 2)).to.deep.equal({});
  });

  it('answers 404 for a unit outside the caller\'s scope and for a unit that does not exist', async () => {
    const stranger = await createUserWithToken({ role: 'agency', unitId: p.elsewhere.id });
    expect((await get(stranger.token, `/reports/tt02/0603.xlsx?${pQuery()}`)).status).to.equal(404);
    expect((await get(p.secretary.token, `/reports/tt02/0602.xlsx?year=2025&unitId=${q.province.id}`)).status).to.equal(404);
    const agency = await createUserWithToken({ role: 'agency', unitId: p.farmers.id });
    expect((await get(agency.token, `/reports/tt02/0603.xlsx?${pQuery()}`)).status, 'the province above').to.equal(404);
    // Its own unit by default: the Hội Nông dân's one valid individual of 2024.
    const own = await workbookOf((await get(agency.token, `/reports/tt02/0603.xlsx?year=${YEAR}`)).bytes);
    expect(text(own, 'E1')).to.equal(`Đơn vị báo cáo: ${p.farmers.name}`);
    expect(figures(own, 3)['05:5']).to.equal(1);
    const admin = await createUserWithToken({ role: 'admin' });
    expect((await get(admin.token, `/reports/tt02/0603.xlsx?year=${YEAR}&unitId=2147483647`)).status).to.equal(404);
  });

  it('refuses an unknown form, a bad year and a bad unit with 422 listing every field', async () => {
    const bad = await get(p.secretary.token, '/reports/tt02/0699.xlsx?year=1999&unitId=x');
    expect(bad.status).to.equal(422);
    const body = JSON.parse(bad.bytes.toString());
    expect(body.error.details.map((d: { field: string; reason: string }) => [d.field, d.reason])).to.have.deep.members([
      ['form', 'not_allowed_value'], ['year', 'too_small'], ['unitId', 'not_a_number'],
    ]);
    const late = await get(p.secretary.token, `/reports/tt02/0601.xlsx?year=${new Date().getFullYear() + 2}`);
    expect(late.status).to.equal(422);
    expect(JSON.parse(late.bytes.toString()).error.details[0]).to.include({ field: 'year', reason: 'too_large' });
    expect((await get(p.secretary.token, '/reports/tt02/0601.pdf')).status, 'no such route').to.equal(404);
  });

  it('links the five forms from /reports for the year and unit shown, and serves them to the signed-in page', async () => {
    const browser = new Browser();
    expect((await browser.login(p.secretary.username, p.secretary.password)).status).to.equal(303);
    const page = await browser.get(`/reports?${pQuery()}`);
    expect(page.status).to.equal(200);
    const html = page.html.replace(/&#x3D;/g, '=');
    expect(html).to.include('<h2 id="tt02-heading">Biểu mẫu thống kê TT 02/2023</h2>');
    for (const code of ['0601', '0602', '0603', '0604', '0605']) {
      expect(html).to.include(`href="/reports/tt02/${code}.xlsx?${pQuery().replace('&', '&amp;')}"`);
      expect(html).to.include(`Biểu số ${code}.N/BNV-TĐKT`);
    }
    const response = await fetch(`${ctx().baseUrl}/reports/tt02/0603.xlsx?${pQuery()}`, {
      headers: { 'x-forwarded-for': browser.address, cookie: [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-disposition')).to.equal(`attachment; filename="bieu-0603-N-BNV-TDKT-${YEAR}.xlsx"`);
    const sheet = await workbookOf(Buffer.from(await response.arrayBuffer()));
    expect(figures(sheet, 3)['01:5']).to.equal(4);
  });
});
