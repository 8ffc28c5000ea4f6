// Hostile input (issue 7): the Big List of Naughty Strings through every text field of the JSON API,
// and a representative sample of them through the HTML forms. For each string: never a 5xx;
// accepted -> the record reads back with the text as stored (NFC, trimmed) in the JSON and only
// HTML-escaped on the record's page; rejected -> nothing written and the field named.
//
// Cost: with NAUGHTY_STRINGS=all (as CI runs it) the JSON API gets all ~460 strings per field (one
// write and two reads each), several minutes on PGlite. Without it, the sweeps take a fixed sample of
// ~150 (NAUGHTY_SWEEP: every category of the list, every 5th string of each, plus the forms' sample),
// so that `npm test` stays quick. The HTML forms get a sample of ~60 either way (naughtySample: every
// markup/quote/emoji/RTL/whitespace kind plus an even stride through the rest), because each form post
// re-renders a page and reads another one back. The describe title says which ran.
//
// The sweep is four test files (test/security/naughty-strings-*.test.ts) so that mocha's parallel
// workers share it. This module holds what they share: the fixtures each file builds for itself in
// its before hook, the two drivers, and the valid requests the payloads go into.
import { nomineeKey } from '../../server/awards/names.ts';
import { todayInVietnam } from '../../server/web/i18n/index.ts';
import { createCommittee, individual, openRound, submitted, type Committee, EARLY_CLOSE } from './awards.ts';
import { db } from './context.ts';
import { createUnit, createUserWithToken } from './factories.ts';
import { api, Browser, type ApiResponse, type PageResponse } from './http.ts';
import { errorListsField, escapeHtml as htmlEscape, Failures, htmlReflectsRaw, htmlShowsText, inPool, NAUGHTY_SWEEP as SWEEP, NAUGHTY_SWEEP_LABEL, naughtySample, signedIn, stored } from './security.ts';

export { SWEEP };

export const SAMPLE = naughtySample(60);
export const ACCEPTED = new Set([200, 201]);
export const REJECTED = new Set([400, 409, 422]);
export const today = todayInVietnam();

export interface Fixtures {
  committee: Committee;
  admin: Awaited<ReturnType<typeof createUserWithToken>>;
  adminUnit: Awaited<ReturnType<typeof createUnit>>;
  fieldCode: string;
  browsers: { admin: Browser; agency: Browser; secretary: Browser; member: Browser };
  /** An open round of the committee, for nominations, votes and returns. */
  roundId: number;
  /** A closed round with approved nominations waiting for decisions. */
  decidedRoundId: number;
  approvedPool: number[];
  /** Certificates of one decision: reissued and revoked by the tests. */
  certificates: number[];
}

/** The fixtures of the file running now: a live binding, set by naughtyDescribe's before hook. */
export let f: Fixtures;

async function fixtures(): Promise<Fixtures> {
  const committee = await createCommittee({ members: 1 });
  const adminUnit = await createUnit({ kind: 'province', name: 'Tỉnh kiểm thử chuỗi độc' });
  const admin = await createUserWithToken({ role: 'admin', unitId: adminUnit.id });
  const { code: fieldCode } = await db().selectFrom('fields').select('code').orderBy('code').executeTakeFirstOrThrow();
  const [adminBrowser, agency, secretary, member] = await Promise.all([signedIn(admin), signedIn(committee.agency), signedIn(committee.secretary), signedIn(committee.members[0]!)]);
  const round = await openRound(committee, { title: 'Đợt thử chuỗi độc' });

  // A closed round with many approved nominations: each accepted decision takes one of them.
  // They are written straight into the table (like the factories do): going through submit,
  // vote and close for two thousand nominees would only slow the suite down.
  const decided = await openRound(committee, { title: 'Đợt đã đóng để ra quyết định' });
  const closed = await api('POST', `/award-rounds/${decided.id}/close`, { token: committee.secretary.token, body: EARLY_CLOSE });
  if (closed.status !== 200) throw new Error(`round not closed: ${JSON.stringify(closed.body)}`);
  const wanted = SWEEP.length * 2 + SAMPLE.length * 4 + 100;
  const rows = Array.from({ length: wanted }, (_, i) => {
    const name = `Tập thể được duyệt số ${i + 1}`;
    return {
      round_id: decided.id, unit_id: committee.department.id, nominee_kind: 'collective' as const, nominee_name: name, nominee_key: nomineeKey(name),
      achievement: 'Thành tích xuất sắc trong phong trào thi đua', status: 'approved' as const, submitted_at: new Date(), decided_at: new Date(),
      approvals: 1, rejections: 0, eligible_voters: 1, created_by: committee.agency.id,
    };
  });
  const approvedPool: number[] = [];
  for (let start = 0; start < rows.length; start += 500) {
    const inserted = await db().insertInto('nominations').values(rows.slice(start, start + 500)).returning('id').execute();
    approvedPool.push(...inserted.map((row) => row.id));
  }
  // One decision for the certificates the reissue and revoke tests use.
  const forCertificates = approvedPool.splice(0, SWEEP.length + SAMPLE.length + 40);
  const decision = await api('POST', '/decisions', {
    token: committee.secretary.token,
    body: { roundId: decided.id, signedOn: today, signerName: 'Nguyễn Văn A', signerTitle: 'Chủ tịch', nominationIds: forCertificates },
  });
  if (decision.status !== 201) throw new Error(`decision not issued: ${JSON.stringify(decision.body)}`);
  return {
    committee, admin, adminUnit, fieldCode, browsers: { admin: adminBrowser, agency, secretary, member }, roundId: round.id,
    decidedRoundId: decided.id, approvedPool, certificates: (decision.body.certificates as { id: number }[]).map((c) => c.id),
  };
}

