// The PDF renderer: one Chromium per process, a few reused pages, and a bounded queue in front.
// Rendering is offline: JavaScript is off before any content, the cache is off, and every request
// is intercepted — fonts (and other assets) are answered from memory, data: URLs pass, everything
// else is aborted, so a hostile name can neither reach the network nor read a local file. Every
// render has a timeout; a crashed or hung browser is killed and relaunched on the next render.
// The browser dies with this process: it talks to Puppeteer over a pipe (`pipe: true`), and
// Chromium exits when the pipe's far end closes, however the process ended (even SIGKILL). Its
// profile folder is named with this process's id, so the next start removes those of dead processes.
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UnavailableError } from '../../errors.ts';

/** The origin under which the certificate's own assets are served from memory. */
export const ASSET_ORIGIN = 'https://certificate.assets';

export interface RendererOptions {
  executablePath: string;
  /** Pages rendering at once; more than the cores buys nothing. */
  concurrency?: number;
  /** Renders allowed to wait; beyond that the caller is told to come back (503). */
  queueLimit?: number;
  timeoutMs?: number;
  /** HTML a page may lay out before it is closed and replaced (see PAGE_BUDGET_BYTES). */
  pageBudgetBytes?: number;
  /**
   * A small document that uses the fonts. A retired page's replacement lays it out at once, while
   * the other pages work, so the next render finds a page with its fonts loaded (a chunk on a new
   * page took about 1 s longer).
   */
  warmupHtml?: string;
  /** Assets by path under ASSET_ORIGIN, e.g. '/fonts/NotoSerif-Regular.ttf'. */
  assets: Assets;
  /** Chromium's flags (CHROMIUM_ARGS unless the browser needs more: see setup.ts launchSettings). */
  args?: string[];
  /** Variables added to the browser's environment (the packaged Chromium's libraries and fonts). */
  env?: Record<string, string>;
}

export interface PaperSize {
  widthMm: number;
  heightMm: number;
}

export interface PdfOptions {
  /**
   * A tagged (accessible) PDF, as a screen reader reads it: the default. A batch for the printer
   * is not tagged: 17 % less Chromium time and a third smaller; its text is extracted all the same.
   */
  tagged?: boolean;
  /** Files answered from memory for this document only (an uploaded emblem), beside the renderer's own. */
  assets?: Assets;
}

/** Files answered from memory, by path under ASSET_ORIGIN. */
export type Assets = ReadonlyMap<string, { body: Buffer; contentType: string }>;

/**
 * Makes a new page offline before it gets any content: JavaScript and the cache off, and every
 * request intercepted (see answerOffline). The renderer's pages, and the benchmark's, are made so.
 */
export async function makeOffline(page: Page, assets: Assets, timeoutMs: number, documentAssets?: () => Assets | undefined): Promise<void> {
  await page.setJavaScriptEnabled(false);
  await page.setCacheEnabled(false);
  await page.setRequestInterception(true);
  page.on('request', (request) => answerOffline(request, assets, documentAssets?.()));
  page.setDefaultTimeout(timeoutMs);
}

/** The whole network of a certificate page: our assets from memory, data: URLs, nothing else. */
function answerOffline(request: HTTPRequest, assets: Assets, documentAssets: Assets | undefined): void {
  if (request.isInterceptResolutionHandled()) return;
  const url = request.url();
  if (url.startsWith('data:') || url === 'about:blank') {
    void request.continue();
    return;
  }
  if (url.startsWith(`${ASSET_ORIGIN}/`)) {
    const path = new URL(url).pathname;
    const asset = assets.get(path) ?? documentAssets?.get(path);
    if (asset) {
      void request.respond({ status: 200, contentType: asset.contentType, body: asset.body, headers: { 'access-control-allow-origin': '*' } });
      return;
    }
  }
  void request.abort('blockedbyclient');
}

export class RendererBusyError extends UnavailableError {
  constructor() {
    super('renderer_busy', 'certificates.busy', 'rate_limited');
  }
}

/**
 * A reused page's renderer process keeps what it laid out: about 35 MB more after each batch of
 * 100 certificates, and each batch slower than the last, even after navigating to about:blank. A
 * fresh page costs ~20 ms, so a page is retired once it has laid out this much HTML: after every
 * chunk of 100 certificates (~440 KB), or after ~25 single ones (~10 KB each).
 */
export const PAGE_BUDGET_BYTES = 256 * 1024;

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update',
  '--no-first-run', '--disable-extensions', '--disable-sync', '--disable-default-apps', '--mute-audio', '--no-zygote',
  '--font-render-hinting=none',
  // The GPU process (software compositing only, with --disable-gpu) runs inside the browser process: one process less, ~25 MB.
  '--in-process-gpu',
];

