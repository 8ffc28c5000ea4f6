// The reports pages: the summary as a page with charts, as a workbook and as a PDF made by the
// same Puppeteer renderer as the certificates; the centre's national report as a page and a workbook.
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireLogin } from '../auth/guards.ts';
import { unitPickers, type UnitPickerSpec } from '../units/picker.ts';
import type { CertificateRenderer } from '../certificates/rendering/renderer.ts';
import { UnavailableError } from '../errors.ts';
import { translateProblems } from '../web/errors.ts';
import { formatNumber, translate, type Language } from '../web/i18n/index.ts';
import { callerOf, languageOf, scopeOf } from '../web/request.ts';
import { viewToPdf } from '../certificates/rendering/view-pdf.ts';
import { barChart, trendChart } from './charts.ts';
import type { National, Summary } from './present.ts';
import { seesNationalReport, type Change } from './service.ts';
import { nationalWorkbook, summaryWorkbook } from './xlsx.ts';
import { nationalFor, summaryFor, thisYear, tt02For } from './http.ts';
import { TT02_FORMS } from './tt02-figures.ts';
import { formCode, formTitle } from './tt02.ts';

/** Any unit in scope, ended ones too: a report of a year before the 2025 mergers names the units of then. */
const UNIT_PICKERS: UnitPickerSpec[] = [{ name: 'unitId', label: 'reports.unit', includeEnded: true }];

const percentText = (value: number | null) => (value === null ? '—' : `${formatNumber(value)}%`);

const changeText = (change: Change) => `${change.count > 0 ? '+' : ''}${formatNumber(change.count)}${change.percent === null ? '' : ` (${change.percent > 0 ? '+' : ''}${formatNumber(change.percent)}%)`}`;

/** The page's (and the PDF's) view of a summary: numbers formatted the Vietnamese way, charts as geometry. */
function reportView(summary: Summary, paragraph: string, language: Language) {
  const { models } = summary;
  const row = (r: Summary['models']['byField'][number]) => ({
    ...r,
    registeredText: formatNumber(r.registered), implementingText: formatNumber(r.implementing), completedText: formatNumber(r.completed), recognizedText: formatNumber(r.recognized),
    previousText: formatNumber(r.previous.registered), changeText: changeText(r.change.registered), shareText: percentText(r.share), trend: r.change.registered.count > 0 ? 'up' : r.change.registered.count < 0 ? 'down' : 'same',
  });
  const headline = (key: 'registered' | 'implementing' | 'completed' | 'recognized') => ({
    key, label: translate(language, `reports.${key}`), value: formatNumber(models[key]), change: changeText(models.change[key]),
    trend: models.change[key].count > 0 ? 'up' : models.change[key].count < 0 ? 'down' : 'same',
  });
  return {
    summary,
    paragraph,
    headlines: [headline('registered'), headline('implementing'), headline('completed'), headline('recognized')],
    others: { replicated: formatNumber(models.replicated), discontinued: formatNumber(models.discontinued), collectives: formatNumber(summary.awards.collectives), individuals: formatNumber(summary.awards.individuals) },
    previousYear: summary.year - 1,
    byField: models.byField.map(row),
    byBlock: models.byBlock.map(row),
    byKind: models.byKind.map(row),
    byUnit: models.byUnit.map(row),
    fieldChart: barChart(models.byField),
    blockChart: barChart(models.byBlock),
    trendChart: trendChart(models.trend),
    trend: models.trend.map((t) => ({ year: t.year, registered: formatNumber(t.registered), implementing: formatNumber(t.implementing) })),
    rounds: summary.awards.byRound.map((r) => ({ ...r, collectivesText: formatNumber(r.collectives), individualsText: formatNumber(r.individuals) })),
    evaluation: evaluationView(summary.evaluation, language),
  };
}

/** The section on evaluation by criteria: a sentence, then the figures by field and by block. */
function evaluationView(evaluation: Summary['evaluation'], language: Language) {
  const percent = (value: number | null) => (value === null ? '—' : `${formatNumber(value)}%`);
  const row = (r: Summary['evaluation']['byField'][number]) => ({ name: r.name, evaluated: formatNumber(r.evaluated), recognized: formatNumber(r.recognized), average: percent(r.averagePercent) });
  return {
    any: evaluation.evaluated > 0,
    sentence: translate(language, 'reports.evaluationSentence', { evaluated: formatNumber(evaluation.evaluated), recognized: formatNumber(evaluation.recognized), average: percent(evaluation.averagePercent) }),
    byField: evaluation.byField.map(row),
    byBlock: evaluation.byBlock.map(row),
  };
}

