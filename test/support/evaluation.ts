// Criteria sets and completed models to evaluate, made through the API as offices make them.
import { expect } from 'chai';
import { api } from './http.ts';
import type { Committee } from './awards.ts';

export const CRITERIA = [
  { code: 'TC1', name: 'Vận động được đông đảo nhân dân tham gia', maxScore: 30, group: 'I. Hiệu quả' },
  { code: 'TC2', name: 'Mang lại lợi ích thiết thực cho người dân', maxScore: 40, group: 'I. Hiệu quả' },
  { code: 'TC3', name: 'Có khả năng nhân rộng', maxScore: 30, group: 'II. Nhân rộng' },
];

export async function completedModel(committee: Committee, title: string, token = committee.agency.token, unitId = committee.department.id): Promise<number> {
  const created = await api('POST', '/models', { token, body: { title, unitId, year: 2025, fieldCode: 'nong_thon_moi', kind: 'model', summary: `${title}: vận động nhân dân cùng làm.` } });
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  for (const status of ['implementing', 'completed']) {
    expect((await api('POST', `/models/${created.body.id}/reports`, { token, body: { status, reportedOn: '2025-10-20', note: 'Đơn vị tự đánh giá: đạt yêu cầu' } })).status).to.equal(201);
  }
  return created.body.id as number;
}

export async function createSet(committee: Committee, overrides: Record<string, unknown> = {}) {
  const answer = await api('POST', '/criteria-sets', { token: committee.secretary.token, body: { title: 'Bộ tiêu chí mô hình "Dân vận khéo" năm 2025', year: 2025, issuingUnitId: committee.province.id, threshold: 75, criteria: CRITERIA, ...overrides } });
  expect(answer.status, JSON.stringify(answer.body)).to.equal(201);
  return answer.body as { id: number; scale: number; threshold: number };
}

