// A committee to test awards against: a province (the issuing body) with two departments, a
// secretary, members (one of them in a department), agency staff in each department, and a round.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { ctx, db } from './context.ts';
import { createUnit, createUserWithToken } from './factories.ts';
import { api, expectListedReasons, type ApiResponse } from './http.ts';

export async function createCommittee(options: { members?: number; memberInDepartment?: boolean } = {}) {
  const province = await createUnit({ kind: 'province', name: 'Tỉnh thử nghiệm' });
  const department = await createUnit({ parentId: province.id, name: 'Sở Giáo dục và Đào tạo' });
  const otherDepartment = await createUnit({ parentId: province.id, name: 'Sở Y tế' });
  const secretary = await createUserWithToken({ role: 'secretary', unitId: province.id, fullName: 'Thư ký Hội đồng' });
  const memberCount = options.members ?? 3;
  const members = [];
  for (let i = 0; i < memberCount; i++) {
    const inDepartment = options.memberInDepartment && i === memberCount - 1;
    members.push(await createUserWithToken({ role: 'member', unitId: inDepartment ? department.id : province.id, fullName: `Thành viên ${i + 1}` }));
  }
  await seatOnCommittee(province.id, members.map((member) => member.id));
  const agency = await createUserWithToken({ role: 'agency', unitId: department.id });
  const otherAgency = await createUserWithToken({ role: 'agency', unitId: otherDepartment.id });
  return { province, department, otherDepartment, secretary, members, agency, otherAgency };
}

/** Puts member accounts on an issuing body's committee, straight in the database. */
export async function seatOnCommittee(issuingUnitId: number, userIds: readonly number[]): Promise<void> {
  if (userIds.length > 0) await db().insertInto('committee_members').values(userIds.map((user_id) => ({ issuing_unit_id: issuingUnitId, user_id }))).onConflict((c) => c.doNothing()).execute();
}

export type Committee = Awaited<ReturnType<typeof createCommittee>>;

export function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10);
}

export async function openRound(committee: Committee, overrides: Record<string, unknown> = {}) {
  const response = await api('POST', '/award-rounds', {
    token: committee.secretary.token,
    body: { title: 'Tổng kết công tác dân vận chính quyền năm 2025', year: 2025, awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId: committee.province.id, closesOn: inDays(10), ...overrides },
  });
  if (response.status !== 201) throw new Error(`round not created: ${JSON.stringify(response.body)}`);
  return response.body as { id: number; issuingUnitId: number };
}

export function individual(roundId: number, unitId: number, overrides: Record<string, unknown> = {}) {
  return {
    roundId, unitId, nomineeKind: 'individual', nomineeName: 'Nguyễn Thị Lan', position: 'Phó Trưởng phòng', gender: 'female', birthYear: 1980,
    achievement: 'Đã có thành tích xuất sắc trong công tác dân vận chính quyền năm 2025', ...overrides,
  };
}

export function collective(roundId: number, unitId: number, overrides: Record<string, unknown> = {}) {
  return { roundId, unitId, nomineeKind: 'collective', nomineeName: 'Phòng Giáo dục Trung học', achievement: 'Đã có thành tích xuất sắc trong phong trào thi đua "Dân vận khéo"', ...overrides };
}

/** Creates and submits a nomination; answers its id. */
const DOCUMENT_NAMES: Record<string, string> = { proposal: 'to-trinh.pdf', minutes: 'bien-ban-hop-xet.pdf', achievement_report: 'bao-cao-thanh-tich.pdf', other: 'tai-lieu-khac.pdf' };

/**
 * Gives a nomination the documents its award kind's checklist asks for and it lacks, one small PDF
 * each, written as an upload stores them (test/awards/dossier.test.ts uploads through the API).
 */
export async function attachRequiredFiles(nominationId: number): Promise<void> {
  const { required, present, uploader } = await db()
    .selectFrom('nominations')
    .innerJoin('award_rounds', 'award_rounds.id', 'nominations.round_id')
    .innerJoin('award_kinds', 'award_kinds.code', 'award_rounds.award_kind')
    .select(['award_kinds.required_files as required', 'nominations.created_by as uploader'])
    .select((eb) => eb.fn.coalesce(eb.selectFrom('nomination_files').select(sql<string[]>`array_agg(kind)`.as('k')).whereRef('nomination_files.nomination_id', '=', 'nominations.id'), sql<string[]>`'{}'::text[]`).as('present'))
    .where('nominations.id', '=', nominationId)
    .executeTakeFirstOrThrow();
  for (const kind of required.filter((k) => !present.includes(k))) {
    const content = pdfBytes(`${kind} ${nominationId}`);
    const file = await db()
      .insertInto('nomination_files')
      .values({ nomination_id: nominationId, kind: kind as 'proposal', file_name: DOCUMENT_NAMES[kind]!, content_type: 'application/pdf', size_bytes: content.length, sha256: createHash('sha256').update(content).digest('hex'), uploaded_by: uploader })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db().insertInto('nomination_file_contents').values({ file_id: file.id, content }).execute();
  }
}

