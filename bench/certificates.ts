// Benchmark of certificate rendering (Bằng khen to PDF): the same certificates and the same HTML,
// rendered three ways in one run, compared as ratios:
//   (a) a browser launched per certificate (puppeteer.launch, newPage, setContent, pdf, close),
//   (b) one browser, a new page per certificate, closed after each,
//   (c) the project's batch path: createRenderer + renderCertificates (CHUNK_SIZE chunks joined with pdf-lib),
// plus the batch path with other chunk sizes (same renderChunk + joinPdfs, only the slicing differs)
// and (d) one certificate warm through renderer.renderPdf. No database: CertificateRecord objects are
// built in memory and go through the app's sheetOf, renderSheet and certificateDocument.
//
//   npx tsx bench/certificates.ts
//   COUNTS=100 npx tsx bench/certificates.ts
//
// Settings (environment):
//   COUNTS         certificate counts, comma-separated ("100,1000")
//   LAUNCH_SAMPLE  (a) measures the first LAUNCH_SAMPLE certificates of each count and extrapolates the
//                  rate (30; LAUNCH_SAMPLE=100 measures 100 in full: minutes on a busy machine)
//   PAGE_SAMPLE    (b) measures the first PAGE_SAMPLE certificates of each count and extrapolates the rate
//                  (200; each page is opened and closed on its own, so the rate does not depend on the count;
//                  PAGE_SAMPLE=1000 measures 1,000 in full: a quarter of an hour or more on a busy machine)
//   BATCH_REPS     runs of (c) per count; the median rate is reported, the peak memory is the highest (3)
//   CHUNK_SIZES    chunk sizes tried on the batch path ("50,100,250"; empty to skip)
//   PAGE_BUDGET_KB the renderer's page budget (HTML laid out before a page is replaced; renderer.ts's PAGE_BUDGET_BYTES)
//   SINGLE_REPS    renders of one certificate for (d) (50), after SINGLE_WARMUP warm-up renders (5)
//   CHROMIUM_EXTRA_ARGS  flags added to the batch path's Chromium (c), e.g. "--renderer-process-limit=1", to try memory settings
//   BROWSERS       "system,packaged": instead of the above, compares browsers in one run: for each,
//                  (c) at every count (BATCH_REPS runs, the browsers taking turns) and (d) one certificate
//                  warm (renders alternating between them); "system" is /usr/bin/chromium (or the first
//                  system Chromium found), "packaged" the one of @sparticuz/chromium, anything else a path
//
// Peak memory is the highest, over a run, of node's VmRSS plus the VmRSS of every Chromium process under
// it (descendants found through /proc/*/stat ppid), sampled every 50 ms by a separate process
// (bench/lib/process-memory.ts), so a busy event loop (pdf-lib's join is synchronous) does not hide a
// peak. Summing RSS counts pages shared between Chromium's processes more than once: the figure is an
// upper bound.
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer';
import { ParseSpeeds, PDFDocument } from 'pdf-lib';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ASSET_ORIGIN, makeOffline, type Assets, type CertificateRenderer, type PaperSize } from '../server/certificates/rendering/renderer.ts';
import { CHUNK_SIZE, renderCertificates, renderChunk } from '../server/certificates/rendering/chunks.ts';
import { inOrder } from '../server/certificates/rendering/in-order.ts';
import { joinPdfs } from '../server/certificates/rendering/joiner.ts';
import { findBrowser, createRenderer, launchSettings, unpackPackagedChromium, SYSTEM_CHROMIUMS } from '../server/certificates/rendering/setup.ts';
import { existsSync } from 'node:fs';
import { sheetOf, type CertificateRecord } from '../server/certificates/rendering/sheets.ts';
import { certificateAssets, certificateDocument, renderSheet, type Layout, type TemplateName } from '../server/certificates/rendering/templates.ts';
import { ms, summarise, table } from './lib/measure.ts';
import { MemorySampler, type Peak } from './lib/process-memory.ts';
import * as words from './lib/vocabulary.ts';

const AIM_RATIO_VS_LAUNCH = 50;
// Issue 23's aim: 250 a second at 1.000 on 2 cores with the machine otherwise quiet (80 was the first round's).
const AIM_RATE = 250;
const AIM_PEAK_MB = 1024;
const AIM_PEAK_AT = 1000;
const AIM_SINGLE_MEDIAN_MS = 150;

const MB = 1024 * 1024;
const PUBLIC_URL = 'https://thiduakhenthuong.ninhbinh.gov.vn';
/** layoutFor's defaults when no print layout is stored: A4 landscape, full mode, no offsets. */
const LAYOUT: Layout = { mode: 'full', paperWidthMm: 297, paperHeightMm: 210, offsetXMm: 0, offsetYMm: 0 };
const PAPER: PaperSize = { widthMm: LAYOUT.paperWidthMm, heightMm: LAYOUT.paperHeightMm };

const TIMEOUT_MS = 30_000;

const say = (line = '') => console.log(line);
const seconds = (milliseconds: number) => (milliseconds / 1000).toFixed(2);
const rate1 = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));

// The real gc between strategies, so one's garbage is not counted in the next one's node RSS.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function settings(env: NodeJS.ProcessEnv) {
  const int = (name: string, fallback: number, min: number) => {
    const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
    if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}`);
    return value;
  };
  const list = (name: string, fallback: string) =>
    (env[name] ?? fallback).split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: ${s} is not a positive integer`);
      return n;
    });
  const counts = list('COUNTS', '100,1000');
  if (counts.length === 0) throw new Error('COUNTS is empty');
  return {
    counts,
    launchSample: int('LAUNCH_SAMPLE', 30, 1),
    pageSample: int('PAGE_SAMPLE', 200, 1),
    batchReps: int('BATCH_REPS', 3, 1),
    chunkSizes: list('CHUNK_SIZES', '50,100,250'),
    pageBudgetBytes: env.PAGE_BUDGET_KB ? Number(env.PAGE_BUDGET_KB) * 1024 : undefined,
    singleReps: int('SINGLE_REPS', 50, 1),
    singleWarmup: int('SINGLE_WARMUP', 5, 0),
  };
}
type Settings = ReturnType<typeof settings>;

