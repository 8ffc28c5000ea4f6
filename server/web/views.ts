// The Handlebars view engine for pages: templates in views/, a layout used as a partial block
// ({{#> layout}}...{{/layout}}), partials from views/partials, and helpers for translation and
// Vietnamese formats. Only {{ }} is used, so every value is HTML-escaped.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { formatDate, formatDateTime, formatNumber, isMessageKey, translate, type Language } from './i18n/index.ts';

export const VIEWS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'views');

type Render = (filePath: string, options: object, callback: (error: unknown, html?: string) => void) => void;

export function createViewEngine({ cache }: { cache: boolean }): Render {
  let handlebars = build();
  const templates = new Map<string, Handlebars.TemplateDelegate>();

  return (filePath, options, callback) => {
    try {
      if (!cache) {
        handlebars = build(); // development: pick up edited partials without a restart
        templates.clear();
      }
      let template = templates.get(filePath);
      if (!template) {
        template = handlebars.compile(readFileSync(filePath, 'utf8'), { strict: false, preventIndent: true });
        templates.set(filePath, template);
      }
      callback(null, template(options));
    } catch (error) {
      callback(error);
    }
  };
}

function build(): typeof Handlebars {
  const handlebars = Handlebars.create();
  for (const folder of ['partials', 'layouts']) {
    for (const file of listTemplates(join(VIEWS_DIR, folder))) {
      const name = relative(join(VIEWS_DIR, folder), file).replace(/\.hbs$/, '').replaceAll('\\', '/');
      handlebars.registerPartial(name, readFileSync(file, 'utf8'));
    }
  }
  registerHelpers(handlebars);
  return handlebars;
}

function listTemplates(folder: string): string[] {
  try {
    return readdirSync(folder, { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.hbs'))
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

function languageFrom(options: Handlebars.HelperOptions): Language {
  return (options.data?.root?.lang as Language | undefined) ?? 'vi';
}

function registerHelpers(handlebars: typeof Handlebars): void {
  /** {{t "units.created" name=unit.name}} */
  handlebars.registerHelper('t', function (key: unknown, options: Handlebars.HelperOptions) {
    const name = String(key);
    if (!isMessageKey(name)) throw new Error(`Unknown message key: ${name}`);
    return translate(languageFrom(options), name, options.hash as Record<string, unknown>);
  });
  /** {{tk "role." user.role}}: a key built from a prefix and a value. */
  handlebars.registerHelper('tk', function (prefix: unknown, value: unknown, options: Handlebars.HelperOptions) {
    const name = `${String(prefix)}${String(value)}`;
    return isMessageKey(name) ? translate(languageFrom(options), name) : String(value ?? '');
  });
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => String(a ?? '') === String(b ?? ''));
  handlebars.registerHelper('not', (a: unknown) => !a);
  handlebars.registerHelper('startsWith', (text: unknown, prefix: unknown) => String(text ?? '').startsWith(String(prefix)));
  handlebars.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  handlebars.registerHelper('number', (value: unknown) => (typeof value === 'number' ? formatNumber(value) : ''));
  handlebars.registerHelper('date', (value: unknown) => (value instanceof Date || typeof value === 'string' ? formatDate(value) : ''));
  handlebars.registerHelper('datetime', (value: unknown) => (value instanceof Date ? formatDateTime(value) : ''));
  /** Builds an id-safe string from parts, for label/field pairs. */
  handlebars.registerHelper('includes', (list: unknown, value: unknown) => (Array.isArray(list) ? list : [list]).map(String).includes(String(value)));
  handlebars.registerHelper('array', (...args: unknown[]) => args.slice(0, -1));
  handlebars.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).map(String).join(''));
}
