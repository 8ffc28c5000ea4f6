// Charts drawn on the server as plain SVG geometry for the templates: no script, so they read the
// same on screen, on paper and in the PDF. Each chart has a text table beside it for screen readers.
// Narrow on purpose (about 500 units, drawn 1:1 on a desktop): a phone shrinks them by a third at
// most, and the stylesheet enlarges the type there, so every label stays readable at 375 px. Each bar
// has its label above it across the full width, so a larger type does not run into the bars.
import { formatNumber } from '../web/i18n/index.ts';

const BAR_WIDTH = 480;
/** Room right of the longest bar for "1.649/1.546" in the phone's type. */
const VALUE_ROOM = 120;
const BAR_AREA = BAR_WIDTH - VALUE_ROOM;
const ROW_HEIGHT = 50;

/** Horizontal bars, two per row: registered, and implementing or further; each row's name above it. */
export function barChart(rows: readonly { name: string; registered: number; implementing: number }[]) {
  const max = Math.max(1, ...rows.map((r) => r.registered));
  const scale = (value: number) => Math.round((value / max) * BAR_AREA * 10) / 10;
  return {
    width: BAR_WIDTH,
    height: rows.length * ROW_HEIGHT + 4,
    rows: rows.map((row, index) => {
      const top = index * ROW_HEIGHT;
      return {
        label: row.name.length > 44 ? `${row.name.slice(0, 43)}…` : row.name,
        labelY: top + 17,
        y: top + 23,
        registeredWidth: scale(row.registered),
        implementingWidth: scale(row.implementing),
        implementingY: top + 33,
        valueX: scale(row.registered) + 6,
        valueY: top + 39,
        value: `${formatNumber(row.implementing)}/${formatNumber(row.registered)}`,
      };
    }),
  };
}

/** Vertical bars by year: registered behind, implementing in front. */
export function trendChart(years: readonly { year: number; registered: number; implementing: number }[]) {
  const height = 200;
  const slot = 62;
  const bar = 44;
  const max = Math.max(1, ...years.map((y) => y.registered));
  const scale = (value: number) => Math.round((value / max) * (height - 40) * 10) / 10;
  return {
    width: years.length * slot + 12,
    height: height + 26,
    baseline: height,
    barWidth: bar,
    bars: years.map((y, index) => {
      const x = 12 + index * slot;
      return {
        year: y.year,
        x,
        labelX: x + bar / 2,
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
