// Runs before `npm start` and `npm test` with nothing but Node: installs the npm dependencies
// when they are missing or stale, and tells in one line how to get a Chromium when none is found.
// Plain JavaScript on purpose: it must run before tsx and the rest are installed.
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const lockFile = join(root, 'package-lock.json');
const installedMarker = join(root, 'node_modules', '.package-lock.json');

function dependenciesAreInstalled() {
  if (!existsSync(installedMarker)) return false;
  // npm rewrites node_modules/.package-lock.json on every install: older than the lock file means stale.
  return !existsSync(lockFile) || statSync(installedMarker).mtimeMs >= statSync(lockFile).mtimeMs;
}

if (!dependenciesAreInstalled()) {
  console.log('Đang cài các gói npm (lần đầu chạy) / Installing npm dependencies (first run)...');
  const command = existsSync(lockFile) ? 'ci' : 'install';
  const result = spawnSync('npm', [command, '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error('npm ' + command + ' thất bại / failed. Kiểm tra mạng tới npm registry rồi chạy lại.');
    process.exit(result.status ?? 1);
  }
}

// The PDFs need a Chromium: the one packed in @sparticuz/chromium (Linux x64) comes with npm ci; elsewhere
// a configured or system browser is needed (server/certificates/rendering/setup.ts chooses at start).
const packaged = process.platform === 'linux' && process.arch === 'x64' && existsSync(join(root, 'node_modules', '@sparticuz', 'chromium', 'bin'));
const systemBrowsers = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
const configured = process.env.PUPPETEER_EXECUTABLE_PATH;
if (!packaged && !(configured && existsSync(configured)) && !systemBrowsers.some((path) => existsSync(path))) {
  console.warn('Chưa có Chromium để in bằng khen PDF / No Chromium for PDFs: install one with `sudo apt-get install -y chromium` (or set PUPPETEER_EXECUTABLE_PATH).');
}
