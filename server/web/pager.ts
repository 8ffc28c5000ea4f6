// The pager under an HTML list: "Trang 6/40", first and last, the page numbers around the current
// one, previous and next, and how many rows a page shows (25, 50 or 100, kept in the address).
import Joi from 'joi';
import { formatNumber, translate, type Language } from './i18n/index.ts';

export const PAGE_SIZES = [25, 50, 100] as const;
export type PageSize = (typeof PAGE_SIZES)[number];
export const DEFAULT_PAGE_SIZE: PageSize = 25;

/** The query keys of a numbered list: `page` from 1, `size` one of PAGE_SIZES (anything else is 422 not_allowed_value). */
export const pagerKeys = {
  page: Joi.number().integer().min(1).max(100000),
  size: Joi.number().integer().valid(...PAGE_SIZES).default(DEFAULT_PAGE_SIZE),
};

interface PagerInput {
  language: Language;
  page: number;
  /** The number of pages, or null when the count is capped (a broad search): no last page is offered. */
  pages: number | null;
  hasNext: boolean;
  size: PageSize;
  /** The list's address for a page and size, keeping its filters. */
  link: (page: number, size: PageSize) => string;
}

/** How many numbers on each side of the current page. */
const AROUND = 2;

export function pagerView({ language, page, pages, hasNext, size, link }: PagerInput) {
  const last = pages ?? (hasNext ? page + 1 : page);
  const numbers: ({ text: string; href: string; current: boolean } | { gap: true })[] = [];
  const wanted = new Set([1, last, ...Array.from({ length: AROUND * 2 + 1 }, (_, i) => page - AROUND + i)].filter((n) => n >= 1 && n <= last));
  let previousNumber = 0;
  for (const n of [...wanted].sort((a, b) => a - b)) {
    if (n - previousNumber > 1) numbers.push({ gap: true });
    numbers.push({ text: formatNumber(n, language), href: link(n, size), current: n === page });
    previousNumber = n;
  }
  // A capped count does not know the last page: the numbers stop after the next one, and "…" says there is more.
  if (pages === null && hasNext) numbers.push({ gap: true });
  return {
    label: pages === null ? translate(language, 'pager.pageAlone', { page: formatNumber(page, language) }) : translate(language, 'pager.pageOf', { page: formatNumber(page, language), pages: formatNumber(pages, language) }),
    previous: page > 1 ? link(page - 1, size) : null,
    next: hasNext ? link(page + 1, size) : null,
    numbers: numbers.length > 1 ? numbers : [],
    // Rows per page matter once there is more than one page (or a size was chosen before).
    sizes: pages === null || pages > 1 || size !== DEFAULT_PAGE_SIZE ? PAGE_SIZES.map((s) => ({ size: String(s), href: link(1, s), current: s === size })) : [],
  };
}
