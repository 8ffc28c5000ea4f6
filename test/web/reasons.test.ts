// Every rule that can refuse a request has a stable `reason` (server/reasons.ts, API.md Errors). The
// README's two tables list exactly those reasons, in the same order; each reason the JSON API can
// give is provoked once here, through the real API, with its status, code and reason (the field's
// reason and name for a 422), and a refused write is shown to have written nothing. The reasons the
// API cannot give are named at the end, each with why, so that list cannot grow unnoticed.
import { expect } from 'chai';
import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sheetXml, xlsxWithSheet } from '../../bench/lib/raw-xlsx.ts';
import { createApp } from '../../server/app.ts';
import { MAX_FILES_PER_NOMINATION } from '../../server/awards/dossier.ts';
import { nomineeKey } from '../../server/awards/names.ts';
import { PACKAGE_LIMITS } from '../../server/dossiers/policy.ts';
import type { CertificateRenderer } from '../../server/certificates/rendering/renderer.ts';
import { MAX_OPEN_JOBS } from '../../server/certificates/service.ts';
import { createRenderer, findBrowser } from '../../server/certificates/rendering/setup.ts';
import { IMPORT_COLUMNS, MAX_IMPORT_ROWS } from '../../server/models/import.ts';
import { FIELD_REASONS, REFUSAL_REASONS, type Reason } from '../../server/reasons.ts';
import { translate } from '../../server/web/i18n/index.ts';
import {
  approvedInClosedRound, closeRound, collective, createCommittee, decisionBody, inDays, individual, openRound, pdfBytes, rowCounts, submitted, uploadDossierFile, voteAll,
  type Committee,
} from '../support/awards.ts';
import { issueDecision, printerOf, type IssuedDecision } from '../support/certificates.ts';
import { ctx, db, testConfig } from '../support/context.ts';
import { approvedBelow, createLevels, forward, type Levels } from '../support/levels.ts';
import { createUnit, createUser, createUserWithToken, TEST_PASSWORD, uniqueSuffix } from '../support/factories.ts';
import { api, Browser, expectListedReasons, type ApiResponse } from '../support/http.ts';

// ------------------------------------------------------------------ helpers

/** Every table a request of the API writes to: a refused write leaves each count as it was. */
const WRITTEN_TABLES = [
  'units', 'users', 'models', 'model_reports', 'model_imports', 'model_code_counters', 'model_certificates',
  'award_rounds', 'nominations', 'nomination_models', 'nomination_files', 'nomination_file_contents', 'votes',
  'decisions', 'decision_counters', 'register_counters', 'certificates', 'certificate_reissues',
  'print_jobs', 'print_job_chunks', 'print_log', 'committee_members', 'recusals', 'audit_log',
] as const;

async function writesNothing<T>(send: () => Promise<T>, tables: readonly string[] = WRITTEN_TABLES): Promise<T> {
  const before = await rowCounts(tables);
  const answer = await send();
  expect(await rowCounts(tables), 'rows written by a refused request').to.deep.equal(before);
  return answer;
}

interface Refusal {
  status: number;
  code: string;
  reason: Reason;
  /** The field named in `details`: a 422's bad field, or the field of a duplicate (409). */
  field?: string;
}

function expectRefusal(answer: { status: number; body: any }, expected: Refusal): void {
  const seen = JSON.stringify(answer.body);
  expect(answer.status, seen).to.equal(expected.status);
  expect(answer.body?.error?.code, seen).to.equal(expected.code);
  expect(answer.body.error.message, seen).to.be.a('string').and.not.equal('');
  const details = ((answer.body.error.details ?? []) as { field: string; reason: string }[]).map(({ field, reason }) => ({ field, reason }));
  if (expected.status === 422) {
    expect(details, seen).to.deep.include({ field: expected.field, reason: expected.reason });
  } else {
    expect(answer.body.error.reason, seen).to.equal(expected.reason);
    if (expected.field) expect(details, seen).to.deep.include({ field: expected.field, reason: expected.reason });
  }
}

/** The reasons given an `it` here: one each (the last test checks the rest are named as unreachable). */
const provoked = new Set<Reason>();

function refuses(reason: Reason, title: string, test: (this: Mocha.Context) => Promise<void>): void {
  if (provoked.has(reason)) throw new Error(`${reason} is provoked twice`);
  provoked.add(reason);
  it(`${reason}: ${title}`, test);
}

/** Shared fixtures, made once on first use by whichever describe needs them first. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const randomAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

/** A JSON API call to another app than the shared one (see secondApp). */
async function apiAt(baseUrl: string, method: string, path: string, token: string): Promise<ApiResponse> {
  const response = await fetch(`${baseUrl}/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': randomAddress() } });
  const text = await response.text();
  const body = response.headers.get('content-type')?.includes('json') && text ? JSON.parse(text) : undefined;
  expectListedReasons(method, path, response.status, body);
  return { status: response.status, body, headers: response.headers };
}

/** A second app on the shared database, built differently (no Chromium, a small renderer, one import slot). */
async function secondApp(options: { renderer?: CertificateRenderer; env?: Record<string, string> } = {}) {
  const config = { ...testConfig(options.env), publicUrl: ctx().baseUrl };
  const server: Server = createServer(createApp({ config, db: db(), renderer: options.renderer }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A multipart upload to the API, as a browser sends it. */
async function upload(token: string, path: string, file: { name: string; content: Buffer; field?: string }, fields: Record<string, string> = {}, baseUrl = ctx().baseUrl): Promise<ApiResponse> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append(file.field ?? 'file', new Blob([new Uint8Array(file.content)]), file.name);
  const response = await fetch(`${baseUrl}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': randomAddress() }, body: form });
  const text = await response.text();
  const body = text ? JSON.parse(text) : undefined;
  expectListedReasons('POST', path, response.status, body);
  return { status: response.status, body, headers: response.headers };
}

const IMPORT_HEADER = IMPORT_COLUMNS.map((column) => column.header);

function importRow(unitCode: string, overrides: Partial<Record<(typeof IMPORT_COLUMNS)[number]['key'], string>> = {}): string[] {
  const values: Record<string, string> = {
    title: 'Dân vận khéo trong cải cách hành chính', unitCode, year: '2024', field: 'Cải cách hành chính', kind: 'Mô hình',
    summary: 'Niêm yết công khai thủ tục, hướng dẫn tận tình người dân đến làm việc.', ...overrides,
  };
  return IMPORT_COLUMNS.map((column) => values[column.key] ?? '');
}

const csv = (rows: string[][]) => Buffer.from(`\uFEFF${rows.map((cells) => cells.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',')).join('\r\n')}\r\n`, 'utf8');

/** An import upload whose body stays open (headers and a first part sent) until `finish`: it holds an import slot. */
function heldImport(baseUrl: string, token: string, fileName: string, content: Buffer) {
  const boundary = `dvk${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const req = httpRequest(`${baseUrl}/api/v1/models/import`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` } });
  let answeredEarly = false;
  const answered = new Promise<{ status: number; body: any }>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (response: IncomingMessage) => {
      answeredEarly = true;
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
    });
  });
  req.write(Buffer.concat([head, content.subarray(0, 10)]));
  return {
    /** Answered before its body was finished: it did not get a slot. */
    refused: () => answeredEarly,
    abandon: () => {
      answered.catch(() => undefined);
      req.destroy();
    },
    finish: () => {
      req.end(Buffer.concat([content.subarray(10), tail]));
      return answered;
    },
  };
}

