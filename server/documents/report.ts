// The year-end summary as a Word document an office edits for its conference: the title, the
// headline paragraph, the figures against the year before, and the breakdowns and awards as tables,
// in the reader's language (the same words as the page and the workbook).
import { formatNumber, translate, type Language, type MessageKey } from '../web/i18n/index.ts';
import type { Row, Summary } from '../reports/present.ts';
import type { Change } from '../reports/service.ts';
import { reportDocx, type ReportBlock } from './docx-writer.ts';

const changeText = (change: Change) => `${change.count > 0 ? '+' : ''}${formatNumber(change.count)}${change.percent === null ? '' : ` (${change.percent > 0 ? '+' : ''}${formatNumber(change.percent)}%)`}`;

export function summaryDocx(summary: Summary, paragraph: string, language: Language): Promise<Buffer> {
  const t = (key: MessageKey, params?: Record<string, unknown>) => translate(language, key, params);
  const { models, awards, year } = summary;
  const figures: [MessageKey, number, number, Change | null][] = [
    ['reports.registered', models.registered, models.previousYear.registered, models.change.registered],
    ['reports.implementing', models.implementing, models.previousYear.implementing, models.change.implementing],
    ['reports.completed', models.completed, models.previousYear.completed, models.change.completed],
    ['reports.recognized', models.recognized, models.previousYear.recognized, models.change.recognized],
    ['reports.replicated', models.replicated, models.previousYear.replicated, null],
    ['reports.discontinued', models.discontinued, models.previousYear.discontinued, null],
  ];
  const breakdown = (heading: MessageKey, rows: readonly Row[], share = false): ReportBlock => ({
    heading: t(heading),
    table: {
      columns: [
        { header: t('reports.name'), widthMm: 52 }, { header: t('reports.registered'), widthMm: 20, numeric: true }, { header: t('reports.implementing'), widthMm: 24, numeric: true },
        { header: t('reports.completed'), widthMm: 20, numeric: true }, { header: t('reports.recognized'), widthMm: 20, numeric: true },
        { header: `${t('reports.registered')} ${year - 1}`, widthMm: 20, numeric: true }, { header: t('reports.change'), widthMm: 24, numeric: true },
        ...(share ? [{ header: t('reports.share'), widthMm: 16, numeric: true }] : []),
      ],
      rows: rows.map((r) => [
        r.name, formatNumber(r.registered), formatNumber(r.implementing), formatNumber(r.completed), formatNumber(r.recognized), formatNumber(r.previous.registered), changeText(r.change.registered),
        ...(share ? [r.share === null ? '—' : `${formatNumber(r.share)}%`] : []),
      ]),
    },
  });
  const blocks: ReportBlock[] = [
    { heading: t('documents.report.overview'), paragraphs: [paragraph] },
    {
      heading: t('reports.figure'),
      table: {
        columns: [{ header: t('reports.figure'), widthMm: 70 }, { header: String(year), widthMm: 30, numeric: true }, { header: String(year - 1), widthMm: 30, numeric: true }, { header: t('reports.change'), widthMm: 35, numeric: true }],
        rows: [
          ...figures.map(([key, current, previous, change]) => [t(key), formatNumber(current), formatNumber(previous), change ? changeText(change) : '']),
          [t('reports.awardsCollectives'), formatNumber(awards.collectives), '', ''],
          [t('reports.awardsIndividuals'), formatNumber(awards.individuals), '', ''],
        ],
      },
    },
    breakdown('reports.byField', models.byField),
    breakdown('reports.byBlock', models.byBlock, true),
    breakdown('reports.byKind', models.byKind),
    ...(models.byUnit.length > 0 ? [breakdown('reports.byUnit', models.byUnit)] : []),
    {
      heading: t('reports.trend'),
      table: {
        columns: [{ header: t('reports.year'), widthMm: 40, numeric: true }, { header: t('reports.registered'), widthMm: 60, numeric: true }, { header: t('reports.implementing'), widthMm: 65, numeric: true }],
        rows: models.trend.map((p) => [String(p.year), formatNumber(p.registered), formatNumber(p.implementing)]),
      },
    },
    awards.byRound.length > 0
      ? {
          heading: t('reports.awards'),
          table: {
            columns: [{ header: t('reports.round'), widthMm: 65 }, { header: t('reports.award'), widthMm: 50 }, { header: t('reports.collectives'), widthMm: 25, numeric: true }, { header: t('reports.individuals'), widthMm: 25, numeric: true }],
            rows: [...awards.byRound.map((r) => [r.title, r.awardName, formatNumber(r.collectives), formatNumber(r.individuals)]), [t('reports.total'), '', formatNumber(awards.collectives), formatNumber(awards.individuals)]],
            totalRow: true,
          },
        }
      : { heading: t('reports.awards'), paragraphs: [t('reports.noAwards')] },
  ];
  return reportDocx(`${t('reports.title').toLocaleUpperCase(language)} ${year}`, summary.unitName, blocks);
}
