// Helpers for the certificate suites (test/certificates/): a decision issued quickly through the
// API, printing staff, PDF downloads, and what pdfjs (./pdf.ts: pages, text, words, fonts, a
// rendered page) and a QR decoder read back from a PDF. No poppler tools are needed.
import jsQRModule from 'jsqr';
import { nomineeKey } from '../../server/awards/names.ts';
import { ctx, db } from './context.ts';
import { createUserWithToken } from './factories.ts';
import { api } from './http.ts';
import { attachRequiredFiles, openRound, type Committee, EARLY_CLOSE } from './awards.ts';
import { extractText, extractWords, listFonts, pageSizes, renderPage, type FontInfo, type RenderedPage, type Word } from './pdf.ts';

// jsqr is CommonJS with a declared default export: under NodeNext the default import is the module object.
const jsQR = (jsQRModule.default ?? jsQRModule) as typeof jsQRModule.default;

export interface Nominee {
  name: string;
  kind?: 'individual' | 'collective';
  /** Individuals only; a default is used when left out. */
  position?: string;
  gender?: 'female' | 'male';
  achievement?: string;
}

export interface IssuedCertificate {
  id: number;
  nominationId: number;
  recipientName: string;
  registerNumber: number;
  verificationCode: string;
}

export interface IssuedDecision {
  id: number;
  number: string;
  roundId: number;
  certificates: IssuedCertificate[];
}

export const SIGNER = { signedOn: '2025-12-20', signerName: 'Hồ Văn Mừng', signerTitle: 'KT. Chủ tịch - Phó Chủ tịch' } as const;
const DEFAULT_ACHIEVEMENT = 'Đã có thành tích xuất sắc trong phong trào thi đua "Dân vận khéo" năm 2025';

function nominationBody(roundId: number, unitId: number, nominee: Nominee) {
  const kind = nominee.kind ?? 'individual';
  return {
    roundId, unitId, nomineeKind: kind, nomineeName: nominee.name, achievement: nominee.achievement ?? DEFAULT_ACHIEVEMENT,
    ...(kind === 'individual' ? { position: nominee.position ?? 'Chuyên viên', gender: nominee.gender ?? 'female', birthYear: 1980 } : {}),
  };
}

async function expectStatus(response: { status: number; body: unknown }, status: number, what: string) {
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
}

/** Issues a decision over the given nominees through the API: a round, submitted nominations, two approvals each, closing, the decision. */
export async function issueDecision(committee: Committee, nominees: readonly Nominee[], signer: Partial<Record<keyof typeof SIGNER, string>> = {}): Promise<IssuedDecision> {
  const round = await openRound(committee);
  const ids = await Promise.all(
    nominees.map(async (nominee) => {
      const created = await api('POST', '/nominations', { token: committee.agency.token, body: nominationBody(round.id, committee.department.id, nominee) });
      await expectStatus(created, 201, `nomination ${nominee.name.slice(0, 40)} not created`);
      await attachRequiredFiles(created.body.id);
      await expectStatus(await api('POST', `/nominations/${created.body.id}/submit`, { token: committee.agency.token }), 200, 'not submitted');
      for (const member of committee.members.slice(0, 2)) {
        await expectStatus(await api('POST', `/nominations/${created.body.id}/votes`, { token: member.token, body: { vote: 'approve' } }), 201, 'vote refused');
      }
      return created.body.id as number;
    }),
  );
  return closeAndDecide(committee, round.id, ids, signer);
}

/**
 * A decision over `count` individuals, for batches too large to nominate request by request: the
 * nominations and the committee's votes are inserted as the API would store them, then the round
 * is closed and the decision issued through the API (so numbering and certificates are the real ones).
 */
export async function issueLargeDecision(committee: Committee, count: number, name = (i: number) => `Người nhận thứ ${i + 1}`): Promise<IssuedDecision> {
  const round = await openRound(committee);
  const rows = Array.from({ length: count }, (_, i) => ({
    round_id: round.id, unit_id: committee.department.id, nominee_kind: 'individual' as const, nominee_name: name(i), nominee_key: nomineeKey(name(i)),
    position: 'Chuyên viên', gender: 'male' as const, birth_year: 1985, achievement: DEFAULT_ACHIEVEMENT, status: 'submitted' as const, submitted_at: new Date(), created_by: committee.agency.id,
  }));
  const ids = (await db().insertInto('nominations').values(rows).returning('id').execute()).map((r) => r.id);
  await db()
    .insertInto('votes')
    .values(ids.flatMap((id) => committee.members.slice(0, 2).map((member) => ({ nomination_id: id, member_id: member.id, vote: 'approve' }))))
    .execute();
  return closeAndDecide(committee, round.id, ids);
}

async function closeAndDecide(committee: Committee, roundId: number, nominationIds: number[], signer: Partial<Record<keyof typeof SIGNER, string>> = {}): Promise<IssuedDecision> {
  const closed = await api('POST', `/award-rounds/${roundId}/close`, { token: committee.secretary.token, body: EARLY_CLOSE });
  await expectStatus(closed, 200, 'round not closed');
  const decision = await api('POST', '/decisions', { token: committee.secretary.token, body: { roundId, ...SIGNER, ...signer, nominationIds } });
  await expectStatus(decision, 201, 'decision not issued');
  return { id: decision.body.id, number: decision.body.number, roundId, certificates: decision.body.certificates };
}

/** Printing staff of the committee's province (who sees its decisions). */
export function printerOf(committee: Committee, role: 'printer' | 'secretary' | 'admin' = 'printer') {
  return createUserWithToken({ role, unitId: committee.province.id, fullName: 'Cán bộ in bằng khen' });
}

