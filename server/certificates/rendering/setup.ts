// Finding Chromium and making the process's one renderer, for main.ts, the tests and the benchmarks.
// The finder takes the configured path (PUPPETEER_EXECUTABLE_PATH), else the headless Chromium
// packed inside the npm package @sparticuz/chromium (unpacked once per version into the temp
// folder), else a system Chromium (unless CHROMIUM_SYSTEM=false): a machine with Node and npm and
// nothing else prints PDFs offline. The packaged one comes before the system's because it is the
// faster of the two where both exist (bench/certificates.ts BROWSERS=system,packaged: about twice
// the certificates per second; README, Benchmarks → Certificates); the system's is the fallback
// where the packaged one cannot run (it is built for Linux x64) or cannot be unpacked.
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';
import { CHROMIUM_ARGS, CertificateRenderer, removeStaleProfiles, type RendererOptions } from './renderer.ts';
import { certificateAssets, certificateDocument } from './templates.ts';

/** Where Debian, Ubuntu and Google's packages put their browser. */
export const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The package ships a Linux x64 build only. */
const PACKAGED_RUNS_HERE = process.platform === 'linux' && process.arch === 'x64';

export type BrowserKind = 'configured' | 'system' | 'packaged';

export interface BrowserChoice {
  kind: BrowserKind;
  executablePath: string;
}

export interface FindOptions {
  /** False skips the system browsers (CHROMIUM_SYSTEM=false): the configured path or the packaged one. */
  system?: boolean;
}

/**
 * The Chromium to use: the configured path, the packaged one (unpacked on first use), or a system
 * Chromium; null when none. A configured path that does not exist is an error of the settings, not
 * a reason to print with another browser: null.
 */