// ------------------------------------------------------------------------------------------------
// The two drivers: one string through the JSON API, one through an HTML form.

export interface Accepted {
  payload: string;
  response: ApiResponse;
  /** The fields that held the payload in the accepted write. */
  fields: string[];
}

export interface ApiCase {
  /** The fields the string goes into, all at once; a field the server refuses is named and refilled with a valid value, and the write tried again. */
  fields: readonly string[];
  /** The write, with `values` (field -> payload) merged into an otherwise valid body. */
  send: (values: Record<string, string>, index: number) => Promise<ApiResponse>;
  /** State a rejected request must leave unchanged (row counts, the record's own row). */
  snapshot: () => Promise<unknown>;
  /** Runs once per string before anything else (e.g. to start a new record every so many strings). */
  prepare?: (index: number) => Promise<void>;
  /** Runs after an accepted write, before the next string (e.g. to put a returned nomination back in the queue). */
  after?: (response: ApiResponse) => Promise<void>;
  /**
   * Reads an accepted record back: each field's stored value (API JSON or, where the JSON answer
   * is built from the input rather than read back, the row) and the record's HTML page. Runs after
   * all the writes, a few at a time.
   */
  readBack: (item: Accepted) => Promise<{ values: Record<string, unknown>; html?: string; expected?: Record<string, string> }>;
}

/** Writes one string after another (a rejected write must change nothing, so no overlap), then reads the accepted ones back four at a time. */
export async function throughApi(label: string, strings: readonly string[], testCase: ApiCase): Promise<Accepted[]> {
  const failures = new Failures(label);
  const accepted: Accepted[] = [];
  for (const [index, payload] of strings.entries()) {
    await testCase.prepare?.(index);
    let fields = [...testCase.fields];
    while (fields.length > 0) {
      const before = await testCase.snapshot();
      const response = await testCase.send(Object.fromEntries(fields.map((field) => [field, payload])), index);
      if (response.status >= 500) {
        failures.add(payload, `${fields.join(', ')}: answered ${response.status}`);
        break;
      }
      if (ACCEPTED.has(response.status)) {
        accepted.push({ payload, response, fields });
        await testCase.after?.(response);
        break;
      }
      if (!REJECTED.has(response.status)) {
        failures.add(payload, `${fields.join(', ')}: unexpected status ${response.status}: ${JSON.stringify(response.body)}`);
        break;
      }
      const after = await testCase.snapshot();
      if (JSON.stringify(after) !== JSON.stringify(before)) failures.add(payload, `rejected with ${response.status} but something was written (${JSON.stringify(before)} -> ${JSON.stringify(after)})`);
      const named = fields.filter((field) => errorListsField(response.body, field));
      if (named.length === 0) {
        failures.add(payload, `rejected with ${response.status} without naming any of ${fields.join(', ')}: ${JSON.stringify(response.body)}`);
        break;
      }
      fields = fields.filter((field) => !named.includes(field));
    }
  }
  await inPool(accepted, 4, async (item) => {
    const { values, html, expected = {} } = await testCase.readBack(item);
    for (const field of item.fields) {
      const want = expected[field] ?? stored(item.payload);
      if (values[field] !== want) failures.add(item.payload, `${field} read back ${JSON.stringify(values[field])} instead of ${JSON.stringify(want)}`);
      const problem = html === undefined ? undefined : htmlShowsText(html, want);
      if (problem) failures.add(item.payload, `${field} on the record page: ${problem}`);
    }
  });
  failures.check();
  return accepted;
}