export async function submitted(committee: Committee, body: Record<string, unknown>, token = committee.agency.token): Promise<number> {
  const created = await api('POST', '/nominations', { token, body });
  if (created.status !== 201) throw new Error(`nomination not created: ${JSON.stringify(created.body)}`);
  await attachRequiredFiles(created.body.id);
  const sent = await api('POST', `/nominations/${created.body.id}/submit`, { token });
  if (sent.status !== 200) throw new Error(`nomination not submitted: ${JSON.stringify(sent.body)}`);
  return created.body.id;
}

export async function voteAll(committee: Committee, nominationId: number, votes: ('approve' | 'reject')[]) {
  for (const [index, vote] of votes.entries()) {
    const response = await api('POST', `/nominations/${nominationId}/votes`, { token: committee.members[index]!.token, body: { vote } });
    if (response.status !== 201) throw new Error(`vote refused: ${JSON.stringify(response.body)}`);
  }
}

/** Closes a round as its secretary; throws unless it answers 200. */
/** Closing a round before its closing date is on purpose only (API.md): the body the tests close with. */
export const EARLY_CLOSE = { early: true, reason: 'Hội đồng đã họp xét đủ hồ sơ trước hạn' } as const;

export async function closeRound(committee: Committee, roundId: number) {
  const response = await api('POST', `/award-rounds/${roundId}/close`, { token: committee.secretary.token, body: EARLY_CLOSE });
  if (response.status !== 200) throw new Error(`round not closed: ${JSON.stringify(response.body)}`);
  return response.body as { id: number; status: string; outcomes: { nominationId: number; status: string; approvals: number; rejections: number; eligibleVoters: number }[] };
}

/**
 * A closed round of the committee's province in which each given nominee was submitted by the
 * department and approved (two of three members approve); answers the round and the ids by name.
 */
export async function approvedInClosedRound(committee: Committee, nominees: { name: string; kind: 'individual' | 'collective' }[], roundOverrides: Record<string, unknown> = {}) {
  const round = await openRound(committee, roundOverrides);
  const ids: Record<string, number> = {};
  for (const nominee of nominees) {
    const body = nominee.kind === 'individual' ? individual(round.id, committee.department.id, { nomineeName: nominee.name }) : collective(round.id, committee.department.id, { nomineeName: nominee.name });
    const id = await submitted(committee, body);
    await voteAll(committee, id, ['approve', 'approve']);
    ids[nominee.name] = id;
  }
  await closeRound(committee, round.id);
  return { round, ids };
}

export function decisionBody(roundId: number, nominationIds: number[], overrides: Record<string, unknown> = {}) {
  return { roundId, signedOn: '2025-12-20', signerName: 'Hồ Văn Mừng', signerTitle: 'Phó Chủ tịch Ủy ban nhân dân tỉnh', nominationIds, ...overrides };
}

/** Rows in each table, to show that a refused request wrote nothing. */
export async function rowCounts(tables: readonly string[] = ['award_rounds', 'nominations', 'nomination_models', 'nomination_files', 'nomination_file_contents', 'votes', 'decisions', 'certificates', 'decision_counters', 'register_counters', 'audit_log']) {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await db().selectFrom(table as 'units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

/** A small but real PDF file. */
export function pdfBytes(text = 'Tờ trình đề nghị khen thưởng'): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'utf8');
}

/** Posts a dossier file as a browser would: multipart/form-data with the fields `kind` and `file`. */
export async function uploadDossierFile(token: string | undefined, nominationId: number, file: { name: string; content: Uint8Array; type?: string; kind?: string | null; language?: string }): Promise<ApiResponse> {
  const form = new FormData();
  if (file.kind !== null) form.append('kind', file.kind ?? 'proposal');
  form.append('file', new Blob([new Uint8Array(file.content)], { type: file.type ?? 'application/pdf' }), file.name);
  const path = `/nominations/${nominationId}/files`;
  const response = await fetch(`${ctx().baseUrl}/api/v1${path}`, {
    method: 'POST',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(file.language ? { 'accept-language': file.language } : {}) },
    body: form,
  });
  const text = await response.text();
  const body = text ? JSON.parse(text) : undefined;
  expectListedReasons('POST', path, response.status, body);
  return { status: response.status, body, headers: response.headers };
}

/** GETs a file from the API as bytes. */
export async function downloadBytes(token: string | undefined, path: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const response = await fetch(`${ctx().baseUrl}/api/v1${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), headers: response.headers };
}
