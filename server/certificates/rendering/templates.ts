// Certificate templates: Handlebars files in certificates/, compiled by their own strict instance
// (a missing field fails the render instead of printing a blank certificate), wrapped into one
// HTML document per batch with the layout's paper size and offsets, and the fonts they need.
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ASSET_ORIGIN } from './renderer.ts';
import type { SignatureStamp } from '../../signatures/stamp.ts';

export const CERTIFICATES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'certificates');

export const TEMPLATE_NAMES = ['bang_khen', 'giay_khen', 'mo_hinh'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];
export const PRINT_MODES = ['full', 'overlay'] as const;
export type PrintMode = (typeof PRINT_MODES)[number];

/**
 * The lines a blank form (phôi) may carry already: the border, the emblem, the national title and
 * motto, the authority, "TẶNG" and the award's name. In overlay mode those the layout names are not printed.
 */
export const PREPRINTED_LINES = ['border', 'emblem', 'nation', 'authority', 'verb', 'title'] as const;
export type PreprintedLine = (typeof PREPRINTED_LINES)[number];
/** What overlay mode left out before it was a setting (sql/0026's default). */
export const DEFAULT_PREPRINTED: readonly PreprintedLine[] = ['border', 'emblem', 'nation', 'verb', 'title'];

/** An uploaded emblem, answered from memory at its path under ASSET_ORIGIN while a document renders. */
export interface EmblemAsset {
  path: string;
  contentType: string;
  body: Buffer;
}

export interface Layout {
  mode: PrintMode;
  paperWidthMm: number;
  paperHeightMm: number;
  offsetXMm: number;
  offsetYMm: number;
  /** Overlay mode: the lines the blank stock carries (DEFAULT_PREPRINTED when left out). */
  preprinted?: readonly PreprintedLine[];
  /** The template's uploaded emblem; none (or left out): the placeholder prints. */
  emblem?: EmblemAsset | null;
}

export interface CertificateSheet {
  recipient: { kind: 'collective' | 'individual' | 'model'; honorific: string | null; name: string; position: string | null; unitName: string | null };
  authority: string;
  /** "TẶNG" for an award, "CHỨNG NHẬN" for a recognised model. */
  awardVerb: string;
  awardTitle: string;
  achievement: string;
  placeDate: string;
  signer: { titleLines: string[]; name: string };
  /** The lower left corner's first line: the decision's number and date ("Quyết định số 12/QĐ-UBND ngày 20/12/2025"), or a model's code. */
  decisionLine: string;
  /** Null on a model's certificate, which has no place in the awards register. */
  registerNumber: string | null;
  /** The QR code's modules (size × size) as an SVG path, its URL and the code printed under it. */
  qr: { size: number; path: string; url: string; code: string };
  copyLabel: string | null;
  /** "BẢN XEM TRƯỚC" across a preview's sheet; null on a certificate. */
  watermark: string | null;
  fit: { name: 'normal' | 'long' | 'very-long'; achievement: 'normal' | 'long' | 'very-long' | 'extreme' };
  /** The uploaded emblem's address (emblemUrlOf); null: a thin circle saying "Vị trí Quốc huy" holds its place. */
  emblemUrl: string | null;
  /** A digitally signed copy shows who signed and when, where the signature goes (server/signatures). */
  digitalSignature: SignatureStamp | null;
}

const require = createRequire(import.meta.url);
const FONT_FILES = {
  'NotoSerif-Regular.ttf': '@expo-google-fonts/noto-serif/400Regular/NotoSerif_400Regular.ttf',
  'NotoSerif-Italic.ttf': '@expo-google-fonts/noto-serif/400Regular_Italic/NotoSerif_400Regular_Italic.ttf',
  'NotoSerif-Bold.ttf': '@expo-google-fonts/noto-serif/700Bold/NotoSerif_700Bold.ttf',
  'NotoSerif-BoldItalic.ttf': '@expo-google-fonts/noto-serif/700Bold_Italic/NotoSerif_700Bold_Italic.ttf',
} as const;

/** Where the renderer answers a layout's emblem from (the path changes with the file, so no cache could mix two). */
export function emblemUrlOf(layout: Pick<Layout, 'emblem'>): string | null {
  return layout.emblem ? `${ASSET_ORIGIN}${layout.emblem.path}` : null;
}

/** The files the renderer answers from memory, by path under ASSET_ORIGIN. */
export function certificateAssets(): Map<string, { body: Buffer; contentType: string }> {
  const assets = new Map<string, { body: Buffer; contentType: string }>();
  for (const [name, modulePath] of Object.entries(FONT_FILES)) {
    assets.set(`/fonts/${name}`, { body: readFileSync(require.resolve(modulePath)), contentType: 'font/ttf' });
  }
  return assets;
}

