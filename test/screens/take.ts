// The README's "Screens": starts the application as `npm start` does (embedded database, demo data)
// in a throw-away folder, walks the main pages as each role at a desktop width (1366 px) and on a
// phone (375 px), and writes one WebP per page and width next to this file. Run it after a change
// to the interface, look at every picture, and commit them with the change:
//
//   npx tsx test/screens/take.ts
//
// It prints each file it wrote with the page it shows. Nothing here runs in `npm test`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Page, type Viewport } from 'puppeteer';
import { findBrowser, launchSettings } from '../../server/certificates/rendering/setup.ts';
import { freePort } from '../../bench/lib/cluster.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PASSWORD = 'DanVanKheo@2025';
const MAX_HEIGHT = 2_000;
const WIDTHS: [string, Viewport][] = [
  ['desktop', { width: 1366, height: 900 }],
  ['phone', { width: 375, height: 812, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }],
];

interface Shot {
  file: string;
  login?: string;
  /** The page's path, or a way to find it from a list page (the first link matching). */
  path: string | ((page: Page) => Promise<string>);
  caption: string;
  /** Who finds the page's address, when not the one who looks at it (a public page found from a private one). */
  findAs?: string;
}

/** The first link on the page at `from` whose address matches `pattern` (and whose text holds `text`). */
const firstLink = (from: string | ((page: Page) => Promise<string>), pattern: RegExp, text = '') => async (page: Page): Promise<string> => {
  const listPath = typeof from === 'string' ? from : await from(page);
  await page.goto(base + listPath, { waitUntil: 'load' });
  const links = await page.$$eval('main a[href]', (anchors) => anchors.map((a) => ({ href: a.getAttribute('href') ?? '', text: a.textContent ?? '' })));
  const found = links.find((link) => pattern.test(link.href) && link.text.includes(text));
  if (!found) throw new Error(`no link like ${pattern} on ${listPath}`);
  return found.href;
};
const decidedRound = firstLink('/awards', /^\/awards\/\d+$/, '2024');
const decision = firstLink(decidedRound, /^\/decisions\/\d+$/);
const certificate = firstLink(decision, /^\/certificates\/\d+$/);

const SHOTS: Shot[] = [
  { file: 'login', path: '/login', caption: 'Đăng nhập' },
  { file: 'home-secretary', login: 'secretary', path: '/', caption: 'Trang chủ của thư ký: việc cần làm' },
  { file: 'models', login: 'secretary', path: '/models', caption: 'Danh sách mô hình, bộ lọc và phân trang' },
  { file: 'model', login: 'secretary', path: firstLink('/models', /^\/models\/\d+$/), caption: 'Một mô hình' },
  { file: 'model-form', login: 'agency', path: '/models/new', caption: 'Đăng ký mô hình' },
  { file: 'verify', findAs: 'secretary', path: async (page) => new URL(await firstLink(certificate, /\/verify\//)(page), base).pathname, caption: 'Trang xác minh công khai (mã QR)' },
  { file: 'rounds', login: 'secretary', path: '/awards', caption: 'Các đợt xét khen thưởng' },
  { file: 'round', login: 'secretary', path: firstLink('/awards', /^\/awards\/\d+$/, '2025'), caption: 'Một đợt xét đang nhận hồ sơ: hồ sơ, phiếu, trạng thái' },
  { file: 'decision', login: 'secretary', path: decision, caption: 'Quyết định khen thưởng: người nhận, in, văn bản' },
  { file: 'certificate', login: 'secretary', path: certificate, caption: 'Một bằng khen đã cấp' },
  { file: 'mine', login: 'agency', path: '/nominations', caption: 'Hồ sơ của tôi (đơn vị)' },
  { file: 'home-member', login: 'member1', path: '/', caption: 'Trang chủ của thành viên Hội đồng' },
  { file: 'print-jobs', login: 'printer', path: '/print-jobs', caption: 'Lịch sử in của văn thư' },
  { file: 'reports', login: 'secretary', path: '/reports', caption: 'Báo cáo tổng kết' },
  { file: 'units', login: 'admin', path: '/admin/units', caption: 'Quản trị đơn vị' },
  { file: 'users', login: 'admin', path: '/admin/users', caption: 'Quản trị tài khoản' },
  { file: 'audit', login: 'admin', path: '/admin/audit', caption: 'Nhật ký thao tác' },
  { file: 'account', login: 'member1', path: '/account', caption: 'Tài khoản của tôi: thư điện tử, ngôn ngữ, mật khẩu' },
  { file: 'models-en', login: 'agency', path: '/language/en?next=/models', caption: 'The models list in English' },
];

let base = '';

async function startApp(dataDir: string, port: number): Promise<ChildProcess> {
  const app = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env: { ...process.env, DATA_DIR: dataDir, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    app.once('exit', (code) => reject(new Error(`the app stopped (${code})`)));
    app.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(`:${port}`)) resolve();
    });
  });
  return app;
}

async function signIn(page: Page, username: string | undefined): Promise<void> {
  await page.deleteCookie(...(await page.cookies()));
  if (!username) return;
  await page.goto(`${base}/login`, { waitUntil: 'load' });
  await page.type('#field-username', username);
  await page.type('#field-password', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type="submit"]')]);
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'dvk-screens-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const app = await startApp(dataDir, port);
  const executablePath = await findBrowser(process.env.PUPPETEER_EXECUTABLE_PATH);
  if (!executablePath) throw new Error('no Chromium');
  const settings = launchSettings(executablePath);
  const browser = await puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', ...settings.args], env: { ...process.env, ...settings.env } });
  try {
    const page = await browser.newPage();
    let signedInAs: string | undefined = 'nobody';
    for (const shot of SHOTS) {
      if (shot.login !== signedInAs) {
        await page.setViewport(WIDTHS[0]![1]);
        await signIn(page, shot.login);
        signedInAs = shot.login;
      }
      await page.setViewport(WIDTHS[0]![1]);
      if (shot.findAs) await signIn(page, shot.findAs);
      const path = typeof shot.path === 'string' ? shot.path : await shot.path(page);
      if (shot.findAs) {
        await signIn(page, shot.login);
        signedInAs = shot.login;
      }
      for (const [width, viewport] of WIDTHS) {
        await page.setViewport(viewport);
        const response = await page.goto(base + path, { waitUntil: 'load' });
        if (response?.status() !== 200) throw new Error(`${path}: ${response?.status()}`);
        const file = join(HERE, `${shot.file}-${width}.webp`);
        // The top of the page, at most MAX_HEIGHT tall: a long list is shown by its first screens (WebP stops at 16.383 px).
        const height = Math.min(MAX_HEIGHT, await page.evaluate(() => document.documentElement.scrollHeight));
        await page.screenshot({ path: file as `${string}.webp`, type: 'webp', quality: 70, clip: { x: 0, y: 0, width: viewport.width, height }, captureBeyondViewport: true });
        console.log(`${shot.file}-${width}.webp\t${path}\t${shot.caption}`);
      }
    }
  } finally {
    await browser.close();
    app.kill('SIGTERM');
    await new Promise((resolve) => app.once('exit', resolve));
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
