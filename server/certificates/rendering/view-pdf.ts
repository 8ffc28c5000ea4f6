// A page rendered to PDF: the view rendered to HTML by the app's engine, its print stylesheet (with
// the fonts the renderer serves from memory) put inside the page, since the renderer loads nothing
// from the network, then printed by the process's one renderer.
import type { Response } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CertificateRenderer, PaperSize } from './renderer.ts';
import { ASSET_ORIGIN } from './renderer.ts';
import { VIEWS_DIR } from '../../web/views.ts';

const FONT_FACES = [
  ['NotoSerif-Regular.ttf', 400, 'normal'],
  ['NotoSerif-Bold.ttf', 700, 'normal'],
  ['NotoSerif-Italic.ttf', 400, 'italic'],
  ['NotoSerif-BoldItalic.ttf', 700, 'italic'],
]
  .map(([file, weight, style]) => `@font-face { font-family: 'Noto Serif'; src: url('${ASSET_ORIGIN}/fonts/${file}') format('truetype'); font-weight: ${weight}; font-style: ${style}; }`)
  .join('\n');

const stylesheets = new Map<string, string>();

function stylesheet(name: string): string {
  let css = stylesheets.get(name);
  if (css === undefined) {
    css = readFileSync(join(VIEWS_DIR, 'assets', name), 'utf8');
    stylesheets.set(name, css);
  }
  return css;
}

export function renderView(res: Response, view: string, data: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => res.app.render(view, { ...res.locals, ...data }, (error, html) => (error ? reject(error) : resolve(html))));
}

/** Prints a view to PDF with its stylesheet (a file in views/assets) and the embedded fonts. */
export async function viewToPdf(res: Response, renderer: CertificateRenderer, view: string, data: Record<string, unknown>, css: string, paper: PaperSize): Promise<Buffer> {
  const html = await renderView(res, view, data);
  // Our own stylesheet and font list only: nothing from a user reaches this <style>.
  return renderer.renderPdf(html.replace('</head>', `<style>${FONT_FACES}\n${stylesheet(css)}</style></head>`), paper);
}
