// Authorization matrix (issue 7, SECURITY.md): every role (and anonymous) x every route of the API
// and the pages that reads or writes a unit-owned record x the record's unit being the user's own,
// a child of it, or an unrelated one. The table below has one row per route with the expected status
// per role and relation; one `it` is generated per cell.
//
// Statuses: 401 for an anonymous API call, 303 to /login for an anonymous page; 403 for a role the
// route is not for; 404 for a record outside the caller's units (invisible, not forbidden). A body
// that *references* an invisible unit or round (creating a round for it, a decision on its round,
// importing a row for it) is a 422 naming that field: there is no record to hide, the reference is
// simply unknown (error.unknown_reference).
//
// Every user sits in the unit P, which sits under the province A; "own" records belong to P, "child"
// records to the department D under P, "other" records to the unrelated province X, "above" records
// to A, "sibling" records to the commune S beside P under A. Award records follow the same rule: a round or decision of the relation's unit; a nomination
// of the relation's unit, in P's round (own, child), X's round (other), A's round (above) or S's
// round (sibling), so that
// P's committee (secretary, member, printer) is the body it goes to for own and child. A body above
// one's unit is never acted for (404): its rounds are seen (to take part), its nominations only by
// its committee (a member of P sits on A's committee), its certificates only those of one's own units.
// Rows that change a record's state (submit, return, close, publish, decide, revoke) get a fresh
// record per cell, so no cell depends on the order of the others.
//
// Not in the table: the multipart page forms (import, dossier upload: the API rows cover the same
// service calls; the emblem upload: test/certificates/form.test.ts) and the page PDF of a certificate, the page preview of a round's certificates and page
// print-job creation (same service calls as their API rows; each costs a Chromium render or a queued job).
import { expect } from 'chai';
import { nomineeKey } from '../../server/awards/names.ts';
import { todayInVietnam, formatDate } from '../../server/web/i18n/index.ts';
import { attachRequiredFiles, EARLY_CLOSE, inDays, seatOnCommittee } from '../support/awards.ts';
import { ctx, db } from '../support/context.ts';
import { createUnit, createUser, createUserWithToken, TEST_PASSWORD, uniqueSuffix } from '../support/factories.ts';
import { api, Browser } from '../support/http.ts';
import { signedIn } from '../support/security.ts';

const ROLES = ['admin', 'agency', 'secretary', 'member', 'printer', 'anonymous'] as const;
const RELATIONS = ['own', 'child', 'other', 'above', 'sibling'] as const;
type Role = (typeof ROLES)[number];
type SignedInRole = Exclude<Role, 'anonymous'>;
type Relation = (typeof RELATIONS)[number];

/**
 * One status for every relation, or one per relation [own, child, other, above] with the sibling as
 * the unrelated unit (a body beside one's own is no more one's business than another province), or
 * [own, child, other, above, sibling] where the sibling differs (a body above acting on it).
 */
type Cell = number | readonly [number, number, number, number] | readonly [number, number, number, number, number];
const SCOPED = [200, 200, 404, 404] as const;

interface Records {
  unitId: number;
  unitCode: string;
  modelId: number;
  /** An evidence file of the marker model. */
  modelFileId: number;
  modelCode: string;
  /** A nomination submitted to its committee, with one dossier file. */
  submittedId: number;
  fileId: number;
  /** A draft, editable by its unit. */
  draftId: number;
  /** The open round the relation's nominations go to (P's for own and child, X's for other). */
  nominationRoundId: number;
  /** An open round issued by the relation's unit. */
  roundId: number;
  decisionId: number;
  /** A criteria set of the relation's unit as a body (issue 21). */
  criteriaSetId: number;
  certificateId: number;
  /** A finished print job of the decision, with its file. */
  printJobId: number;
  /** A user of the relation's unit (for the admin routes). */
  userId: number;
  /** A notification of that user: nobody else's, whatever their role or unit. */
  notificationId: number;
}

interface Fixture {
  units: Record<'A' | 'P' | 'D' | 'X' | 'S', { id: number; code: string; name: string; kind: string; parent_id: number | null; block_code: string | null }>;
  users: Record<SignedInRole, { id: number; username: string; password: string; token: string }>;
  browsers: Record<Role, Browser>;
  records: Record<Relation, Records>;
  fieldCode: string;
}

let fx: Fixture;
const today = todayInVietnam();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

// ------------------------------------------------------------------------------------------------
// Records, made straight in the tables where going through the API would only cost time.

const unitOf = (rel: Relation) => ({ own: fx.units.P, child: fx.units.D, other: fx.units.X, above: fx.units.A, sibling: fx.units.S })[rel];
const adminToken = () => fx.users.admin.token;