function validModel(unitId: number, overrides: Record<string, unknown> = {}) {
  return {
    title: 'Dân vận khéo trong xây dựng đường giao thông nông thôn', unitId, year: 2024, fieldCode: 'nong_thon_moi', kind: 'model',
    summary: 'Vận động nhân dân hiến đất, góp công làm 12 km đường bê tông ấp Phước Hòa.', ...overrides,
  };
}

/** A model registered by the unit's staff and moved through the given statuses (by the admin where the committee must). */
async function modelIn(agencyToken: string, unitId: number, statuses: readonly string[], adminToken?: string) {
  const created = await api('POST', '/models', { token: agencyToken, body: validModel(unitId, { title: `Mô hình dân vận khéo ${uniqueSuffix()}` }) });
  if (created.status !== 201) throw new Error(`model not registered: ${JSON.stringify(created.body)}`);
  for (const status of statuses) {
    const token = status === 'recognized' || status === 'not_recognized' ? adminToken! : agencyToken;
    const moved = await api('POST', `/models/${created.body.id}/reports`, { token, body: { status, reportedOn: '2024-11-20', note: 'Báo cáo tiến độ định kỳ' } });
    if (moved.status !== 201) throw new Error(`model not moved to ${status}: ${JSON.stringify(moved.body)}`);
  }
  return created.body as { id: number; code: string; title: string };
}

// ------------------------------------------------------------------ shared fixtures

const adminUser = once(() => createUserWithToken({ role: 'admin', fullName: 'Quản trị hệ thống' }));

const modelUnit = once(async () => {
  const unit = await createUnit({ name: 'Ủy ban nhân dân xã Phước Hòa' });
  const agency = await createUserWithToken({ role: 'agency', unitId: unit.id, fullName: 'Cán bộ xã Phước Hòa' });
  return { unit, agency };
});

/** A province whose last member sits in the department (for own_unit_vote). */
const awardsCommittee = once(() => createCommittee({ memberInDepartment: true }));

/** Two decisions of one province: the first's first certificate revoked, the second's only certificate revoked. */
const certificateFixture = once(async () => {
  const committee = await createCommittee();
  const decision = await issueDecision(committee, [{ name: 'Phạm Thị Thu' }, { name: 'Đặng Văn Lâm', gender: 'male' }]);
  const allRevoked = await issueDecision(committee, [{ name: 'Huỳnh Thị Mai' }]);
  for (const certificate of [decision.certificates[0]!, allRevoked.certificates[0]!]) {
    const revoked = await api('POST', `/certificates/${certificate.id}/revoke`, { token: committee.secretary.token, body: { reason: 'Quyết định khen thưởng bị hủy' } });
    if (revoked.status !== 200) throw new Error(`not revoked: ${JSON.stringify(revoked.body)}`);
  }
  const printer = await printerOf(committee);
  return { committee, decision, allRevoked, printer, revoked: decision.certificates[0]!, valid: decision.certificates[1]! };
});

// ------------------------------------------------------------------ the README