// ------------------------------------------------------------------ the certificates

/** A small deterministic generator, so every run renders the same certificates. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return { next, pick };
}

const POSITIONS = [
  'Chủ tịch Hội Liên hiệp Phụ nữ xã', 'Bí thư Chi bộ thôn', 'Trưởng thôn', 'Công chức Văn hóa - Xã hội', 'Phó Chủ tịch Ủy ban nhân dân xã',
  'Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam xã', 'Trưởng Ban công tác Mặt trận khu dân cư', 'Giáo viên', 'Bác sĩ Trạm Y tế xã',
  'Phó Trưởng Ban Dân vận Huyện ủy kiêm Phó Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam huyện', 'Chi hội trưởng Chi hội Cựu chiến binh', 'Trưởng Công an xã',
];
const COLLECTIVE_HEADS = ['Chi hội Phụ nữ', 'Tổ tự quản', 'Câu lạc bộ', 'Ban công tác Mặt trận', 'Chi đoàn thanh niên', 'Tổ hòa giải', 'Hội Nông dân', 'Tổ dân vận'];
/** Long names as they occur: compound given names, and ethnic-minority names. */
const LONG_GIVEN = ['Thị Minh Nguyệt Ánh', 'Hoàng Bảo Khánh Linh', 'Thị Ngọc Bích Phượng', 'Thị Hồng Nhung', 'Công Huyền Tôn Nữ Thanh Tâm'];
const ETHNIC_NAMES = ['Lò Văn Puốn', 'Hà Thị Khiêm', 'Giàng A Páo', 'Y Khu Niê Kdăm', 'Đinh Thị Hơ Ren', 'Sùng Mí Chá', 'Ksor H\'Bia', 'Lường Thị Xuân Hương'];

function placeOf(r: ReturnType<typeof prng>): string {
  return `${r.pick(words.PLACE_SYLLABLES)} ${r.pick(words.PLACE_SYLLABLES)}`;
}

function achievementOf(r: ReturnType<typeof prng>, i: number): string {
  const head = `Đã có thành tích xuất sắc trong thực hiện phong trào thi đua "Dân vận khéo" năm 2024, ${r.pick(words.TITLE_TOPICS)}`;
  const sentence = () =>
    `${r.pick(words.ACTORS)} ${r.pick(words.ACTIVITIES)}, ${r.pick(words.RESULTS)}, ${r.pick(words.TITLE_TOPICS)} ${r.pick(words.PLACE_WORDS)} ${placeOf(r)}`;
  // Most are one line; one in four is long (over 220 characters), one in ten very long (over 480).
  const extra = i % 10 === 3 ? 5 : i % 4 === 1 ? 2 : r.next() < 0.5 ? 1 : 0;
  const parts = [head];
  for (let k = 0; k < extra; k++) parts.push(sentence());
  let text = parts.join('; ');
  if (i % 10 === 3) while (text.length <= 480) text += `; ${sentence()}`;
  if (i % 4 === 1 && i % 10 !== 3) while (text.length <= 220) text += `; ${sentence()}`;
  return `${text}.`;
}

function makeRecords(count: number): CertificateRecord[] {
  const r = prng(20241220);
  const records: CertificateRecord[] = [];
  for (let i = 0; i < count; i++) {
    const individual = i % 5 !== 0 && i % 5 !== 2; // three in five are people, two in five collectives
    const commune = `xã ${placeOf(r)}`;
    const unitName = `Ủy ban nhân dân ${commune}`;
    let name: string;
    let position: string | null = null;
    let gender: string | null = null;
    if (individual) {
      const roll = r.next();
      name = roll < 0.1 ? r.pick(ETHNIC_NAMES) : roll < 0.25 ? `${r.pick(words.SURNAMES)} ${r.pick(LONG_GIVEN)}` : `${r.pick(words.SURNAMES)} ${r.pick(words.GIVEN_NAMES)}`;
      gender = name.includes(' Thị ') || name.includes('Nữ') || name.includes('H\'') ? 'female' : r.next() < 0.5 ? 'male' : 'other';
      position = r.next() < 0.8 ? `${r.pick(POSITIONS)}${r.next() < 0.3 ? ` ${placeOf(r)}` : ''}` : null;
    } else {
      // Some collectives are the unit itself (the unit line is then left out); some have very long names.
      const roll = r.next();
      name =
        roll < 0.2
          ? unitName
          : roll < 0.4
            ? `${r.pick(COLLECTIVE_HEADS)} ${r.pick(words.TITLE_TOPICS)} và ${r.pick(words.TITLE_TOPICS)} ${r.pick(words.PLACE_WORDS)} ${placeOf(r)}, ${commune}`
            : `${r.pick(COLLECTIVE_HEADS)} ${r.pick(words.PLACE_WORDS)} ${placeOf(r)}`;
    }
    const code = Buffer.from(Array.from({ length: 16 }, () => Math.floor(r.next() * 256))).toString('base64url');
    records.push({
      id: i + 1,
      decision_id: 1 + Math.floor(i / 500),
      nomination_id: i + 1,
      register_number: i + 1,
      year: 2024,
      recipient_kind: individual ? 'individual' : 'collective',
      recipient_name: name,
      verification_code: code,
      status: 'valid',
      copy_number: i % 37 === 36 ? 1 : 0,
      position,
      gender,
      achievement: achievementOf(r, i),
      nominee_unit_name: unitName,
      decision_number: `${3120 + Math.floor(i / 500)}/QĐ-UBND`,
      signed_on: '2024-12-20',
      signer_name: 'Trần Song Tùng',
      signer_title: 'KT. CHỦ TỊCH - PHÓ CHỦ TỊCH',
      issuer_name: 'Tỉnh Ninh Bình',
      issuer_kind: 'province',
      award_kind: 'bang_khen_chu_tich_ubnd_tinh',
      award_name: 'Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh',
      template: 'bang_khen',
      round_id: 1,
      issuing_unit_id: 1,
    });
  }
  return records;
}

