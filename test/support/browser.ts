// The browser tests' shared machinery: launches the Chromium the app prints with (found by
// server/certificates/rendering/setup.ts: the configured one, the packaged one, or the system's) headless with a throw-away profile, drives one page against the test
// app (visit, click and wait, type, download), reads what the page shows (path, text, form errors),
// checks it (no failed sub-resources, axe-core with no serious or critical violations, no sideways
// scrolling on a phone), writes screenshots and axe-core results to test/screenshots/ (git-ignored)
// for a person to look at, and removes every temporary folder when closed.
import { expect } from 'chai';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type HTTPResponse, type Page, type Viewport } from 'puppeteer';
import { findBrowser, launchSettings } from '../../server/certificates/rendering/setup.ts';
import { ctx } from './context.ts';
import { TEST_PASSWORD } from './factories.ts';

const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));
const AXE_SOURCE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'];
const PAGE_TIMEOUT = 15_000;
const DOWNLOAD_TIMEOUT = 15_000;

export const DESKTOP: Viewport = { width: 1280, height: 900 };
export const PHONE: Viewport = { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** One axe-core violation, as written to `<name>.axe.json`. */
export interface AxeViolation {
  id: string;
  impact: string | null | undefined;
  help: string;
  nodes: { target: string; html: string; summary: string }[];
}

/** An invalid form field: its id, the message shown next to it, and whether it is tied to that message. */
export interface InvalidField {
  id: string;
  message: string;
  describedBy: boolean;
  marked: boolean;
}

/** Starts Chromium with a fresh profile and one page at desktop size; call `close()` in `after`. */
export async function launchBrowserSession(): Promise<BrowserSession> {
  const { config } = ctx();
  const executablePath = await findBrowser(config.chromiumPath, { system: config.chromiumSystem });
  if (!executablePath) {
    throw new Error('No Chromium found for the browser test: the packaged one (@sparticuz/chromium) could not run, and there is no system Chromium (apt-get install chromium) nor PUPPETEER_EXECUTABLE_PATH.');
  }
  // The packaged browser brings its own libraries and fonts (launchSettings).
  const settings = launchSettings(executablePath);
  const axeSource = await readFile(AXE_SOURCE, 'utf8');
  await mkdir(SCREENSHOTS, { recursive: true });
  const userDataDir = await mkdtemp(join(tmpdir(), 'dvk-chromium-'));
  let browser: Browser | undefined;
  try {
    browser = await puppeteer.launch({ executablePath, headless: true, userDataDir, args: [...new Set([...CHROMIUM_ARGS, ...settings.args])], env: { ...process.env, ...settings.env } });
    const page = await browser.newPage();
    // The app's CSP forbids inline scripts; axe is injected as one, so let this page ignore the CSP.
    await page.setBypassCSP(true);
    await page.setViewport(DESKTOP);
    page.setDefaultTimeout(PAGE_TIMEOUT);
    page.setDefaultNavigationTimeout(PAGE_TIMEOUT);
    return new BrowserSession(browser, page, userDataDir, axeSource);
  } catch (error) {
    await browser?.close();
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

export class BrowserSession {
  /** Sub-resources (CSS) that failed on the current page: a missing stylesheet would hide many faults. */
  private failedResources: string[] = [];
  /** Where downloads are saved, one folder per download; made on the first download. */
  private downloadsDir: string | undefined;
  private downloadCount = 0;

  constructor(
    private readonly browser: Browser,
    /** The page every step drives; use it directly for what the session does not wrap (select, $eval, …). */
    readonly page: Page,
    private readonly userDataDir: string,
    private readonly axeSource: string,
  ) {
    page.on('response', (response) => {
      const request = response.request();
      if (response.status() >= 400 && request.resourceType() !== 'document' && !request.url().endsWith('/favicon.ico')) {
        this.failedResources.push(`${response.status()} ${request.url()}`);
      }
    });
  }

  /** Signs in through the login form with the tests' password; fails unless it lands on a page. */
  async logIn(username: string): Promise<void> {
    await this.visit('/login');
    await this.fillField('username', username);
    await this.fillField('password', TEST_PASSWORD);
    const landed = await this.clickAndWait('form[action="/login"] button[type="submit"]');
    if (landed.status() !== 200) throw new Error(`login of ${username} answered ${landed.status()}`);
  }

  /** Opens a path of the test app. */
  async visit(path: string): Promise<HTTPResponse> {
    this.failedResources = [];
    const response = await this.page.goto(ctx().baseUrl + path);
    if (!response) throw new Error(`No response for ${path}`);
    return response;
  }

  /** Clicks a submit button (or link) and waits for the page it leads to, after any redirects. */
  async clickAndWait(selector: string): Promise<HTTPResponse> {
    this.failedResources = [];
    const [response] = await Promise.all([this.page.waitForNavigation(), this.page.click(selector)]);
    if (!response) throw new Error(`No navigation after clicking ${selector}`);
    return response;
  }

  /** Empties an input or textarea and types the value into it, as a person would. */
  async typeInto(selector: string, value: string): Promise<void> {
    await this.page.$eval(selector, (element) => {
      (element as HTMLInputElement).value = '';
    });
    if (value) await this.page.type(selector, value);
  }

  /** `typeInto` for the app's form fields, whose ids are `field-<name>`. */
  fillField(name: string, value: string): Promise<void> {
    return this.typeInto(`#field-${name}`, value);
  }

  /**
   * Chooses a unit in a unit picker (views/partials/unit-picker.hbs): from its <select> when the
   * scope holds few units, else by typing the unit's code into the combobox and clicking its answer.
   * Which one a form shows depends on how many units the database holds, which other test files change.
   */
  async chooseUnit(name: string, unit: { id: number; code: string }): Promise<void> {
    const selector = `#field-${name}`;
    if ((await this.page.$eval(selector, (element) => element.tagName)) === 'SELECT') {
      await this.page.select(selector, String(unit.id));
      return;
    }
    await this.typeInto(selector, unit.code);
    const option = `#field-${name}-listbox [role="option"][data-unit-id="${unit.id}"]`;
    await this.page.waitForSelector(option, { visible: true }); // after the debounce and the search
    await this.page.click(option);
    const chosen = await this.page.$eval(`input[type="hidden"][name="${name}"]`, (element) => (element as HTMLInputElement).value);
    expect(chosen, `the unit chosen in ${name}`).to.equal(String(unit.id));
  }

  /**
   * Clicks a link that answers with an attachment and waits for the browser to save it into a
   * folder of its own; returns the saved file's path.
   */
  async download(selector: string): Promise<string> {
    this.downloadsDir ??= await mkdtemp(join(tmpdir(), 'dvk-downloads-'));
    this.downloadCount += 1;
    const dir = join(this.downloadsDir, `download-${this.downloadCount}`);
    await mkdir(dir);
    const cdp = await this.page.createCDPSession();
    try {
      await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: dir });
      await this.page.click(selector);
      const deadline = Date.now() + DOWNLOAD_TIMEOUT;
      for (;;) {
        const names = (await readdir(dir)).filter((name) => !name.endsWith('.crdownload') && !name.startsWith('.'));
        const [name] = names;
        if (name) {
          // Chromium renames the partial file when it is complete; make sure the size has settled.
          const path = join(dir, name);
          const size = (await stat(path)).size;
          await new Promise((resolve) => setTimeout(resolve, 100));
          if (size > 0 && (await stat(path)).size === size) return path;
        }
        if (Date.now() > deadline) throw new Error(`No download after clicking ${selector} (folder holds: ${(await readdir(dir)).join(', ') || 'nothing'})`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await cdp.detach();
    }
  }

  /** The current page's path, without the query. */
  pathname(): string {
    return new URL(this.page.url()).pathname;
  }

  /** An element's text with its white space collapsed. */
  text(selector: string): Promise<string> {
    return this.page.$eval(selector, (element) => (element.textContent ?? '').replace(/\s+/g, ' ').trim());
  }

  /** Each invalid field's id and the message shown next to it, and whether it points at that message. */
  invalidFields(): Promise<InvalidField[]> {
    return this.page.$$eval('[aria-invalid="true"]', (elements) =>
      elements.map((element) => {
        const name = element.id.replace(/^field-/, '');
        const message = document.getElementById(`error-${name}`);
        return {
          id: element.id,
          message: (message?.textContent ?? '').trim(),
          describedBy: (element.getAttribute('aria-describedby') ?? '').split(/\s+/).includes(`error-${name}`),
          marked: element.closest('.field')?.classList.contains('field--error') ?? false,
        };
      }),
    );
  }

  /** The links of the error summary above a refused form. */
  errorSummaryLinks(): Promise<{ href: string | null; text: string }[]> {
    return this.page.$$eval('.error-summary a', (links) => links.map((link) => ({ href: link.getAttribute('href'), text: (link.textContent ?? '').trim() })));
  }

  /** Fails if a sub-resource (CSS, script, image) of the current page answered with an error. */
  assertNoFailedResources(name: string): void {
    expect(this.failedResources, `failed sub-resources on ${name}`).to.deep.equal([]);
  }

  /** Saves a full-page screenshot as test/screenshots/<name>.png. */
  async screenshot(name: string): Promise<void> {
    // A page that refreshes itself (a print job's) may be between two loads: wait for one laid out.
    await this.page.waitForFunction(() => document.readyState === 'complete' && (document.body?.scrollWidth ?? 0) > 0, { timeout: 10_000 });
    await this.page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  /**
   * Runs axe-core on the page as it is now, writes every violation to
   * test/screenshots/<name>.axe.json and fails on serious or critical ones, listing them.
   */
  async checkAccessibility(name: string): Promise<void> {
    await this.page.addScriptTag({ content: this.axeSource });
    const violations = await this.page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown[]; html: string; failureSummary?: string }> }> }> } }).axe;
      const results = await axe.run(document, { resultTypes: ['violations'] });
      return results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.map((node) => ({ target: node.target.map(String).join(' '), html: node.html, summary: node.failureSummary ?? '' })),
      }));
    });
    await writeFile(join(SCREENSHOTS, `${name}.axe.json`), JSON.stringify(violations, null, 2));
    const blocking = (violations as AxeViolation[]).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    const report = blocking
      .map((violation) => `  [${violation.impact}] ${violation.id}: ${violation.help}\n${violation.nodes.map((node) => `    - ${node.target}\n      ${node.html}\n      ${node.summary.replace(/\n/g, '\n      ')}`).join('\n')}`)
      .join('\n');
    expect(blocking, `axe-core found serious/critical violations on "${name}" (${this.page.url()}):\n${report}\n`).to.have.length(0);
  }

  /** The usual check of a page at desktop size: no failed sub-resources, a screenshot, then axe-core. */
  async inspect(name: string): Promise<void> {
    this.assertNoFailedResources(name);
    await this.screenshot(name);
    await this.checkAccessibility(name);
  }

  /** Fails if the page is wider than the viewport, i.e. scrolls sideways. */
  async assertNoHorizontalScroll(message: string): Promise<void> {
    const overflow = await this.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, message).to.be.at.most(0);
  }

  /** Runs the action at another viewport size, then returns to desktop size even if it fails. */
  async atViewport<T>(viewport: Viewport, action: () => Promise<T>): Promise<T> {
    await this.page.setViewport(viewport);
    try {
      return await action();
    } finally {
      await this.page.setViewport(DESKTOP);
    }
  }

  /**
   * The usual check of a page at phone size: a full-page screenshot, no sideways scrolling and
   * axe-core on the phone layout (e.g. a list's rows as stacked cards).
   */
  async inspectOnPhone(name: string): Promise<void> {
    await this.atViewport(PHONE, async () => {
      await this.screenshot(name);
      await this.assertNoHorizontalScroll(`no sideways scrolling on a phone (${name})`);
      await this.checkAccessibility(name);
    });
  }

  /** Closes Chromium and removes its profile and any downloads. */
  async close(): Promise<void> {
    try {
      await this.browser.close();
    } finally {
      await rm(this.userDataDir, { recursive: true, force: true });
      if (this.downloadsDir) await rm(this.downloadsDir, { recursive: true, force: true });
    }
  }
}
