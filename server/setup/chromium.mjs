// Finds a Chromium for Puppeteer: PUPPETEER_EXECUTABLE_PATH, then Puppeteer's own download, then the system's.
import { existsSync } from 'node:fs';

const systemCandidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export async function findChromium(configured = process.env.PUPPETEER_EXECUTABLE_PATH) {
  if (configured) return existsSync(configured) ? configured : null;
  try {
    const puppeteer = (await import('puppeteer')).default;
    const downloaded = puppeteer.executablePath();
    if (downloaded && existsSync(downloaded)) return downloaded;
  } catch {
    // Puppeteer not installed yet or no download: fall through to the system browser.
  }
  return systemCandidates.find((candidate) => existsSync(candidate)) ?? null;
}