/** One certificate's HTML document, exactly as renderChunk builds it for a chunk of one. */
async function documentOf(record: CertificateRecord): Promise<string> {
  return certificateDocument([renderSheet(record.template as TemplateName, sheetOf(record, PUBLIC_URL))], LAYOUT);
}

// ------------------------------------------------------------------ the strategies

interface Result {
  strategy: string;
  count: number;
  /** Certificates actually rendered (fewer than count when (a) is sampled). */
  measured: number;
  wallMs: number;
  rate: number;
  extrapolated: boolean;
  peak: Peak;
  pdfBytes: number;
  pages: number;
  pagesOk: boolean;
  note?: string;
}

/** The batch path's Chromium flags with CHROMIUM_EXTRA_ARGS added (nothing when unset: the app's own). */
function extraArgs(executablePath: string): { args?: string[] } {
  const extra = (process.env.CHROMIUM_EXTRA_ARGS ?? '').split(' ').filter(Boolean);
  return extra.length === 0 ? {} : { args: [...launchSettings(executablePath).args, ...extra] };
}

/** A new page set up as the renderer's are: JS off, cache off, fonts and emblem from memory, nothing else. */
async function offlinePage(browser: Browser, assets: Assets): Promise<Page> {
  const page = await browser.newPage();
  await makeOffline(page, assets, TIMEOUT_MS);
  return page;
}

/**
 * (d') renderOnce's steps on one reused offline page, timed apart: setContent (the page loads, fetching
 * its fonts through interception), document.fonts.ready, pdf. Also counts the asset bytes served.
 */
async function singlePhases(executablePath: string, html: string, warmup: number, reps: number) {
  const assets = certificateAssets();
  const { browser: launching, userDataDir } = launch(executablePath);
  const browser = await launching;
  try {
    const page = await offlinePage(browser, assets);
    let served = 0;
    let requests = 0;
    page.on('request', (request: HTTPRequest) => {
      const asset = request.url().startsWith(`${ASSET_ORIGIN}/`) ? assets.get(new URL(request.url()).pathname) : undefined;
      if (asset) {
        served += asset.body.length;
        requests += 1;
      }
    });
    const content: number[] = [];
    const fonts: number[] = [];
    const pdf: number[] = [];
    for (let i = 0; i < warmup + reps; i++) {
      if (i === warmup) served = requests = 0; // count the measured renders only
      const t0 = performance.now();
      await page.setContent(html, { waitUntil: 'load', timeout: TIMEOUT_MS });
      const t1 = performance.now();
      await page.evaluateHandle('document.fonts.ready').catch(() => undefined);
      const t2 = performance.now();
      await page.pdf({ width: `${PAPER.widthMm}mm`, height: `${PAPER.heightMm}mm`, printBackground: true, preferCSSPageSize: true, timeout: TIMEOUT_MS });
      const t3 = performance.now();
      if (i >= warmup) {
        content.push(t1 - t0);
        fonts.push(t2 - t1);
        pdf.push(t3 - t2);
      }
    }
    return { content: summarise(content), fonts: summarise(fonts), pdf: summarise(pdf), assetKbPerRender: served / reps / 1024, assetRequestsPerRender: requests / reps };
  } finally {
    await browser.close();
    dropProfile(userDataDir);
  }
}

/** setContent + fonts ready + pdf, as renderer.ts renderOnce does. */
async function printPage(page: Page, html: string): Promise<Buffer> {
  await page.setContent(html, { waitUntil: 'load', timeout: TIMEOUT_MS });
  await page.evaluateHandle('document.fonts.ready').catch(() => undefined);
  const pdf = await page.pdf({ width: `${PAPER.widthMm}mm`, height: `${PAPER.heightMm}mm`, printBackground: true, preferCSSPageSize: true, timeout: TIMEOUT_MS });
  return Buffer.from(pdf);
}

/** Profiles of browsers still open, removed on exit too (Ctrl-C, kill). */
const profiles = new Set<string>();
process.on('exit', () => {
  for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
});

function dropProfile(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  profiles.delete(dir);
}

function launch(executablePath: string) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'dvk-bench-chromium-'));
  profiles.add(userDataDir);
  // The renderer's flags and, for the packaged browser, its libraries and fonts (setup.ts launchSettings).
  const { args, env } = launchSettings(executablePath);
  const browser = puppeteer.launch({ executablePath, headless: true, args, ...(env ? { env: { ...process.env, ...env } } : {}), userDataDir, protocolTimeout: TIMEOUT_MS * 2 });
  return { browser, userDataDir };
}

async function pageCount(pdf: Buffer): Promise<number> {
  return (await PDFDocument.load(pdf)).getPageCount();
}

