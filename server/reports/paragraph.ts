// The headline paragraph, written the way the provincial reports put it ("đăng ký xây dựng 1.649 mô
// hình ... đã và đang triển khai thực hiện 1.546 mô hình (tăng 113 mô hình so với năm 2017)"), ready
// to paste into a year-end report. It reads as a person would write it: a figure of nothing is left
// out ("0 mô hình được công nhận", "0 cá nhân"), one of a thing is singular in English, and a list of
// fields whose names hold commas ("Quốc phòng, an ninh") is separated by semicolons.
import { formatNumber, type Language } from '../web/i18n/index.ts';
import type { Summary } from './present.ts';
import type { Change } from './service.ts';

const percent = (value: number) => `${formatNumber(value)}%`;

/** "a, b và c" / "a, b and c"; with semicolons when a name holds a comma of its own. */
function listOf(items: readonly string[], and: string): string {
  if (items.length <= 1) return items.join('');
  const separator = items.some((item) => item.includes(',')) ? '; ' : ', ';
  return `${items.slice(0, -1).join(separator)} ${and} ${items.at(-1)}`;
}

/** The figures that are not nothing, as "4 mô hình đã hoàn thành và 2 mô hình được công nhận". */
const nonZero = (parts: readonly [number, (count: string) => string][], and: string) =>
  listOf(parts.filter(([count]) => count > 0).map(([count, words]) => words(formatNumber(count))), and);

function viChange(change: Change, previousYear: number): string {
  if (change.count === 0) return `bằng năm ${previousYear}`;
  const word = change.count > 0 ? 'tăng' : 'giảm';
  const share = change.percent === null ? '' : `, ${percent(Math.abs(change.percent))}`;
  return `${word} ${formatNumber(Math.abs(change.count))} mô hình${share} so với năm ${previousYear}`;
}

function enChange(change: Change, previousYear: number): string {
  if (change.count === 0) return `the same as in ${previousYear}`;
  const word = change.count > 0 ? 'up' : 'down';
  const share = change.percent === null ? '' : `, ${percent(Math.abs(change.percent))}`;
  return `${word} ${formatNumber(Math.abs(change.count))}${share} on ${previousYear}`;
}

const plural = (count: number, one: string, many: string) => `${formatNumber(count)} ${count === 1 ? one : many}`;

/** Who the sentence is about: the unit, or "all units" in lower case mid-sentence (the page's label is a heading). */
const subjectOf = (summary: Summary, language: Language) => (summary.unitId === null ? (language === 'en' ? 'all units' : 'toàn bộ các đơn vị') : summary.unitName);

function vietnamese(summary: Summary): string {
  const { year, models, awards } = summary;
  const unitName = subjectOf(summary, 'vi');
  const previousYear = year - 1;
  const fields = models.byField.filter((f) => f.registered > 0).map((f) => f.name.toLocaleLowerCase('vi'));
  const government = models.byBlock.find((b) => b.code === 'chinh_quyen');
  const parts: string[] = [];
  if (models.registered === 0) {
    const before = models.previousYear.registered;
    parts.push(`Năm ${year}, ${unitName} chưa có mô hình, điển hình "Dân vận khéo" nào đăng ký xây dựng${before > 0 ? ` (năm ${previousYear} có ${formatNumber(before)} mô hình)` : ''}.`);
  } else {
    const inFields = fields.length === 1 ? ` trong lĩnh vực ${fields[0]}` : fields.length > 1 ? ` trong các lĩnh vực: ${listOf(fields, 'và')}` : '';
    const implementing = models.implementing > 0
      ? `đã và đang triển khai thực hiện ${formatNumber(models.implementing)} mô hình, điển hình (${viChange(models.change.implementing, previousYear)})`
      : 'chưa có mô hình, điển hình nào triển khai thực hiện';
    const outcomes = nonZero([[models.completed, (n) => `${n} mô hình đã hoàn thành`], [models.recognized, (n) => `${n} mô hình được công nhận`]], 'và');
    parts.push(`Năm ${year}, ${unitName} có ${formatNumber(models.registered)} mô hình, điển hình "Dân vận khéo" đăng ký xây dựng${inFields} (${viChange(models.change.registered, previousYear)}); ${implementing}${outcomes ? `, trong đó ${outcomes}` : ''}.`);
    if (government && government.registered > 0) parts.push(`Trong khối chính quyền có ${formatNumber(government.registered)}/${formatNumber(models.registered)} mô hình (${percent(government.share ?? 0)}).`);
  }
  const awarded = nonZero([[awards.collectives, (n) => `${n} tập thể`], [awards.individuals, (n) => `${n} cá nhân`]], 'và');
  if (awarded) parts.push(`Đã tặng Bằng khen cho ${awarded} có thành tích xuất sắc.`);
  return parts.join(' ');
}

function english(summary: Summary): string {
  const { year, models, awards } = summary;
  const unitName = subjectOf(summary, 'en');
  const previousYear = year - 1;
  const fields = models.byField.filter((f) => f.registered > 0).map((f) => f.name.toLocaleLowerCase('en'));
  const government = models.byBlock.find((b) => b.code === 'chinh_quyen');
  const parts: string[] = [];
  if (models.registered === 0) {
    const before = models.previousYear.registered;
    parts.push(`In ${year}, ${unitName} registered no "Dân vận khéo" models or exemplars${before > 0 ? ` (${plural(before, 'model', 'models')} in ${previousYear})` : ''}.`);
  } else {
    const implementing = models.implementing > 0
      ? `${formatNumber(models.implementing)} ${models.implementing === 1 ? 'is being or has been' : 'are being or have been'} implemented (${enChange(models.change.implementing, previousYear)})`
      : 'none is being implemented yet';
    const outcomes = nonZero([[models.completed, (n) => `${n} completed`], [models.recognized, (n) => `${n} recognised`]], 'and');
    parts.push(`In ${year}, ${unitName} registered ${formatNumber(models.registered)} "Dân vận khéo" ${models.registered === 1 ? 'model or exemplar' : 'models and exemplars'}${fields.length ? ` in ${listOf(fields, 'and')}` : ''} (${enChange(models.change.registered, previousYear)}); ${implementing}${outcomes ? `, ${outcomes}` : ''}.`);
    if (government && government.registered > 0) parts.push(`The government block holds ${formatNumber(government.registered)}/${plural(models.registered, 'model', 'models')} (${percent(government.share ?? 0)}).`);
  }
  const awarded = nonZero([[awards.collectives, (n) => `${n} ${awards.collectives === 1 ? 'collective' : 'collectives'}`], [awards.individuals, (n) => `${n} ${awards.individuals === 1 ? 'individual' : 'individuals'}`]], 'and');
  if (awarded) parts.push(`Certificates of merit went to ${awarded}.`);
  return parts.join(' ');
}

export function headlineParagraph(summary: Summary, language: Language): string {
  return language === 'en' ? english(summary) : vietnamese(summary);
}
