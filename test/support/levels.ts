// Two levels of the movement for the forwarding tests: a province body with its committee (the
// upper one, as createCommittee makes it) and, under it, a commune body with its own secretariat and
// committee and a school that nominates; a sibling commune with its own secretariat stands beside it.
import { api } from './http.ts';
import { closeRound, createCommittee, individual, openRound, seatOnCommittee, submitted, voteAll, type Committee } from './awards.ts';
import { createUnit, createUserWithToken } from './factories.ts';

export async function createLevels() {
  const upper = await createCommittee();
  const lower = await communeCommittee(upper.province.id, 'Xã Thử Nghiệm');
  const sibling = await communeCommittee(upper.province.id, 'Xã Bên Cạnh');
  return { upper, lower, sibling };
}

export type Levels = Awaited<ReturnType<typeof createLevels>>;

/** A commune under the province, shaped as a Committee so the awards helpers work on it. */
async function communeCommittee(provinceId: number, name: string): Promise<Committee> {
  const commune = await createUnit({ kind: 'commune', parentId: provinceId, name });
  const school = await createUnit({ parentId: commune.id, name: `Trường Tiểu học ${name.replace('Xã ', '')}` });
  const clinic = await createUnit({ parentId: commune.id, name: `Trạm Y tế ${name}` });
  const secretary = await createUserWithToken({ role: 'secretary', unitId: commune.id, fullName: `Văn phòng ${name}` });
  const members = [];
  for (let i = 0; i < 3; i++) members.push(await createUserWithToken({ role: 'member', unitId: commune.id, fullName: `Ủy viên ${i + 1} ${name}` }));
  await seatOnCommittee(commune.id, members.map((member) => member.id));
  const agency = await createUserWithToken({ role: 'agency', unitId: school.id });
  const otherAgency = await createUserWithToken({ role: 'agency', unitId: clinic.id });
  return { province: commune, department: school, otherDepartment: clinic, secretary, members, agency, otherAgency };
}

/** A commune round whose committee approved the named people, closed: ready to go up. */
export async function approvedBelow(lower: Committee, names: readonly string[]): Promise<{ roundId: number; ids: number[] }> {
  const round = await openRound(lower, { title: 'Khen thưởng phong trào Dân vận khéo cấp xã năm 2025', awardKind: 'giay_khen' });
  const ids: number[] = [];
  for (const name of names) {
    const id = await submitted(lower, individual(round.id, lower.department.id, { nomineeName: name }));
    await voteAll(lower, id, ['approve', 'approve', 'approve']);
    ids.push(id);
  }
  await closeRound(lower, round.id);
  return { roundId: round.id, ids };
}

export async function forward(token: string, nominationId: number, roundId: number) {
  return api('POST', `/nominations/${nominationId}/forward`, { token, body: { roundId } });
}