/** Every single-certificate PDF must have exactly one page. */
async function checkSingles(pdfs: readonly Buffer[]): Promise<{ pages: number; ok: boolean; bytes: number }> {
  let pages = 0;
  let ok = true;
  let bytes = 0;
  for (const pdf of pdfs) {
    const n = await pageCount(pdf);
    pages += n;
    ok &&= n === 1;
    bytes += pdf.length;
  }
  return { pages, ok: ok && pages === pdfs.length, bytes };
}

/** (a) puppeteer.launch per certificate. */
async function browserPerCertificate(executablePath: string, records: readonly CertificateRecord[], count: number, s: Settings, sampler: MemorySampler): Promise<Result> {
  const measured = Math.min(count, s.launchSample);
  const assets = certificateAssets();
  const pdfs: Buffer[] = [];
  await sampler.reset();
  const started = performance.now();
  for (const record of records.slice(0, measured)) {
    const html = await documentOf(record);
    const { browser: launching, userDataDir } = launch(executablePath);
    const browser = await launching;
    try {
      const page = await offlinePage(browser, assets);
      pdfs.push(await printPage(page, html));
      await page.close();
    } finally {
      await browser.close();
      dropProfile(userDataDir);
    }
  }
  const wallMs = performance.now() - started;
  const peak = await sampler.read();
  const check = await checkSingles(pdfs);
  const rate = (measured / wallMs) * 1000;
  return {
    strategy: '(a) browser per certificate',
    count,
    measured,
    wallMs: measured === count ? wallMs : (count / rate) * 1000,
    rate,
    extrapolated: measured < count,
    peak,
    pdfBytes: measured === count ? check.bytes : (check.bytes / measured) * count,
    pages: check.pages,
    pagesOk: check.ok && check.pages === measured,
    note: measured < count ? `first ${measured} measured (${seconds(wallMs)} s), rate extrapolated to ${count}` : undefined,
  };
}

/** (b) one browser, a new page per certificate. The browser is launched before timing. */
async function pagePerCertificate(executablePath: string, all: readonly CertificateRecord[], count: number, s: Settings, sampler: MemorySampler): Promise<Result & { launchMs: number }> {
  const records = all.slice(0, Math.min(count, s.pageSample));
  const assets = certificateAssets();
  const pdfs: Buffer[] = [];
  await sampler.reset();
  const launchStarted = performance.now();
  const { browser: launching, userDataDir } = launch(executablePath);
  const browser = await launching;
  const launchMs = performance.now() - launchStarted;
  let wallMs: number;
  try {
    const started = performance.now();
    for (const record of records) {
      const html = await documentOf(record);
      const page = await offlinePage(browser, assets);
      try {
        pdfs.push(await printPage(page, html));
      } finally {
        await page.close();
      }
    }
    wallMs = performance.now() - started;
  } finally {
    await browser.close();
    dropProfile(userDataDir);
  }
  const peak = await sampler.read();
  const check = await checkSingles(pdfs);
  const measured = records.length;
  const rate = (measured / wallMs) * 1000;
  return {
    strategy: '(b) one browser, page per certificate',
    count,
    measured,
    wallMs: measured === count ? wallMs : (count / rate) * 1000,
    rate,
    extrapolated: measured < count,
    peak,
    pdfBytes: (check.bytes / measured) * count,
    pages: check.pages,
    pagesOk: check.ok,
    launchMs,
    note: measured < count ? `first ${measured} measured (${seconds(wallMs)} s), rate extrapolated to ${count}` : undefined,
  };
}

interface BatchProfile {
  /** Wall time with a renderer.renderPdf call running (Chromium: setContent, fonts, pdf; chunks overlap). */
  chromiumMs: number;
  /** The rest of the chunks' wall time: building sheets in node (sheetOf with its QR code, renderSheet, certificateDocument) and joining the chunks so far, while no render runs. */
  sheetsMs: number;
  /** Joining after the last chunk: renderCertificates joins each chunk as it comes (PdfJoiner), so this is the last chunk's copy and the save; the (c') runs join all at the end (joinPdfs). */
  joinMs: number;
  chunks: number;
}

/**
 * Times renderer.renderPdf by wrapping the instance's own method; the call path is unchanged. Chunks
 * render in parallel, so what is counted is the wall time during which at least one render runs.
 */
function timedRenderer(renderer: CertificateRenderer): { renderer: CertificateRenderer; take(): number } {
  const original = renderer.renderPdf.bind(renderer);
  let spent = 0;
  let running = 0;
  let busySince = 0;
  renderer.renderPdf = async (...args: Parameters<CertificateRenderer['renderPdf']>) => {
    if (running++ === 0) busySince = performance.now();
    try {
      return await original(...args);
    } finally {
      if (--running === 0) spent += performance.now() - busySince;
    }
  };
  return { renderer, take: () => { const value = spent; spent = 0; return value; } };
}

/**
 * (c) the batch path. chunkSize undefined: renderCertificates itself (CHUNK_SIZE). Otherwise the same
 * renderChunk and joinPdfs over slices of chunkSize, as renderCertificates would with that CHUNK_SIZE.
 */
