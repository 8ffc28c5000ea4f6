// The browser tests of the home page's work queue (test/browser/work-queue-*.test.ts): each role
// signs in, reads its "Việc cần làm" on the home page, follows a pile to its task and finishes it
// through the pages, at desktop size and again at phone size. Every page on the way is checked the
// same way: no failed sub-resources, a screenshot (test/screenshots/, git-ignored) and axe-core with
// no serious or critical violation; on a phone also no sideways scrolling.
import { expect } from 'chai';
import type { Viewport } from 'puppeteer';
import type { TaskKind } from '../../server/tasks/service.ts';
import { translate } from '../../server/web/i18n/index.ts';
import { DESKTOP, launchBrowserSession, PHONE, type BrowserSession } from './browser.ts';
import { TEST_PASSWORD } from './factories.ts';

export const vi = (key: Parameters<typeof translate>[1], params?: Record<string, unknown>) => translate('vi', key, params);

/** A screen the walk is done on: its name ends the screenshots' names. */
export interface Screen {
  name: 'desktop' | 'phone';
  viewport: Viewport;
}

export const SCREENS: readonly Screen[] = [
  { name: 'desktop', viewport: DESKTOP },
  { name: 'phone', viewport: PHONE },
];

/**
 * Launches one Chromium for the describe block this is called in and closes it after; answers the
 * session for the tests to take (it exists once `before` has run).
 */
export function useBrowserSession(): () => BrowserSession {
  let session: BrowserSession | undefined;
  before(async function () {
    this.timeout(90_000);
    session = await launchBrowserSession();
  });
  after(async function () {
    this.timeout(30_000);
    await session?.close();
  });
  return () => {
    if (!session) throw new Error('no browser session: Chromium did not start');
    return session;
  };
}

/** One pile of the home page's queue as a person reads it: the count in its badge and what waits. */
export interface QueueItem {
  kind: string;
  count: string;
  text: string;
  href: string;
}

/** Drives one role's walk from the home page's queue on one screen. */
export class QueueWalk {
  constructor(
    readonly session: BrowserSession,
    readonly screen: Screen,
    /** Starts the screenshots' names, e.g. "work-queue-agency". */
    private readonly prefix: string,
  ) {}

  /** Runs the walk at this screen's size (back to desktop size after, even if it fails). */
  run(walk: () => Promise<void>): Promise<void> {
    return this.session.atViewport(this.screen.viewport, walk);
  }

  /**
   * Checks the page as it is now: no failed sub-resources, a screenshot, axe-core; on a phone also
   * no sideways scrolling. The viewport is already the screen's (run), so nothing reloads here.
   */
  async inspect(step: string): Promise<void> {
    const name = `${this.prefix}-${step}-${this.screen.name}`;
    this.session.assertNoFailedResources(name);
    await this.session.screenshot(name);
    if (this.screen.name === 'phone') await this.session.assertNoHorizontalScroll(`no sideways scrolling on a phone (${name})`);
    await this.session.checkAccessibility(name);
  }

  /** Signs whoever is signed in out, then signs this user in through /login; lands on the home page. */
  async signIn(username: string): Promise<void> {
    const { session } = this;
    if (await session.page.$('form[action="/logout"] button[type="submit"]')) await session.clickAndWait('form[action="/logout"] button[type="submit"]');
    if (session.pathname() !== '/login') await session.visit('/login');
    await session.fillField('username', username);
    await session.fillField('password', TEST_PASSWORD);
    const home = await session.clickAndWait('form[action="/login"] button[type="submit"]');
    expect(home.status(), `${username} signs in`).to.equal(200);
    expect(session.pathname(), 'signing in lands on the home page').to.equal('/');
  }

  /** Back to the home page through the header's "Trang chủ". */
  async goHome(): Promise<void> {
    const home = await this.session.clickAndWait('nav.main-nav a[href="/"]');
    expect(home.status()).to.equal(200);
    expect(this.session.pathname()).to.equal('/');
  }

  /** The piles the home page's "Việc cần làm" shows, in order. */
  async queue(): Promise<QueueItem[]> {
    expect(await this.session.text('#tasks-title')).to.equal(vi('home.tasks'));
    return this.session.page.$$eval('section.tasks .task-list a', (links) => links.map((link) => ({
      kind: link.getAttribute('data-task') ?? '',
      count: (link.querySelector('.task-list__count')?.textContent ?? '').trim(),
      text: (link.textContent ?? '').replace(/\s+/g, ' ').trim(),
      href: link.getAttribute('href') ?? '',
    })));
  }

  /** What the queue says, as "<count> <sentence>" lines: what a clerk reads. */
  async queueTexts(): Promise<string[]> {
    return (await this.queue()).map((item) => item.text);
  }

  /** The queue's line for a pile of `count` items of a kind, as a clerk reads it. */
  static line(kind: TaskKind, count: number): string {
    return `${count} ${vi(`tasks.${kind}`)}`;
  }

  /** Finds the pile by the words and count shown, and follows its link; answers the page's path. */
  async follow(kind: TaskKind, count: number): Promise<string> {
    const items = await this.queue();
    const item = items.find((candidate) => candidate.text === QueueWalk.line(kind, count));
    expect(item, `the queue shows "${QueueWalk.line(kind, count)}" (it shows: ${items.map((i) => `"${i.text}"`).join(', ') || 'nothing'})`).to.not.equal(undefined);
    expect(item!.count).to.equal(String(count));
    const opened = await this.session.clickAndWait(`section.tasks .task-list a[data-task="${item!.kind}"]`);
    expect(opened.status(), `the ${kind} pile's page`).to.equal(200);
    const url = new URL(this.session.page.url());
    expect(url.pathname + url.search, 'the link leads where it says').to.equal(item!.href.replace(/&amp;/g, '&'));
    return url.pathname;
  }

  /** The home page says nothing waits: no pile, the "nothing waits" sentence instead. */
  async expectNothingWaits(): Promise<void> {
    expect(await this.queue()).to.deep.equal([]);
    expect(await this.session.text('section.tasks p.muted')).to.equal(vi('home.noTasks'));
  }
}
