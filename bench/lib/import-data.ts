// Generated import files for the model-import benchmark: realistic Vietnamese rows (titles and
// summaries with diacritics, a few units, fields by name, "Mô hình"/"Điển hình", dd/mm/yyyy dates),
// written as an .xlsx through exceljs (as Excel saves it: dates as date cells) and as a UTF-8 CSV
// with a BOM (as Excel's "CSV UTF-8" saves it). The same seed gives the same rows.
import ExcelJS from 'exceljs';
import { IMPORT_COLUMNS } from '../../server/models/import.ts';

/** The province the benchmark user belongs to, and the agencies under it that the rows name. */
export const BENCH_PROVINCE = { code: 'AGG', name: 'Tỉnh An Giang' };
export const BENCH_UNITS: { code: string; name: string; kind: 'agency' | 'organisation'; block: string }[] = [
  { code: 'AGG.SGDDT', name: 'Sở Giáo dục và Đào tạo tỉnh An Giang', kind: 'agency', block: 'chinh_quyen' },
  { code: 'AGG.SYT', name: 'Sở Y tế tỉnh An Giang', kind: 'agency', block: 'chinh_quyen' },
  { code: 'AGG.SNNMT', name: 'Sở Nông nghiệp và Môi trường tỉnh An Giang', kind: 'agency', block: 'chinh_quyen' },
  { code: 'AGG.BDV', name: 'Ban Dân vận Tỉnh ủy An Giang', kind: 'agency', block: 'dang' },
  { code: 'AGG.HLHPN', name: 'Hội Liên hiệp Phụ nữ tỉnh An Giang', kind: 'organisation', block: 'mat_tran_doan_the' },
  { code: 'AGG.DOAN', name: 'Tỉnh đoàn An Giang', kind: 'organisation', block: 'mat_tran_doan_the' },
  { code: 'AGG.CA', name: 'Công an tỉnh An Giang', kind: 'agency', block: 'luc_luong_vu_trang' },
];

const FIELD_NAMES = ['Kinh tế', 'Văn hóa - xã hội', 'Quốc phòng, an ninh', 'Xây dựng hệ thống chính trị', 'Xây dựng nông thôn mới', 'Đô thị văn minh', 'Cải cách hành chính'];
const BLOCK_NAMES = ['Chính quyền', 'Đảng', 'Mặt trận và đoàn thể', 'Lực lượng vũ trang'];