async function batchPath(renderer: ReturnType<typeof timedRenderer>, records: readonly CertificateRecord[], chunkSize: number | undefined, sampler: MemorySampler): Promise<Result & { profile: BatchProfile; parts: Buffer[] }> {
  const deps = { renderer: renderer.renderer, publicUrl: PUBLIC_URL };
  gc();
  await sampler.reset();
  renderer.take();
  const started = performance.now();
  let lastChunkAt = started;
  let chunks = 0;
  let pdf: Buffer;
  const parts: Buffer[] = [];
  if (chunkSize === undefined) {
    pdf = await renderCertificates(deps, records, LAYOUT, async (_index, chunk) => {
      parts.push(chunk); // renderCertificates holds them too: no extra memory
      chunks += 1;
      lastChunkAt = performance.now();
    });
  } else {
    const slices: CertificateRecord[][] = [];
    for (let start = 0; start < records.length; start += chunkSize) slices.push(records.slice(start, start + chunkSize));
    await inOrder(slices, deps.renderer.parallelism, (slice) => renderChunk(deps, slice, LAYOUT), async (chunk) => {
      parts.push(chunk);
      chunks += 1;
    });
    lastChunkAt = performance.now();
    pdf = await joinPdfs(parts);
  }
  const ended = performance.now();
  const chromiumMs = renderer.take();
  const peak = await sampler.read();
  const pages = await pageCount(pdf);
  const wallMs = ended - started;
  return {
    strategy: chunkSize === undefined ? `(c) batch path, renderCertificates (chunks of ${CHUNK_SIZE})` : `(c') renderChunk + joinPdfs, chunks of ${chunkSize}`,
    count: records.length,
    measured: records.length,
    wallMs,
    rate: (records.length / wallMs) * 1000,
    extrapolated: false,
    peak,
    pdfBytes: pdf.length,
    pages,
    pagesOk: pages === records.length,
    profile: { chromiumMs, sheetsMs: lastChunkAt - started - chromiumMs, joinMs: ended - lastChunkAt, chunks },
    parts,
  };
}

/**
 * joinPdfs taken apart (after timing, on chunks a run made): PDFDocument.load of the chunks, copyPages +
 * addPage, save; and save without object streams, which pdf-lib writes faster, for comparison.
 */
async function joinBreakdown(parts: readonly Buffer[]) {
  const phases = async (options: { useObjectStreams: boolean }) => {
    let load = 0;
    let copy = 0;
    const joined = await PDFDocument.create();
    for (const part of parts) {
      let t = performance.now();
      const source = await PDFDocument.load(part, { parseSpeed: ParseSpeeds.Fastest, updateMetadata: false }); // as joinPdfs
      load += performance.now() - t;
      t = performance.now();
      for (const page of await joined.copyPages(source, source.getPageIndices())) joined.addPage(page);
      copy += performance.now() - t;
    }
    const t = performance.now();
    const bytes = (await joined.save(options)).length;
    return { load, copy, save: performance.now() - t, bytes };
  };
  const t = performance.now();
  await joinPdfs(parts);
  const whole = performance.now() - t;
  return { whole, app: await phases({ useObjectStreams: true }), flat: await phases({ useObjectStreams: false }), inBytes: parts.reduce((sum, part) => sum + part.length, 0) };
}

// ------------------------------------------------------------------ the run

const mb = (value: number) => value.toFixed(0);

