// The headline paragraph, written the way the provincial reports put it ("đăng ký xây dựng 1.649 mô
// hình ... đã và đang triển khai thực hiện 1.546 mô hình (tăng 113 mô hình so với năm 2017)"), ready
// to paste into a year-end report.
import { formatNumber, type Language } from '../web/i18n/index.ts';
import type { Summary } from './present.ts';
import type { Change } from './service.ts';

const percent = (value: number) => `${formatNumber(value)}%`;

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

export function headlineParagraph(summary: Summary, language: Language): string {
  const { year, models, awards, unitName } = summary;
  const previousYear = year - 1;
  const fields = models.byField.filter((f) => f.registered > 0).map((f) => f.name.toLocaleLowerCase(language));
  const government = models.byBlock.find((b) => b.code === 'chinh_quyen');
  if (language === 'en') {
    const parts = [
      `In ${year}, ${unitName} registered ${formatNumber(models.registered)} "Dân vận khéo" models and exemplars${fields.length ? ` in ${fields.join(', ')}` : ''} (${enChange(models.change.registered, previousYear)}); ${formatNumber(models.implementing)} are being or have been implemented (${enChange(models.change.implementing, previousYear)}), ${formatNumber(models.completed)} completed and ${formatNumber(models.recognized)} recognised.`,
    ];
    if (government && models.registered > 0) parts.push(`The government block holds ${formatNumber(government.registered)}/${formatNumber(models.registered)} models (${percent(government.share ?? 0)}).`);
    if (awards.collectives + awards.individuals > 0) parts.push(`Certificates of merit went to ${formatNumber(awards.collectives)} collectives and ${formatNumber(awards.individuals)} individuals.`);
    return parts.join(' ');
  }
  const parts = [
    `Năm ${year}, ${unitName} có ${formatNumber(models.registered)} mô hình, điển hình "Dân vận khéo" đăng ký xây dựng${fields.length ? ` trong các lĩnh vực: ${fields.join(', ')}` : ''} (${viChange(models.change.registered, previousYear)}); đã và đang triển khai thực hiện ${formatNumber(models.implementing)} mô hình, điển hình (${viChange(models.change.implementing, previousYear)}), trong đó ${formatNumber(models.completed)} mô hình đã hoàn thành và ${formatNumber(models.recognized)} mô hình được công nhận.`,
  ];
  if (government && models.registered > 0) parts.push(`Trong khối chính quyền có ${formatNumber(government.registered)}/${formatNumber(models.registered)} mô hình (${percent(government.share ?? 0)}).`);
  if (awards.collectives + awards.individuals > 0) parts.push(`Đã tặng Bằng khen cho ${formatNumber(awards.collectives)} tập thể và ${formatNumber(awards.individuals)} cá nhân có thành tích xuất sắc.`);
  return parts.join(' ');
}