function readmeReasons(heading: string): string[] {
  const lines = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').split('\n');
  const start = lines.findIndex((line) => line.startsWith(`| ${heading} |`));
  expect(start, `the README's table "${heading}"`).to.be.greaterThan(-1);
  expect(lines[start + 1], 'the table\'s separator row').to.match(/^\|-+\|/);
  const reasons: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const match = /^\|\s*`([^`]+)`\s*\|/.exec(line);
    expect(match, `a row without a backticked reason: ${line}`).to.not.equal(null);
    reasons.push(match![1]!);
  }
  return reasons;
}

describe('reasons: the README lists server/reasons.ts', () => {
  it('lists exactly the field reasons and the refusal reasons, in the same order', () => {
    expect(readmeReasons('Reason (on a field of a 422)')).to.deep.equal(Object.keys(FIELD_REASONS));
    expect(readmeReasons('Reason (on the error)')).to.deep.equal(Object.keys(REFUSAL_REASONS));
  });
});

// ------------------------------------------------------------------ 400

describe('reasons: 400 bad_request', function () {
  this.timeout(60_000);

  refuses('bad_request', 'a dossier upload whose file comes in a field the form does not have', async () => {
    const committee = await awardsCommittee();
    const round = await openRound(committee);
    const created = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id, { nomineeName: 'Trương Thị Hạnh' }) });
    const answer = await writesNothing(() => upload(committee.agency.token, `/nominations/${created.body.id}/files`, { name: 'to-trinh.pdf', content: pdfBytes(), field: 'tep' }, { kind: 'proposal' }));
    expectRefusal(answer, { status: 400, code: 'bad_request', reason: 'bad_request' });
    // A body that is not JSON at all is the same refusal, decided by the body parser.
    const { token } = await adminUser();
    const broken = await fetch(`${ctx().baseUrl}/api/v1/units`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"code": ' });
    expect(broken.status).to.equal(400);
    expect(((await broken.json()) as { error: { code: string; reason?: string } }).error).to.include({ code: 'bad_request', reason: 'bad_request' });
  });

  refuses('too_deep', 'a JSON body nested 40 levels deep', async () => {
    const { token } = await adminUser();
    let nested: unknown = 'Phòng Nội vụ';
    for (let i = 0; i < 40; i++) nested = [nested];
    const answer = await writesNothing(() => api('POST', '/units', { token, body: { code: `T${uniqueSuffix()}`, name: nested, kind: 'agency' } }));
    expectRefusal(answer, { status: 400, code: 'bad_request', reason: 'too_deep' });
  });
});

// ------------------------------------------------------------------ 401

describe('reasons: 401 unauthenticated', function () {
  this.timeout(60_000);

  refuses('login_failed', 'a token asked for with a wrong password', async () => {
    const user = await createUser({ role: 'member' });
    // The failure itself is counted (login_failures); no token, session or audit row is written.
    const answer = await writesNothing(() => api('POST', '/tokens', { body: { username: user.username, password: 'sai-mật-khẩu-rồi' }, address: randomAddress() }), [...WRITTEN_TABLES, 'api_tokens', 'sessions']);
    expectRefusal(answer, { status: 401, code: 'unauthenticated', reason: 'login_failed' });
  });
});

// ------------------------------------------------------------------ 403

describe('reasons: 403 forbidden', function () {
  this.timeout(60_000);
  let committee: Committee;
  before(async () => {
    committee = await awardsCommittee();
  });

  refuses('forbidden', 'a committee member opening an award round', async () => {
    const answer = await writesNothing(() => api('POST', '/award-rounds', {
      token: committee.members[0]!.token,
      body: { title: 'Khen thưởng phong trào thi đua năm 2025', year: 2025, awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId: committee.province.id, closesOn: inDays(10) },
    }));
    expectRefusal(answer, { status: 403, code: 'forbidden', reason: 'forbidden' });
  });

  refuses('not_on_committee', 'a province member voting in a round of the department below it', async () => {
    const round = await openRound(committee, { issuingUnitId: committee.department.id, title: 'Khen thưởng của Sở Giáo dục và Đào tạo năm 2025' });
    const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Trần Văn Bình' }));
    const answer = await writesNothing(() => api('POST', `/nominations/${id}/votes`, { token: committee.members[0]!.token, body: { vote: 'approve' } }));
    expectRefusal(answer, { status: 403, code: 'forbidden', reason: 'not_on_committee' });
  });

  refuses('own_unit_vote', 'a member of the department voting on its nomination', async () => {
    const round = await openRound(committee);
    const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Lý Thị Ngọc' }));
    const insider = committee.members[committee.members.length - 1]!;
    const answer = await writesNothing(() => api('POST', `/nominations/${id}/votes`, { token: insider.token, body: { vote: 'approve' } }));
    expectRefusal(answer, { status: 403, code: 'forbidden', reason: 'own_unit_vote' });
  });

  refuses('committee_only', 'a unit\'s staff recognising its own completed model', async () => {
    const { unit, agency } = await modelUnit();
    const model = await modelIn(agency.token, unit.id, ['implementing', 'completed']);
    const answer = await writesNothing(() => api('POST', `/models/${model.id}/reports`, { token: agency.token, body: { status: 'recognized', reportedOn: '2024-12-01', note: 'Đề nghị công nhận' } }));
    expectRefusal(answer, { status: 403, code: 'forbidden', reason: 'committee_only' });
  });

  refuses('forwarded_dossier', 'the school changing its nomination once the commune sent it up', async () => {
    const levels = await createLevels();
    const upperRound = await openRound(levels.upper);
    const { ids: [id] } = await approvedBelow(levels.lower, ['Lưu Thị Nga']);
    const twin = await forward(levels.lower.secretary.token, id!, upperRound.id);
    expect(twin.status).to.equal(201);
    expect((await api('POST', `/nominations/${twin.body.id}/return`, { token: levels.upper.secretary.token, body: { reason: 'Bổ sung xác nhận của Ủy ban nhân dân xã' } })).status).to.equal(200);
    const answer = await writesNothing(() => api('PATCH', `/nominations/${twin.body.id}`, { token: levels.lower.agency.token, body: { position: 'Hiệu trưởng' } }));
    expectRefusal(answer, { status: 403, code: 'forbidden', reason: 'forwarded_dossier' });
  });
});

// ------------------------------------------------------------------ 409

describe('reasons: 409 conflict', function () {
  this.timeout(60_000);

  describe('rounds and nominations', () => {
    let committee: Committee;
    before(async () => {
      committee = await awardsCommittee();
    });

    refuses('duplicate_nominee', 'the same person nominated twice in one round', async () => {
      const round = await openRound(committee);
      const body = individual(round.id, committee.department.id, { nomineeName: 'Lê Thị Hoa' });
      expect((await api('POST', '/nominations', { token: committee.agency.token, body })).status).to.equal(201);
      const answer = await writesNothing(() => api('POST', '/nominations', { token: committee.agency.token, body: { ...body, nomineeName: 'LÊ THỊ HOA' } }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'duplicate_nominee', field: 'nomineeName' });
    });

    refuses('round_closed', 'a nomination for a closed round', async () => {
      const round = await openRound(committee);
      await closeRound(committee, round.id);
      const answer = await writesNothing(() => api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id, { nomineeName: 'Đỗ Thị Xuân' }) }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'round_closed' });
    });

    refuses('round_past_closing', 'a nomination for an open round whose closing day has passed', async () => {
      const round = await openRound(committee);
      await db().updateTable('award_rounds').set({ closes_on: inDays(-1) }).where('id', '=', round.id).execute();
      const answer = await writesNothing(() => api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id, { nomineeName: 'Vũ Thị Hằng' }) }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'round_past_closing' });
    });

    refuses('round_not_closed', 'a decision in a round still open', async () => {
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Hoàng Văn Đức' }));
      await voteAll(committee, id, ['approve', 'approve']);
      const answer = await writesNothing(() => api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, [id]) }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'round_not_closed' });
    });

    refuses('round_still_open', 'closing a round still taking nominations without saying it is early', async () => {
      const round = await openRound(committee);
      const answer = await writesNothing(() => api('POST', `/award-rounds/${round.id}/close`, { token: committee.secretary.token }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'round_still_open' });
    });

    refuses('round_decided', 'reopening a round a decision names', async () => {
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Khúc Thị Yến' }));
      await voteAll(committee, id, ['approve', 'approve']);
      await closeRound(committee, round.id);
      expect((await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, [id]) })).status).to.equal(201);
      const answer = await writesNothing(() => api('POST', `/award-rounds/${round.id}/reopen`, { token: committee.secretary.token, body: { reason: 'Xét bổ sung' } }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'round_decided' });
    });

    refuses('recused', 'a vote from a member who stood aside on the nomination', async () => {
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Mẫn Văn Đông' }));
      expect((await api('POST', `/nominations/${id}/recusals`, { token: committee.members[0]!.token, body: { reason: 'Người thân trong gia đình' } })).status).to.equal(201);
      const answer = await writesNothing(() => api('POST', `/nominations/${id}/votes`, { token: committee.members[0]!.token, body: { vote: 'approve' } }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'recused' });
    });

    refuses('no_public_comment', 'publishing a round that has no public comment period', async () => {
      const round = await openRound(committee);
      const answer = await writesNothing(() => api('POST', `/award-rounds/${round.id}/publish`, { token: committee.secretary.token }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'no_public_comment' });
    });

    refuses('already_published', 'publishing a round a second time', async () => {
      const round = await openRound(committee, { publicComment: true });
      expect((await api('POST', `/award-rounds/${round.id}/publish`, { token: committee.secretary.token })).status).to.equal(200);
      const answer = await writesNothing(() => api('POST', `/award-rounds/${round.id}/publish`, { token: committee.secretary.token }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'already_published' });
    });

    refuses('not_editable', 'a change to a submitted nomination', async () => {
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Bùi Thị Thanh' }));
      const answer = await writesNothing(() => api('PATCH', `/nominations/${id}`, { token: committee.agency.token, body: { position: 'Trưởng phòng' } }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'not_editable' });
    });

    refuses('not_submitted', 'a vote on a nomination returned to its unit', async () => {
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Ngô Văn Thành' }));
      expect((await api('POST', `/nominations/${id}/return`, { token: committee.secretary.token, body: { reason: 'Thiếu biên bản họp xét' } })).status).to.equal(200);
      const answer = await writesNothing(() => api('POST', `/nominations/${id}/votes`, { token: committee.members[0]!.token, body: { vote: 'approve' } }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'not_submitted' });
    });

    refuses('too_many_files', `a dossier file beyond the ${MAX_FILES_PER_NOMINATION} a nomination holds`, async () => {
      const round = await openRound(committee);
      const created = await api('POST', '/nominations', { token: committee.agency.token, body: collective(round.id, committee.department.id, { nomineeName: 'Phòng Giáo dục Tiểu học' }) });
      for (let i = 1; i <= MAX_FILES_PER_NOMINATION; i++) {
        const stored = await uploadDossierFile(committee.agency.token, created.body.id, { name: `tai-lieu-${i}.pdf`, content: pdfBytes(`Tài liệu số ${i}`), kind: 'other' });
        expect(stored.status, JSON.stringify(stored.body)).to.equal(201);
      }
      const answer = await writesNothing(() => uploadDossierFile(committee.agency.token, created.body.id, { name: 'mot-nua.pdf', content: pdfBytes('Một tệp nữa'), kind: 'other' }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'too_many_files' });
    });
  });

  describe('forwarding up a level', () => {
    let levels: Levels;
    before(async () => {
      levels = await createLevels();
    });

    refuses('not_forwardable', 'sending up a nomination its committee has not approved', async () => {
      const upperRound = await openRound(levels.upper);
      const lowerRound = await openRound(levels.lower, { awardKind: 'giay_khen' });
      const id = await submitted(levels.lower, individual(lowerRound.id, levels.lower.department.id, { nomineeName: 'Trịnh Văn Lực' }));
      const answer = await writesNothing(() => forward(levels.lower.secretary.token, id, upperRound.id));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'not_forwardable' });
    });

    refuses('already_forwarded', 'sending up a nomination the body above already holds', async () => {
      const upperRound = await openRound(levels.upper);
      const { ids: [id] } = await approvedBelow(levels.lower, ['Phan Thị Mơ']);
      expect((await forward(levels.lower.secretary.token, id!, upperRound.id)).status).to.equal(201);
      const answer = await writesNothing(() => forward(levels.lower.secretary.token, id!, upperRound.id));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'already_forwarded' });
    });
  });

  describe('dossier packages', () => {
    refuses('package_too_large', `a round's package over ${PACKAGE_LIMITS.maxNominations} nominations`, async () => {
      const committee = await createCommittee();
      const round = await openRound(committee);
      // Straight into the table: 501 nominations through the API would cost a minute and prove nothing more.
      await db().insertInto('nominations').values(Array.from({ length: PACKAGE_LIMITS.maxNominations + 1 }, (_, i) => {
        const name = `Tập thể đề nghị số ${i + 1}`;
        return {
          round_id: round.id, unit_id: committee.department.id, nominee_kind: 'collective' as const, nominee_name: name, nominee_key: nomineeKey(name),
          achievement: 'Thành tích xuất sắc trong phong trào thi đua "Dân vận khéo"', status: 'submitted' as const, submitted_at: new Date(), created_by: committee.secretary.id,
        };
      })).execute();
      const answer = await writesNothing(() => api('GET', `/award-rounds/${round.id}/dossier.zip`, { token: committee.secretary.token }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'package_too_large' });
    });
  });

  describe('decisions', () => {
    let committee: Committee;
    let roundId: number;
    let ids: Record<string, number>;
    let rejectedId: number;
    let issuedNumber: number;
    before(async () => {
      committee = await createCommittee();
      const round = await openRound(committee);
      // Submitted without votes: rejected when the round closes.
      rejectedId = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Mai Văn Tuấn' }));
      ids = {};
      for (const name of ['Châu Thị Yến', 'Lâm Văn Phúc']) {
        ids[name] = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: name }));
        await voteAll(committee, ids[name]!, ['approve', 'approve']);
      }
      await closeRound(committee, round.id);
      roundId = round.id;
      issuedNumber = randomInt(100, 999_999);
      const first = await api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(roundId, [ids['Châu Thị Yến']!], { number: issuedNumber }) });
      expect(first.status, JSON.stringify(first.body)).to.equal(201);
    });

    refuses('not_approved', 'a decision over a nomination the committee rejected', async () => {
      const answer = await writesNothing(() => api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(roundId, [rejectedId]) }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'not_approved' });
    });

    refuses('decision_number_taken', 'a decision numbered like one the body already issued that year', async () => {
      const answer = await writesNothing(() => api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(roundId, [ids['Lâm Văn Phúc']!], { number: issuedNumber }) }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'decision_number_taken', field: 'number' });
    });
  });

  describe('models', () => {
    refuses('illegal_transition', 'a registered model reported completed without being implemented', async () => {
      const { unit, agency } = await modelUnit();
      const model = await modelIn(agency.token, unit.id, []);
      const answer = await writesNothing(() => api('POST', `/models/${model.id}/reports`, { token: agency.token, body: { status: 'completed', reportedOn: '2024-12-01', note: 'Đã hoàn thành' } }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'illegal_transition' });
    });

    refuses('model_recognized', 'an edit of a recognised model', async () => {
      const { unit, agency } = await modelUnit();
      const model = await modelIn(agency.token, unit.id, ['implementing', 'completed', 'recognized'], (await adminUser()).token);
      const answer = await writesNothing(() => api('PATCH', `/models/${model.id}`, { token: agency.token, body: { title: 'Tên khác sau khi được công nhận' } }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'model_recognized' });
    });
  });

  describe('units and users', () => {
    refuses('unit_code_taken', 'a new unit with the code of another', async () => {
      const { token } = await adminUser();
      const existing = await createUnit();
      const answer = await writesNothing(() => api('POST', '/units', { token, body: { code: existing.code, name: 'Phòng Tư pháp huyện', kind: 'agency' } }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'unit_code_taken', field: 'code' });
    });

    refuses('unit_cycle', 'a unit moved under its own child', async () => {
      const { token } = await adminUser();
      const parent = await createUnit({ kind: 'district', name: 'Huyện Phước Long (thử)' });
      const child = await createUnit({ kind: 'commune', parentId: parent.id, name: 'Xã Phước Tân (thử)' });
      const answer = await writesNothing(() => api('PUT', `/units/${parent.id}`, { token, body: { code: parent.code, name: parent.name, kind: parent.kind, parentId: child.id } }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'unit_cycle' });
    });

    refuses('username_taken', 'a new account with the username of another', async () => {
      const admin = await adminUser();
      const answer = await writesNothing(() => api('POST', '/users', {
        token: admin.token,
        body: { username: admin.username, password: 'Đồng-lúa-chín-vàng-bên-sông-Hậu-7391', fullName: 'Lê Thị Ngọc Trâm', role: 'agency', unitId: admin.unit_id },
      }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'username_taken', field: 'username' });
    });
  });

  describe('corrections, previews and the position warning', () => {
    let committee: Committee;
    before(async function () {
      this.timeout(60_000);
      committee = await createCommittee();
    });

    refuses('no_change', 'a correction that changes nothing on the certificate', async () => {
      const decision = await issueDecision(committee, [{ name: 'Lạc Thị Minh Châu' }]);
      const answer = await writesNothing(() => api('POST', `/certificates/${decision.certificates[0]!.id}/correct`, { token: committee.secretary.token, body: { recipientName: 'Lạc Thị Minh Châu', reason: 'Không có gì sai' } }));
      expectRefusal(answer, { status: 422, code: 'validation_failed', reason: 'no_change', field: 'body' });
    });

    refuses('certificate_replaced', 'correcting a certificate already replaced by its correction', async () => {
      const decision = await issueDecision(committee, [{ name: 'Mạc Văn Khoa', gender: 'male' }]);
      const id = decision.certificates[0]!.id;
      expect((await api('POST', `/certificates/${id}/correct`, { token: committee.secretary.token, body: { recipientName: 'Mạc Văn Khoa Học', reason: 'In sai tên' } })).status).to.equal(201);
      const answer = await writesNothing(() => api('POST', `/certificates/${id}/correct`, { token: committee.secretary.token, body: { recipientName: 'Mạc Khoa', reason: 'Sửa bản cũ' } }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'certificate_replaced' });
    });

    refuses('not_awaiting_decision', 'a preview of a nomination that is not approved', async () => {
      const round = await openRound(committee);
      const id = await submitted(committee, individual(round.id, committee.department.id, { nomineeName: 'Doãn Thị Hạnh' }));
      const answer = await writesNothing(() => api('GET', `/award-rounds/${round.id}/preview.pdf?nominationIds=${id}`, { token: committee.secretary.token }));
      expectRefusal(answer, { status: 422, code: 'validation_failed', reason: 'not_awaiting_decision', field: 'nominationIds' });
    });

    refuses('position_repeats_unit', 'a position holding the unit\'s name, not confirmed', async () => {
      const round = await openRound(committee);
      const body = individual(round.id, committee.department.id, { nomineeName: 'Tăng Văn Phú', position: 'Phó Giám đốc Sở Giáo dục và Đào tạo' });
      const answer = await writesNothing(() => api('POST', '/nominations', { token: committee.agency.token, body }));
      expectRefusal(answer, { status: 422, code: 'validation_failed', reason: 'position_repeats_unit', field: 'positionRepeatsUnit' });
    });
  });

  describe('certificates and print jobs', () => {
    let fixture: Awaited<ReturnType<typeof certificateFixture>>;
    before(async () => {
      fixture = await certificateFixture();
    });

    refuses('certificate_revoked', 'revoking a certificate already revoked', async () => {
      const answer = await writesNothing(() => api('POST', `/certificates/${fixture.revoked.id}/revoke`, { token: fixture.committee.secretary.token, body: { reason: 'Thu hồi lần thứ hai' } }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'certificate_revoked' });
    });

    refuses('revoked_not_printed', 'recording a print of a revoked certificate', async () => {
      const answer = await writesNothing(() => api('POST', `/certificates/${fixture.revoked.id}/print-log`, { token: fixture.printer.token, body: { mode: 'full' } }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'revoked_not_printed' });
    });

    refuses('all_revoked', 'a print job for a decision whose every certificate is revoked', async () => {
      const answer = await writesNothing(() => api('POST', `/decisions/${fixture.allRevoked.id}/print-jobs`, { token: fixture.printer.token, body: {} }));
      expectRefusal(answer, { status: 409, code: 'conflict', reason: 'all_revoked' });
    });

    refuses('job_not_done', 'the file of a print job still queued', async () => {
      // Queued without a queue entry: no worker takes it.
      const job = await db().insertInto('print_jobs').values({ decision_id: fixture.decision.id, mode: 'full', total: 1, created_by: fixture.printer.id }).returning('id').executeTakeFirstOrThrow();
      try {
        const answer = await writesNothing(() => api('GET', `/print-jobs/${job.id}/file`, { token: fixture.printer.token }));
        expectRefusal(answer, { status: 409, code: 'conflict', reason: 'job_not_done' });
      } finally {
        await db().updateTable('print_jobs').set({ status: 'failed' }).where('id', '=', job.id).execute();
      }
    });

    refuses('serial_range', 'a print job onto blank forms whose last serial comes before the first', async () => {
      const answer = await writesNothing(() => api('POST', `/decisions/${fixture.decision.id}/print-jobs`, { token: fixture.printer.token, body: { mode: 'overlay', blankSerialFrom: 'AG-000124', blankSerialTo: 'AG-000123' } }));
      expectRefusal(answer, { status: 422, code: 'validation_failed', reason: 'serial_range', field: 'blankSerialTo' });
    });

    refuses('serial_count', 'a print job onto blank forms naming more forms than it prints', async () => {
      const answer = await writesNothing(() => api('POST', `/decisions/${fixture.decision.id}/print-jobs`, { token: fixture.printer.token, body: { mode: 'overlay', blankSerialFrom: 'AG-000001', blankSerialTo: 'AG-009999' } }));
      expectRefusal(answer, { status: 422, code: 'validation_failed', reason: 'serial_count', field: 'blankSerialTo' });
    });
  });
});

