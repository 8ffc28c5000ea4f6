// Finding Chromium and making the process's one renderer, for main.ts, the tests and the benchmarks.
import { fileURLToPath } from 'node:url';
import { CertificateRenderer, type RendererOptions } from './renderer.ts';
import { certificateAssets, certificateDocument } from './templates.ts';

const CHROMIUM_MODULE = fileURLToPath(new URL('../setup/chromium.mjs', import.meta.url));

/** The Chromium to use: the configured path, Puppeteer's download, or the system's; null when none. */
export async function findBrowser(configured?: string): Promise<string | null> {
  const { findChromium } = (await import(CHROMIUM_MODULE)) as { findChromium: (configured?: string) => Promise<string | null> };
  return findChromium(configured);
}

export function createRenderer(executablePath: string, options: Partial<Omit<RendererOptions, 'executablePath' | 'assets'>> = {}): CertificateRenderer {
  // No sheet: only the hidden line in each face, so a new page loads the fonts and nothing else.
  const warmupHtml = certificateDocument([], { mode: 'full', paperWidthMm: 297, paperHeightMm: 210, offsetXMm: 0, offsetYMm: 0 });
  return new CertificateRenderer({ executablePath, assets: certificateAssets(), warmupHtml, ...options });
}