export async function chooseBrowser(configured: string | undefined, options: FindOptions = {}): Promise<BrowserChoice | null> {
  if (configured) return existsSync(configured) ? { kind: 'configured', executablePath: configured } : null;
  const packaged = PACKAGED_RUNS_HERE
    ? await unpackPackagedChromium().catch((error: unknown) => {
        console.error(`Không giải nén được Chromium đóng gói / cannot unpack the packaged Chromium: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      })
    : null;
  if (packaged) return { kind: 'packaged', executablePath: packaged };
  const system = options.system ?? true ? SYSTEM_CHROMIUMS.find((candidate) => existsSync(candidate)) : undefined;
  return system ? { kind: 'system', executablePath: system } : null;
}


/** The Chromium's path (see chooseBrowser); null when none. */
export async function findBrowser(configured?: string, options: FindOptions = {}): Promise<string | null> {
  return (await chooseBrowser(configured, options))?.executablePath ?? null;
}

/** One line for start-up: which browser prints the PDFs. */
export function describeBrowser(choice: BrowserChoice | null): string {
  if (!choice) return 'Không tìm thấy Chromium, chưa in được bằng khen / no Chromium for PDFs: sudo apt-get install -y chromium';
  const what = { configured: 'PUPPETEER_EXECUTABLE_PATH', system: 'Chromium của hệ thống / system Chromium', packaged: `Chromium đóng gói / packaged Chromium (@sparticuz/chromium ${packagedVersion()})` }[choice.kind];
  return `Trình duyệt in PDF / PDF browser: ${what} ${choice.executablePath}`;
}

// ------------------------------------------------------------------ the packaged Chromium

const require = createRequire(import.meta.url);

function packageRoot(): string {
  // The package's exports hide package.json; its ESM entry sits at build/esm/index.mjs.
  return join(dirname(require.resolve('@sparticuz/chromium')), '..', '..');
}

function packagedVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** The folder the packaged Chromium of this version is unpacked into (shared by every process). */
export function packagedChromiumDir(): string {
  return join(tmpdir(), `dvk-packaged-chromium-${packagedVersion()}`);
}

/** Whether a path is the packaged Chromium (its launch needs the bundled libraries and fonts). */
export function isPackagedChromium(executablePath: string): boolean {
  return executablePath === join(packagedChromiumDir(), 'chromium');
}

let unpacking: Promise<string> | undefined;

/**
 * Unpacks the package's brotli files (the browser, the NSS and expat libraries it links against,
 * and a fallback font) into a private folder renamed into place when whole, so processes starting
 * at once never run a half-written binary: the loser of the rename drops its copy. ~2 s, once per
 * version and machine (the temp folder). Not the package's own executablePath(): it writes
 * /tmp/chromium in place, where a second process can find it half-written and run it.
 */
export function unpackPackagedChromium(): Promise<string> {
  unpacking ??= (async () => {
    const dir = packagedChromiumDir();
    const binary = join(dir, 'chromium');
    if (existsSync(binary)) return binary;
    const bin = join(packageRoot(), 'bin');
    const partial = `${dir}.${process.pid}.partial`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial, { recursive: true });
    try {
      await pipeline(createReadStream(join(bin, 'chromium.br'), { highWaterMark: 1 << 22 }), createBrotliDecompress({ chunkSize: 1 << 21 }), createWriteStream(join(partial, 'chromium'), { mode: 0o755 }));
      await untarBrotli(join(bin, 'al2023.tar.br'), partial); // lib/: libnss3, libnspr4, libexpat...
      await untarBrotli(join(bin, 'fonts.tar.br'), partial); // fonts/: Open Sans, a fallback face
      // Our own fontconfig file: the package's names /tmp/fonts; the system's fonts stay in reach when there are any.
      writeFileSync(join(partial, 'fonts.conf'), `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(dir, 'fonts')}</dir>\n  <cachedir>${join(dir, 'fonts-cache')}</cachedir>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n</fontconfig>\n`);
      try {
        renameSync(partial, dir);
      } catch (error) {
        if (!existsSync(binary)) throw error;
      }
    } finally {
      rmSync(partial, { recursive: true, force: true });
    }
    return binary;
  })();
  unpacking.catch(() => (unpacking = undefined)); // a later call tries again
  return unpacking;
}

/** Extracts the regular files and folders of a brotli-compressed tar (the package's three small ones). */
async function untarBrotli(file: string, into: string): Promise<void> {
  const chunks: Buffer[] = [];
  await pipeline(createReadStream(file), createBrotliDecompress(), async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) chunks.push(chunk);
  });
  const tar = Buffer.concat(chunks);
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const header = tar.subarray(offset, offset + 512);
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 48);
    const target = join(into, name);
    if (!target.startsWith(into) || name.split('/').includes('..')) throw new Error(`unexpected path in ${file}: ${name}`);
    if (type === '5') mkdirSync(target, { recursive: true });
    else if (type === '0' || type === '\0') {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, tar.subarray(offset + 512, offset + 512 + size), { mode: 0o644 });
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
}

/**
 * The packaged build's recommended flags (@sparticuz/chromium's `args`), those that matter here,
 * added to CHROMIUM_ARGS. Left out on purpose: --single-process (one crash would take every page,
 * and a retired page would not give its memory back), --disable-web-security,
 * --allow-running-insecure-content and --disable-site-isolation-trials (the renderer's offline
 * rules do not need them loosened), --headless='shell' (Puppeteer sets the mode) and the disk cache
 * size (the cache is off).
 */
export const PACKAGED_CHROMIUM_ARGS = [
  '--disable-domain-reliability', '--no-pings', '--no-default-browser-check', '--disable-setuid-sandbox', '--disable-webgl',
  '--disable-features=AudioServiceOutOfProcess,IsolateOrigins,site-per-process',
];

/** Flags and environment for launching a browser: the packaged one brings its libraries and fonts. */
export function launchSettings(executablePath: string): { args: string[]; env?: Record<string, string> } {
  if (!isPackagedChromium(executablePath)) return { args: CHROMIUM_ARGS };
  const dir = packagedChromiumDir();
  return {
    args: [...CHROMIUM_ARGS, ...PACKAGED_CHROMIUM_ARGS],
    // Its own NSS and expat (a bare system may have none) and its fontconfig file.
    env: { LD_LIBRARY_PATH: join(dir, 'lib'), FONTCONFIG_PATH: dir, FONTCONFIG_FILE: join(dir, 'fonts.conf') },
  };
}

export function createRenderer(executablePath: string, options: Partial<Omit<RendererOptions, 'executablePath' | 'assets'>> = {}): CertificateRenderer {
  // No sheet: only the hidden line in each face, so a new page loads the fonts and nothing else.
  const warmupHtml = certificateDocument([], { mode: 'full', paperWidthMm: 297, paperHeightMm: 210, offsetXMm: 0, offsetYMm: 0 });
  removeStaleProfiles(); // left by processes killed before they could remove them
  return new CertificateRenderer({ executablePath, assets: certificateAssets(), warmupHtml, ...launchSettings(executablePath), ...options });
}