// ------------------------------------------------------------------ 422

describe('reasons: 422 validation_failed, by field', function () {
  this.timeout(60_000);
  const unitBody = (overrides: Record<string, unknown>) => ({ code: `T${uniqueSuffix()}`, name: 'Phòng Văn hóa và Thông tin', kind: 'agency', ...overrides });

  describe('a new unit', () => {
    let token: string;
    before(async () => {
      token = (await adminUser()).token;
    });
    const cases: [Reason, string, Record<string, unknown>, string][] = [
      ['required', 'without a name', { name: undefined }, 'name'],
      ['invalid', 'whose name is a number', { name: 12345 }, 'name'],
      ['invalid_format', 'whose code has spaces and marks', { code: 'mã sai!' }, 'code'],
      ['invalid_characters', 'whose name holds a control character', { name: 'Phòng\u0007Nội vụ' }, 'name'],
      ['invalid_date', 'in force from 30/02/2024', { validFrom: '30/02/2024' }, 'validFrom'],
      ['date_out_of_range', 'in force from 1900', { validFrom: '1900-01-01' }, 'validFrom'],
      ['date_order', 'ending before it began', { validFrom: '2024-05-01', validTo: '2024-01-01' }, 'validTo'],
      ['too_short', 'named with one letter', { name: 'Á' }, 'name'],
      ['too_long', 'named with 201 letters', { name: 'Đ'.repeat(201) }, 'name'],
      ['not_allowed_value', 'of a kind that does not exist', { kind: 'thành_phố' }, 'kind'],
      ['unknown_field', 'with a field units do not have', { status: 'active' }, 'status'],
    ];
    for (const [reason, title, overrides, field] of cases) {
      refuses(reason, `a new unit ${title}`, async () => {
        const answer = await writesNothing(() => api('POST', '/units', { token, body: unitBody(overrides) }));
        expectRefusal(answer, { status: 422, code: 'validation_failed', reason, field });
      });
    }
  });

  describe('a new model', () => {
    let unit: Awaited<ReturnType<typeof modelUnit>>['unit'];
    let token: string;
    before(async () => {
      ({ unit, agency: { token } } = await modelUnit());
    });
    const cases: [Reason, string, Record<string, unknown>, string][] = [
      ['not_a_number', 'of the year "hai nghìn"', { year: 'hai nghìn' }, 'year'],
      ['not_an_integer', 'of the year 2024.5', { year: 2024.5 }, 'year'],
      ['too_small', 'of the year 1999', { year: 1999 }, 'year'],
      ['too_large', 'of the year 9999', { year: 9999 }, 'year'],
      ['unknown_reference', 'in a field that does not exist', { fieldCode: 'khong_co_linh_vuc_nay' }, 'fieldCode'],
    ];
    for (const [reason, title, overrides, field] of cases) {
      refuses(reason, `a new model ${title}`, async () => {
        const answer = await writesNothing(() => api('POST', '/models', { token, body: validModel(unit.id, overrides) }));
        expectRefusal(answer, { status: 422, code: 'validation_failed', reason, field });
      });
    }

    refuses('not_an_object', 'a model sent as a JSON array', async () => {
      const answer = await writesNothing(() => api('POST', '/models', { token, body: [validModel(unit.id)] }));
      expectRefusal(answer, { status: 422, code: 'validation_failed', reason: 'not_an_object', field: 'body' });
    });

    refuses('unit_ended', 'a new model for a unit that ended in the 2025 mergers', async () => {
      const successor = await createUnit({ parentId: unit.id, name: 'Ủy ban nhân dân xã Phước Hòa mới' });
      const ended = await createUnit({ parentId: unit.id, name: 'Ủy ban nhân dân xã Phước Lợi (cũ)', validTo: '2025-06-30', successorId: successor.id });
      const answer = await writesNothing(() => api('POST', '/models', { token, body: validModel(ended.id, { year: 2025 }) }));
      expectRefusal(answer, { status: 422, code: 'validation_failed', reason: 'unit_ended', field: 'unitId' });
    });

    refuses('invalid_cursor', 'a list cursor that is not one of ours', async () => {
      const answer = await writesNothing(() => api('GET', `/models?cursor=${encodeURIComponent('không phải con trỏ')}`, { token }));
      expectRefusal(answer, { status: 422, code: 'validation_failed', reason: 'invalid_cursor', field: 'cursor' });
    });
  });

  describe('a new account', () => {
    refuses('password_weak', 'a password holding the username', async () => {
      const admin = await adminUser();
      const username = `lan${uniqueSuffix().toLowerCase()}`;
      const answer = await writesNothing(() => api('POST', '/users', { token: admin.token, body: { username, password: `${username}-Huế-2025`, fullName: 'Nguyễn Thị Lan', role: 'agency', unitId: admin.unit_id } }));
      expectRefusal(answer, { status: 422, code: 'validation_failed', reason: 'password_weak', field: 'password' });
    });
  });

  describe('one\'s own password', () => {
    refuses('password_wrong', 'a change of one\'s own password with a wrong current password', async () => {
      const user = await createUserWithToken({ role: 'member' });
      const answer = await writesNothing(() => api('POST', '/me/password', { token: user.token, body: { currentPassword: 'không phải mật khẩu này', newPassword: 'Ruộng lúa chín vàng 2026' } }));
      expectRefusal(answer, { status: 422, code: 'validation_failed', reason: 'password_wrong', field: 'currentPassword' });
    });
  });

  describe('a decision', () => {
    refuses('not_in_round', 'a decision naming a nomination of another round', async () => {
      const committee = await createCommittee();
      const { round, ids } = await approvedInClosedRound(committee, [{ name: 'Tạ Thị Kim Oanh', kind: 'individual' }]);
      const other = await openRound(committee);
      const elsewhere = await submitted(committee, individual(other.id, committee.department.id, { nomineeName: 'Quách Văn Sơn' }));
      const answer = await writesNothing(() => api('POST', '/decisions', { token: committee.secretary.token, body: decisionBody(round.id, [ids['Tạ Thị Kim Oanh']!, elsewhere]) }));
      expectRefusal(answer, { status: 422, code: 'validation_failed', reason: 'not_in_round', field: 'nominationIds' });
    });
  });

  refuses('not_a_member', 'a committee list naming an agency account', async () => {
    const committee = await createCommittee();
    const answer = await writesNothing(() => api('PUT', `/units/${committee.province.id}/committee`, { token: committee.secretary.token, body: { members: [committee.members[0]!.id, committee.agency.id] } }));
    expectRefusal(answer, { status: 422, code: 'validation_failed', reason: 'not_a_member', field: 'members.1' });
  });

  refuses('date_in_past', 'a round opened with a closing date already past', async () => {
    const committee = await createCommittee();
    const answer = await writesNothing(() => api('POST', '/award-rounds', {
      token: committee.secretary.token,
      body: { title: 'Khen thưởng phong trào thi đua năm 2025', year: 2025, awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId: committee.province.id, closesOn: inDays(-2) },
    }));
    expectRefusal(answer, { status: 422, code: 'validation_failed', reason: 'date_in_past', field: 'closesOn' });
  });

  refuses('dossier_incomplete', 'a nomination submitted without the documents its award kind requires', async () => {
    const committee = await createCommittee();
    const round = await openRound(committee);
    const created = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id, { nomineeName: 'Kha Thị Ngọc' }) });
    expect(created.status).to.equal(201);
    const answer = await writesNothing(() => api('POST', `/nominations/${created.body.id}/submit`, { token: committee.agency.token }));
    expectRefusal(answer, { status: 422, code: 'validation_failed', reason: 'dossier_incomplete', field: 'files.minutes' });
    expect(answer.body.error.details.map((d: { field: string }) => d.field)).to.deep.equal(['files.proposal', 'files.minutes', 'files.achievement_report']);
  });

  refuses('not_above', 'a commune sending a nomination to a round of its own body', async () => {
    const levels = await createLevels();
    const ownRound = await openRound(levels.lower, { awardKind: 'giay_khen' });
    const { ids: [id] } = await approvedBelow(levels.lower, ['Tạ Văn Sơn']);
    const answer = await writesNothing(() => forward(levels.lower.secretary.token, id!, ownRound.id));
    expectRefusal(answer, { status: 422, code: 'validation_failed', reason: 'not_above', field: 'roundId' });
  });

  describe('a dossier file', () => {
    let committee: Committee;
    let nominationId: number;
    before(async () => {
      committee = await awardsCommittee();
      const round = await openRound(committee);
      const created = await api('POST', '/nominations', { token: committee.agency.token, body: individual(round.id, committee.department.id, { nomineeName: 'Dương Thị Thủy' }) });
      nominationId = created.body.id;
    });

    refuses('file_missing', 'the upload form sent without its file', async () => {
      const form = new FormData();
      form.append('kind', 'minutes');
      const path = `/nominations/${nominationId}/files`;
      const answer = await writesNothing(async () => {
        const response = await fetch(`${ctx().baseUrl}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${committee.agency.token}` }, body: form });
        const body = await response.json();
        expectListedReasons('POST', path, response.status, body);
        return { status: response.status, body };
      });
      expectRefusal(answer, { status: 422, code: 'validation_failed', reason: 'file_missing', field: 'file' });
    });

    refuses('file_type', 'a text file as a dossier file', async () => {
      const answer = await writesNothing(() => uploadDossierFile(committee.agency.token, nominationId, { name: 'ghi-chu.txt', content: Buffer.from('Ghi chú của đơn vị'), type: 'text/plain' }));
      expectRefusal(answer, { status: 422, code: 'validation_failed', reason: 'file_type', field: 'file' });
    });
  });

  describe('a model import', () => {
    let token: string;
    let unitCode: string;
    before(async () => {
      const { unit, agency } = await modelUnit();
      token = agency.token;
      unitCode = unit.code;
    });
    const importOf = (name: string, content: Buffer) => writesNothing(() => upload(token, '/models/import', { name, content }));
    /** A file refused as a whole: the reason is on the error and on its one detail, `file`. */
    const expectFileRefused = (answer: ApiResponse, reason: Reason) => {
      expectRefusal(answer, { status: 422, code: 'validation_failed', reason, field: 'file' });
      expect(answer.body.error.reason).to.equal(reason);
    };

    refuses('unsupported_type', 'a PDF as an import', async () => {
      expectFileRefused(await importOf('danh-sach.pdf', pdfBytes()), 'unsupported_type');
    });

    refuses('unreadable', 'an .xlsx that is not a spreadsheet', async () => {
      expectFileRefused(await importOf('danh-sach.xlsx', Buffer.from('Đây không phải là một tệp Excel.')), 'unreadable');
    });

    refuses('empty', 'a .csv with its header and no row', async () => {
      expectFileRefused(await importOf('danh-sach.csv', csv([IMPORT_HEADER])), 'empty');
    });

    refuses('missing_columns', 'a .csv without the unit code column', async () => {
      const without = (cells: string[]) => cells.filter((_, index) => IMPORT_COLUMNS[index]!.key !== 'unitCode');
      expectFileRefused(await importOf('danh-sach.csv', csv([without(IMPORT_HEADER), without(importRow(unitCode))])), 'missing_columns');
    });

    refuses('too_many_rows', `a .csv of ${MAX_IMPORT_ROWS + 1} rows`, async () => {
      expectFileRefused(await importOf('qua-nhieu.csv', csv([IMPORT_HEADER, ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, () => ['x'])])), 'too_many_rows');
    });

    refuses('uncompressed_too_large', 'an .xlsx that declares 200 MB once unpacked', async () => {
      expectFileRefused(await importOf('qua-lon.xlsx', xlsxWithSheet(sheetXml([IMPORT_HEADER]), 200 * 1024 * 1024)), 'uncompressed_too_large');
    });

    refuses('invalid_value', 'an import row whose year is words', async () => {
      const answer = await importOf('danh-sach.csv', csv([IMPORT_HEADER, importRow(unitCode, { year: 'hai nghìn' })]));
      expectRefusal(answer, { status: 422, code: 'validation_failed', reason: 'invalid_value', field: 'rows[2].year' });
    });

    refuses('unknown_value', 'an import row naming a unit that does not exist', async () => {
      const answer = await importOf('danh-sach.csv', csv([IMPORT_HEADER, importRow(`KHONGCO${uniqueSuffix()}`)]));
      expectRefusal(answer, { status: 422, code: 'validation_failed', reason: 'unknown_value', field: 'rows[2].unitCode' });
    });
  });
});