export interface Download {
  status: number;
  bytes: Buffer;
  headers: Headers;
  /** The JSON error body, when the answer was not a PDF. */
  json?: any;
}

/** GETs an API path as bytes (a PDF, or an error as JSON). */
export async function download(path: string, token?: string, address?: string): Promise<Download> {
  const response = await fetch(`${ctx().baseUrl}/api/v1${path}`, {
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(address ? { 'x-forwarded-for': address } : {}) },
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  const json = response.headers.get('content-type')?.includes('json') ? JSON.parse(bytes.toString('utf8')) : undefined;
  return { status: response.status, bytes, headers: response.headers, json };
}

/** A PDF download that must succeed. */
export async function pdfOf(path: string, token: string): Promise<Buffer> {
  const got = await download(path, token);
  if (got.status !== 200 || got.headers.get('content-type') !== 'application/pdf') throw new Error(`${path}: ${got.status} ${JSON.stringify(got.json)}`);
  return got.bytes;
}

export interface PdfInfo {
  pages: number;
  /** Points, of the first page (every page is checked to be the same). */
  width: number;
  height: number;
  /** Each page's size as pdfinfo reports it, e.g. "841.92 x 595.2 pts". */
  pageSizes: string[];
}

export async function pdfInfo(pdf: Buffer): Promise<PdfInfo> {
  const sizes = await pageSizes(pdf);
  return { pages: sizes.length, width: sizes[0]?.width ?? NaN, height: sizes[0]?.height ?? NaN, pageSizes: sizes.map((size) => `${size.width} x ${size.height} pts`) };
}

/**
 * The text of the PDF, NFC-normalised, each page followed by a form feed, lines from the top of the
 * page down (as pdftotext gives it). `raw` keeps the content stream's order (pdftotext -raw): a
 * payload wrapped after one of its hyphens reads back with unwrapRaw.
 */
export function pdfText(pdf: Buffer, options: { page?: number; raw?: boolean } = {}): Promise<string> {
  return extractText(pdf, options);
}

/** Each page's text, split on form feeds. */
export async function pdfPagesText(pdf: Buffer): Promise<string[]> {
  const text = await pdfText(pdf);
  const pages = text.split('\f');
  if (pages.at(-1)?.trim() === '') pages.pop();
  return pages;
}

export type PdfWord = Word;

/** Every word with its box in points from the page's top-left (like pdftotext -bbox), pages counted from 1. */
export function pdfWords(pdf: Buffer): Promise<{ pages: { width: number; height: number }[]; words: PdfWord[] }> {
  return extractWords(pdf);
}

/** Whitespace collapsed to single spaces: line wrapping is layout, not content. */
export const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Raw text with the line wraps undone: a break after a hyphen joins, any other becomes one space. */
export const unwrapRaw = (text: string) => collapse(text.replace(/-\n/g, '-'));

export type PdfFont = FontInfo;

/** Every font object the pages use (as pdffonts lists them): name, type, embedded, subset, ToUnicode. */
export function pdfFonts(pdf: Buffer): Promise<PdfFont[]> {
  return listFonts(pdf);
}

/**
 * The QR code on a page, decoded: the page rendered at 200 dpi (pdfjs on @napi-rs/canvas), read by
 * jsQR. The lower-left quarter, where the form puts the code, is tried first (a quarter of the
 * pixels is much faster on a busy machine), then the whole page. Null when no code is found.
 */
export async function qrCodeOnPage(pdf: Buffer, page = 1): Promise<string | null> {
  const image = await renderPage(pdf, page, 200);
  const regions = [
    { x: 0, y: Math.floor(image.height / 2), width: Math.ceil(image.width / 2), height: Math.ceil(image.height / 2) },
    { x: 0, y: 0, width: image.width, height: image.height },
  ];
  for (const region of regions) {
    const { data, width, height } = image.crop(region);
    const found = jsQR(data, width, height, { inversionAttempts: 'dontInvert' });
    if (found) return found.data;
  }
  return null;
}

/** Rows of print_log for some certificates, oldest first. */
export function printLogOf(certificateIds: readonly number[]) {
  if (certificateIds.length === 0) return Promise.resolve([]);
  return db().selectFrom('print_log').selectAll().where('certificate_id', 'in', certificateIds).orderBy('id').execute();
}

/** The ink of a word's box on a rendered page (`dpi` as rendered): pixels that are red, dark (black), or another colour; white is not ink. */
export function inkOf(image: RenderedPage, word: PdfWord, dpi: number): { red: number; dark: number; other: number } {
  const scale = dpi / 72;
  const { data } = image.crop({ x: word.xMin * scale, y: word.yMin * scale, width: (word.xMax - word.xMin) * scale, height: (word.yMax - word.yMin) * scale });
  const ink = { red: 0, dark: 0, other: 0 };
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
    if (r > 230 && g > 230 && b > 230) continue;
    if (r > 150 && g < 100 && b < 100) ink.red += 1;
    else if (r < 100 && g < 100 && b < 100) ink.dark += 1;
    else ink.other += 1;
  }
  return ink;
}

/** A page of a PDF drawn to pixels (pdfjs on @napi-rs/canvas). */
export function pageImage(pdf: Buffer, page = 1, dpi = 100): Promise<RenderedPage> {
  return renderPage(pdf, page, dpi);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it answers something truthy, or fails after `timeoutMs`. */
export async function until<T>(check: () => Promise<T | undefined | null | false>, timeoutMs: number, what: string, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
