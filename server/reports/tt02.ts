// The statistical report forms on emulation and commendation of Thông tư 02/2023/TT-BNV (biểu
// 0601–0605.N/BNV-TĐKT, due on 15 December), each as a one-sheet workbook laid out as the form:
// code and units, title, period, the table with its merged header and column numbers, the place and
// date line and the signers; A4 landscape, Times New Roman. The layouts were read from an open-source
// implementation of the circular (README, "Statistical forms"). The registry fills only the cells it
// has figures for (tt02-figures.ts); every other cell stays empty for the office, never a zero.
// The forms are official Vietnamese documents: their text is the circular's, in every interface language.
import ExcelJS from 'exceljs';
import { safeCell } from '../models/spreadsheet.ts';
import type { Tt02Figures, Tt02Form } from './tt02-figures.ts';

/** A header cell at a row (from 0) and column (from 1) of the table's header, spanning rows and columns. */
interface HeaderCell {
  row: number;
  col: number;
  text: string;
  rows?: number;
  cols?: number;
}

type RowStyle = 'total' | 'section' | 'item' | 'part';

interface FormRow {
  label: string;
  /** Mã số; none for a section heading. */
  code?: string;
  /** Đơn vị tính, in forms that have the column. */
  measure?: string;
  style: RowStyle;
}

interface FormSpec {
  code: string;
  title: string;
  period: (year: number) => string;
  /** "Đơn vị tính: ..." above the table, right-aligned. */
  measure?: string;
  widths: number[];
  headerRows: number;
  headerHeights: number[];
  header: HeaderCell[];
  /** The column numbers row: each label and how many columns it spans. */
  numbers: [string, number][];
  rows: FormRow[];
  /** The text columns before the figures (A, B and, where the form has it, C). */
  textColumns: number;
  /** The "Tổng số" column, the sum of the columns from..to of its row (as the form defines it). */
  total?: { col: number; from: number; to: number };
  /** The figures the registry fills: row code → column → value. */
  filled: (figures: Tt02Figures) => Record<string, Record<number, number>>;
  note: (figures: Tt02Figures) => string[];
}

const CIRCULAR = 'Ban hành theo Thông tư số 02/2023/TT-BNV ngày 23/3/2023';
const DUE = 'Ngày nhận báo cáo: ngày 15 tháng 12 năm báo cáo';
const REPORT_TIME = (year: number) => `Thời điểm báo cáo: năm ${year}`;
const YEAR_ONLY = (year: number) => `Năm ${year}`;

/** The rows of individuals by position, in forms 0602 and 0603. */
const POSITIONS = [
  '+ Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên',
  '+ Lãnh đạo cấp vụ, sở, ngành và tương đương',
  '+ Doanh nhân',
  '+ Các cấp lãnh đạo khác từ phó phòng trở lên',
  '+ Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu (công nhân, nông dân,...)',
];

/** The rows by form of commendation (phương thức khen thưởng), in forms 0602 and 0603. */
const METHODS = ['- Thường xuyên', '- Chuyên đề', '- Đột xuất', '- Đối ngoại', '- Cống hiến', '- Niên hạn', '- Kháng chiến'];

const code = (n: number) => String(n).padStart(2, '0');

const section = (label: string): FormRow => ({ label, style: 'section' });

/** What the registry's certificates are: every award round is for the "Dân vận khéo" movement, a thematic emulation movement. */
const awardNote = (figures: Tt02Figures, award: string, column: number, rows: string) => [
  `Ghi chú của Sổ đăng ký "Dân vận khéo" (ngoài vùng in): cột ${column} (${award}) ở các dòng ${rows} là số bằng khen còn hiệu lực`
  + ` ghi trong sổ năm ${figures.year} cho tập thể, cá nhân thuộc đơn vị báo cáo (kể cả các đơn vị trực thuộc và đơn vị đã hợp nhất vào).`,
  'Mọi đợt khen thưởng trong sổ là khen thưởng phong trào thi đua "Dân vận khéo", nên được ghi ở dòng "Chuyên đề". Sổ không ghi'
  + ' hộ gia đình, doanh nghiệp hay chức vụ theo các nhóm của biểu: các ô để trống là số liệu sổ không có, đơn vị tự điền.',
  'Cột "Tổng số" là công thức cộng các cột "Chia ra" của dòng, tự cập nhật khi đơn vị điền thêm.',
];