async function run(s: Settings): Promise<void> {
  const executablePath = await findBrowser();
  if (!executablePath) throw new Error('No Chromium found (PUPPETEER_EXECUTABLE_PATH, Puppeteer download or /usr/bin/chromium)');
  const startLoad = loadavg().map((n) => n.toFixed(2)).join(' ');
  const maxCount = Math.max(...s.counts);
  const all = makeRecords(maxCount);
  const sample = all.slice(0, Math.min(all.length, 1000));
  const longNames = sample.filter((r) => r.recipient_name.length > 38).length;
  const longAch = sample.filter((r) => r.achievement.length > 220).length;
  const veryLongAch = sample.filter((r) => r.achievement.length > 480).length;
  say(`Certificate rendering benchmark: counts ${s.counts.join(', ')}; Chromium ${executablePath}; ${cpus().length} CPUs, load ${startLoad}`);
  say(`Certificates: ${maxCount} built in memory (of the first ${sample.length}: ${longNames} names over 38 characters, ${longAch} achievements over 220, ${veryLongAch} over 480, ` +
    `${sample.filter((r) => r.recipient_kind === 'collective').length} collectives, ${sample.filter((r) => r.copy_number > 0).length} reissued copies); layout A4 landscape 297x210 mm, mode full`);
  say('Figures are noisy: other work (tests, other benchmarks) runs on the same 2 cores. Ratios matter more than absolute rates.');

  const sampler = new MemorySampler();
  try {
    // Node alone, before any browser.
    gc();
    await sampler.reset();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const idle = await sampler.read();
    say(`Baseline: node ${mb(idle.nodeMb)} MB RSS, no Chromium (${idle.samples} samples in 200 ms)`);

    // One certificate's HTML, PDF and the cost of building it in node.
    const oneHtml = await documentOf(all[0]!);
    const buildSamples: number[] = [];
    for (const record of all.slice(0, 200)) {
      const t = performance.now();
      await documentOf(record);
      buildSamples.push(performance.now() - t);
    }
    const build = summarise(buildSamples);
    say(`Building one certificate's HTML in node (sheetOf with its QR code, renderSheet, certificateDocument): median ${ms(build.median)} ms, p95 ${ms(build.p95)} ms; ${(oneHtml.length / 1024).toFixed(0)} KB of HTML`);

    const results: Result[] = [];
    const batch = new Map<number, Result & { profile: BatchProfile; reps: number[] }>();
    const variants = new Map<number, (Result & { profile: BatchProfile })[]>();
    const pageLaunch: number[] = [];
    const joins = new Map<number, { chunks: number } & Awaited<ReturnType<typeof joinBreakdown>>>();

    for (const count of s.counts) {
      const records = all.slice(0, count);
      say();
      say(`=== ${count} certificates ===`);

      // (c) first on each count: its renderer launched and warmed before timing, as the app's long-lived one is.
      const renderer = timedRenderer(createRenderer(executablePath, { pageBudgetBytes: s.pageBudgetBytes, ...extraArgs(executablePath) }));
      try {
        const warmStarted = performance.now();
        await renderer.renderer.renderPdf(oneHtml, PAPER);
        say(`(c) renderer launched and warmed in ${seconds(performance.now() - warmStarted)} s (not timed)`);
        const runs: (Result & { profile: BatchProfile; parts: Buffer[] })[] = [];
        for (let rep = 0; rep < s.batchReps; rep++) {
          const r = await batchPath(renderer, records, undefined, sampler);
          runs.push(r);
          say(`(c) run ${rep + 1}: ${seconds(r.wallMs)} s, ${rate1(r.rate)} certificates/s, peak ${mb(r.peak.totalMb)} MB (node ${mb(r.peak.nodeMb)} + Chromium ${mb(r.peak.chromiumMb)} in ${r.peak.processes} processes; distinct ${mb(r.peak.distinctMb)}), ` +
            `${r.pages} pages${r.pagesOk ? '' : ' WRONG'}, ${(r.pdfBytes / MB).toFixed(1)} MB; Chromium ${seconds(r.profile.chromiumMs)} s, sheets ${seconds(r.profile.sheetsMs)} s, join ${seconds(r.profile.joinMs)} s (${r.profile.chunks} chunks)`);
        }
        const byRate = [...runs].sort((x, y) => x.rate - y.rate);
        const mid = byRate[Math.floor((byRate.length - 1) / 2)]!;
        if (mid.parts.length > 1) joins.set(count, { chunks: mid.parts.length, ...(await joinBreakdown(mid.parts)) });
        for (const r of runs) r.parts = [];
        const chosen = { ...mid, peak: runs.reduce((top, r) => (r.peak.totalMb > top.totalMb ? r.peak : top), runs[0]!.peak), pagesOk: runs.every((r) => r.pagesOk), reps: runs.map((r) => r.rate) };
        batch.set(count, chosen);
        results.push(chosen);

        const tried: (Result & { profile: BatchProfile })[] = [];
        for (const size of s.chunkSizes) {
          if (size > count && size !== s.chunkSizes.find((k) => k >= count)) continue; // beyond one chunk, all sizes are the same
          gc();
          const r = await batchPath(renderer, records, size, sampler);
          if (r.parts.length > 1 && !joins.has(count) && size === CHUNK_SIZE) joins.set(count, { chunks: r.parts.length, ...(await joinBreakdown(r.parts)) });
          r.parts = [];
          tried.push(r);
          say(`(c') chunks of ${size}: ${seconds(r.wallMs)} s, ${rate1(r.rate)} certificates/s, peak ${mb(r.peak.totalMb)} MB (distinct ${mb(r.peak.distinctMb)}), ${r.pages} pages${r.pagesOk ? '' : ' WRONG'}; ` +
            `Chromium ${seconds(r.profile.chromiumMs)} s, sheets ${seconds(r.profile.sheetsMs)} s, join ${seconds(r.profile.joinMs)} s`);
        }
        variants.set(count, tried);
      } finally {
        await renderer.renderer.close();
      }

      gc();
      const b = await pagePerCertificate(executablePath, records, count, s, sampler);
      pageLaunch.push(b.launchMs);
      results.push(b);
      say(`(b) ${seconds(b.wallMs)} s${b.extrapolated ? ' (extrapolated)' : ''}, ${rate1(b.rate)} certificates/s, peak ${mb(b.peak.totalMb)} MB, ${b.pages} PDFs of one page${b.pagesOk ? '' : ' WRONG'} (browser launch ${seconds(b.launchMs)} s, not timed)${b.note ? `; ${b.note}` : ''}`);

      gc();
      const a = await browserPerCertificate(executablePath, records, count, s, sampler);
      results.push(a);
      say(`(a) ${seconds(a.wallMs)} s${a.extrapolated ? ' (extrapolated)' : ''}, ${rate1(a.rate)} certificates/s, peak ${mb(a.peak.totalMb)} MB, ${a.pages} PDFs of one page${a.pagesOk ? '' : ' WRONG'}${a.note ? `; ${a.note}` : ''}`);
    }

    // (d) one certificate, warm.
    say();
    const single = timedRenderer(createRenderer(executablePath, { pageBudgetBytes: s.pageBudgetBytes }));
    let singleSummary;
    let singlePages = 0;
    try {
      for (let i = 0; i < s.singleWarmup; i++) await single.renderer.renderPdf(oneHtml, PAPER);
      const samples: number[] = [];
      let last: Buffer | undefined;
      for (let i = 0; i < s.singleReps; i++) {
        const t = performance.now();
        last = await single.renderer.renderPdf(oneHtml, PAPER);
        samples.push(performance.now() - t);
      }
      singleSummary = summarise(samples);
      singlePages = last ? await pageCount(last) : 0;
    } finally {
      await single.renderer.close();
    }
    const phases = await singlePhases(executablePath, oneHtml, s.singleWarmup, s.singleReps);
    say(`(d) one certificate warm through renderer.renderPdf, ${s.singleReps} renders after ${s.singleWarmup} warm-up: median ${ms(singleSummary.median)} ms, p95 ${ms(singleSummary.p95)} ms, ` +
      `min ${ms(singleSummary.min)}, max ${ms(singleSummary.max)}; ${singlePages} page (+ ${ms(build.median)} ms to build its HTML)`);
    say(`(d') the same steps on one reused page, timed apart (medians): setContent ${ms(phases.content.median)} ms (assets fetched through interception after warm-up: ` +
      `${phases.assetRequestsPerRender.toFixed(1)} requests, ${phases.assetKbPerRender.toFixed(0)} KB per render), fonts.ready ${ms(phases.fonts.median)} ms, pdf ${ms(phases.pdf.median)} ms ` +
      `(sum ${ms(phases.content.median + phases.fonts.median + phases.pdf.median)} ms; p95 ${ms(phases.content.p95)} / ${ms(phases.fonts.p95)} / ${ms(phases.pdf.p95)})`);

    // ------------------------------------------------------------------ report
    say();
    say('Results (wall time excludes launching the one browser of (b) and (c); (a) launches one per certificate inside it)');
    say(
      table(
        ['strategy', 'certs', 'wall s', 'certs/s', 'peak MB', 'node MB', 'Chromium MB', 'procs', 'distinct MB', 'PDF MB', 'pages ok'],
        results.map((r) => [
          r.strategy + (r.extrapolated ? ' *' : ''),
          String(r.count),
          seconds(r.wallMs),
          rate1(r.rate),
          mb(r.peak.totalMb),
          mb(r.peak.nodeMb),
          mb(r.peak.chromiumMb),
          String(r.peak.processes),
          mb(r.peak.distinctMb),
          (r.pdfBytes / MB).toFixed(1),
          r.pagesOk ? `yes (${r.extrapolated ? `${r.pages} of ${r.measured}` : r.pages})` : `NO (${r.pages})`,
        ]),
      ),
    );
    say('peak MB = highest node VmRSS + VmRSS of all Chromium processes at one sample (node and Chromium: their values at that sample);');
    say('distinct MB = the same with pages shared between Chromium processes (binary, fonts: RssFile) counted once (highest anon + shmem + largest file set)');
    if (results.some((r) => r.extrapolated)) say(`* measured on the first ${s.launchSample} ((a)) or ${s.pageSample} ((b)) certificates, rate and PDF size extrapolated; peak is that of the sample (one certificate at a time, so it does not grow with the count)`);
    say(`(c) is the median of ${s.batchReps} runs by rate (rates ${[...batch.values()].map((b) => `${b.count}: ${b.reps.map(rate1).join(', ')}`).join('; ')}); its peak the highest of them.`);

    say();
    say('Ratios (certificates per second)');
    const ratioRows = s.counts.map((count) => {
      const c = batch.get(count)!;
      const a = results.find((r) => r.count === count && r.strategy.startsWith('(a)'))!;
      const b = results.find((r) => r.count === count && r.strategy.startsWith('(b)'))!;
      return { count, c, a, b, vsA: c.rate / a.rate, vsB: c.rate / b.rate, bVsA: b.rate / a.rate };
    });
    say(table(['certs', 'batch ÷ browser-per-cert', 'batch ÷ page-per-cert', 'page-per-cert ÷ browser-per-cert'], ratioRows.map((r) => [String(r.count), r.vsA.toFixed(1), r.vsB.toFixed(1), r.bVsA.toFixed(1)])));

    say();
    say('Batch path profile (c): where the time goes');
    say(
      table(
        ['run', 'certs', 'chunks', 'wall s', 'Chromium s', 'sheets (node) s', 'join (pdf-lib) s', 'Chromium %', 'join %', 'certs/s without join'],
        [...batch.values(), ...[...variants.values()].flat()].map((r) => [
          r.strategy.replace(/^\((c'?)\) /, '$1 '),
          String(r.count),
          String(r.profile.chunks),
          seconds(r.wallMs),
          seconds(r.profile.chromiumMs),
          seconds(r.profile.sheetsMs),
          seconds(r.profile.joinMs),
          ((r.profile.chromiumMs / r.wallMs) * 100).toFixed(0),
          ((r.profile.joinMs / r.wallMs) * 100).toFixed(0),
          rate1((r.count / (r.wallMs - r.profile.joinMs)) * 1000),
        ]),
      ),
    );
    for (const [count, tried] of variants) {
      if (tried.length < 2) continue;
      const best = [...tried].sort((x, y) => y.rate - x.rate)[0]!;
      const lowest = [...tried].sort((x, y) => x.peak.totalMb - y.peak.totalMb)[0]!;
      say(`Chunk sizes at ${count}: fastest ${best.strategy.replace(/.*chunks of /, '')} (${rate1(best.rate)}/s), lowest peak ${lowest.strategy.replace(/.*chunks of /, '')} (${mb(lowest.peak.totalMb)} MB); ` +
        tried.map((r) => `${r.strategy.replace(/.*chunks of /, '')}: ${rate1(r.rate)}/s ${mb(r.peak.totalMb)} MB`).join(', ') + ` (one run each; CHUNK_SIZE in the app is ${CHUNK_SIZE})`);
    }

    for (const [count, j] of joins) {
      say(`joinPdfs at ${count} (${j.chunks} chunks, ${(j.inBytes / MB).toFixed(1)} MB in, re-run after timing): ${seconds(j.whole)} s = load ${seconds(j.app.load)} s + copyPages ${seconds(j.app.copy)} s + save ${seconds(j.app.save)} s ` +
        `(${(j.app.bytes / MB).toFixed(1)} MB out); save without object streams ${seconds(j.flat.save)} s (${(j.flat.bytes / MB).toFixed(1)} MB)`);
    }

    say();
    const verdicts: string[] = [];
    for (const r of ratioRows) {
      verdicts.push(`${r.vsA >= AIM_RATIO_VS_LAUNCH ? 'PASS' : 'FAIL'} batch >= ${AIM_RATIO_VS_LAUNCH}x browser-per-cert at ${r.count}: ${r.vsA.toFixed(1)}x`);
      verdicts.push(`${r.c.rate >= AIM_RATE ? 'PASS' : 'FAIL'} batch >= ${AIM_RATE} certificates/s at ${r.count}: ${rate1(r.c.rate)}/s`);
    }
    const atAim = batch.get(AIM_PEAK_AT);
    verdicts.push(
      atAim
        ? `${atAim.peak.totalMb < AIM_PEAK_MB ? 'PASS' : 'FAIL'} ${AIM_PEAK_AT} certificates (batch path) peak node + Chromium VmRSS sum < ${AIM_PEAK_MB} MB: ${mb(atAim.peak.totalMb)} MB; ` +
          `shared pages counted once: ${mb(atAim.peak.distinctMb)} MB (${atAim.peak.distinctMb < AIM_PEAK_MB ? 'PASS' : 'FAIL'})`
        : `n/a peak memory at ${AIM_PEAK_AT} (not in COUNTS)`,
    );
    verdicts.push(`${singleSummary.median < AIM_SINGLE_MEDIAN_MS ? 'PASS' : 'FAIL'} single certificate warm median < ${AIM_SINGLE_MEDIAN_MS} ms: ${ms(singleSummary.median)} ms (p95 ${ms(singleSummary.p95)} ms)`);
    say('Verdict');
    for (const line of verdicts) say(`  ${line}`);
    say(`Load average: ${loadavg().map((n) => n.toFixed(2)).join(' ')} (1/5/15 min) at the end, ${startLoad} at the start, on ${cpus().length} CPUs`);
  } finally {
    await sampler.stop();
  }
}

/** BROWSERS=system,packaged: the batch path and one warm certificate with each browser, taking turns. */
async function compareBrowsers(s: Settings, names: string[]): Promise<void> {
  const browsers: { name: string; path: string }[] = [];
  for (const name of names) {
    const path = name === 'system' ? SYSTEM_CHROMIUMS.find((p) => existsSync(p)) : name === 'packaged' ? await unpackPackagedChromium() : name;
    if (!path || !existsSync(path)) throw new Error(`no browser for ${name}`);
    browsers.push({ name, path });
  }
  const startLoad = loadavg().map((n) => n.toFixed(2)).join(' ');
  say(`Certificate rendering by browser: ${browsers.map((b) => `${b.name} = ${b.path}`).join('; ')}; counts ${s.counts.join(', ')}, ${s.batchReps} runs each; ${cpus().length} CPUs, load ${startLoad}`);
  const all = makeRecords(Math.max(...s.counts));
  const oneHtml = await documentOf(all[0]!);
  const sampler = new MemorySampler();
  const renderers = browsers.map((b) => ({ ...b, timed: timedRenderer(createRenderer(b.path, { pageBudgetBytes: s.pageBudgetBytes })) }));
  const rows: string[][] = [];
  try {
    for (const r of renderers) {
      const t = performance.now();
      await r.timed.renderer.renderPdf(oneHtml, PAPER);
      say(`${r.name}: launched and warmed in ${seconds(performance.now() - t)} s (not timed)`);
    }
    const rates = new Map<string, number[]>();
    const peaks = new Map<string, number>();
    for (const count of s.counts) {
      const records = all.slice(0, count);
      for (let rep = 0; rep < s.batchReps; rep++) {
        for (const r of renderers) {
          const result = await batchPath(r.timed, records, undefined, sampler);
          result.parts = [];
          const key = `${r.name}:${count}`;
          rates.set(key, [...(rates.get(key) ?? []), result.rate]);
          peaks.set(key, Math.max(peaks.get(key) ?? 0, result.peak.distinctMb));
          say(`(c) ${r.name}, ${count} certificates, run ${rep + 1}: ${seconds(result.wallMs)} s, ${rate1(result.rate)}/s, peak ${mb(result.peak.totalMb)} MB (distinct ${mb(result.peak.distinctMb)}), ${result.pages} pages${result.pagesOk ? '' : ' WRONG'}`);
        }
      }
    }
    const singles = new Map<string, number[]>(renderers.map((r) => [r.name, []]));
    for (let i = 0; i < s.singleWarmup; i++) for (const r of renderers) await r.timed.renderer.renderPdf(oneHtml, PAPER);
    for (let i = 0; i < s.singleReps; i++) {
      for (const r of renderers) {
        const t = performance.now();
        await r.timed.renderer.renderPdf(oneHtml, PAPER);
        singles.get(r.name)!.push(performance.now() - t);
      }
    }
    for (const r of renderers) {
      const single = summarise(singles.get(r.name)!);
      const cells = s.counts.flatMap((count) => {
        const list = [...(rates.get(`${r.name}:${count}`) ?? [])].sort((a, b) => a - b);
        return [`${rate1(list[Math.floor((list.length - 1) / 2)]!)} (${list.map(rate1).join(', ')})`, mb(peaks.get(`${r.name}:${count}`)!)];
      });
      rows.push([r.name, ...cells, `${ms(single.median)} / ${ms(single.p95)}`]);
    }
  } finally {
    for (const r of renderers) await r.timed.renderer.close();
    await sampler.stop();
  }
  say();
  say(table(['browser', ...s.counts.flatMap((count) => [`${count}: certs/s median (runs)`, `${count}: peak distinct MB`]), `single warm ms median / p95 (${s.singleReps})`], rows));
  say(`Load average: ${loadavg().map((n) => n.toFixed(2)).join(' ')} (1/5/15 min) at the end, ${startLoad} at the start`);
}

// Ctrl-C or kill: exit, and Puppeteer's exit handler kills the browsers this process launched.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
try {
  const compared = (process.env.BROWSERS ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  if (compared.length > 0) await compareBrowsers(settings(process.env), compared);
  else await run(settings(process.env));
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
}
