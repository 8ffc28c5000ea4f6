// A committee to test awards against: a province (the issuing body) with two departments, a
// secretary, members (one of them in a department), agency staff in each department, and a round.
import { createUnit, createUserWithToken } from './factories.ts';
import { api } from './http.ts';

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
  const agency = await createUserWithToken({ role: 'agency', unitId: department.id });
  const otherAgency = await createUserWithToken({ role: 'agency', unitId: otherDepartment.id });
  return { province, department, otherDepartment, secretary, members, agency, otherAgency };
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
export async function submitted(committee: Committee, body: Record<string, unknown>, token = committee.agency.token): Promise<number> {
  const created = await api('POST', '/nominations', { token, body });
  if (created.status !== 201) throw new Error(`nomination not created: ${JSON.stringify(created.body)}`);
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
