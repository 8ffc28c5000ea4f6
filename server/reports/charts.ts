// Charts drawn on the server as plain SVG geometry for the templates: no script, so they read the
// same on screen, on paper and in the PDF. Each chart has a text table beside it for screen readers.
import { formatNumber } from '../web/i18n/index.ts';

const LABEL_WIDTH = 230;
const BAR_AREA = 420;
const ROW_HEIGHT = 34;

/** Horizontal bars, two per row: registered, and implementing or further. */
export function barChart(rows: readonly { name: string; registered: number; implementing: number }[]) {
  const max = Math.max(1, ...rows.map((r) => r.registered));
  const scale = (value: number) => Math.round((value / max) * BAR_AREA * 10) / 10;
  return {
    width: LABEL_WIDTH + BAR_AREA + 70,
    height: rows.length * ROW_HEIGHT + 10,
    labelWidth: LABEL_WIDTH,
    rows: rows.map((row, index) => ({
      label: row.name.length > 34 ? `${row.name.slice(0, 33)}…` : row.name,
      y: index * ROW_HEIGHT + 5,
      textY: index * ROW_HEIGHT + 19,
      registeredWidth: scale(row.registered),
      implementingWidth: scale(row.implementing),
      implementingY: index * ROW_HEIGHT + 18,
      valueX: LABEL_WIDTH + scale(row.registered) + 6,
      value: `${formatNumber(row.implementing)}/${formatNumber(row.registered)}`,
    })),
  };
}

/** Vertical bars by year: registered behind, implementing in front. */
export function trendChart(years: readonly { year: number; registered: number; implementing: number }[]) {
  const height = 200;
  const slot = 76;
  const max = Math.max(1, ...years.map((y) => y.registered));
  const scale = (value: number) => Math.round((value / max) * (height - 40) * 10) / 10;
  return {
    width: years.length * slot + 20,
    height: height + 24,
    baseline: height,
    bars: years.map((y, index) => {
      const x = 16 + index * slot;
      return {
        year: y.year,
        x,
        labelX: x + 26,
        registeredHeight: scale(y.registered),
        registeredY: height - scale(y.registered),
        implementingHeight: scale(y.implementing),
        implementingY: height - scale(y.implementing),
        valueY: height - scale(y.registered) - 6,
        value: formatNumber(y.registered),
      };
    }),
  };
}