const FONT_FACES = Object.keys(FONT_FILES)
  .map((name) => {
    const weight = name.includes('Bold') ? 700 : 400;
    const style = name.includes('Italic') ? 'italic' : 'normal';
    return `@font-face { font-family: 'Noto Serif'; src: url('${ASSET_ORIGIN}/fonts/${name}') format('truetype'); font-weight: ${weight}; font-style: ${style}; }`;
  })
  .join('\n');

/** One letter in each face, laid out on screen (where the sheets are not) so every face has loaded when printing starts. */
const FONT_WARMUP = '<p class="font-warmup" aria-hidden="true">Đ<b>Đ</b><i>Đ<b>Đ</b></i></p>';

// The certificates' own Handlebars: strict, and nothing registered but what the templates use.
const strict = Handlebars.create();
const compileOptions = { strict: true, noEscape: false, knownHelpersOnly: true } as const;
// One layout serves all three: the words differ, the places on the blank form do not.
const templateFiles: Record<TemplateName, string> = { bang_khen: 'bang-khen.hbs', giay_khen: 'bang-khen.hbs', mo_hinh: 'bang-khen.hbs' };
const compiled = new Map<string, Handlebars.TemplateDelegate>();
let stylesheet: string | undefined;

function templateFor(name: TemplateName): Handlebars.TemplateDelegate {
  const file = templateFiles[name];
  let template = compiled.get(file);
  if (!template) {
    template = strict.compile(readFileSync(join(CERTIFICATES_DIR, file), 'utf8'), compileOptions);
    compiled.set(file, template);
  }
  return template;
}

// Strict mode checks `{{field}}` but not the arguments of `{{#if}}` and `{{#each}}`: a sheet without
// `registerNumber` or `signer.titleLines` would print without them. These are checked here.
const FIELDS_READ_BY_HELPERS = ['copyLabel', 'watermark', 'registerNumber', 'emblemUrl', 'recipient.honorific', 'recipient.position', 'recipient.unitName', 'signer.titleLines', 'digitalSignature'];

/** One sheet's HTML; throws when the template asks for a field the sheet does not have. */
export function renderSheet(template: TemplateName, sheet: CertificateSheet | Record<string, unknown>): string {
  for (const path of FIELDS_READ_BY_HELPERS) {
    let value: unknown = sheet;
    for (const key of path.split('.')) {
      if (value === null || typeof value !== 'object' || !(key in value)) throw new Error(`"${path}" not defined in the certificate sheet`);
      value = (value as Record<string, unknown>)[key];
    }
  }
  return templateFor(template)(sheet);
}

/**
 * A whole document: the sheets, the stylesheet, the fonts and the layout's page size and offsets.
 * `title` becomes the PDF's title (Chromium writes the document's <title>; without one it wrote "about:blank").
 */
export function certificateDocument(sheets: readonly string[], layout: Layout, title = 'Bằng khen'): string {
  stylesheet ??= readFileSync(join(CERTIFICATES_DIR, 'certificate.css'), 'utf8');
  const mm = (value: number) => {
    if (!Number.isFinite(value)) throw new Error('layout values must be numbers');
    return `${value}mm`;
  };
  // Only numbers from the layout reach this CSS, and the stylesheet is our own file: nothing here comes from a user.
  const layoutCss = `@page { size: ${mm(layout.paperWidthMm)} ${mm(layout.paperHeightMm)}; margin: 0; }
:root { --paper-w: ${mm(layout.paperWidthMm)}; --paper-h: ${mm(layout.paperHeightMm)}; --offset-x: ${mm(layout.offsetXMm)}; --offset-y: ${mm(layout.offsetYMm)}; }`;
  // In overlay mode the body names the lines the blank form carries ("carries-emblem"): the stylesheet hides those.
  const carried = layout.mode === 'overlay' ? (layout.preprinted ?? DEFAULT_PREPRINTED).filter((line) => PREPRINTED_LINES.includes(line)).map((line) => ` carries-${line}`).join('') : '';
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${Handlebars.escapeExpression(title)}</title><style>${FONT_FACES}\n${stylesheet}\n${layoutCss}</style></head><body class="mode-${layout.mode === 'overlay' ? 'overlay' : 'full'}${carried}">${FONT_WARMUP}${sheets.join('\n')}</body></html>`;
}

/** Long names and achievements get smaller type, so every certificate stays on one page. */
export function fitOf(name: string, achievement: string): CertificateSheet['fit'] {
  const size = (length: number, long: number, veryLong: number) => (length > veryLong ? 'very-long' : length > long ? 'long' : 'normal');
  // Past 1000 characters (a nomination allows 2000) even the very-long size pushes the numbers, QR code and signature off the sheet.
  return { name: size(name.length, 38, 70), achievement: achievement.length > 1000 ? 'extreme' : size(achievement.length, 220, 480) };
}