// ------------------------------------------------------------------ 429

describe('reasons: 429 rate_limited', function () {
  this.timeout(60_000);

  refuses('rate_limited', 'a 31st verification within a minute from one address', async () => {
    const address = randomAddress();
    const code = randomBytes(16).toString('base64url'); // unknown codes count too
    for (let i = 0; i < 30; i++) expect((await api('GET', `/verify/${code}`, { address })).status, `request ${i + 1}`).to.equal(404);
    const answer = await writesNothing(() => api('GET', `/verify/${code}`, { address }));
    expectRefusal(answer, { status: 429, code: 'rate_limited', reason: 'rate_limited' });
    expect(Number(answer.headers.get('retry-after'))).to.be.within(1, 60);
  });

  refuses('login_throttled', 'a login to an account that failed too often from elsewhere', async () => {
    const user = await createUser({ role: 'member' });
    const { maxPerAccount } = ctx().config.loginThrottle;
    await db().insertInto('login_failures').values(Array.from({ length: maxPerAccount }, () => ({ username: user.username, ip: randomAddress() }))).execute();
    const answer = await writesNothing(
      () => api('POST', '/tokens', { body: { username: user.username, password: TEST_PASSWORD }, address: randomAddress() }),
      [...WRITTEN_TABLES, 'login_failures', 'api_tokens'],
    );
    expectRefusal(answer, { status: 429, code: 'rate_limited', reason: 'login_throttled' });
    expect(Number(answer.headers.get('retry-after'))).to.be.greaterThan(0);
  });

  refuses('print_queue_full', `a print job while ${MAX_OPEN_JOBS} of the body's jobs wait`, async () => {
    const fixture = await certificateFixture();
    // Open jobs without a queue entry: no worker takes them.
    const filler = await db()
      .insertInto('print_jobs')
      .values(Array.from({ length: MAX_OPEN_JOBS }, () => ({ decision_id: fixture.decision.id, mode: 'full', total: 1, created_by: fixture.printer.id })))
      .returning('id')
      .execute();
    try {
      const answer = await writesNothing(() => api('POST', `/decisions/${fixture.decision.id}/print-jobs`, { token: fixture.printer.token, body: {} }));
      expectRefusal(answer, { status: 429, code: 'rate_limited', reason: 'print_queue_full' });
    } finally {
      await db().updateTable('print_jobs').set({ status: 'failed' }).where('id', 'in', filler.map((row) => row.id)).execute();
    }
  });

  refuses('import_busy', 'an import while the one import slot of the process is held', async () => {
    const { unit, agency } = await modelUnit();
    const app = await secondApp({ env: { IMPORT_CONCURRENCY: '1' } });
    try {
      await writesNothing(async () => {
        // Held open with a file that is refused once finished (no unit code column): nothing is imported.
        const content = csv([IMPORT_HEADER.slice(2), importRow(unit.code).slice(2)]);
        let held = heldImport(app.baseUrl, agency.token, 'giu-cho.csv', content);
        await sleep(300);
        for (let attempt = 0; held.refused() && attempt < 5; attempt++) {
          held.abandon();
          held = heldImport(app.baseUrl, agency.token, 'giu-cho.csv', content);
          await sleep(300);
        }
        // The held upload has the slot once its token is checked; a probe that still found it free is refused as a PDF.
        const probe = () => upload(agency.token, '/models/import', { name: 'tham-do.pdf', content: pdfBytes() }, {}, app.baseUrl);
        let answer = await probe();
        for (const until = Date.now() + 10_000; answer.status !== 429 && Date.now() < until; ) {
          await sleep(100);
          answer = await probe();
        }
        expectRefusal(answer, { status: 429, code: 'rate_limited', reason: 'import_busy' });
        expect(Number(answer.headers.get('retry-after'))).to.be.greaterThan(0);
        expect((await held.finish()).status).to.equal(422);
      });
    } finally {
      await app.close();
    }
  });
});