export interface FormCase {
  field: string;
  /** The input's id without `field-`, when a page has several forms with that field (default: field). */
  inputId?: string;
  post: (payload: string, index: number) => Promise<PageResponse>;
  snapshot: () => Promise<unknown>;
  /** The record's page after an accepted post (303); `expected` overrides the stored text to look for. */
  readBack: (response: PageResponse, payload: string) => Promise<{ html: string; value?: unknown; expected?: string; showsText?: boolean }>;
  /** Whether a re-rendered form keeps the typed value (then it must be there, escaped). */
  keepsValue: boolean;
  /** Runs once per string before the snapshot (e.g. to start a new record every so many strings). */
  prepare?: (index: number) => Promise<void>;
  after?: () => Promise<void>;
}

export async function throughForm(label: string, strings: readonly string[], testCase: FormCase): Promise<void> {
  const failures = new Failures(label);
  for (const [index, payload] of strings.entries()) {
    await testCase.prepare?.(index);
    const before = await testCase.snapshot();
    const response = await testCase.post(payload, index);
    const reflected = htmlReflectsRaw(response.html, payload);
    if (reflected) failures.add(payload, `answer ${response.status}: ${reflected}`);
    if (response.status >= 500) {
      failures.add(payload, `answered ${response.status}`);
    } else if (response.status === 303) {
      const { html, value, expected = stored(payload), showsText = true } = await testCase.readBack(response, payload);
      // A form sends '' for an untouched optional field: the server takes it as absent (null).
      const want = payload === '' ? null : expected;
      if (value !== undefined && value !== want) failures.add(payload, `stored ${JSON.stringify(value)} instead of ${JSON.stringify(want)}`);
      const problem = payload === '' ? undefined : showsText ? htmlShowsText(html, expected) : htmlReflectsRaw(html, payload);
      if (problem) failures.add(payload, `record page: ${problem}`);
      await testCase.after?.();
    } else if (REJECTED.has(response.status)) {
      const after = await testCase.snapshot();
      if (JSON.stringify(after) !== JSON.stringify(before)) failures.add(payload, `rejected with ${response.status} but something was written`);
      const named = response.html.includes(`href="#field-${testCase.inputId ?? testCase.field}"`) || (response.status === 409 && response.html.includes('role="alert"'));
      if (!named) failures.add(payload, `form re-rendered with ${response.status} without marking ${testCase.field}`);
      if (testCase.keepsValue && response.status === 422 && !response.html.includes(htmlEscapeSent(payload))) failures.add(payload, 'the re-rendered form lost the typed value');
    } else {
      failures.add(payload, `unexpected status ${response.status} (location ${response.location})`);
    }
  }
  failures.check();
}

/** How a re-rendered form shows what was typed: NFC at the edge, not trimmed, escaped. */
export function htmlEscapeSent(payload: string): string {
  return htmlEscape(payload.normalize('NFC'));
}
export const idFrom = (location: string | null) => Number(/\/(\d+)(?:[?#].*)?$/.exec(location ?? '')?.[1]);

/** One file of the sweep: a long timeout and its own fixtures. */
export function naughtyDescribe(part: string, body: () => void): void {
  describe(`Hostile input: the Big List of Naughty Strings through every text field, ${part} (${NAUGHTY_SWEEP_LABEL})`, function () {
    this.timeout(900_000);

    before(async function () {
      this.timeout(300_000);
      f = await fixtures();
    });

    body();
  });
}

// ------------------------------------------------------------------------------------------------
// Valid requests to put the payloads in, and records to send them to.

export const modelBody = (overrides: Record<string, unknown>) => ({
  title: 'Mô hình "Dân vận khéo" thử nghiệm', unitId: f.committee.department.id, year: 2024, fieldCode: f.fieldCode, kind: 'model',
  summary: 'Tóm tắt mô hình đủ dài để hợp lệ', ...overrides,
});
export const modelFormBody = (overrides: Record<string, string>) => ({
  title: 'Mô hình "Dân vận khéo" thử nghiệm', unitId: String(f.committee.department.id), year: '2024', fieldCode: f.fieldCode, kind: 'model',
  summary: 'Tóm tắt mô hình đủ dài để hợp lệ', ...overrides,
});
export const agencyToken = () => f.committee.agency.token;
export const secretaryToken = () => f.committee.secretary.token;

/** A model moved to "implementing", ready for any number of progress reports; a new one every 60 reports keeps its page small. */
export async function implementingModel(): Promise<number> {
  const created = await api('POST', '/models', { token: agencyToken(), body: modelBody({}) });
  const moved = await api('POST', `/models/${created.body.id}/reports`, { token: agencyToken(), body: { status: 'implementing', reportedOn: today, note: 'Bắt đầu triển khai' } });
  if (moved.status !== 201) throw new Error(JSON.stringify(moved.body));
  return created.body.id;
}

export async function submittedNomination(name: string): Promise<number> {
  return submitted(f.committee, individual(f.roundId, f.committee.department.id, { nomineeName: name }));
}

export const nextApproved = () => {
  const id = f.approvedPool[0];
  if (id === undefined) throw new Error('the pool of approved nominations ran dry');
  return id;
};