/** Profile folders are `dvk-chromium-<owner pid>-XXXXXX` in the temp folder. */
export const PROFILE_PREFIX = 'dvk-chromium-';

/**
 * Removes the Chromium profiles left in `dir` by processes that are gone (a killed app leaves its
 * profile behind); answers the folders removed. A live owner's profile, or one whose owner cannot be
 * told, is kept.
 */
export function removeStaleProfiles(dir = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const owner = new RegExp(`^${PROFILE_PREFIX}(\\d+)-`).exec(name)?.[1];
    if (!owner || Number(owner) === process.pid || isAlive(Number(owner))) continue;
    try {
      rmSync(join(dir, name), { recursive: true, force: true, maxRetries: 2 });
      removed.push(join(dir, name));
    } catch {
      // in use or not ours to remove: left for the next start
    }
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

export class CertificateRenderer {
  private browser: Promise<Browser> | undefined;
  private userDataDir: string | undefined;
  private readonly idlePages: Page[] = [];
  /** Replacements of retired pages, still laying out the warm-up document. */
  private readonly warmingPages: Promise<Page | undefined>[] = [];
  /** The current document's own assets, by the page rendering it. */
  private readonly documentAssets = new WeakMap<Page, Assets>();
  /** HTML laid out so far by each open page. */
  private readonly pageUse = new WeakMap<Page, number>();
  /** Per launched browser, a promise that rejects when it disconnects (crash, kill, close). */
  private readonly disconnections = new WeakMap<Browser, Promise<never>>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly concurrency: number;
  private readonly queueLimit: number;
  private readonly timeoutMs: number;
  private readonly pageBudgetBytes: number;
  private closed = false;
  /** Launches so far: a test or the benchmark can see that a crash led to a relaunch. */
  launches = 0;
  /** Pages opened so far (a retired page is replaced by a new one). */
  pagesOpened = 0;

  constructor(private readonly options: RendererOptions) {
    this.concurrency = options.concurrency ?? 2;
    this.queueLimit = options.queueLimit ?? 64;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.pageBudgetBytes = options.pageBudgetBytes ?? PAGE_BUDGET_BYTES;
  }

  /** Pages rendering at once: callers with many documents (a batch) keep this many in flight. */
  get parallelism(): number {
    return this.concurrency;
  }

  /** Renders one HTML document to a PDF of the given paper size. */
  async renderPdf(html: string, paper: PaperSize, pdfOptions: PdfOptions = {}): Promise<Buffer> {
    await this.acquireSlot();
    try {
      const attempt = { browser: undefined as Browser | undefined };
      return await this.renderOnce(html, paper, pdfOptions, attempt).catch(async (error: unknown) => {
        // One retry on a fresh browser: the usual cause is a crash or a hang, not the document.
        // Only the browser this render used is killed: another render's failure may already have
        // replaced it, and killing the replacement would fail the renders running on it.
        await this.restart(attempt.browser);
        if (this.closed) throw error;
        return this.renderOnce(html, paper, pdfOptions, attempt);
      });
    } finally {
      this.releaseSlot();
    }
  }

  /** The running browser's process id, for tests and benchmarks that measure or kill it. */
  async browserPid(): Promise<number | undefined> {
    return (await this.launch()).process()?.pid;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.restart();
  }

  private async renderOnce(html: string, paper: PaperSize, pdfOptions: PdfOptions, attempt: { browser?: Browser | undefined }): Promise<Buffer> {
    const browser = await this.launch();
    attempt.browser = browser;
    // A killed browser does not fail the calls in flight on it (they wait for their timeout): its
    // disconnection fails them at once, so the retry starts within milliseconds.
    const gone = this.disconnections.get(browser) ?? Promise.reject(new Error('browser not tracked'));
    const page = await Promise.race([this.takePage(), gone]);
    let healthy = false;
    if (pdfOptions.assets) this.documentAssets.set(page, pdfOptions.assets);
    try {
      const pdf = await withTimeout(
        Promise.race([
          (async () => {
            await this.layOut(page, html);
            return page.pdf({ width: `${paper.widthMm}mm`, height: `${paper.heightMm}mm`, printBackground: true, preferCSSPageSize: true, tagged: pdfOptions.tagged ?? true, timeout: this.timeoutMs });
          })(),
          gone,
        ]),
        this.timeoutMs,
      );
      healthy = true;
      return Buffer.from(pdf);
    } finally {
      this.documentAssets.delete(page);
      const used = (this.pageUse.get(page) ?? 0) + html.length;
      this.pageUse.set(page, used);
      if (healthy && !page.isClosed() && used < this.pageBudgetBytes) {
        this.idlePages.push(page);
      } else if (browser.connected) {
        if (healthy) this.warmReplacement(browser);
        await withTimeout(page.close(), 5_000).catch(() => undefined);
      }
    }
  }

  private async takePage(): Promise<Page> {
    const idle = this.idlePages.pop();
    if (idle && !idle.isClosed()) return idle;
    const warming = await this.warmingPages.shift()?.catch(() => undefined);
    if (warming && !warming.isClosed()) return warming;
    return this.openPage(await this.launch());
  }

  /** Opens a page in the background and lays out the warm-up document on it, for the next render. */
  private warmReplacement(browser: Browser): void {
    const warmupHtml = this.options.warmupHtml;
    if (!warmupHtml || this.closed) return;
    const warming = (async () => {
      const page = await this.openPage(browser);
      try {
        await withTimeout(this.layOut(page, warmupHtml), this.timeoutMs);
        this.pageUse.set(page, warmupHtml.length);
        return page;
      } catch {
        await page.close().catch(() => undefined);
        return undefined;
      }
    })();
    warming.catch(() => undefined); // a crashed browser: takePage opens a page on the next one
    this.warmingPages.push(warming);
  }

  /** Loads a document and waits for its fonts. */
  private async layOut(page: Page, html: string): Promise<void> {
    await page.setContent(html, { waitUntil: 'load', timeout: this.timeoutMs });
    await page.evaluateHandle('document.fonts.ready').catch(() => undefined);
  }

  private async openPage(browser: Browser): Promise<Page> {
    const page = await browser.newPage();
    this.pagesOpened += 1;
    await makeOffline(page, this.options.assets, this.timeoutMs, () => this.documentAssets.get(page));
    return page;
  }

  private launch(): Promise<Browser> {
    if (this.closed) return Promise.reject(new Error('renderer closed'));
    if (!this.browser) {
      this.userDataDir = mkdtempSync(join(tmpdir(), `${PROFILE_PREFIX}${process.pid}-`));
      const launching = puppeteer.launch({
        executablePath: this.options.executablePath,
        headless: true,
        args: this.options.args ?? CHROMIUM_ARGS,
        // The child inherits the environment as it would without this option, plus the browser's own.
        ...(this.options.env ? { env: { ...process.env, ...this.options.env } } : {}),
        userDataDir: this.userDataDir,
        protocolTimeout: this.timeoutMs * 2,
        // DevTools over a pipe: the browser exits when this process does, even killed.
        pipe: true,
        // The process's own shutdown closes the browser after the print chunk in flight: Puppeteer's
        // signal handlers would close it at once (and exit on SIGINT).
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      });
      this.browser = launching;
      this.launches += 1;
      launching.then(
        (browser) => {
          // The blank tab a launch opens holds a renderer process (~50-70 MB) that is never used.
          void browser.pages().then((pages) => Promise.all(pages.map((page) => page.close()))).catch(() => undefined);
          const gone = new Promise<never>((_, reject) => browser.once('disconnected', () => reject(new Error('browser disconnected'))));
          gone.catch(() => undefined); // observed by the renders racing it
          this.disconnections.set(browser, gone);
          browser.on('disconnected', () => {
            // A crash: forget the browser and its pages; the next render launches a new one.
            if (this.browser === launching) this.forget();
          });
        },
        () => {
          if (this.browser === launching) this.forget();
        },
      );
    }
    return this.browser;
  }

  private forget(): void {
    this.browser = undefined;
    this.idlePages.length = 0;
    this.warmingPages.length = 0;
    // Chromium's surviving children may still write into the profile after a crash (ENOTEMPTY): that must not end the process.
    if (this.userDataDir) try { rmSync(this.userDataDir, { recursive: true, force: true, maxRetries: 3 }); } catch { /* left in the temp folder */ }
    this.userDataDir = undefined;
  }

  /** Kills the browser (hung or crashed) and forgets it; given one, only if that one is still current. */
  private async restart(only?: Browser): Promise<void> {
    const current = this.browser;
    if (!current) return;
    const browser = await current.catch(() => undefined);
    if (only && browser && browser !== only) return; // already replaced after that browser failed
    if (this.browser === current) this.forget();
    if (!browser) return;
    const process = browser.process();
    await withTimeout(browser.close(), 5_000).catch(() => process?.kill('SIGKILL'));
  }

  private async acquireSlot(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active += 1;
      return;
    }
    if (this.waiting.length >= this.queueLimit) throw new RendererBusyError();
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private releaseSlot(): void {
    const next = this.waiting.shift();
    if (next) next(); // the slot passes straight to the next waiter
    else this.active -= 1;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`render timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
