// The summary in the reader's language: each breakdown's rows named from the catalogues and put in
// order (the catalogue's, then the most models, then by name), the whole country and the root's
// own row labelled. The API's JSON, the page, the workbook and the paragraph all read this shape.
import type { Language } from '../web/i18n/index.ts';
import type { Counts, NationalReport, Tally, YearSummary } from './service.ts';

/** A breakdown's row with its name. */
export interface Row extends Counts {
  code: string;
  name: string;
  previous: Tally['previous'];
  change: Tally['change'];
  share: number | null;
}

const KIND_NAMES = { vi: { model: 'Mô hình', exemplar: 'Điển hình' }, en: { model: 'Models', exemplar: 'Exemplars' } } as const;

/** Names each row from the catalogue (its code when missing) and orders the rows by the catalogue's order. */
function named(tallies: readonly Tally[], catalogue: readonly { code: string; name: string }[]): Row[] {
  const order = new Map(catalogue.map((item, index) => [item.code, index]));
  return tallies
    .map(({ code, ...figures }) => ({ code, name: catalogue.find((item) => item.code === code)?.name ?? code, ...figures }))
    .sort((a, b) => (order.get(a.code) ?? 999) - (order.get(b.code) ?? 999) || b.registered - a.registered || a.name.localeCompare(b.name, 'vi'));
}

export function presentSummary(summary: YearSummary, language: Language) {
  const { models, catalogues } = summary;
  const label = (item: { name: string; name_en: string }) => (language === 'en' ? item.name_en : item.name);
  const fields = catalogues.fields.map((f) => ({ code: f.code, name: label(f) }));
  const blocks = catalogues.blocks.map((b) => ({ code: b.code, name: label(b) }));
  const kinds = catalogues.kinds.map((kind) => ({ code: kind, name: KIND_NAMES[language][kind] }));
  const branches = catalogues.branches.map((u) => ({ code: u.code, name: u.isRoot ? `${u.name} (${language === 'en' ? 'directly' : 'trực tiếp'})` : u.name }));
  return {
    year: summary.year,
    unitId: summary.unitId,
    unitName: summary.unitName ?? (language === 'en' ? 'All units' : 'Toàn bộ đơn vị'),
    models: {
      registered: models.registered,
      implementing: models.implementing,
      completed: models.completed,
      recognized: models.recognized,
      notRecognized: models.notRecognized,
      discontinued: models.discontinued,
      replicated: models.replicated,
      byField: named(models.byField, fields),
      byBlock: named(models.byBlock, blocks),
      byKind: named(models.byKind, kinds),
      byUnit: named(models.byUnit, branches).sort((a, b) => b.registered - a.registered || a.name.localeCompare(b.name, 'vi')),
      previousYear: models.previousYear,
      change: models.change,
      trend: models.trend,
    },
    evaluation: {
      evaluated: summary.evaluation.evaluated,
      recognized: summary.evaluation.recognized,
      averagePercent: summary.evaluation.averagePercent,
      byField: summary.evaluation.byField.map((row) => ({ ...row, name: fields.find((f) => f.code === row.code)?.name ?? row.code })),
      byBlock: summary.evaluation.byBlock.map((row) => ({ ...row, name: blocks.find((b) => b.code === row.code)?.name ?? row.code })),
    },
    awards: {
      collectives: summary.awards.collectives,
      individuals: summary.awards.individuals,
      byRound: summary.awards.byRound.map((r) => ({ roundId: r.roundId, title: r.title, awardName: language === 'en' ? r.awardNameEn : r.awardName, collectives: r.collectives, individuals: r.individuals })),
    },
  };
}

export type Summary = ReturnType<typeof presentSummary>;

/**
 * The national report as the API, the page and the workbook read it: the provinces are named by the
 * registry (their names are data, the same in both languages), in the service's order (official code).
 */
export function presentNational(report: NationalReport) {
  return {
    year: report.year,
    centre: { id: report.centre.id, name: report.centre.name },
    provinces: report.provinces.map((p) => ({
      unitId: p.unitId,
      officialCode: p.officialCode,
      name: p.name,
      registered: p.registered,
      implementing: p.implementing,
      recognized: p.recognized,
      collectives: p.collectives,
      individuals: p.individuals,
    })),
    total: { ...report.total },
  };
}

export type National = ReturnType<typeof presentNational>;