// ------------------------------------------------------------------ 503

describe('reasons: 503 unavailable', function () {
  this.timeout(90_000);
  let fixture: IssuedDecision & { printerToken: string; certificateId: number };
  before(async () => {
    const made = await certificateFixture();
    fixture = { ...made.decision, printerToken: made.printer.token, certificateId: made.valid.id };
  });

  refuses('no_browser', 'a certificate PDF from an app without Chromium', async () => {
    const app = await secondApp();
    try {
      const answer = await writesNothing(() => apiAt(app.baseUrl, 'GET', `/certificates/${fixture.certificateId}.pdf`, fixture.printerToken));
      expectRefusal(answer, { status: 503, code: 'internal', reason: 'no_browser' });
    } finally {
      await app.close();
    }
  });

  refuses('renderer_busy', 'certificate PDFs asked for at once from a renderer of one page and no queue', async () => {
    const executablePath = await findBrowser(ctx().config.chromiumPath);
    if (!executablePath) throw new Error('no Chromium');
    const renderer = createRenderer(executablePath, { concurrency: 1, queueLimit: 0 });
    const app = await secondApp({ renderer });
    try {
      // The first to reach the renderer holds its one page while Chromium starts; the others find it full.
      const answers = await writesNothing(() => Promise.all(Array.from({ length: 4 }, () => apiAt(app.baseUrl, 'GET', `/certificates/${fixture.certificateId}.pdf`, fixture.printerToken))));
      expect(answers.map((answer) => answer.status).sort(), 'one PDF, the rest refused').to.include(200).and.include(503);
      for (const answer of answers.filter((a) => a.status !== 200)) expectRefusal(answer, { status: 503, code: 'rate_limited', reason: 'renderer_busy' });
    } finally {
      await app.close();
      await renderer.close();
    }
  });
});