const FORMS: Record<Tt02Form, FormSpec> = {
  '0601': {
    code: '0601.N/BNV-TĐKT',
    title: 'SỐ PHONG TRÀO THI ĐUA',
    period: REPORT_TIME,
    measure: 'Đơn vị tính: Phong trào',
    widths: [52, 8, 12, 20, 26, 18],
    headerRows: 2,
    headerHeights: [36, 66],
    header: [
      { row: 0, col: 1, text: '', rows: 2 },
      { row: 0, col: 2, text: 'Mã số', rows: 2 },
      { row: 0, col: 3, text: 'Tổng số', rows: 2 },
      { row: 0, col: 4, text: 'Số phong trào thi đua chia theo cấp chủ trì phát động thi đua', cols: 3 },
      { row: 1, col: 4, text: 'Cấp Trung ương (Hội đồng Thi đua - Khen thưởng Trung ương)' },
      { row: 1, col: 5, text: 'Cấp bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương' },
      { row: 1, col: 6, text: 'Cơ quan, tổ chức, đơn vị' },
    ],
    numbers: [['A', 1], ['B', 1], ['1=(2+3+4)', 1], ['2', 1], ['3', 1], ['4', 1]],
    textColumns: 2,
    total: { col: 3, from: 4, to: 6 },
    rows: [
      { label: 'Tổng số', code: '01', style: 'total' },
      section('1. Chia theo phạm vi tổ chức thi đua'),
      { label: '- Toàn quốc', code: '02', style: 'item' },
      { label: '- Bộ, ban, ngành, đoàn thể, địa phương', code: '03', style: 'item' },
      { label: '- Cụm, khối thi đua do Hội đồng Thi đua - Khen thưởng các cấp tổ chức', code: '04', style: 'item' },
      { label: '- Cơ quan, tổ chức, đơn vị', code: '05', style: 'item' },
      section('2. Chia theo thời hạn thi đua'),
      { label: '- Dưới 1 năm', code: '06', style: 'item' },
      { label: '- 1 năm', code: '07', style: 'item' },
      { label: '- Từ 1 năm đến dưới 3 năm', code: '08', style: 'item' },
      { label: '- Từ 3 năm đến dưới 5 năm', code: '09', style: 'item' },
      { label: '- Từ 5 năm trở lên', code: '10', style: 'item' },
      section('3. Chia theo phương thức tổ chức phong trào thi đua'),
      { label: '- Thi đua theo chuyên đề', code: '11', style: 'item' },
      { label: '- Thi đua thường xuyên hàng năm', code: '12', style: 'item' },
    ],
    filled: () => ({}),
    note: () => [
      'Ghi chú của Sổ đăng ký "Dân vận khéo" (ngoài vùng in): sổ chỉ theo dõi phong trào thi đua "Dân vận khéo" và không ghi cấp phát động,'
      + ' thời hạn hay phương thức tổ chức của các phong trào thi đua, nên mọi ô số liệu để trống để đơn vị điền.',
      'Cột 1 là công thức cộng các cột 2, 3 và 4 của dòng, tự cập nhật khi đơn vị điền.',
    ],
  },

  '0602': {
    code: '0602.N/BNV-TĐKT',
    title: 'SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC',
    period: REPORT_TIME,
    widths: [46, 7, 13, 9, 8, 8, 10, 10, 8, 8, 10, 9, 9, 11, 8, 8],
    headerRows: 4,
    headerHeights: [20, 30, 30, 20],
    header: [
      { row: 0, col: 1, text: '', rows: 4 },
      { row: 0, col: 2, text: 'Mã số', rows: 4 },
      { row: 0, col: 3, text: 'Đơn vị tính', rows: 4 },
      { row: 0, col: 4, text: 'Tổng số', rows: 4 },
      { row: 0, col: 5, text: 'Chia ra', cols: 12 },
      { row: 1, col: 5, text: 'Các loại huân chương, huy chương', rows: 2, cols: 2 },
      { row: 1, col: 7, text: 'Giải thưởng Hồ Chí Minh', rows: 2 },
      { row: 1, col: 8, text: 'Giải thưởng Nhà nước', rows: 2 },
      { row: 1, col: 9, text: 'Danh hiệu vinh dự nhà nước', rows: 2, cols: 2 },
      { row: 1, col: 11, text: 'Cờ thi đua của Chính phủ', rows: 2 },
      { row: 1, col: 12, text: 'Bằng khen của Thủ tướng Chính phủ', rows: 2, cols: 2 },
      { row: 1, col: 14, text: 'Chiến sĩ thi đua toàn quốc', rows: 2 },
      { row: 1, col: 15, text: 'Các hình thức khen thưởng khác', rows: 2, cols: 2 },
      ...(['Tập thể', 'Cá nhân', 'Cá nhân', 'Cá nhân', 'Tập thể', 'Cá nhân', 'Tập thể', 'Tập thể', 'Cá nhân', 'Cá nhân', 'Tập thể', 'Cá nhân'] as const)
        .map((text, i) => ({ row: 3, col: 5 + i, text })),
    ],
    numbers: [['A', 1], ['B', 1], ['C', 1], ['1', 1], ['2', 2], ['3', 1], ['4', 1], ['5', 2], ['6', 1], ['7', 2], ['8', 1], ['9', 2]],
    textColumns: 3,
    total: { col: 4, from: 5, to: 16 },
    rows: [
      { label: 'Tổng số', code: '01', style: 'total' },
      section('1. Chia theo đơn vị ban hành tờ trình Thủ tướng Chính phủ về khen thưởng'),
      { label: '- Bộ, ban, ngành, đoàn thể Trung ương', code: '02', measure: 'Bộ, ngành', style: 'item' },
      { label: '- Tỉnh, thành phố trực thuộc Trung ương', code: '03', measure: 'Tỉnh, TP', style: 'item' },
      section('2. Chia theo đối tượng khen thưởng'),
      { label: '- Tập thể', code: '06', measure: 'Tập thể', style: 'item' },
      { label: 'Trong đó: Doanh nghiệp', code: '07', measure: 'Doanh nghiệp', style: 'part' },
      { label: '- Hộ gia đình', code: '08', measure: 'Hộ', style: 'item' },
      { label: '- Cá nhân', code: '09', measure: 'Người', style: 'item' },
      ...POSITIONS.map((label, i): FormRow => ({ label, code: code(10 + i), measure: 'Người', style: 'item' })),
      section('3. Chia theo phương thức khen thưởng'),
      ...METHODS.map((label, i): FormRow => ({ label, code: code(15 + i), style: 'item' })),
    ],
    filled: ({ primeMinister: { collectives, individuals } }) => ({
      '01': { 12: collectives, 13: individuals },
      '06': { 12: collectives },
      '09': { 13: individuals },
      '16': { 12: collectives, 13: individuals },
    }),
    note: (figures) => awardNote(figures, 'Bằng khen của Thủ tướng Chính phủ', 7, '01, 06, 09 và 16'),
  },

  '0603': {
    code: '0603.N/BNV-TĐKT',
    title: 'SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG VÀ TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG',
    period: REPORT_TIME,
    widths: [50, 7, 12, 10, 12, 16, 26, 28],
    headerRows: 2,
    headerHeights: [20, 80],
    header: [
      { row: 0, col: 1, text: '', rows: 2 },
      { row: 0, col: 2, text: 'Mã số', rows: 2 },
      { row: 0, col: 3, text: 'Đơn vị tính', rows: 2 },
      { row: 0, col: 4, text: 'Tổng số', rows: 2 },
      { row: 0, col: 5, text: 'Chia ra', cols: 4 },
      { row: 1, col: 5, text: 'Bằng khen' },
      { row: 1, col: 6, text: 'Chiến sĩ thi đua cấp bộ, cấp tỉnh' },
      { row: 1, col: 7, text: 'Cờ thi đua của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương' },
      { row: 1, col: 8, text: 'Huy hiệu (kỷ niệm chương) của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố trực thuộc Trung ương' },
    ],
    numbers: [['A', 1], ['B', 1], ['C', 1], ['1', 1], ['2', 1], ['3', 1], ['4', 1], ['5', 1]],
    textColumns: 3,
    total: { col: 4, from: 5, to: 8 },
    rows: [
      { label: 'Tổng số', code: '01', style: 'total' },
      section('1. Chia theo đối tượng khen thưởng'),
      { label: '- Tập thể', code: '02', measure: 'Tập thể', style: 'item' },
      { label: 'Trong đó: Doanh nghiệp', code: '03', measure: 'Doanh nghiệp', style: 'part' },
      { label: '- Hộ gia đình', code: '04', measure: 'Hộ', style: 'item' },
      { label: '- Cá nhân', code: '05', measure: 'Người', style: 'item' },
      ...POSITIONS.map((label, i): FormRow => ({ label, code: code(6 + i), measure: 'Người', style: 'item' })),
      section('2. Chia theo phương thức khen thưởng'),
      ...METHODS.map((label, i): FormRow => ({ label, code: code(11 + i), style: 'item' })),
    ],
    filled: ({ provincial: { collectives, individuals } }) => ({
      '01': { 5: collectives + individuals },
      '02': { 5: collectives },
      '05': { 5: individuals },
      '12': { 5: collectives + individuals },
    }),
    note: (figures) => [
      ...awardNote(figures, 'Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh', 2, '01, 02, 05 và 12'),
      'Giấy khen không thuộc biểu này nên không được tính.',
    ],
  },

  '0604': {
    code: '0604.N/BNV-TĐKT',
    title: 'SỐ LƯỢNG TỔ CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG, TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG',
    period: YEAR_ONLY,
    widths: [62, 9, 14, 16],
    headerRows: 1,
    headerHeights: [30],
    header: [
      { row: 0, col: 1, text: '' },
      { row: 0, col: 2, text: 'Mã số' },
      { row: 0, col: 3, text: 'Đơn vị tính' },
      { row: 0, col: 4, text: 'Số lượng' },
    ],
    numbers: [['A', 1], ['B', 1], ['C', 1], ['1', 1]],
    textColumns: 3,
    rows: [
      { label: 'Tổng số', code: '01', measure: 'Tổ chức', style: 'total' },
      section('Chia theo cơ cấu tổ chức bộ máy'),
      { label: '- Cấp Vụ thuộc bộ, ban, ngành, đoàn thể Trung ương', code: '02', measure: 'Vụ', style: 'item' },
      { label: '- Cấp phòng, ban hoặc bộ phận thuộc Vụ', code: '03', measure: 'Phòng', style: 'item' },
      { label: '- Cấp ban thuộc Sở Nội vụ', code: '04', measure: 'Ban', style: 'item' },
      { label: '- Cấp phòng thuộc Sở Nội vụ', code: '05', measure: 'Phòng', style: 'item' },
    ],
    filled: () => ({}),
    note: () => ['Ghi chú của Sổ đăng ký "Dân vận khéo" (ngoài vùng in): sổ không có số liệu về tổ chức bộ máy làm công tác thi đua, khen thưởng; biểu để trống để đơn vị điền.'],
  },

  '0605': {
    code: '0605.N/BNV-TĐKT',
    title: 'SỐ LƯỢNG CÔNG CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG CỦA BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG, TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG',
    period: YEAR_ONLY,
    widths: [62, 9, 16, 16],
    headerRows: 2,
    headerHeights: [20, 20],
    header: [
      { row: 0, col: 1, text: '', rows: 2 },
      { row: 0, col: 2, text: 'Mã số', rows: 2 },
      { row: 0, col: 3, text: 'Số lượng (Người)', cols: 2 },
      { row: 1, col: 3, text: 'Tổng số' },
      { row: 1, col: 4, text: 'Trong đó: Nữ' },
    ],
    numbers: [['A', 1], ['B', 1], ['1', 1], ['2', 1]],
    textColumns: 2,
    rows: [
      { label: 'Tổng số', code: '01', style: 'total' },
      section('1. Chia theo độ tuổi'),
      ...['- Từ 30 trở xuống', '- Từ 31 đến 40', '- Từ 41 đến 50', '- Từ 51 đến 55', '- Từ 56 đến 60', '- Trên 60 tuổi'].map((label, i): FormRow => ({ label, code: code(2 + i), style: 'item' })),
      section('2. Chia theo trình độ đào tạo'),
      ...['- Sơ cấp', '- Trung cấp', '- Cao đẳng', '- Đại học', '- Trên đại học'].map((label, i): FormRow => ({ label, code: code(8 + i), style: 'item' })),
      section('3. Chia theo thâm niên công tác trong lĩnh vực thi đua, khen thưởng'),
      ...['- Dưới 5 năm', '- Từ 5 đến 10 năm', '- Từ 10 năm trở lên'].map((label, i): FormRow => ({ label, code: code(13 + i), style: 'item' })),
    ],
    filled: () => ({}),
    note: () => ['Ghi chú của Sổ đăng ký "Dân vận khéo" (ngoài vùng in): sổ không có số liệu về công chức làm công tác thi đua, khen thưởng; biểu để trống để đơn vị điền.'],
  },
};