const HEADS = [
  'Mô hình "Dân vận khéo"', 'Mô hình', 'Mô hình điểm về', 'Câu lạc bộ', 'Tổ tự quản', 'Chi hội phụ nữ', 'Đoàn thanh niên', 'Hội Cựu chiến binh',
  'Tổ hòa giải', 'Tổ an ninh nhân dân', 'Hội Nông dân', 'Nhóm hộ', 'Chi bộ', 'Ban công tác Mặt trận', 'Tổ dân vận', 'Điển hình "Dân vận khéo" về',
];
const TOPICS = [
  'xây dựng nông thôn mới nâng cao', 'giảm nghèo bền vững', 'hiến đất mở rộng đường giao thông nông thôn', 'phân loại rác thải tại nguồn',
  'chuyển đổi số trong cải cách hành chính', 'giữ gìn an ninh trật tự', 'phòng, chống ma túy', 'xây dựng nhà tình thương', 'khuyến học, khuyến tài',
  'chăm sóc người cao tuổi', 'phụ nữ khởi nghiệp', 'thắp sáng đường quê', 'tuyến đường hoa kiểu mẫu', 'camera an ninh', 'dịch vụ công trực tuyến',
  'nước sạch nông thôn', 'sản xuất lúa chất lượng cao', 'nuôi tôm sinh thái', 'du lịch cộng đồng', 'đồng bào có đạo sống tốt đời đẹp đạo',
  'khu dân cư văn minh', 'liên kết tiêu thụ nông sản', 'thanh toán không dùng tiền mặt', 'hũ gạo tình thương', 'tủ sách pháp luật', 'phòng, chống thiên tai',
];
const PLACES = ['tại xã', 'tại phường', 'ở ấp', 'tại khu phố', 'ở khóm', 'tại tổ dân phố', 'tại khu dân cư'];
const SYLLABLES = ['An', 'Bình', 'Phú', 'Tân', 'Hòa', 'Thạnh', 'Long', 'Vĩnh', 'Đông', 'Tây', 'Mỹ', 'Lộc', 'Hưng', 'Thuận', 'Lợi', 'Hiệp', 'Xuân', 'Đức', 'Châu', 'Điền', 'Khánh', 'Thới'];
const ACTORS = [
  'cán bộ, đảng viên', 'chi hội phụ nữ', 'đoàn viên thanh niên', 'người có uy tín trong đồng bào dân tộc thiểu số', 'hội viên cựu chiến binh',
  'Ban công tác Mặt trận khu dân cư', 'hội viên nông dân', 'các chức sắc tôn giáo', 'lực lượng công an xã', 'giáo viên và phụ huynh học sinh',
];
const ACTIVITIES = [
  'tổ chức họp dân công khai, dân chủ', 'đến từng hộ gia đình vận động', 'phát huy vai trò nêu gương của người đứng đầu', 'lắng nghe ý kiến nhân dân',
  'phối hợp chặt chẽ với các đoàn thể', 'xây dựng quy ước, hương ước', 'lập nhóm Zalo của khu dân cư', 'đối thoại trực tiếp với người dân',
  'huy động nguồn lực xã hội hóa',
];
const RESULTS = [
  'hiến hơn 2.000 m² đất làm đường', 'đóng góp 350 triệu đồng xây cầu', 'xóa 12 nhà tạm, nhà dột nát', 'giảm tỷ lệ hộ nghèo xuống dưới 2%',
  'trồng 5 km đường hoa', 'lắp đặt 40 camera an ninh', 'giải quyết dứt điểm 15 vụ việc khiếu nại', 'đạt 98% hồ sơ dịch vụ công trực tuyến',
  'thành lập 3 tổ hợp tác', 'vận động 120 hộ phân loại rác', 'hỗ trợ 45 phụ nữ vay vốn khởi nghiệp', 'trao 200 suất học bổng', 'làm mới 3,5 km đường bê tông',
];
const GOALS = [
  'Nâng cao nhận thức và trách nhiệm của nhân dân', 'Phát huy quyền làm chủ của nhân dân', 'Tăng cường đồng thuận xã hội',
  'Cải thiện đời sống vật chất và tinh thần của người dân', 'Củng cố niềm tin của nhân dân với Đảng và chính quyền',
];
const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Phan', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Ngô', 'Dương'];
const GIVEN = ['Văn An', 'Thị Bình', 'Minh Châu', 'Thị Dung', 'Quốc Đạt', 'Thu Hà', 'Văn Hùng', 'Thị Lan', 'Ngọc Mai', 'Hữu Phúc', 'Thanh Sơn', 'Đức Vinh'];

/** One row as the import template's columns, in IMPORT_COLUMNS order. */
export interface ImportRow {
  title: string;
  unitCode: string;
  year: number;
  field: string;
  kind: 'Mô hình' | 'Điển hình';
  summary: string;
  block: string;
  goals: string;
  /** A real date (UTC midnight) or null: a date cell in the .xlsx, dd/mm/yyyy in the .csv. */
  startedOn: Date | null;
  /** Text written instead of the date (used for the one bad row: '31/02/2025'). */
  startedOnText?: string;
  participants: string;
  contact: string;
}