/** The national report's page: each province's figures and the total, formatted the Vietnamese way. */
function nationalView(report: National) {
  const figures = (row: National['total']) => ({
    registered: formatNumber(row.registered), implementing: formatNumber(row.implementing), recognized: formatNumber(row.recognized),
    collectives: formatNumber(row.collectives), individuals: formatNumber(row.individuals),
  });
  return {
    report,
    rows: report.provinces.map((p) => ({ unitId: p.unitId, officialCode: p.officialCode ?? '', name: p.name, ...figures(p) })),
    total: figures(report.total),
  };
}

const yearOptions = () => Array.from({ length: thisYear - 2014 }, (_, i) => ({ value: String(thisYear + 1 - i), label: String(thisYear + 1 - i) }));

export function reportPages(db: Database, renderer: CertificateRenderer | undefined): Router {
  const router = Router();

  router.get('/reports', requireLogin, async (req, res) => {
    const scope = await scopeOf(req, db);
    const pickers = unitPickers(db, scope, languageOf(req), UNIT_PICKERS);
    // A unit typed by name becomes its id; one that names no unit, or several, is shown at its field and not reported on.
    const picked = await pickers.prepare({ ...(req.query as Record<string, unknown>) });
    const { language, summary, paragraph } = await summaryFor(db, req, picked.body);
    const values = { year: String(summary.year), unitId: summary.unitId && picked.problems.length === 0 ? String(summary.unitId) : '', unitIdText: picked.values.unitIdText };
    const query = new URLSearchParams({ year: String(summary.year), ...(summary.unitId ? { unitId: String(summary.unitId) } : {}) }).toString();
    res.render('reports/index', {
      title: translate(language, 'reports.title'),
      ...reportView(summary, paragraph, language),
      years: yearOptions(),
      nationalQuery: (await seesNationalReport(db, await callerOf(req, db))) ? new URLSearchParams({ year: String(summary.year) }).toString() : null,
      ...(await pickers.views(values)),
      allUnitsLabel: scope.all ? translate(language, 'reports.allUnits') : null,
      values,
      errors: Object.fromEntries(translateProblems(language, picked.problems).map((problem) => [problem.field, problem.message])),
      exportQuery: query,
      tt02Forms: TT02_FORMS.map((form) => ({ code: formCode(form), title: formTitle(form), href: `/reports/tt02/${form}.xlsx?${query}` })),
    });
  });

  router.get('/reports/summary.xlsx', requireLogin, async (req, res) => {
    const { language, summary, paragraph } = await summaryFor(db, req);
    res.set({
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="bao-cao-dan-van-kheo-${summary.year}.xlsx"`,
    });
    res.send(await summaryWorkbook(summary, paragraph, language));
  });

  router.get('/reports/summary.pdf', requireLogin, async (req, res) => {
    if (!renderer) throw new UnavailableError('no_browser', 'certificates.noBrowser');
    const { language, summary, paragraph } = await summaryFor(db, req);
    const data = { ...reportView(summary, paragraph, language), title: translate(language, 'reports.title'), lang: language };
    const pdf = await viewToPdf(res, renderer, 'reports/print', data, 'report-print.css', { widthMm: 210, heightMm: 297 });
    res.set({ 'Content-Type': 'application/pdf', 'Content-Disposition': `attachment; filename="bao-cao-dan-van-kheo-${summary.year}.pdf"`, 'Cache-Control': 'private, no-store' });
    res.end(pdf);
  });

  router.get('/reports/tt02/:form.xlsx', requireLogin, async (req, res) => {
    const { headers, workbook } = await tt02For(db, req);
    res.set(headers).send(workbook);
  });

  router.get('/reports/national', requireLogin, async (req, res) => {
    const { language, report } = await nationalFor(db, req);
    res.render('reports/national', {
      title: translate(language, 'reports.national.title'),
      ...nationalView(report),
      years: yearOptions(),
      values: { year: String(report.year) },
      exportQuery: new URLSearchParams({ year: String(report.year) }).toString(),
    });
  });

  router.get('/reports/national.xlsx', requireLogin, async (req, res) => {
    const { language, report } = await nationalFor(db, req);
    res.set({
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="bao-cao-toan-quoc-${report.year}.xlsx"`,
    });
    res.send(await nationalWorkbook(report, language));
  });

  return router;
}