/** The form's code as printed, "0601.N/BNV-TĐKT". */
export function formCode(form: Tt02Form): string {
  return FORMS[form].code;
}

/** The form's title, as printed. */
export function formTitle(form: Tt02Form): string {
  return FORMS[form].title;
}

const FONT = 'Times New Roman';
const THIN: Partial<ExcelJS.Border> = { style: 'thin' };
const BOX: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const DOTS = '……………………………';

/** One form of a year as a workbook. */
export async function tt02Workbook(form: Tt02Form, figures: Tt02Figures): Promise<Buffer> {
  const spec = FORMS[form];
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Sổ đăng ký "Dân vận khéo"';
  workbook.title = `Biểu số ${spec.code}`;
  // The "Tổng số" formulas carry their value; Excel and LibreOffice work them out again on opening.
  workbook.calcProperties.fullCalcOnLoad = true;
  const sheet = workbook.addWorksheet(`Biểu ${form}`);
  const width = spec.widths.length;
  spec.widths.forEach((w, i) => { sheet.getColumn(i + 1).width = w; });
  const letter = (col: number) => sheet.getColumn(col).letter;
  const split = Math.ceil(width / 2);

  /** Writes text into a merged range of a row, with the font and alignment given. */
  const put = (row: number, from: number, to: number, value: string, font: Partial<ExcelJS.Font> = {}, alignment: Partial<ExcelJS.Alignment> = {}) => {
    if (to > from) sheet.mergeCells(row, from, row, to);
    const cell = sheet.getCell(row, from);
    cell.value = value;
    cell.font = { name: FONT, size: 12, ...font };
    cell.alignment = { vertical: 'middle', wrapText: true, ...alignment };
    return cell;
  };

  const reporting = figures.unitName === null ? 'Toàn quốc' : String(safeCell(figures.unitName));
  const receiving = figures.receiving === null ? DOTS : figures.receiving.kind === 'ministry' ? 'Bộ Nội vụ' : String(safeCell(figures.receiving.name));
  put(1, 1, split, `Biểu số: ${spec.code}`, { bold: true }, { horizontal: 'left' });
  put(1, split + 1, width, `Đơn vị báo cáo: ${reporting}`, {}, { horizontal: 'left' });
  put(2, 1, split, CIRCULAR, { size: 11 }, { horizontal: 'left' });
  put(2, split + 1, width, `Đơn vị nhận báo cáo: ${receiving}`, {}, { horizontal: 'left' });
  put(3, 1, split, DUE, { size: 11 }, { horizontal: 'left' });
  for (const row of [1, 2, 3]) sheet.getRow(row).height = 32;
  put(5, 1, width, spec.title, { bold: true, size: 14 }, { horizontal: 'center' });
  sheet.getRow(5).height = spec.title.length > 60 ? 40 : 22;
  put(6, 1, width, spec.period(figures.year), { italic: true }, { horizontal: 'center' });
  if (spec.measure) put(7, 1, width, spec.measure, { italic: true }, { horizontal: 'right' });

  // The header: every cell of the grid boxed, merged as the form merges them.
  const top = 8;
  for (let r = 0; r < spec.headerRows; r++) {
    sheet.getRow(top + r).height = spec.headerHeights[r] ?? 20;
    for (let c = 1; c <= width; c++) {
      const cell = sheet.getCell(top + r, c);
      cell.border = BOX;
      cell.font = { name: FONT, size: 11, bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    }
  }
  for (const h of spec.header) {
    const row = top + h.row;
    if ((h.rows ?? 1) > 1 || (h.cols ?? 1) > 1) sheet.mergeCells(row, h.col, row + (h.rows ?? 1) - 1, h.col + (h.cols ?? 1) - 1);
    sheet.getCell(row, h.col).value = h.text;
  }
  const numbersRow = top + spec.headerRows;
  let col = 1;
  for (const [label, span] of spec.numbers) {
    if (span > 1) sheet.mergeCells(numbersRow, col, numbersRow, col + span - 1);
    sheet.getCell(numbersRow, col).value = label;
    col += span;
  }
  for (let c = 1; c <= width; c++) {
    const cell = sheet.getCell(numbersRow, c);
    cell.border = BOX;
    cell.font = { name: FONT, size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle' };
  }

  // The rows: the registry's figures where it has them, the "Tổng số" formula, every other cell empty.
  const filled = spec.filled(figures);
  let rowNumber = numbersRow + 1;
  for (const formRow of spec.rows) {
    const row = sheet.getRow(rowNumber);
    const bold = formRow.style === 'total' || formRow.style === 'section';
    const italic = formRow.style === 'part';
    row.getCell(1).value = formRow.label;
    if (formRow.code) row.getCell(2).value = formRow.code;
    if (spec.textColumns === 3 && formRow.measure) row.getCell(3).value = formRow.measure;
    const values = formRow.code ? filled[formRow.code] ?? {} : {};
    for (const [c, value] of Object.entries(values)) row.getCell(Number(c)).value = value;
    if (spec.total && formRow.code) {
      const { from, to } = spec.total;
      const range = `${letter(from)}${rowNumber}:${letter(to)}${rowNumber}`;
      const parts = Object.entries(values).filter(([c]) => Number(c) >= from && Number(c) <= to).map(([, v]) => v);
      row.getCell(spec.total.col).value = {
        formula: `IF(COUNT(${range})=0,"",SUM(${range}))`,
        ...(parts.length > 0 ? { result: parts.reduce((sum, v) => sum + v, 0) } : {}),
      } as ExcelJS.CellFormulaValue;
    }
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      cell.border = BOX;
      cell.font = { name: FONT, size: 12, bold, italic };
      const text = c === 1;
      cell.alignment = { horizontal: text ? 'left' : 'center', vertical: 'middle', wrapText: true, ...(text && formRow.style === 'part' ? { indent: 1 } : {}) };
      if (c > spec.textColumns) cell.numFmt = '#,##0';
    }
    if (formRow.label.length > spec.widths[0]! * 1.1) row.height = 32;
    rowNumber++;
  }

  // The place and date, the signers; the registry's note below them, outside the printed area.
  const lastTableRow = rowNumber - 1;
  const sign = lastTableRow + 2;
  put(sign, split + 1, width, '…………, ngày …… tháng …… năm ……', { italic: true }, { horizontal: 'center' });
  put(sign + 1, 1, split, 'NGƯỜI LẬP BIỂU', { bold: true }, { horizontal: 'center' });
  put(sign + 1, split + 1, width, 'THỦ TRƯỞNG ĐƠN VỊ', { bold: true }, { horizontal: 'center' });
  put(sign + 2, 1, split, '(Ký, họ tên)', { italic: true }, { horizontal: 'center' });
  put(sign + 2, split + 1, width, '(Ký, họ tên, đóng dấu)', { italic: true }, { horizontal: 'center' });
  const printedTo = sign + 6;
  let noteRow = printedTo + 2;
  for (const line of spec.note(figures)) {
    put(noteRow, 1, width, line, { italic: true, size: 11, color: { argb: 'FF555555' } }, { horizontal: 'left' });
    sheet.getRow(noteRow).height = 30;
    noteRow++;
  }

  sheet.pageSetup = {
    paperSize: 9, // A4
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 1, // every form is one page: 17 to 25 rows
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    // ExcelJS puts a $ before each part's column only: the row's $ is written here, so the area is absolute.
    printArea: `A$1:${letter(width)}$${printedTo}`,
    printTitlesRow: `${top}:${numbersRow}`,
  };
  sheet.views = [{ showGridLines: false }];
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