async function insertRound(issuingUnitId: number, options: { status?: 'open' | 'closed'; publicComment?: boolean } = {}): Promise<number> {
  const row = await db()
    .insertInto('award_rounds')
    .values({
      title: `Đợt thử phân quyền ${uniqueSuffix()}`, year: 2025, award_kind: 'bang_khen_chu_tich_ubnd_tinh', issuing_unit_id: issuingUnitId, closes_on: inDays(10),
      status: options.status ?? 'open', public_comment: options.publicComment ?? false, closed_at: options.status === 'closed' ? new Date() : null, created_by: fx.users.admin.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function insertNomination(roundId: number, unitId: number, status: 'draft' | 'submitted' | 'approved'): Promise<number> {
  const name = `Tập thể thử phân quyền ${uniqueSuffix()}`;
  const row = await db()
    .insertInto('nominations')
    .values({
      round_id: roundId, unit_id: unitId, nominee_kind: 'collective', nominee_name: name, nominee_key: nomineeKey(name),
      achievement: 'Thành tích xuất sắc trong phong trào thi đua "Dân vận khéo"', status,
      submitted_at: status === 'draft' ? null : new Date(), decided_at: status === 'approved' ? new Date() : null,
      ...(status === 'approved' ? { approvals: 1, rejections: 0, eligible_voters: 1 } : {}), created_by: fx.users.admin.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A draft with every document its award kind asks for: ready to submit. */
async function completeDraft(roundId: number, unitId: number): Promise<number> {
  const id = await insertNomination(roundId, unitId, 'draft');
  await attachRequiredFiles(id);
  return id;
}

/** A closed round of the relation's unit with one approved nomination, ready for a decision. */
async function decidableRound(rel: Relation) {
  const unit = unitOf(rel);
  const roundId = await insertRound(unit.id, { status: 'closed' });
  return { roundId, nominationId: await insertNomination(roundId, unit.id, 'approved') };
}

/** A decision of the relation's unit with one certificate (issued by the admin through the API). */
async function issuedCertificate(rel: Relation) {
  const { roundId, nominationId } = await decidableRound(rel);
  const response = await api('POST', '/decisions', { token: adminToken(), body: { roundId, signedOn: today, signerName: 'Nguyễn Văn An', signerTitle: 'Chủ tịch', nominationIds: [nominationId] } });
  if (response.status !== 201) throw new Error(`decision not issued: ${JSON.stringify(response.body)}`);
  return { decisionId: response.body.id as number, certificateId: response.body.certificates[0].id as number };
}

async function upload(path: string, token: string | undefined, fields: Record<string, string>, file: { name: string; content: Buffer; type: string }) {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append('file', new Blob([new Uint8Array(file.content)], { type: file.type }), file.name);
  const response = await fetch(`${ctx().baseUrl}/api/v1${path}`, { method: 'POST', body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function relationRecords(rel: Relation): Promise<Records> {
  const unit = unitOf(rel);
  const userId = (await createUser({ role: 'agency', unitId: unit.id })).id;
  const model = await api('POST', '/models', {
    token: adminToken(),
    body: { title: `Mô hình đánh dấu ${rel} ${uniqueSuffix()}`, unitId: unit.id, year: 2024, fieldCode: fx.fieldCode, kind: 'model', summary: 'Mô hình đánh dấu cho ma trận phân quyền' },
  });
  if (model.status !== 201) throw new Error(JSON.stringify(model.body));
  const nominationRoundId = await insertRound(rel === 'other' ? fx.units.X.id : rel === 'above' ? fx.units.A.id : rel === 'sibling' ? fx.units.S.id : fx.units.P.id);
  const submittedId = await insertNomination(nominationRoundId, unit.id, 'draft');
  const file = await upload(`/nominations/${submittedId}/files`, adminToken(), { kind: 'proposal' }, { name: 'to-trinh.pdf', content: PDF, type: 'application/pdf' });
  if (file.status !== 201) throw new Error(JSON.stringify(file.body));
  await db().updateTable('nominations').set({ status: 'submitted', submitted_at: new Date() }).where('id', '=', submittedId).execute();
  const { decisionId, certificateId } = await issuedCertificate(rel);
  const job = await db()
    .insertInto('print_jobs')
    .values({ decision_id: decisionId, mode: 'full', status: 'done', total: 1, done: 1, file: PDF, created_by: fx.users.admin.id, finished_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const evidence = await upload(`/models/${model.body.id}/files`, adminToken(), {}, { name: 'anh-minh-chung.pdf', content: PDF, type: 'application/pdf' });
  if (evidence.status !== 201) throw new Error(JSON.stringify(evidence.body));
  return {
    unitId: unit.id, unitCode: unit.code, modelId: model.body.id, modelCode: model.body.code, modelFileId: evidence.body.id, submittedId, fileId: file.body.id,
    draftId: await insertNomination(nominationRoundId, unit.id, 'draft'), nominationRoundId, roundId: await insertRound(unit.id),
    decisionId, certificateId, printJobId: job.id, userId, notificationId: await insertNotification(userId),
    criteriaSetId: (await db().insertInto('criteria_sets').values({ issuing_unit_id: unit.id, year: 2024, title: `Bộ tiêu chí ${rel}`, threshold: '50', created_by: fx.users.admin.id }).returning('id').executeTakeFirstOrThrow()).id,
  };
}

/** A notification of a user, straight in the table (the events that write them are tested in test/notifications/). */
async function insertNotification(userId: number): Promise<number> {
  const row = await db()
    .insertInto('notifications')
    .values({ user_id: userId, kind: 'print_job_done', params: JSON.stringify({ printJobId: 1, decisionId: 1, decisionNumber: '1/QĐ-UBND', count: 1 }), href: '/awards', email_status: 'none' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

// ------------------------------------------------------------------------------------------------
// The table.

interface Answer {
  status: number;
  location?: string | null;
  text: string;
  body?: any;
}

interface CellContext {
  role: Role;
  rel: Relation;
  rec: Records;
  unit: Fixture['units']['P'];
  token: string | undefined;
  browser: Browser;
}

interface Row {
  door: 'api' | 'page';
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  /** Expected status per signed-in role; anonymous is 401 (API) or 303 to /login (page). */
  expect: Record<SignedInRole, Cell>;
  run: (c: CellContext) => Promise<Answer>;
  /** The field a 422 must name (the reference to an invisible unit or round). */
  unknownField?: string;
  /** Extra checks on a successful answer (e.g. what a list shows). */
  verify?: (c: CellContext, answer: Answer) => void;
}

async function call(c: CellContext, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${ctx().baseUrl}/api/v1${path}`, {
    method,
    headers: { ...(c.token ? { authorization: `Bearer ${c.token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, text, body: parsed };
}

async function page(c: CellContext, method: 'GET' | 'POST', path: string, form: Record<string, string | string[]> = {}): Promise<Answer> {
  const response = method === 'GET' ? await c.browser.get(path) : await c.browser.post(path, form);
  return { status: response.status, location: response.location, text: response.html };
}

/** A scoped reader sees the marker of its own and child units, never another unit's; the admin sees all. */
const sees = (c: CellContext) => c.role === 'admin' || c.rel === 'own' || c.rel === 'child';

const ALL = (status: number): Record<SignedInRole, Cell> => ({ admin: status, agency: status, secretary: status, member: status, printer: status });
const ADMIN_ONLY = (status: number): Record<SignedInRole, Cell> => ({ admin: status, agency: 403, secretary: 403, member: 403, printer: 403 });
const writers = (ok: number, other = 404): Record<SignedInRole, Cell> => ({ admin: ok, agency: [ok, ok, other, other], secretary: [ok, ok, other, other], member: 403, printer: 403 });
/** A unit's own dossiers, before they reach a body: the secretariat, which keeps only forwarded ones, never sees a draft. */
const dossierKeepers = (ok: number): Record<SignedInRole, Cell> => ({ admin: ok, agency: [ok, ok, 404, 404], secretary: 404, member: 403, printer: 403 });
const committee = (ok: number, other = 404, above = other): Record<SignedInRole, Cell> => ({ admin: ok, agency: 403, secretary: [ok, ok, other, above], member: 403, printer: 403 });
const printers = (ok: number): Record<SignedInRole, Cell> => ({ admin: ok, agency: 403, secretary: [ok, ok, 404, 404], member: 403, printer: [ok, ok, 404, 404] });
const readers: Record<SignedInRole, Cell> = { admin: 200, agency: SCOPED, secretary: SCOPED, member: SCOPED, printer: SCOPED };
/** A nomination submitted to a body above is read by that body's committee, of which a member of P is part. */
const nominationReaders: Record<SignedInRole, Cell> = { ...readers, member: [200, 200, 404, 200] };
/** Rounds and decisions of a body above are seen by everyone under it (to take part in them, to know them). */
const roundReaders: Record<SignedInRole, Cell> = { admin: 200, agency: [200, 200, 404, 200], secretary: [200, 200, 404, 200], member: [200, 200, 404, 200], printer: [200, 200, 404, 200] };

const modelForm = (c: CellContext) => ({
  title: `Mô hình đánh dấu đã sửa ${uniqueSuffix()}`, unitId: String(c.unit.id), year: '2024', fieldCode: fx.fieldCode, kind: 'model', summary: 'Mô hình đánh dấu cho ma trận phân quyền (sửa)',
});
/** A whole set of document settings for the relation's body, as its secretariat would save it. */
const documentSettings = (c: CellContext) => ({
  placeName: 'Thử nghiệm', superiorLine: '', issuerLines: [c.unit.name.toLocaleUpperCase('vi')], authorityName: `Thủ trưởng ${c.unit.name}`,
  legalBases: ['Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022'], proposer: 'Thường trực Hội đồng Thi đua - Khen thưởng',
  rewardClause: 'Tiền thưởng thực hiện theo quy định.', executors: `Chánh Văn phòng ${c.unit.name}`, recipients: ['Như Điều 3', 'Lưu: VT'],
  standingOrgan: 'HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG', proposalSymbol: 'TTr-HĐTĐKT', proposalSignerTitle: 'CHỦ TỊCH', proposalSignerName: '',
});
const roundBody = (c: CellContext) => ({ title: 'Đợt thử phân quyền', year: 2025, awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId: c.unit.id, closesOn: inDays(10) });

const ROWS: Row[] = [
  // ---------------------------------------------------------------- API: models
  {
    door: 'api', method: 'GET', path: '/api/v1/models?unitId=:unit', expect: ALL(200),
    run: (c) => call(c, 'GET', `/models?unitId=${c.unit.id}&limit=200`),
    verify: (c, a) => expect(a.body.items.some((m: { id: number }) => m.id === c.rec.modelId), 'marker model listed').to.equal(sees(c)),
  },
  { door: 'api', method: 'GET', path: '/api/v1/models/:id', expect: readers, run: (c) => call(c, 'GET', `/models/${c.rec.modelId}`) },
  // Evidence files: uploaded and removed by the model's writers, read by its readers.
  {
    door: 'api', method: 'POST', path: '/api/v1/models/:id/files', expect: writers(201),
    run: async (c) => {
      const answer = await upload(`/models/${c.rec.modelId}/files`, c.token, {}, { name: 'bao-cao.pdf', content: PDF, type: 'application/pdf' });
      return { ...answer, text: JSON.stringify(answer.body ?? '') };
    },
  },
  { door: 'api', method: 'GET', path: '/api/v1/models/:id/files/:fileId', expect: readers, run: (c) => call(c, 'GET', `/models/${c.rec.modelId}/files/${c.rec.modelFileId}`) },
  {
    door: 'api', method: 'DELETE', path: '/api/v1/models/:id/files/:fileId', expect: writers(204),
    run: async (c) => {
      const added = await upload(`/models/${c.rec.modelId}/files`, adminToken(), {}, { name: 'tam.pdf', content: PDF, type: 'application/pdf' });
      return call(c, 'DELETE', `/models/${c.rec.modelId}/files/${added.body.id}`);
    },
  },
  { door: 'api', method: 'PATCH', path: '/api/v1/models/:id', expect: writers(200), run: (c) => call(c, 'PATCH', `/models/${c.rec.modelId}`, { summary: `Tóm tắt đã sửa bởi ${c.role}` }) },
  {
    door: 'api', method: 'POST', path: '/api/v1/models/:id/reports', expect: writers(201),
    run: (c) => call(c, 'POST', `/models/${c.rec.modelId}/reports`, { status: 'implementing', reportedOn: today, note: `Báo cáo tiến độ của ${c.role}` }),
  },
  {
    door: 'api', method: 'POST', path: '/api/v1/models/import (a row of the unit)', expect: writers(200, 422), unknownField: 'rows[2].unitCode',
    run: async (c) => {
      const csv = `title,unitCode,year,field,kind,summary\nMô hình nhập thử ${uniqueSuffix()},${c.unit.code},2024,${fx.fieldCode},Mô hình,Nội dung tóm tắt của mô hình nhập thử\n`;
      const answer = await upload('/models/import', c.token, {}, { name: 'mo-hinh.csv', content: Buffer.from(csv), type: 'text/csv' });
      return { ...answer, text: JSON.stringify(answer.body) };
    },
  },
  {
    door: 'api', method: 'GET', path: '/api/v1/models/export.csv?unitId=:unit', expect: ALL(200),
    run: (c) => call(c, 'GET', `/models/export.csv?unitId=${c.unit.id}`),
    verify: (c, a) => expect(a.text.includes(c.rec.modelCode), 'marker model exported').to.equal(sees(c)),
  },
  // ---------------------------------------------------------------- API: nominations
  { door: 'api', method: 'GET', path: '/api/v1/nominations/:id', expect: nominationReaders, run: (c) => call(c, 'GET', `/nominations/${c.rec.submittedId}`) },
  {
    door: 'api', method: 'GET', path: '/api/v1/nominations?roundId=:round', expect: ALL(200),
    run: (c) => call(c, 'GET', `/nominations?roundId=${c.rec.nominationRoundId}&limit=200`),
    verify: (c, a) => expect(a.body.items.some((n: { id: number }) => n.id === c.rec.submittedId), 'marker nomination listed').to.equal(c.role === 'admin' || c.rel === 'own' || c.rel === 'child' || (c.rel === 'above' && c.role === 'member')),
  },
  { door: 'api', method: 'PATCH', path: '/api/v1/nominations/:id', expect: dossierKeepers(200), run: (c) => call(c, 'PATCH', `/nominations/${c.rec.draftId}`, { achievement: `Thành tích đã sửa bởi ${c.role} trong đợt thi đua` }) },
  {
    door: 'api', method: 'POST', path: '/api/v1/nominations/:id/submit', expect: dossierKeepers(200),
    run: async (c) => call(c, 'POST', `/nominations/${await completeDraft(c.rec.nominationRoundId, c.unit.id)}/submit`),
  },
  {
    door: 'api', method: 'POST', path: '/api/v1/nominations/:id/files', expect: dossierKeepers(201),
    run: async (c) => {
      const answer = await upload(`/nominations/${c.rec.draftId}/files`, c.token, { kind: 'minutes' }, { name: 'bien-ban.pdf', content: PDF, type: 'application/pdf' });
      return { ...answer, text: JSON.stringify(answer.body) };
    },
  },
  { door: 'api', method: 'GET', path: '/api/v1/nominations/:id/files/:fileId', expect: nominationReaders, run: (c) => call(c, 'GET', `/nominations/${c.rec.submittedId}/files/${c.rec.fileId}`) },
  {
    // A member may not vote on a nomination of its own unit (403); the child unit's is its to judge. P's
    // member sits on A's committee and reads A's nominations, but A's own nomination is of a unit that
    // P is part of: a conflict of interest (403).
    door: 'api', method: 'POST', path: '/api/v1/nominations/:id/votes', expect: { admin: 403, agency: 403, secretary: 403, member: [403, 201, 404, 403], printer: 403 },
    run: (c) => call(c, 'POST', `/nominations/${c.rec.submittedId}/votes`, { vote: 'approve', comment: 'Đồng ý' }),
  },
  {
    // The same vote from the round's list: the same answers as one vote at a time.
    door: 'api', method: 'POST', path: '/api/v1/award-rounds/:id/votes', expect: { admin: 403, agency: 403, secretary: 403, member: [403, 201, 404, 403], printer: 403 },
    run: (c) => call(c, 'POST', `/award-rounds/${c.rec.nominationRoundId}/votes`, { nominationIds: [c.rec.submittedId], vote: 'approve' }),
  },
  {
    door: 'api', method: 'POST', path: '/api/v1/nominations/:id/recusals', expect: { admin: 403, agency: 403, secretary: 403, member: [403, 201, 404, 403], printer: 403 },
    run: async (c) => call(c, 'POST', `/nominations/${await insertNomination(c.rec.nominationRoundId, c.unit.id, 'submitted')}/recusals`, { reason: 'Người được đề nghị là người thân của tôi' }),
  },
  {
    door: 'api', method: 'POST', path: '/api/v1/nominations/:id/return', expect: committee(200),
    run: async (c) => call(c, 'POST', `/nominations/${await insertNomination(c.rec.nominationRoundId, c.unit.id, 'submitted')}/return`, { reason: 'Thiếu biên bản họp xét' }),
  },
  // ---------------------------------------------------------------- API: rounds and decisions
  { door: 'api', method: 'POST', path: '/api/v1/award-rounds (issuingUnitId)', expect: committee(201, 422), unknownField: 'issuingUnitId', run: (c) => call(c, 'POST', '/award-rounds', roundBody(c)) },
  { door: 'api', method: 'POST', path: '/api/v1/award-rounds/:id/close', expect: committee(200), run: async (c) => call(c, 'POST', `/award-rounds/${await insertRound(c.unit.id)}/close`, EARLY_CLOSE) },
  {
    door: 'api', method: 'POST', path: '/api/v1/award-rounds/:id/reopen', expect: committee(200),
    run: async (c) => call(c, 'POST', `/award-rounds/${await insertRound(c.unit.id, { status: 'closed' })}/reopen`, { reason: 'Mở lại để xét tiếp' }),
  },
  { door: 'api', method: 'POST', path: '/api/v1/award-rounds/:id/publish', expect: committee(200), run: async (c) => call(c, 'POST', `/award-rounds/${await insertRound(c.unit.id, { publicComment: true })}/publish`) },
  {
    door: 'api', method: 'POST', path: '/api/v1/decisions (roundId)', expect: committee(201, 422, 404), unknownField: 'roundId',
    run: async (c) => {
      const { roundId, nominationId } = await decidableRound(c.rel);
      return call(c, 'POST', '/decisions', { roundId, signedOn: today, signerName: 'Nguyễn Văn An', signerTitle: 'Chủ tịch', nominationIds: [nominationId] });
    },
  },
  {
    door: 'api', method: 'GET', path: '/api/v1/decisions/:id', expect: roundReaders, run: (c) => call(c, 'GET', `/decisions/${c.rec.decisionId}`),
    // A decision of the body above is known, but its certificates are only those of one's own units.
    verify: (c, a) => expect(a.body.certificates.map((x: { id: number }) => x.id), 'certificates listed').to.deep.equal(sees(c) ? [c.rec.certificateId] : []),
  },
  // ---------------------------------------------------------------- API: certificates and print jobs
  { door: 'api', method: 'GET', path: '/api/v1/certificates/:id.pdf', expect: printers(200), run: (c) => call(c, 'GET', `/certificates/${c.rec.certificateId}.pdf`) },
  {
    door: 'api', method: 'POST', path: '/api/v1/decisions/:id/signing-sessions', expect: committee(201),
    run: (c) => call(c, 'POST', `/decisions/${c.rec.decisionId}/signing-sessions`),
  },
  { door: 'api', method: 'GET', path: '/api/v1/criteria-sets/:id', expect: nominationReaders, run: (c) => call(c, 'GET', `/criteria-sets/${c.rec.criteriaSetId}`) },
  { door: 'api', method: 'GET', path: '/api/v1/criteria-sets/:id/results', expect: nominationReaders, run: (c) => call(c, 'GET', `/criteria-sets/${c.rec.criteriaSetId}/results`) },
  {
    door: 'api', method: 'POST', path: '/api/v1/criteria-sets (issuingUnitId)', expect: committee(201, 422), unknownField: 'issuingUnitId',
    run: (c) => call(c, 'POST', '/criteria-sets', { title: 'Bộ tiêu chí thử phân quyền', year: 2024, issuingUnitId: c.unit.id, threshold: 5, criteria: [{ code: 'TC1', name: 'Tiêu chí một', maxScore: 10 }] }),
  },
  // The marker set scores models: a unit's self-assessment and a unit's scores are not found there, for anyone
  // (units sets: test/evaluation/units.test.ts).
  { door: 'api', method: 'PUT', path: '/api/v1/criteria-sets/:id/self-assessment', expect: ALL(404), run: (c) => call(c, 'PUT', `/criteria-sets/${c.rec.criteriaSetId}/self-assessment`, { scores: [{ code: 'TC1', score: 1 }] }) },
  { door: 'api', method: 'GET', path: '/api/v1/criteria-sets/:id/self-assessment', expect: ALL(404), run: (c) => call(c, 'GET', `/criteria-sets/${c.rec.criteriaSetId}/self-assessment`) },
  { door: 'api', method: 'PUT', path: '/api/v1/criteria-sets/:id/unit-scores/:unitId', expect: ALL(404), run: (c) => call(c, 'PUT', `/criteria-sets/${c.rec.criteriaSetId}/unit-scores/${c.unit.id}`, { scores: [{ code: 'TC1', score: 1 }] }) },
  { door: 'api', method: 'POST', path: '/api/v1/criteria-sets/:id/copy', expect: committee(201), run: (c) => call(c, 'POST', `/criteria-sets/${c.rec.criteriaSetId}/copy`, { year: 2025 }) },
  { door: 'api', method: 'POST', path: '/api/v1/criteria-sets/:id/recognitions', expect: committee(200), run: (c) => call(c, 'POST', `/criteria-sets/${c.rec.criteriaSetId}/recognitions`, {}) },
  { door: 'api', method: 'GET', path: '/api/v1/certificates/:id/credential', expect: readers, run: (c) => call(c, 'GET', `/certificates/${c.rec.certificateId}/credential`) },
  { door: 'api', method: 'POST', path: '/api/v1/certificates/:id/print-log', expect: printers(201), run: (c) => call(c, 'POST', `/certificates/${c.rec.certificateId}/print-log`, { mode: 'full' }) },
  { door: 'api', method: 'POST', path: '/api/v1/certificates/:id/reissue', expect: printers(201), run: (c) => call(c, 'POST', `/certificates/${c.rec.certificateId}/reissue`, { reason: 'Bản gốc bị hư hỏng' }) },
  {
    door: 'api', method: 'POST', path: '/api/v1/certificates/:id/revoke', expect: committee(200),
    run: async (c) => call(c, 'POST', `/certificates/${(await issuedCertificate(c.rel)).certificateId}/revoke`, { reason: 'Thu hồi theo quyết định mới' }),
  },
  {
    door: 'api', method: 'POST', path: '/api/v1/certificates/:id/correct', expect: committee(201),
    run: async (c) => call(c, 'POST', `/certificates/${(await issuedCertificate(c.rel)).certificateId}/correct`, { recipientName: 'Tập thể đã đính chính tên', reason: 'In sai tên tập thể' }),
  },
  {
    // The secretariat previews a round's approved nominations before the decision (a Chromium render per allowed cell).
    door: 'api', method: 'GET', path: '/api/v1/award-rounds/:id/preview.pdf', expect: committee(200),
    run: async (c) => {
      const { roundId, nominationId } = await decidableRound(c.rel);
      return call(c, 'GET', `/award-rounds/${roundId}/preview.pdf?nominationIds=${nominationId}`);
    },
  },
  {
    // A list: never a 404; the jobs of another body are simply not in it.
    door: 'api', method: 'GET', path: '/api/v1/print-jobs', expect: { admin: 200, agency: 403, secretary: 200, member: 403, printer: 200 }, run: (c) => call(c, 'GET', '/print-jobs?limit=200'),
    verify: (c, a) => expect(a.body.items.map((x: { id: number }) => x.id), 'jobs listed').to.satisfy((ids: number[]) => ids.includes(c.rec.printJobId) === sees(c)),
  },
  { door: 'api', method: 'POST', path: '/api/v1/decisions/:id/print-jobs', expect: printers(202), run: (c) => call(c, 'POST', `/decisions/${c.rec.decisionId}/print-jobs`, {}) },
  { door: 'api', method: 'GET', path: '/api/v1/print-jobs/:id', expect: printers(200), run: (c) => call(c, 'GET', `/print-jobs/${c.rec.printJobId}`) },
  { door: 'api', method: 'GET', path: '/api/v1/print-jobs/:id/file', expect: printers(200), run: (c) => call(c, 'GET', `/print-jobs/${c.rec.printJobId}/file`) },
  // ---------------------------------------------------------------- API: reports, units, users
  { door: 'api', method: 'GET', path: '/api/v1/reports/summary?unitId=:unit', expect: readers, run: (c) => call(c, 'GET', `/reports/summary?year=2024&unitId=${c.unit.id}`) },
  { door: 'api', method: 'GET', path: '/api/v1/reports/tt02/:form.xlsx?unitId=:unit', expect: readers, run: (c) => call(c, 'GET', `/reports/tt02/0603.xlsx?year=2024&unitId=${c.unit.id}`) },
  { door: 'api', method: 'GET', path: '/api/v1/units/:id', expect: readers, run: (c) => call(c, 'GET', `/units/${c.unit.id}`) },
  {
    door: 'api', method: 'PUT', path: '/api/v1/units/:id (unchanged values)', expect: ADMIN_ONLY(200),
    run: (c) => call(c, 'PUT', `/units/${c.unit.id}`, { code: c.unit.code, name: c.unit.name, kind: c.unit.kind, blockCode: c.unit.block_code, parentId: c.unit.parent_id }),
  },
  { door: 'api', method: 'POST', path: '/api/v1/units (parentId)', expect: ADMIN_ONLY(201), run: (c) => call(c, 'POST', '/units', { code: `M${uniqueSuffix()}`, name: 'Phòng thử phân quyền', kind: 'agency', parentId: c.unit.id }) },
  { door: 'api', method: 'GET', path: '/api/v1/users/:id', expect: ADMIN_ONLY(200), run: (c) => call(c, 'GET', `/users/${c.rec.userId}`) },
  { door: 'api', method: 'PATCH', path: '/api/v1/users/:id', expect: ADMIN_ONLY(200), run: (c) => call(c, 'PATCH', `/users/${c.rec.userId}`, { fullName: `Cán bộ đổi tên bởi ${c.role}` }) },
  {
    door: 'api', method: 'POST', path: '/api/v1/users (unitId)', expect: ADMIN_ONLY(201),
    run: (c) => call(c, 'POST', '/users', { username: `m${uniqueSuffix().toLowerCase()}`, password: TEST_PASSWORD, fullName: 'Cán bộ thử phân quyền', role: 'agency', unitId: c.unit.id }),
  },
  // The audit trail names every account's actions across all units: administrators only, whatever the unit.
  {
    door: 'api', method: 'GET', path: '/api/v1/audit?unitId=:unit', expect: ADMIN_ONLY(200),
    run: (c) => call(c, 'GET', `/audit?unitId=${c.unit.id}&limit=5`),
    verify: (_c, a) => expect(a.body.items).to.be.an('array'),
  },

  // ---------------------------------------------------------------- pages: models
  { door: 'page', method: 'GET', path: '/criteria-sets/:id', expect: nominationReaders, run: (c) => page(c, 'GET', `/criteria-sets/${c.rec.criteriaSetId}`) },
  { door: 'page', method: 'GET', path: '/criteria-sets/:id/scoresheet.xlsx', expect: nominationReaders, run: (c) => page(c, 'GET', `/criteria-sets/${c.rec.criteriaSetId}/scoresheet.xlsx`) },
  { door: 'page', method: 'POST', path: '/criteria-sets/:id/recognitions', expect: committee(303), run: (c) => page(c, 'POST', `/criteria-sets/${c.rec.criteriaSetId}/recognitions`, { confirmed: 'on' }) },
  { door: 'page', method: 'GET', path: '/decisions/:id/signed.pdf', expect: committee(404), run: (c) => page(c, 'GET', `/decisions/${c.rec.decisionId}/signed.pdf`) },
  { door: 'page', method: 'GET', path: '/models/:id', expect: readers, run: (c) => page(c, 'GET', `/models/${c.rec.modelId}`) },
  { door: 'page', method: 'GET', path: '/models/:id/files/:fileId', expect: readers, run: (c) => page(c, 'GET', `/models/${c.rec.modelId}/files/${c.rec.modelFileId}`) },
  {
    door: 'page', method: 'POST', path: '/models/:id/files/:fileId/delete', expect: writers(303),
    run: async (c) => {
      const added = await upload(`/models/${c.rec.modelId}/files`, adminToken(), {}, { name: 'tam.pdf', content: PDF, type: 'application/pdf' });
      return page(c, 'POST', `/models/${c.rec.modelId}/files/${added.body.id}/delete`, {});
    },
  },
  { door: 'page', method: 'GET', path: '/criteria-sets/:id/models/:modelId/files/:fileId', expect: ALL(404), run: (c) => page(c, 'GET', `/criteria-sets/${c.rec.criteriaSetId}/models/${c.rec.modelId}/files/${c.rec.modelFileId}`) },
  { door: 'page', method: 'GET', path: '/models/:id/edit', expect: writers(200), run: (c) => page(c, 'GET', `/models/${c.rec.modelId}/edit`) },
  { door: 'page', method: 'POST', path: '/models/:id (edit form)', expect: writers(303), run: (c) => page(c, 'POST', `/models/${c.rec.modelId}`, modelForm(c)) },
  {
    door: 'page', method: 'POST', path: '/models/:id/reports', expect: writers(303),
    run: (c) => page(c, 'POST', `/models/${c.rec.modelId}/reports`, { status: 'implementing', reportedOn: formatDate(today), note: `Báo cáo qua biểu mẫu của ${c.role}` }),
  },
  {
    door: 'page', method: 'GET', path: '/models/export.csv?unitId=:unit', expect: ALL(200),
    run: (c) => page(c, 'GET', `/models/export.csv?unitId=${c.unit.id}`),
    verify: (c, a) => expect(a.text.includes(c.rec.modelCode), 'marker model exported').to.equal(sees(c)),
  },
  // The work queue counts only what the caller acts on (test/tasks/tasks.test.ts checks the counts).
  { door: 'api', method: 'GET', path: '/api/v1/me/tasks', expect: ALL(200), run: (c) => call(c, 'GET', '/me/tasks') },
  // ---------------------------------------------------------------- forwarding up a level
  // An approved nomination of the relation's body (a closed round of its own), sent to A's open round:
  // A is above P, D and S; not above X nor itself (the admin, who sees them, gets 422 not_above).
  {
    door: 'api', method: 'POST', path: '/api/v1/nominations/:id/forward', unknownField: 'roundId',
    expect: { admin: [201, 201, 422, 422, 201], agency: 403, secretary: [201, 201, 404, 404, 404], member: 403, printer: 403 },
    run: async (c) => call(c, 'POST', `/nominations/${(await decidableRound(c.rel)).nominationId}/forward`, { roundId: fx.records.above.roundId }),
    verify: (c, a) => expect(a.body).to.include({ roundId: fx.records.above.roundId, status: 'submitted', forwardingUnitId: c.unit.id }),
  },
  {
    door: 'api', method: 'POST', path: '/api/v1/award-rounds/:id/forward', unknownField: 'roundId',
    expect: { admin: [201, 201, 422, 422, 201], agency: 403, secretary: [201, 201, 404, 404, 404], member: 403, printer: 403 },
    run: async (c) => {
      const { roundId, nominationId } = await decidableRound(c.rel);
      return call(c, 'POST', `/award-rounds/${roundId}/forward`, { roundId: fx.records.above.roundId, nominationIds: [nominationId] });
    },
    verify: (c, a) => expect(a.body.items.map((twin: { forwardingUnitId: number }) => twin.forwardingUnitId)).to.deep.equal([c.unit.id]),
  },
  {
    door: 'page', method: 'POST', path: '/nominations/:id/forward', unknownField: 'roundId',
    expect: { admin: [303, 303, 422, 422, 303], agency: 403, secretary: [303, 303, 404, 404, 404], member: 403, printer: 403 },
    run: async (c) => page(c, 'POST', `/nominations/${(await decidableRound(c.rel)).nominationId}/forward`, { roundId: String(fx.records.above.roundId) }),
  },
  {
    door: 'page', method: 'POST', path: '/awards/:id/forward', unknownField: 'roundId',
    expect: { admin: [303, 303, 422, 422, 303], agency: 403, secretary: [303, 303, 404, 404, 404], member: 403, printer: 403 },
    run: async (c) => {
      const { roundId, nominationId } = await decidableRound(c.rel);
      return page(c, 'POST', `/awards/${roundId}/forward`, { roundId: String(fx.records.above.roundId), nominationIds: String(nominationId) });
    },
  },
  // ---------------------------------------------------------------- dossier packages
  // One nomination's: its body's secretariat, its own unit's staff (and the secretariat that forwarded
  // it, test/dossiers/packages.test.ts); a round's: whoever manages the round.
  {
    door: 'api', method: 'GET', path: '/api/v1/nominations/:id/dossier.zip', expect: { admin: 200, agency: SCOPED, secretary: SCOPED, member: 403, printer: 403 },
    run: (c) => call(c, 'GET', `/nominations/${c.rec.submittedId}/dossier.zip`),
    verify: (_c, a) => expect(a.text.startsWith('PK'), 'a ZIP').to.equal(true),
  },
  {
    door: 'api', method: 'GET', path: '/api/v1/award-rounds/:id/dossier.zip', expect: committee(200),
    run: (c) => call(c, 'GET', `/award-rounds/${c.rec.nominationRoundId}/dossier.zip`),
    verify: (_c, a) => expect(a.text.startsWith('PK'), 'a ZIP').to.equal(true),
  },
  // ---------------------------------------------------------------- the committee's documents (issue 19)
  // The decision's Word file and PDF: whoever sees the decision, as its annex; a closed round's
  // proposal and a body's document settings: its secretariat; the report's Word file: as the summary.
  {
    door: 'api', method: 'GET', path: '/api/v1/decisions/:id/decision.docx', expect: roundReaders, run: (c) => call(c, 'GET', `/decisions/${c.rec.decisionId}/decision.docx`),
    verify: (_c, a) => expect(a.text.startsWith('PK'), 'a .docx').to.equal(true),
  },
  {
    door: 'api', method: 'GET', path: '/api/v1/decisions/:id/decision.pdf', expect: roundReaders, run: (c) => call(c, 'GET', `/decisions/${c.rec.decisionId}/decision.pdf`),
    verify: (_c, a) => expect(a.text.startsWith('%PDF'), 'a PDF').to.equal(true),
  },
  {
    door: 'api', method: 'GET', path: '/api/v1/award-rounds/:id/proposal.docx (closed)', expect: committee(200),
    run: async (c) => call(c, 'GET', `/award-rounds/${(await decidableRound(c.rel)).roundId}/proposal.docx`),
    verify: (_c, a) => expect(a.text.startsWith('PK'), 'a .docx').to.equal(true),
  },
  { door: 'api', method: 'GET', path: '/api/v1/reports/summary.docx?unitId=:unit', expect: readers, run: (c) => call(c, 'GET', `/reports/summary.docx?year=2024&unitId=${c.unit.id}`) },
  { door: 'api', method: 'GET', path: '/api/v1/issuing-bodies/:id/document-settings', expect: committee(200), run: (c) => call(c, 'GET', `/issuing-bodies/${c.unit.id}/document-settings`) },
  {
    door: 'api', method: 'PUT', path: '/api/v1/issuing-bodies/:id/document-settings', expect: committee(200),
    run: (c) => call(c, 'PUT', `/issuing-bodies/${c.unit.id}/document-settings`, documentSettings(c)),
  },
  { door: 'page', method: 'GET', path: '/decisions/:id/decision.docx', expect: roundReaders, run: (c) => page(c, 'GET', `/decisions/${c.rec.decisionId}/decision.docx`) },
  { door: 'page', method: 'GET', path: '/awards/:id/proposal.docx (closed)', expect: committee(200), run: async (c) => page(c, 'GET', `/awards/${(await decidableRound(c.rel)).roundId}/proposal.docx`) },
  { door: 'page', method: 'GET', path: '/reports/summary.docx?unitId=:unit', expect: readers, run: (c) => page(c, 'GET', `/reports/summary.docx?year=2024&unitId=${c.unit.id}`) },
  { door: 'page', method: 'GET', path: '/committees/:id/documents', expect: committee(200), run: (c) => page(c, 'GET', `/committees/${c.unit.id}/documents`) },
  {
    door: 'page', method: 'POST', path: '/committees/:id/documents', expect: committee(303),
    run: (c) => {
      const settings = documentSettings(c);
      return page(c, 'POST', `/committees/${c.unit.id}/documents`, { ...settings, issuerLines: settings.issuerLines.join('\n'), legalBases: settings.legalBases.join('\n'), recipients: settings.recipients.join('\n') });
    },
  },
  // ---------------------------------------------------------------- pages: nominations
  { door: 'page', method: 'GET', path: '/nominations/:id', expect: nominationReaders, run: (c) => page(c, 'GET', `/nominations/${c.rec.submittedId}`) },
  { door: 'page', method: 'GET', path: '/nominations/:id/edit', expect: dossierKeepers(200), run: (c) => page(c, 'GET', `/nominations/${c.rec.draftId}/edit`) },
  {
    door: 'page', method: 'POST', path: '/nominations/:id/submit', expect: dossierKeepers(303),
    run: async (c) => page(c, 'POST', `/nominations/${await completeDraft(c.rec.nominationRoundId, c.unit.id)}/submit`),
  },
  {
    door: 'page', method: 'POST', path: '/nominations/:id/return', expect: committee(303),
    run: async (c) => page(c, 'POST', `/nominations/${await insertNomination(c.rec.nominationRoundId, c.unit.id, 'submitted')}/return`, { reason: 'Thiếu biên bản họp xét' }),
  },
  {
    door: 'page', method: 'POST', path: '/nominations/:id/votes', expect: { admin: 403, agency: 403, secretary: 403, member: [403, 303, 404, 403], printer: 403 },
    run: (c) => page(c, 'POST', `/nominations/${c.rec.submittedId}/votes`, { vote: 'approve', comment: 'Đồng ý' }),
  },
  {
    door: 'page', method: 'POST', path: '/awards/:id/votes', expect: { admin: 403, agency: 403, secretary: 403, member: [403, 303, 404, 403], printer: 403 },
    run: (c) => page(c, 'POST', `/awards/${c.rec.nominationRoundId}/votes`, { nominationIds: String(c.rec.submittedId), vote: 'approve' }),
  },
  {
    door: 'page', method: 'POST', path: '/nominations/:id/recusals', expect: { admin: 403, agency: 403, secretary: 403, member: [403, 303, 404, 403], printer: 403 },
    run: async (c) => page(c, 'POST', `/nominations/${await insertNomination(c.rec.nominationRoundId, c.unit.id, 'submitted')}/recusals`, { reason: 'Người được đề nghị là người thân của tôi' }),
  },
  {
    // "Hồ sơ của tôi": the agency's own dossiers across rounds; another unit's are not listed.
    door: 'page', method: 'GET', path: '/nominations', expect: { admin: 200, agency: 200, secretary: 403, member: 403, printer: 403 }, run: (c) => page(c, 'GET', '/nominations'),
    // (The list is newest first and the rows above add many of P's own, so only the absence is checked.)
    verify: (c, a) => { if (c.role === 'agency' && c.rel !== 'own' && c.rel !== 'child') expect(a.text.includes(`/nominations/${c.rec.submittedId}"`), 'another unit\'s nomination listed').to.equal(false); },
  },
  { door: 'page', method: 'GET', path: '/nominations/:id/files/:fileId', expect: nominationReaders, run: (c) => page(c, 'GET', `/nominations/${c.rec.submittedId}/files/${c.rec.fileId}`) },
  // ---------------------------------------------------------------- pages: rounds and decisions
  { door: 'page', method: 'GET', path: '/awards/:id', expect: roundReaders, run: (c) => page(c, 'GET', `/awards/${c.rec.roundId}`) },
  {
    door: 'page', method: 'GET', path: '/awards/:id (the round its nominations go to)', expect: roundReaders, run: (c) => page(c, 'GET', `/awards/${c.rec.nominationRoundId}`),
    verify: (c, a) => expect(a.text.includes(`/nominations/${c.rec.submittedId}"`), 'marker nomination listed').to.equal(c.role === 'admin' || c.rel === 'own' || c.rel === 'child' || (c.rel === 'above' && c.role === 'member')),
  },
  {
    door: 'page', method: 'POST', path: '/awards (issuingUnitId)', expect: committee(303, 422), unknownField: 'issuingUnitId',
    run: (c) => page(c, 'POST', '/awards', { title: 'Đợt thử phân quyền', year: '2025', awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId: String(c.unit.id), closesOn: formatDate(inDays(10)), quorum: '2/3', approval: 'more_than_half' }),
  },
  { door: 'page', method: 'POST', path: '/awards/:id/close', expect: committee(303), run: async (c) => page(c, 'POST', `/awards/${await insertRound(c.unit.id)}/close`, { early: 'on', reason: EARLY_CLOSE.reason, confirmed: 'on' }) },
  {
    door: 'page', method: 'POST', path: '/awards/:id/reopen', expect: committee(303),
    run: async (c) => page(c, 'POST', `/awards/${await insertRound(c.unit.id, { status: 'closed' })}/reopen`, { reason: 'Mở lại để xét tiếp' }),
  },
  { door: 'page', method: 'POST', path: '/awards/:id/publish', expect: committee(303), run: async (c) => page(c, 'POST', `/awards/${await insertRound(c.unit.id, { publicComment: true })}/publish`) },
  {
    door: 'page', method: 'POST', path: '/awards/:id/decisions', expect: committee(303),
    run: async (c) => {
      const { roundId, nominationId } = await decidableRound(c.rel);
      return page(c, 'POST', `/awards/${roundId}/decisions`, { roundId: String(roundId), signedOn: formatDate(today), signerName: 'Nguyễn Văn An', signerTitle: 'Chủ tịch', nominationIds: String(nominationId), confirmed: 'on' });
    },
  },
  { door: 'page', method: 'GET', path: '/decisions/:id', expect: roundReaders, run: (c) => page(c, 'GET', `/decisions/${c.rec.decisionId}`) },
  // ---------------------------------------------------------------- pages: certificates and print jobs
  { door: 'page', method: 'GET', path: '/certificates/:id', expect: printers(200), run: (c) => page(c, 'GET', `/certificates/${c.rec.certificateId}`) },
  { door: 'page', method: 'POST', path: '/certificates/:id/reissue', expect: printers(303), run: (c) => page(c, 'POST', `/certificates/${c.rec.certificateId}/reissue`, { reason: 'Bản gốc bị hư hỏng' }) },
  {
    door: 'page', method: 'POST', path: '/certificates/:id/revoke', expect: committee(303),
    run: async (c) => page(c, 'POST', `/certificates/${(await issuedCertificate(c.rel)).certificateId}/revoke`, { reason: 'Thu hồi theo quyết định mới', confirmed: 'on' }),
  },
  {
    door: 'page', method: 'POST', path: '/certificates/:id/correct', expect: committee(303),
    run: async (c) => page(c, 'POST', `/certificates/${(await issuedCertificate(c.rel)).certificateId}/correct`, { recipientName: 'Tập thể đã đính chính tên', reason: 'In sai tên tập thể' }),
  },
  {
    door: 'page', method: 'GET', path: '/print-jobs', expect: { admin: 200, agency: 403, secretary: 200, member: 403, printer: 200 }, run: (c) => page(c, 'GET', '/print-jobs'),
    verify: (c, a) => expect(a.text.includes(`href="/print-jobs/${c.rec.printJobId}"`), 'job listed').to.equal(sees(c)),
  },
  // The decision page's "Tải tất cả": the mode posted, on to the download (which records no print).
  { door: 'page', method: 'POST', path: '/decisions/:id/certificates.pdf', expect: printers(303), run: (c) => page(c, 'POST', `/decisions/${c.rec.decisionId}/certificates.pdf`, { mode: 'full' }) },
  { door: 'page', method: 'GET', path: '/print-jobs/:id', expect: printers(200), run: (c) => page(c, 'GET', `/print-jobs/${c.rec.printJobId}`) },
  { door: 'page', method: 'GET', path: '/print-jobs/:id/file', expect: printers(200), run: (c) => page(c, 'GET', `/print-jobs/${c.rec.printJobId}/file`) },
  // ---------------------------------------------------------------- pages: reports, units, users, audit
  { door: 'page', method: 'GET', path: '/reports?unitId=:unit', expect: readers, run: (c) => page(c, 'GET', `/reports?year=2024&unitId=${c.unit.id}`) },
  { door: 'page', method: 'GET', path: '/reports/tt02/:form.xlsx?unitId=:unit', expect: readers, run: (c) => page(c, 'GET', `/reports/tt02/0602.xlsx?year=2024&unitId=${c.unit.id}`) },
  { door: 'page', method: 'GET', path: '/admin/units/:id/edit', expect: ADMIN_ONLY(200), run: (c) => page(c, 'GET', `/admin/units/${c.unit.id}/edit`) },
  { door: 'page', method: 'GET', path: '/admin/users/:id/edit', expect: ADMIN_ONLY(200), run: (c) => page(c, 'GET', `/admin/users/${c.rec.userId}/edit`) },
  { door: 'page', method: 'GET', path: '/admin/audit?unitId=:unit', expect: ADMIN_ONLY(200), run: (c) => page(c, 'GET', `/admin/audit?unitId=${c.unit.id}`) },
  { door: 'page', method: 'GET', path: '/admin/audit.xlsx?unitId=:unit', expect: ADMIN_ONLY(200), run: (c) => page(c, 'GET', `/admin/audit.xlsx?unitId=${c.unit.id}`) },
  // The certificate templates' emblems (not a unit's records): administrators only; none uploaded for mo_hinh here, so 404 past the guard.
  { door: 'page', method: 'GET', path: '/admin/print-layouts/:template/emblem', expect: ADMIN_ONLY(404), run: (c) => page(c, 'GET', '/admin/print-layouts/mo_hinh/emblem') },
  { door: 'page', method: 'POST', path: '/admin/print-layouts/:template/emblem/delete', expect: ADMIN_ONLY(404), run: (c) => page(c, 'POST', '/admin/print-layouts/mo_hinh/emblem/delete') },
  // ---------------------------------------------------------------- notifications: one's own only
  // The record is a notification of an account of the relation's unit: never the caller's, so 404 for
  // every role and relation, the administrator included; the caller's own answers 200 (or 303 on a page).
  {
    door: 'api', method: 'GET', path: '/api/v1/notifications', expect: ALL(200), run: (c) => call(c, 'GET', '/notifications?limit=200'),
    verify: (c, a) => expect(a.body.items.some((n: { id: number }) => n.id === c.rec.notificationId), 'another user\'s notification listed').to.equal(false),
  },
  { door: 'api', method: 'POST', path: '/api/v1/notifications/:id/read (another user\'s)', expect: ALL(404), run: (c) => call(c, 'POST', `/notifications/${c.rec.notificationId}/read`) },
  { door: 'api', method: 'POST', path: '/api/v1/notifications/:id/read (the caller\'s own)', expect: ALL(200), run: async (c) => call(c, 'POST', `/notifications/${await insertNotification(fx.users[c.role as SignedInRole]?.id ?? c.rec.userId)}/read`) },
  { door: 'api', method: 'POST', path: '/api/v1/notifications/read-all', expect: ALL(200), run: (c) => call(c, 'POST', '/notifications/read-all') },
  {
    door: 'page', method: 'GET', path: '/notifications', expect: ALL(200), run: (c) => page(c, 'GET', '/notifications?limit=200'),
    verify: (c, a) => expect(a.text.includes(`/notifications/${c.rec.notificationId}/open"`), 'another user\'s notification listed').to.equal(false),
  },
  { door: 'page', method: 'POST', path: '/notifications/:id/open (another user\'s)', expect: ALL(404), run: (c) => page(c, 'POST', `/notifications/${c.rec.notificationId}/open`) },
  { door: 'page', method: 'POST', path: '/notifications/:id/open (the caller\'s own)', expect: ALL(303), run: async (c) => page(c, 'POST', `/notifications/${await insertNotification(fx.users[c.role as SignedInRole]?.id ?? c.rec.userId)}/open`) },
  { door: 'page', method: 'POST', path: '/notifications/read-all', expect: ALL(303), run: (c) => page(c, 'POST', '/notifications/read-all') },
  // ---------------------------------------------------------------- one's own account: every role, only its own
  // The writes are sent incomplete (422 past the guard): the fixtures' accounts must keep their passwords.
  { door: 'api', method: 'GET', path: '/api/v1/me', expect: ALL(200), run: (c) => call(c, 'GET', '/me') },
  { door: 'api', method: 'PATCH', path: '/api/v1/me', expect: ALL(422), unknownField: 'language', run: (c) => call(c, 'PATCH', '/me', { language: 'fr' }) },
  { door: 'api', method: 'POST', path: '/api/v1/me/password', expect: ALL(422), unknownField: 'currentPassword', run: (c) => call(c, 'POST', '/me/password', {}) },
  { door: 'page', method: 'GET', path: '/account', expect: ALL(200), run: (c) => page(c, 'GET', '/account') },
  { door: 'page', method: 'POST', path: '/account', expect: ALL(422), unknownField: 'language', run: (c) => page(c, 'POST', '/account', { language: 'fr' }) },
  { door: 'page', method: 'POST', path: '/account/password', expect: ALL(422), unknownField: 'currentPassword', run: (c) => page(c, 'POST', '/account/password', {}) },
];

// ------------------------------------------------------------------------------------------------

function expectedStatus(row: Row, role: Role, rel: Relation): number {
  if (role === 'anonymous') return row.door === 'api' ? 401 : 303;
  const cell = row.expect[role];
  if (typeof cell === 'number') return cell;
  return rel === 'sibling' && cell.length === 4 ? cell[2] : cell[RELATIONS.indexOf(rel)]!;
}

describe(`Authorization matrix: ${ROLES.length} roles x ${ROWS.length} routes x ${RELATIONS.length} relations`, function () {
  this.timeout(120_000);

  before(async function () {
    this.timeout(600_000);
    // Under a heavily loaded machine, a client reusing a keep-alive socket the server is just closing gets
    // ECONNRESET; a longer server-side keep-alive removes that race for these long request loops.
    ctx().server.keepAliveTimeout = 120_000;
    const A = await createUnit({ kind: 'province', name: 'Tỉnh cấp trên' });
    const P = await createUnit({ parentId: A.id, kind: 'organisation', name: 'Ban của người dùng' });
    const D = await createUnit({ parentId: P.id, name: 'Phòng trực thuộc' });
    const X = await createUnit({ kind: 'province', name: 'Tỉnh không liên quan' });
    const S = await createUnit({ parentId: A.id, kind: 'commune', name: 'Xã cùng tỉnh' });
    const units = Object.fromEntries(await Promise.all(([['A', A.id], ['P', P.id], ['D', D.id], ['X', X.id], ['S', S.id]] as const).map(async ([key, id]) => [key, await db().selectFrom('units').select(['id', 'code', 'name', 'kind', 'parent_id', 'block_code']).where('id', '=', id).executeTakeFirstOrThrow()]))) as Fixture['units'];
    const users = {} as Fixture['users'];
    for (const role of ['admin', 'agency', 'secretary', 'member', 'printer'] as const) users[role] = await createUserWithToken({ role, unitId: P.id, fullName: `Người dùng ${role}` });
    // P's member is on the committees of P and of A, the province above it.
    await seatOnCommittee(P.id, [users.member.id]);
    await seatOnCommittee(A.id, [users.member.id]);
    const browsers = {} as Fixture['browsers'];
    for (const role of ['admin', 'agency', 'secretary', 'member', 'printer'] as const) browsers[role] = await signedIn(users[role]);
    browsers.anonymous = new Browser();
    await browsers.anonymous.get('/login'); // a session with a CSRF token: its posts reach the guard, which sends them to /login
    const { code: fieldCode } = await db().selectFrom('fields').select('code').orderBy('code').executeTakeFirstOrThrow();
    fx = { units, users, browsers, records: {} as Fixture['records'], fieldCode };
    for (const rel of RELATIONS) fx.records[rel] = await relationRecords(rel);
  });

  for (const row of ROWS) {
    describe(`${row.method} ${row.path}`, () => {
      for (const role of ROLES) {
        for (const rel of RELATIONS) {
          const status = expectedStatus(row, role, rel);
          it(`${role} ${row.method} ${row.path} (${rel} unit) → ${status}`, async () => {
            const c: CellContext = {
              role, rel, rec: fx.records[rel], unit: unitOf(rel), browser: fx.browsers[role],
              token: role === 'anonymous' ? undefined : fx.users[role].token,
            };
            const answer = await row.run(c);
            const summary = /<div class="error-summary"[\s\S]*?<\/ul>/.exec(answer.text)?.[0] ?? /<main[\s\S]{0,600}/.exec(answer.text)?.[0] ?? answer.text.slice(0, 300);
            expect(answer.status, summary).to.equal(status);
            if (role === 'anonymous' && row.door === 'page') expect(answer.location ?? '').to.match(/^\/login\?next=/);
            if (status === 422 && row.door === 'api') expect(answer.body?.error?.details?.map((d: { field: string }) => d.field), 'the unknown reference is named').to.include(row.unknownField);
            if (status === 422 && row.door === 'page') expect(answer.text, 'the unknown reference is marked').to.include(`href="#field-${row.unknownField}"`);
            if (status < 300) row.verify?.(c, answer);
          });
        }
      }
    });
  }
});