/** mulberry32: small, fast, seeded. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateRows(count: number, seed = 20251): ImportRow[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const between = (low: number, high: number) => low + Math.floor(next() * (high - low + 1));
  const place = () => `${pick(SYLLABLES)} ${pick(SYLLABLES)}`;

  const summaryOf = (target: number): string => {
    let text = '';
    while (text.length < target + 40) {
      text += `${text ? ' ' : ''}${capitalise(pick(ACTORS))} ${pick(ACTIVITIES)}, ${pick(ACTIVITIES)}; kết quả ${pick(RESULTS)} ${pick(PLACES)} ${place()}.`;
    }
    // Cut at a word boundary: at most `target` characters with the final full stop, never under 100.
    let cut = text.lastIndexOf(' ', target - 1);
    if (cut < 101) cut = text.indexOf(' ', 101);
    return `${text.slice(0, cut).replace(/[,;.]$/, '')}.`;
  };

  const rows: ImportRow[] = [];
  for (let index = 0; index < count; index++) {
    const year = between(2023, 2026);
    const started = next() < 0.8 ? new Date(Date.UTC(year, between(0, 11), between(1, 28))) : null;
    rows.push({
      title: `${pick(HEADS)} ${pick(TOPICS)} ${pick(PLACES)} ${place()}`,
      unitCode: pick(BENCH_UNITS).code,
      year,
      field: pick(FIELD_NAMES),
      kind: next() < 0.75 ? 'Mô hình' : 'Điển hình',
      summary: summaryOf(between(100, 400)),
      block: next() < 0.1 ? pick(BLOCK_NAMES) : '',
      goals: next() < 0.7 ? `${pick(GOALS)}; ${pick(GOALS).toLowerCase()}.` : '',
      startedOn: started,
      participants: next() < 0.6 ? `${capitalise(pick(ACTORS))}, ${pick(ACTORS)}` : '',
      contact: next() < 0.7 ? `${pick(SURNAMES)} ${pick(GIVEN)}, 09${between(10, 99)} ${between(100, 999)} ${between(100, 999)}` : '',
    });
  }
  return rows;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The rows with one bad row (an impossible date, 31/02) inserted in the middle. */
export function withOneBadRow(rows: ImportRow[]): { rows: ImportRow[]; badLine: number } {
  const middle = Math.floor(rows.length / 2);
  const bad: ImportRow = { ...rows[middle]!, startedOn: null, startedOnText: '31/02/2025' };
  // Line numbers as the import counts them: the header is line 1.
  return { rows: [...rows.slice(0, middle), bad, ...rows.slice(middle)], badLine: middle + 2 };
}

const HEADER = IMPORT_COLUMNS.map((column) => column.header);

function ddmmyyyy(date: Date): string {
  return `${String(date.getUTCDate()).padStart(2, '0')}/${String(date.getUTCMonth() + 1).padStart(2, '0')}/${date.getUTCFullYear()}`;
}

function cells(row: ImportRow, asText: boolean): (string | number | Date)[] {
  const started = row.startedOnText ?? (row.startedOn ? (asText ? ddmmyyyy(row.startedOn) : row.startedOn) : '');
  return [row.title, row.unitCode, asText ? String(row.year) : row.year, row.field, row.kind, row.summary, row.block, row.goals, started, row.participants, row.contact];
}

export async function buildXlsx(rows: ImportRow[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Ban Dân vận Tỉnh ủy An Giang';
  const sheet = workbook.addWorksheet('Danh sách mô hình');
  sheet.addRow(HEADER).font = { bold: true };
  for (const row of rows) sheet.addRow(cells(row, false));
  sheet.getColumn(9).numFmt = 'dd/mm/yyyy';
  [40, 12, 8, 22, 14, 80, 18, 40, 14, 40, 30].forEach((width, index) => (sheet.getColumn(index + 1).width = width));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function buildCsv(rows: ImportRow[]): Buffer {
  const quote = (value: string | number | Date) => {
    const text = String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [HEADER, ...rows.map((row) => cells(row, true))].map((row) => row.map(quote).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** Average and extreme lengths, to show the data is what the brief asks for. */
export function describeRows(rows: ImportRow[]): string {
  const lengths = rows.map((row) => row.summary.length);
  const titles = rows.map((row) => row.title.length);
  const avg = (values: number[]) => Math.round(values.reduce((sum, value) => sum + value, 0) / values.length);
  const kinds = rows.filter((row) => row.kind === 'Điển hình').length;
  return `summaries ${Math.min(...lengths)}–${Math.max(...lengths)} chars (avg ${avg(lengths)}), titles avg ${avg(titles)} chars, ${BENCH_UNITS.length} units, years 2023–2026, ${Math.round((100 * kinds) / rows.length)}% "Điển hình", ${Math.round((100 * rows.filter((row) => row.startedOn).length) / rows.length)}% with a start date`;
}