// ------------------------------------------------------------------ the rest

/**
 * The reasons no test here provokes through the JSON API, and why. A new reason must be provoked
 * above or named here: the test below fails otherwise.
 */
const NOT_PROVOKED_HERE: Partial<Record<Reason, string>> = {
  // Each API route checks the caller's role with requireRole (server/auth/guards.ts) before the
  // service's policy can name the rule, so the API answers these 403s with reason `forbidden`
  // (the 403 itself: test/awards/rounds.test.ts, nominations.test.ts, votes.test.ts,
  // decisions.test.ts, dossier.test.ts, test/certificates/access.test.ts, reissue-revoke.test.ts).
  secretary_only: 'guarded by requireRole(secretary, admin) on every round, return and decision route: 403 forbidden first',
  agency_only: 'guarded by requireRole(agency, admin) on every nomination write route: 403 forbidden first',
  members_only: 'guarded by requireRole(member) on POST /nominations/:id/votes: 403 forbidden first',
  printers_only: 'guarded by requireRole(printer, secretary, admin) on every print route: 403 forbidden first',
  revoke_secretary_only: 'guarded by requireRole(secretary, admin) on POST /certificates/:id/revoke: 403 forbidden first',
  // An agency sees exactly the nominations of its own units (awards/viewer.ts), the same test as
  // canEdit's: another unit's nomination answers 404 (test/awards/nominations.test.ts, "answers 404
  // to an agency of another department on GET, PATCH and submit").
  not_your_unit: 'a nomination outside the caller\'s units is invisible: 404 before the rule',
  // multer's limit is the same 10 MB: a larger upload is 413 payload_too_large before the service
  // looks at it (test/awards/dossier.test.ts, "refuses a file over 10 MB with 413").
  file_too_large: 'the upload limit answers 413 payload_too_large first',
  // Given only when an identical import claimed at the same moment vanishes (a race of two
  // transactions); test/models/import-limits.test.ts sends identical imports at once.
  conflict: 'needs two transactions racing on one import',
  // Only the page GET /models/:id/certificate.pdf prints a model certificate: no JSON route. Its
  // page answer (409 and the message) is checked below.
  model_not_recognized: 'no JSON route: checked through its page below',
  // The API takes a unit by its id only; a name is typed into the unit picker of a page form
  // (server/units/picker.ts), which test/units/picker.test.ts drives.
  ambiguous_reference: 'only the page forms take a unit by name: test/units/picker.test.ts',
  // The emblem is uploaded on the administrator's print-layouts page only (a multipart form, no JSON
  // route): test/certificates/form.test.ts posts a hostile SVG and a GIF there, and
  // test/unit/certificates/emblem-check.test.ts runs the check on many files.
  emblem_type: 'no JSON route: test/certificates/form.test.ts, test/unit/certificates/emblem-check.test.ts',
  // A signing session's upload needs a PDF signed by a test certificate over the exact bytes served
  // once: test/signatures/token-signing.test.ts provokes each through the API, writing nothing.
  // Scoring needs a criteria set, a completed model and a committee: test/evaluation/criteria.test.ts
  // provokes each through the API and checks that nothing is written.
  not_unique: 'test/evaluation/criteria.test.ts (a criterion code twice)',
  own_unit_score: 'test/evaluation/criteria.test.ts (a member of the model\'s department)',
  evaluation_closed: 'test/evaluation/criteria.test.ts (a set whose window has closed)',
  evaluation_submitted: 'test/evaluation/criteria.test.ts (scores changed after submitting)',
  signature_invalid: 'test/signatures/token-signing.test.ts (a tampered, unsigned or extended file)',
  not_same_document: 'test/signatures/token-signing.test.ts (another document signed)',
  signing_link_used: 'test/signatures/token-signing.test.ts (a second fetch, a second upload)',
  signing_link_expired: 'test/signatures/token-signing.test.ts (a session past its 30 minutes)',
  emblem_unsafe: 'no JSON route: test/certificates/form.test.ts, test/unit/certificates/emblem-check.test.ts',
};

describe('reasons: the ones not provoked through the API', function () {
  this.timeout(60_000);

  it('model_not_recognized: the model certificate page of a model not recognised answers 409 with the rule', async () => {
    const { unit, agency } = await modelUnit();
    const model = await modelIn(agency.token, unit.id, ['implementing']);
    const admin = await createUser({ role: 'admin' });
    const browser = new Browser();
    expect((await browser.login(admin.username, TEST_PASSWORD)).status).to.equal(303);
    const page = await writesNothing(() => browser.get(`/models/${model.id}/certificate.pdf`));
    expect(page.status).to.equal(409);
    expect(page.html).to.include(translate('vi', 'certificates.modelNotRecognized'));
  });

  it('names exactly the reasons not provoked above, each with why', () => {
    const all = [...Object.keys(FIELD_REASONS), ...Object.keys(REFUSAL_REASONS)] as Reason[];
    const rest = all.filter((reason) => !provoked.has(reason));
    expect(rest.sort()).to.deep.equal(Object.keys(NOT_PROVOKED_HERE).sort());
    for (const reason of [...provoked]) expect(all, `${reason} is not in server/reasons.ts`).to.include(reason);
  });
});
