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
import { expect } from 'chai';
import { nomineeKey } from '../../server/awards/names.ts';
import { todayInVietnam, formatDate } from '../../server/web/i18n/index.ts';
import { createCommittee, inDays, individual, openRound, submitted, type Committee } from '../support/awards.ts';
import { ctx, db } from '../support/context.ts';
import { createUnit, createUser, createUserWithToken, TEST_PASSWORD, uniqueSuffix } from '../support/factories.ts';
import { api, Browser, type ApiResponse, type PageResponse } from '../support/http.ts';
import { countRows, errorListsField, escapeHtml as htmlEscape, Failures, htmlReflectsRaw, htmlShowsText, inPool, NAUGHTY_SWEEP as SWEEP, NAUGHTY_SWEEP_LABEL, naughtySample, signedIn, stored } from '../support/security.ts';

const SAMPLE = naughtySample(60);
const ACCEPTED = new Set([200, 201]);
const REJECTED = new Set([400, 409, 422]);
const today = todayInVietnam();

interface Fixtures {
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

let f: Fixtures;

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
  const closed = await api('POST', `/award-rounds/${decided.id}/close`, { token: committee.secretary.token });
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

interface Accepted {
  payload: string;
  response: ApiResponse;
  /** The fields that held the payload in the accepted write. */
  fields: string[];
}

interface ApiCase {
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
async function throughApi(label: string, strings: readonly string[], testCase: ApiCase): Promise<Accepted[]> {
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

interface FormCase {
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

async function throughForm(label: string, strings: readonly string[], testCase: FormCase): Promise<void> {
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
function htmlEscapeSent(payload: string): string {
  return htmlEscape(payload.normalize('NFC'));
}
const idFrom = (location: string | null) => Number(/\/(\d+)(?:[?#].*)?$/.exec(location ?? '')?.[1]);

// ------------------------------------------------------------------------------------------------

describe(`Hostile input: the Big List of Naughty Strings through every text field (${NAUGHTY_SWEEP_LABEL})`, function () {
  this.timeout(900_000);

  before(async function () {
    this.timeout(300_000);
    f = await fixtures();
    // Under a heavily loaded machine, a client reusing a keep-alive socket the server is just closing gets
    // ECONNRESET; a longer server-side keep-alive removes that race for these long request loops.
    ctx().server.keepAliveTimeout = 120_000;
  });

  const modelBody = (overrides: Record<string, unknown>) => ({
    title: 'Mô hình "Dân vận khéo" thử nghiệm', unitId: f.committee.department.id, year: 2024, fieldCode: f.fieldCode, kind: 'model',
    summary: 'Tóm tắt mô hình đủ dài để hợp lệ', ...overrides,
  });
  const modelFormBody = (overrides: Record<string, string>) => ({
    title: 'Mô hình "Dân vận khéo" thử nghiệm', unitId: String(f.committee.department.id), year: '2024', fieldCode: f.fieldCode, kind: 'model',
    summary: 'Tóm tắt mô hình đủ dài để hợp lệ', ...overrides,
  });
  const agencyToken = () => f.committee.agency.token;
  const secretaryToken = () => f.committee.secretary.token;

  /** A model moved to "implementing", ready for any number of progress reports; a new one every 60 reports keeps its page small. */
  async function implementingModel(): Promise<number> {
    const created = await api('POST', '/models', { token: agencyToken(), body: modelBody({}) });
    const moved = await api('POST', `/models/${created.body.id}/reports`, { token: agencyToken(), body: { status: 'implementing', reportedOn: today, note: 'Bắt đầu triển khai' } });
    if (moved.status !== 201) throw new Error(JSON.stringify(moved.body));
    return created.body.id;
  }

  async function submittedNomination(name: string): Promise<number> {
    return submitted(f.committee, individual(f.roundId, f.committee.department.id, { nomineeName: name }));
  }

  const nextApproved = () => {
    const id = f.approvedPool[0];
    if (id === undefined) throw new Error('the pool of approved nominations ran dry');
    return id;
  };

  describe(`JSON API (${SWEEP.length} strings per field)`, () => {
    it('POST /api/v1/units (admin): name', async () => {
      const accepted = await throughApi('unit name', SWEEP, {
        fields: ['name'],
        send: (values) => api('POST', '/units', { token: f.admin.token, body: { code: `N${uniqueSuffix()}`, kind: 'agency', parentId: f.adminUnit.id, ...values } }),
        snapshot: () => countRows('units', { parent_id: f.adminUnit.id }),
        readBack: async ({ response }) => {
          const unit = await api('GET', `/units/${response.body.id}`, { token: f.admin.token });
          return { values: { name: unit.body.name }, html: (await f.browsers.admin.get(`/admin/units/${response.body.id}/edit`)).html };
        },
      });
      expect(accepted.length).to.be.greaterThan(SWEEP.length / 2);
    });

    it('PATCH /api/v1/users/:id (admin): fullName', async () => {
      // Creating a user hashes its password with scrypt at full strength: the create path gets the
      // sample below; here each string edits its own user (made by the factory).
      const targets: number[] = [];
      for (let i = 0; i < SWEEP.length; i++) targets.push((await createUser({ role: 'agency', unitId: f.adminUnit.id })).id);
      let target = 0;
      await throughApi('user fullName (edit)', SWEEP, {
        fields: ['fullName'],
        prepare: async (index) => { target = targets[index]!; },
        send: (values) => api('PATCH', `/users/${target}`, { token: f.admin.token, body: values }),
        snapshot: () => db().selectFrom('users').select(['full_name', 'updated_at']).where('id', '=', target).executeTakeFirstOrThrow()
          .then(async (row) => ({ ...row, audit: await countRows('audit_log', { entity_type: 'user', entity_id: String(target) }) })),
        readBack: async ({ response }) => {
          const user = await api('GET', `/users/${response.body.id}`, { token: f.admin.token });
          return { values: { fullName: user.body.fullName }, html: (await f.browsers.admin.get(`/admin/users/${response.body.id}/edit`)).html };
        },
      });
    });

    it(`POST /api/v1/users (admin): fullName (${SAMPLE.length} strings)`, async () => {
      await throughApi('user fullName (create)', SAMPLE, {
        fields: ['fullName'],
        send: (values) => api('POST', '/users', { token: f.admin.token, body: { username: `n${uniqueSuffix().toLowerCase()}`, password: TEST_PASSWORD, role: 'agency', unitId: f.adminUnit.id, ...values } }),
        snapshot: () => countRows('users', { unit_id: f.adminUnit.id }),
        readBack: async ({ response }) => {
          const user = await api('GET', `/users/${response.body.id}`, { token: f.admin.token });
          return { values: { fullName: user.body.fullName }, html: (await f.browsers.admin.get(`/admin/users/${response.body.id}/edit`)).html };
        },
      });
    });

    const MODEL_FIELDS = ['title', 'summary', 'goals', 'participants', 'contact'] as const;
    const titled = new Map<string, number>();
    it(`POST /api/v1/models: ${MODEL_FIELDS.join(', ')}`, async () => {
      const unit = await createUnit({ parentId: f.committee.department.id, name: 'Phòng thử mô hình' });
      const accepted = await throughApi('model fields', SWEEP, {
        fields: MODEL_FIELDS,
        send: (values) => api('POST', '/models', { token: agencyToken(), body: modelBody({ unitId: unit.id, ...values }) }),
        snapshot: () => countRows('models', { unit_id: unit.id }),
        readBack: async ({ response }) => {
          const model = await api('GET', `/models/${response.body.id}`, { token: agencyToken() });
          return { values: model.body, html: (await f.browsers.agency.get(`/models/${response.body.id}`)).html };
        },
      });
      for (const item of accepted) if (item.fields.includes('title')) titled.set(stored(item.payload), item.response.body.id);
      expect(accepted.filter((item) => item.fields.length === MODEL_FIELDS.length).length).to.be.greaterThan(SWEEP.length / 3);
    });

    it('GET /api/v1/models?q= finds each model by its whole title, or refuses the query with 422 on q', async () => {
      const failures = new Failures('model search q');
      const before = await countRows('models');
      await inPool(SWEEP, 4, async (payload) => {
        const params = { q: payload, unitId: String(f.committee.department.id), limit: '200' };
        const response = await api('GET', `/models?${new URLSearchParams(params)}`, { token: agencyToken() });
        if (response.status === 200) {
          const id = titled.get(stored(payload));
          // The search is by words (punctuation is a space): "--1" finds every model with a word
          // starting with 1, so the model may be on a later page.
          let page = response;
          while (id !== undefined && !page.body.items.some((item: { id: number }) => item.id === id) && page.body.nextCursor) {
            page = await api('GET', `/models?${new URLSearchParams({ ...params, cursor: page.body.nextCursor })}`, { token: agencyToken() });
          }
          if (id !== undefined && !page.body.items.some((item: { id: number }) => item.id === id)) failures.add(payload, 'the model with this exact title is not found');
        } else if (response.status === 422) {
          if (!errorListsField(response.body, 'q')) failures.add(payload, `422 without naming q: ${JSON.stringify(response.body)}`);
        } else failures.add(payload, `answered ${response.status}`);
      });
      expect(await countRows('models')).to.equal(before);
      failures.check();
    });

    it('POST /api/v1/models/:id/reports: note', async () => {
      // One model takes 60 reports (implementing -> implementing), so its page stays small.
      let modelId = 0;
      const batches = new Map<number, Promise<{ json: ApiResponse; html: string }>>();
      await throughApi('progress report note', SWEEP, {
        fields: ['note'],
        prepare: async (index) => { if (index % 60 === 0) modelId = await implementingModel(); },
        send: (values) => api('POST', `/models/${modelId}/reports`, { token: agencyToken(), body: { status: 'implementing', reportedOn: today, ...values } }),
        snapshot: () => countRows('model_reports', { model_id: modelId }),
        readBack: async ({ response }) => {
          const id = response.body.modelId ?? (await db().selectFrom('model_reports').select('model_id').where('id', '=', response.body.id).executeTakeFirstOrThrow()).model_id;
          if (!batches.has(id)) batches.set(id, (async () => ({ json: await api('GET', `/models/${id}`, { token: agencyToken() }), html: (await f.browsers.agency.get(`/models/${id}`)).html }))());
          const { json, html } = await batches.get(id)!;
          return { values: { note: json.body.reports.find((r: { id: number }) => r.id === response.body.id)?.note }, html };
        },
      });
    });

    it('POST /api/v1/award-rounds: title', async () => {
      await throughApi('round title', SWEEP, {
        fields: ['title'],
        send: (values) => api('POST', '/award-rounds', { token: secretaryToken(), body: { year: 2025, awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId: f.committee.province.id, closesOn: inDays(10), ...values } }),
        snapshot: () => countRows('award_rounds', { issuing_unit_id: f.committee.province.id }),
        readBack: async ({ response }) => {
          const round = await api('GET', `/award-rounds/${response.body.id}`, { token: secretaryToken() });
          return { values: { title: round.body.title }, html: (await f.browsers.secretary.get(`/awards/${response.body.id}`)).html };
        },
      });
    });

    it('POST /api/v1/nominations: nomineeName, position, achievement', async () => {
      const round = await openRound(f.committee, { title: 'Đợt thử đề nghị với chuỗi độc' });
      await throughApi('nomination fields', SWEEP, {
        fields: ['nomineeName', 'position', 'achievement'],
        send: (values, index) => api('POST', '/nominations', { token: agencyToken(), body: individual(round.id, f.committee.department.id, { nomineeName: `Người đề nghị số ${index}`, ...values }) }),
        snapshot: () => countRows('nominations', { round_id: round.id }),
        readBack: async ({ response }) => {
          const nomination = await api('GET', `/nominations/${response.body.id}`, { token: agencyToken() });
          return { values: nomination.body, html: (await f.browsers.agency.get(`/nominations/${response.body.id}`)).html };
        },
      });
    });

    it('POST /api/v1/nominations/:id/votes (member): comment', async () => {
      const nominationId = await submittedNomination('Người được bỏ phiếu');
      const member = f.committee.members[0]!;
      await throughApi('vote comment', SWEEP, {
        fields: ['comment'],
        send: (values) => api('POST', `/nominations/${nominationId}/votes`, { token: member.token, body: { vote: 'approve', ...values } }),
        snapshot: async () => ({
          vote: await db().selectFrom('votes').select(['comment', 'voted_at']).where('nomination_id', '=', nominationId).executeTakeFirst(),
          audit: await countRows('audit_log', { entity_type: 'nomination', entity_id: String(nominationId) }),
        }),
        // Each vote replaces the last: read it back (the answer is the row RETURNING) and the page before the next string.
        after: async (response) => {
          pendingVotePages.set(response, (await f.browsers.secretary.get(`/nominations/${nominationId}`)).html);
        },
        readBack: async ({ response }) => ({ values: { comment: response.body.comment }, html: pendingVotePages.get(response) }),
      });
    });
    const pendingVotePages = new Map<ApiResponse, string>();

    it('POST /api/v1/nominations/:id/return (secretary): reason', async () => {
      // One submitted nomination per string (written straight into the table, like the factories do).
      const names = SWEEP.map((_, i) => `Người được trả lại số ${i}`);
      const rows = await db().insertInto('nominations').values(names.map((name) => ({
        round_id: f.roundId, unit_id: f.committee.department.id, nominee_kind: 'collective', nominee_name: name, nominee_key: nomineeKey(name),
        achievement: 'Thành tích xuất sắc trong phong trào thi đua', status: 'submitted', submitted_at: new Date(), created_by: f.committee.agency.id,
      }))).returning('id').execute();
      let nominationId = 0;
      await throughApi('return reason', SWEEP, {
        fields: ['reason'],
        prepare: async (index) => { nominationId = rows[index]!.id; },
        send: (values) => api('POST', `/nominations/${nominationId}/return`, { token: secretaryToken(), body: values }),
        snapshot: async () => ({
          row: await db().selectFrom('nominations').select(['status', 'return_reason', 'updated_at']).where('id', '=', nominationId).executeTakeFirst(),
          audit: await countRows('audit_log', { entity_type: 'nomination', entity_id: String(nominationId) }),
        }),
        readBack: async ({ response }) => {
          const nomination = await api('GET', `/nominations/${response.body.id}`, { token: agencyToken() });
          return { values: { reason: nomination.body.returnReason }, html: (await f.browsers.agency.get(`/nominations/${response.body.id}`)).html };
        },
      });
    });

    it('POST /api/v1/decisions (secretary): signerName, signerTitle, number', async () => {
      await throughApi('decision fields', SWEEP, {
        fields: ['signerName', 'signerTitle', 'number'],
        send: async (values) => {
          const response = await api('POST', '/decisions', {
            token: secretaryToken(),
            body: { roundId: f.decidedRoundId, signedOn: today, signerName: 'Nguyễn Văn Bình', signerTitle: 'KT. Chủ tịch / Phó Chủ tịch', nominationIds: [nextApproved()], ...values },
          });
          if (response.status === 201) f.approvedPool.shift();
          return response;
        },
        snapshot: () => countRows('decisions', { round_id: f.decidedRoundId }),
        readBack: async ({ response, payload }) => {
          const decision = await api('GET', `/decisions/${response.body.id}`, { token: secretaryToken() });
          const html = (await f.browsers.secretary.get(`/decisions/${response.body.id}`)).html;
          // A number without a symbol takes the round's ("QĐ-UBND").
          const sent = stored(payload);
          return { values: decision.body, html, expected: { number: sent.includes('/') ? sent : `${sent}/QĐ-UBND` } };
        },
      });
    });

    it('POST /api/v1/certificates/:id/reissue: reason', async () => {
      let certificateId = 0;
      const pages = new Map<number, Promise<string>>();
      await throughApi('reissue reason', SWEEP, {
        fields: ['reason'],
        prepare: async (index) => { if (index % 60 === 0) certificateId = f.certificates.pop()!; },
        send: (values) => api('POST', `/certificates/${certificateId}/reissue`, { token: secretaryToken(), body: values }),
        snapshot: () => countRows('certificate_reissues', { certificate_id: certificateId }),
        readBack: async ({ response }) => {
          // The answer is built from the insert's RETURNING; the page lists every reissue of the certificate.
          const id = response.body.id as number;
          if (!pages.has(id)) pages.set(id, f.browsers.secretary.get(`/certificates/${id}`).then((page) => page.html));
          return { values: { reason: response.body.reason }, html: await pages.get(id)! };
        },
      });
    });

    it('POST /api/v1/certificates/:id/revoke: reason', async () => {
      let certificateId = 0;
      const failures = new Failures('revoke reason (page)');
      await throughApi('revoke reason', SWEEP, {
        fields: ['reason'],
        prepare: async () => { certificateId = f.certificates[f.certificates.length - 1]!; },
        send: (values) => api('POST', `/certificates/${certificateId}/revoke`, { token: secretaryToken(), body: values }),
        snapshot: () => countRows('certificates', { status: 'revoked', issuing_unit_id: f.committee.province.id }),
        after: async () => { f.certificates.pop(); },
        readBack: async ({ response, payload }) => {
          const row = await db().selectFrom('certificates').select(['revoke_reason', 'status']).where('id', '=', response.body.id).executeTakeFirstOrThrow();
          // The certificate page shows the status, not the reason: it must only not reflect it raw.
          const raw = htmlReflectsRaw((await f.browsers.secretary.get(`/certificates/${response.body.id}`)).html, payload);
          if (raw) failures.add(payload, raw);
          return { values: { reason: row.status === 'revoked' && row.revoke_reason === response.body.reason ? row.revoke_reason : `JSON ${JSON.stringify(response.body.reason)} / row ${JSON.stringify(row)}` } };
        },
      });
      failures.check();
    });

    it('GET /api/v1/verify/:code and /verify/:code: never 5xx, never reflected', async () => {
      const failures = new Failures('verify code');
      await inPool(SWEEP, 4, async (payload) => {
        const path = `/verify/${encodeURIComponent(payload)}`;
        const json = await api('GET', path);
        if (![400, 404, 422].includes(json.status)) failures.add(payload, `API answered ${json.status}`);
        const page = await new Browser().get(path); // a fresh address each time: the verify limiter allows 30 a minute
        if (![400, 404].includes(page.status)) failures.add(payload, `page answered ${page.status}`);
        const raw = htmlReflectsRaw(page.html, payload);
        if (raw) failures.add(payload, raw);
      });
      failures.check();
    });
  });

  describe('error pages never reflect a payload unescaped', () => {
    // Every string for the model page, the search box and an unknown anonymous path; the sample for the other pages.
    for (const [label, path, who, strings] of [
      ['GET /models/<payload> (signed in)', (p: string) => `/models/${p}`, 'agency', SWEEP],
      ['GET /models?q=<payload> (signed in)', (p: string) => `/models?q=${p}`, 'agency', SWEEP],
      ['GET /<payload> (anonymous)', (p: string) => `/${p}`, 'anonymous', SWEEP],
      ['GET /nominations/<payload> (signed in)', (p: string) => `/nominations/${p}`, 'agency', SAMPLE],
      ['GET /awards/<payload> (signed in)', (p: string) => `/awards/${p}`, 'secretary', SAMPLE],
      ['GET /decisions/<payload> (signed in)', (p: string) => `/decisions/${p}`, 'secretary', SAMPLE],
      ['GET /verify/<payload> (anonymous)', (p: string) => `/verify/${p}`, 'anonymous', SAMPLE],
    ] as const) {
      it(`${label}: ${strings.length} strings`, async () => {
        const failures = new Failures(label);
        await inPool(strings, 4, async (payload) => {
          const browser = who === 'anonymous' ? new Browser() : f.browsers[who];
          const page = await browser.get(path(encodeURIComponent(payload)));
          if (page.status >= 500) failures.add(payload, `answered ${page.status}`);
          const raw = htmlReflectsRaw(page.html, payload);
          if (raw) failures.add(payload, `${page.status}: ${raw}`);
          if (label.includes('?q=') && page.status === 200 && stored(payload) !== '' && !page.html.includes(htmlEscape(stored(payload)))) {
            failures.add(payload, 'the search box does not show the escaped (trimmed) query');
          }
        });
        failures.check();
      });
    }

    it('GET /api/v1/models/<payload>: JSON errors, never 5xx', async () => {
      const failures = new Failures('API path');
      await inPool(SWEEP, 4, async (payload) => {
        const response = await api('GET', `/models/${encodeURIComponent(payload)}`, { token: agencyToken() });
        if (response.status >= 500) failures.add(payload, `answered ${response.status}`);
        else if (response.status !== 200 && !(response.headers.get('content-type') ?? '').startsWith('application/json')) failures.add(payload, `${response.status} not JSON`);
      });
      failures.check();
    });
  });

  describe(`HTML forms (a sample of ${SAMPLE.length} strings per field)`, () => {
    it('POST /admin/units: name', async () => {
      let code = '';
      await throughForm('unit form name', SAMPLE, {
        field: 'name', keepsValue: true,
        post: (payload) => {
          code = `F${uniqueSuffix()}`;
          return f.browsers.admin.post('/admin/units', { code, name: payload, kind: 'agency', parentId: String(f.adminUnit.id) });
        },
        snapshot: () => countRows('units', { parent_id: f.adminUnit.id }),
        readBack: async () => {
          const unit = await db().selectFrom('units').select(['id', 'name']).where('code', '=', code).executeTakeFirstOrThrow();
          return { value: unit.name, html: (await f.browsers.admin.get(`/admin/units/${unit.id}/edit`)).html };
        },
      });
    });

    it('POST /admin/users: fullName', async () => {
      let username = '';
      await throughForm('user form fullName', SAMPLE, {
        field: 'fullName', keepsValue: true,
        post: (payload) => {
          username = `h${uniqueSuffix().toLowerCase()}`;
          return f.browsers.admin.post('/admin/users', { username, password: TEST_PASSWORD, fullName: payload, role: 'agency', unitId: String(f.adminUnit.id), language: 'vi' });
        },
        snapshot: () => countRows('users', { unit_id: f.adminUnit.id }),
        readBack: async () => {
          const user = await db().selectFrom('users').select(['id', 'full_name']).where('username', '=', username).executeTakeFirstOrThrow();
          return { value: user.full_name, html: (await f.browsers.admin.get(`/admin/users/${user.id}/edit`)).html };
        },
      });
    });

    for (const field of ['title', 'summary', 'goals', 'participants', 'contact'] as const) {
      it(`POST /models: ${field}`, async () => {
        await throughForm(`model form ${field}`, SAMPLE, {
          field, keepsValue: true,
          post: (payload) => f.browsers.agency.post('/models', modelFormBody({ [field]: payload })),
          snapshot: () => countRows('models', { unit_id: f.committee.department.id }),
          readBack: async (response) => {
            const id = idFrom(response.location);
            const row = await db().selectFrom('models').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
            return { value: row[field], html: (await f.browsers.agency.get(`/models/${id}`)).html };
          },
        });
      });
    }

    it('POST /models/:id/reports: note', async () => {
      let modelId = 0;
      await throughForm('report form note', SAMPLE, {
        field: 'note', keepsValue: true,
        prepare: async (index) => {
          if (index % 30 === 0) modelId = await implementingModel();
        },
        post: async (payload) => {
          return f.browsers.agency.post(`/models/${modelId}/reports`, { status: 'implementing', reportedOn: formatDate(today), note: payload });
        },
        snapshot: () => countRows('model_reports', { model_id: modelId }),
        readBack: async () => {
          const row = await db().selectFrom('model_reports').select('note').where('model_id', '=', modelId).orderBy('id', 'desc').executeTakeFirstOrThrow();
          return { value: row.note, html: (await f.browsers.agency.get(`/models/${modelId}`)).html };
        },
      });
    });

    it('POST /awards: round title', async () => {
      await throughForm('round form title', SAMPLE, {
        field: 'title', keepsValue: true,
        post: (payload) => f.browsers.secretary.post('/awards', {
          title: payload, year: '2025', awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId: String(f.committee.province.id), closesOn: formatDate(inDays(10)), quorum: '2/3', approval: 'more_than_half', decisionSuffix: 'QĐ-UBND',
        }),
        snapshot: () => countRows('award_rounds', { issuing_unit_id: f.committee.province.id }),
        readBack: async (response) => {
          const id = idFrom(response.location);
          const row = await db().selectFrom('award_rounds').select('title').where('id', '=', id).executeTakeFirstOrThrow();
          return { value: row.title, html: (await f.browsers.secretary.get(`/awards/${id}`)).html };
        },
      });
    });

    for (const field of ['nomineeName', 'position', 'achievement'] as const) {
      it(`POST /awards/:id/nominations: ${field}`, async () => {
        const column = { nomineeName: 'nominee_name', position: 'position', achievement: 'achievement' } as const;
        await throughForm(`nomination form ${field}`, SAMPLE, {
          field, keepsValue: true,
          post: (payload, index) => f.browsers.agency.post(`/awards/${f.roundId}/nominations`, {
            roundId: String(f.roundId), nomineeKind: 'individual', unitId: String(f.committee.department.id), nomineeName: `Người đề nghị qua biểu mẫu ${field} ${index}`, position: 'Chuyên viên',
            gender: 'female', birthYear: '1985', achievement: 'Thành tích xuất sắc trong công tác dân vận năm 2025', [field]: payload,
          }),
          snapshot: () => countRows('nominations', { round_id: f.roundId }),
          readBack: async (response) => {
            const id = idFrom(response.location);
            const row = await db().selectFrom('nominations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
            return { value: row[column[field]], html: (await f.browsers.agency.get(`/nominations/${id}`)).html };
          },
        });
      });
    }

    it('POST /nominations/:id/votes: comment', async () => {
      const nominationId = await submittedNomination('Người được bỏ phiếu qua biểu mẫu');
      await f.browsers.member.get(`/nominations/${nominationId}`);
      await throughForm('vote form comment', SAMPLE, {
        field: 'comment', keepsValue: true,
        post: (payload) => f.browsers.member.post(`/nominations/${nominationId}/votes`, { vote: 'approve', comment: payload }),
        snapshot: async () => ({
          vote: await db().selectFrom('votes').select(['comment', 'voted_at']).where('nomination_id', '=', nominationId).executeTakeFirst(),
          audit: await countRows('audit_log', { entity_type: 'nomination', entity_id: String(nominationId) }),
        }),
        readBack: async () => {
          const row = await db().selectFrom('votes').select('comment').where('nomination_id', '=', nominationId).executeTakeFirstOrThrow();
          return { value: row.comment, html: (await f.browsers.secretary.get(`/nominations/${nominationId}`)).html };
        },
      });
    });

    it('POST /nominations/:id/return: reason', async () => {
      const nominationId = await submittedNomination('Người bị trả lại qua biểu mẫu');
      await throughForm('return form reason', SAMPLE, {
        field: 'reason', keepsValue: true,
        post: (payload) => f.browsers.secretary.post(`/nominations/${nominationId}/return`, { reason: payload }),
        snapshot: async () => ({
          row: await db().selectFrom('nominations').select(['status', 'return_reason', 'updated_at']).where('id', '=', nominationId).executeTakeFirst(),
          audit: await countRows('audit_log', { entity_type: 'nomination', entity_id: String(nominationId) }),
        }),
        readBack: async () => {
          const row = await db().selectFrom('nominations').select('return_reason').where('id', '=', nominationId).executeTakeFirstOrThrow();
          return { value: row.return_reason, html: (await f.browsers.agency.get(`/nominations/${nominationId}`)).html };
        },
        after: async () => {
          const again = await api('POST', `/nominations/${nominationId}/submit`, { token: agencyToken() });
          if (again.status !== 200) throw new Error(`resubmit failed: ${JSON.stringify(again.body)}`);
        },
      });
    });

    for (const field of ['signerName', 'signerTitle', 'number'] as const) {
      it(`POST /awards/:id/decisions: ${field}`, async () => {
        await f.browsers.secretary.get(`/awards/${f.decidedRoundId}`);
        const column = { signerName: 'signer_name', signerTitle: 'signer_title', number: 'number_text' } as const;
        await throughForm(`decision form ${field}`, SAMPLE, {
          field, keepsValue: true,
          post: async (payload) => {
            const response = await f.browsers.secretary.post(`/awards/${f.decidedRoundId}/decisions`, {
              roundId: String(f.decidedRoundId), signedOn: formatDate(today), signerName: 'Nguyễn Văn Bình', signerTitle: 'Chủ tịch', nominationIds: String(nextApproved()), [field]: payload,
            });
            if (response.status === 303) f.approvedPool.shift();
            return response;
          },
          snapshot: () => countRows('decisions', { round_id: f.decidedRoundId }),
          readBack: async (response, payload) => {
            const id = idFrom(response.location);
            const row = await db().selectFrom('decisions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
            const sent = stored(payload);
            const expected = field === 'number' && !sent.includes('/') ? `${sent}/QĐ-UBND` : sent;
            // An empty number field means "the next number": nothing typed to compare.
            return { value: field === 'number' && payload === '' ? undefined : row[column[field]], expected, html: (await f.browsers.secretary.get(`/decisions/${id}`)).html };
          },
        });
      });
    }

    it('POST /certificates/:id/reissue: reason', async () => {
      let certificateId = 0;
      await throughForm('reissue form reason', SAMPLE, {
        field: 'reason', inputId: 'reissue-reason', keepsValue: false,
        prepare: async (index) => {
          if (index % 30 === 0) certificateId = f.certificates.pop()!;
        },
        post: async (payload) => {
          return f.browsers.secretary.post(`/certificates/${certificateId}/reissue`, { reason: payload });
        },
        snapshot: () => countRows('certificate_reissues', { certificate_id: certificateId }),
        readBack: async () => {
          const row = await db().selectFrom('certificate_reissues').select('reason').where('certificate_id', '=', certificateId).orderBy('copy_number', 'desc').executeTakeFirstOrThrow();
          return { value: row.reason, html: (await f.browsers.secretary.get(`/certificates/${certificateId}`)).html };
        },
      });
    });

    it('POST /certificates/:id/revoke: reason', async () => {
      let certificateId = 0;
      await throughForm('revoke form reason', SAMPLE, {
        field: 'reason', inputId: 'revoke-reason', keepsValue: false,
        post: async (payload) => {
          certificateId = f.certificates[f.certificates.length - 1]!;
          return f.browsers.secretary.post(`/certificates/${certificateId}/revoke`, { reason: payload });
        },
        snapshot: () => countRows('certificates', { status: 'revoked', issuing_unit_id: f.committee.province.id }),
        readBack: async () => {
          f.certificates.pop();
          const row = await db().selectFrom('certificates').select('revoke_reason').where('id', '=', certificateId).executeTakeFirstOrThrow();
          // The page shows the status, not the reason: it must only not reflect it raw.
          return { value: row.revoke_reason, html: (await f.browsers.secretary.get(`/certificates/${certificateId}`)).html, showsText: false };
        },
      });
    });
  });
});
