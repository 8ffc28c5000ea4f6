// Known data for the report tests: a province with two departments, a district with a commune,
// and a department of a province merged into it on 1 July 2025 (its successor is the first
// department), with models inserted straight into `models` with the statuses, years, fields,
// blocks and kinds the expected figures below are worked out from, by hand.
import { db } from '../support/context.ts';
import { collective, individual, openRound, seatOnCommittee, submitted, voteAll, type Committee, EARLY_CLOSE } from '../support/awards.ts';
import { createUnit, createUserWithToken, uniqueSuffix } from '../support/factories.ts';
import { api } from '../support/http.ts';

export type Status = 'registered' | 'implementing' | 'completed' | 'recognized' | 'not_recognized' | 'discontinued';

export interface ModelSpec {
  unitId: number;
  year: number;
  field: string;
  block: string;
  kind?: 'model' | 'exemplar';
  status: Status;
  replicatesModelId?: number | null;
}

/** Inserts models in one multi-row INSERT; answers their ids in order. */
export async function insertModels(specs: readonly ModelSpec[]): Promise<number[]> {
  if (specs.length === 0) return [];
  const batch = uniqueSuffix();
  const rows = await db()
    .insertInto('models')
    .values(
      specs.map((spec, index) => ({
        code: `T-${batch}-${index + 1}`,
        title: `Mô hình thử ${batch} số ${index + 1}`,
        unit_id: spec.unitId,
        year: spec.year,
        field_code: spec.field,
        block_code: spec.block,
        kind: spec.kind ?? 'model',
        summary: 'Mô hình "Dân vận khéo" dùng cho báo cáo thử.',
        status: spec.status,
        replicates_model_id: spec.replicatesModelId ?? null,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

export const YEAR = 2024;
export const PREVIOUS = 2023;

/**
 * The province "Tỉnh Sông Hậu (thử)" and its models:
 *
 *   2024 (10)  #  unit            field                        block              kind      status          replicates
 *              1  Sở Giáo dục     kinh_te                      chinh_quyen        model     registered
 *              2  Sở Giáo dục     kinh_te                      chinh_quyen        model     implementing
 *              3  Sở Giáo dục     van_hoa_xa_hoi               chinh_quyen        exemplar  completed
 *              4  Sở GD (merged)  kinh_te                      chinh_quyen        model     recognized
 *              5  Sở GD (merged)  nong_thon_moi                chinh_quyen        model     not_recognized  #1
 *              6  Hội Nông dân    nong_thon_moi                mat_tran_doan_the  model     discontinued
 *              7  Hội Nông dân    kinh_te                      mat_tran_doan_the  exemplar  implementing    #1
 *              8  Xã (district)   nong_thon_moi                chinh_quyen        model     recognized
 *              9  Huyện           do_thi_van_minh              chinh_quyen        model     implementing
 *             10  the province    xay_dung_he_thong_chinh_tri  dang               model     registered
 *
 *   2023 (8): Sở GD kinh_te implementing and registered; merged Sở GD kinh_te recognized; Hội Nông dân
 *   van_hoa_xa_hoi completed, van_hoa_xa_hoi exemplar discontinued, nong_thon_moi implementing;
 *   Huyện do_thi_van_minh implementing; Xã nong_thon_moi completed.
 *   Earlier: 2017 one registered; 2020 one implementing and one registered; 2016 one (before the
 *   trend's eight years). Later: 2025 one (after the report's year).
 *   Elsewhere: a marker model of 2024 in an unrelated province, which never counts.
 */
export async function createReportProvince() {
  const suffix = uniqueSuffix();
  const province = await createUnit({ kind: 'province', name: `Tỉnh Sông Hậu ${suffix}` });
  const education = await createUnit({ parentId: province.id, name: 'Sở Giáo dục và Đào tạo (thử)' });
  const farmers = await createUnit({ parentId: province.id, kind: 'organisation', name: 'Hội Nông dân tỉnh (thử)', blockCode: 'mat_tran_doan_the' });
  const district = await createUnit({ parentId: province.id, kind: 'district', name: 'Huyện Châu Thành (thử)' });
  const commune = await createUnit({ parentId: district.id, kind: 'commune', name: 'Xã An Bình (thử)' });
  // The province merged into this one, and its department merged into the Sở Giáo dục.
  const oldProvince = await createUnit({ kind: 'province', name: `Tỉnh Cửu Long cũ ${suffix}`, validTo: '2025-06-30', successorId: province.id });
  const oldEducation = await createUnit({ parentId: oldProvince.id, name: 'Sở Giáo dục tỉnh cũ (thử)', validTo: '2025-06-30', successorId: education.id });
  const elsewhere = await createUnit({ kind: 'province', name: `Tỉnh Khác ${suffix}` });

  const [first] = await insertModels([{ unitId: education.id, year: YEAR, field: 'kinh_te', block: 'chinh_quyen', status: 'registered' }]);
  await insertModels([
    { unitId: education.id, year: YEAR, field: 'kinh_te', block: 'chinh_quyen', status: 'implementing' },
    { unitId: education.id, year: YEAR, field: 'van_hoa_xa_hoi', block: 'chinh_quyen', kind: 'exemplar', status: 'completed' },
    { unitId: oldEducation.id, year: YEAR, field: 'kinh_te', block: 'chinh_quyen', status: 'recognized' },
    { unitId: oldEducation.id, year: YEAR, field: 'nong_thon_moi', block: 'chinh_quyen', status: 'not_recognized', replicatesModelId: first },
    { unitId: farmers.id, year: YEAR, field: 'nong_thon_moi', block: 'mat_tran_doan_the', status: 'discontinued' },
    { unitId: farmers.id, year: YEAR, field: 'kinh_te', block: 'mat_tran_doan_the', kind: 'exemplar', status: 'implementing', replicatesModelId: first },
    { unitId: commune.id, year: YEAR, field: 'nong_thon_moi', block: 'chinh_quyen', status: 'recognized' },
    { unitId: district.id, year: YEAR, field: 'do_thi_van_minh', block: 'chinh_quyen', status: 'implementing' },
    { unitId: province.id, year: YEAR, field: 'xay_dung_he_thong_chinh_tri', block: 'dang', status: 'registered' },

    { unitId: education.id, year: PREVIOUS, field: 'kinh_te', block: 'chinh_quyen', status: 'implementing' },
    { unitId: education.id, year: PREVIOUS, field: 'kinh_te', block: 'chinh_quyen', status: 'registered' },
    { unitId: oldEducation.id, year: PREVIOUS, field: 'kinh_te', block: 'chinh_quyen', status: 'recognized' },
    { unitId: farmers.id, year: PREVIOUS, field: 'van_hoa_xa_hoi', block: 'mat_tran_doan_the', status: 'completed' },
    { unitId: farmers.id, year: PREVIOUS, field: 'van_hoa_xa_hoi', block: 'mat_tran_doan_the', kind: 'exemplar', status: 'discontinued' },
    { unitId: farmers.id, year: PREVIOUS, field: 'nong_thon_moi', block: 'mat_tran_doan_the', status: 'implementing' },
    { unitId: district.id, year: PREVIOUS, field: 'do_thi_van_minh', block: 'chinh_quyen', status: 'implementing' },
    { unitId: commune.id, year: PREVIOUS, field: 'nong_thon_moi', block: 'chinh_quyen', status: 'completed' },

    { unitId: education.id, year: 2017, field: 'kinh_te', block: 'chinh_quyen', status: 'registered' },
    { unitId: farmers.id, year: 2020, field: 'kinh_te', block: 'mat_tran_doan_the', status: 'implementing' },
    { unitId: oldEducation.id, year: 2020, field: 'kinh_te', block: 'chinh_quyen', status: 'registered' },
    { unitId: education.id, year: 2016, field: 'kinh_te', block: 'chinh_quyen', status: 'recognized' },
    { unitId: education.id, year: 2025, field: 'kinh_te', block: 'chinh_quyen', status: 'implementing' },

    { unitId: elsewhere.id, year: YEAR, field: 'kinh_te', block: 'chinh_quyen', status: 'recognized' },
  ]);

  const secretary = await createUserWithToken({ role: 'secretary', unitId: province.id, fullName: 'Thư ký Hội đồng' });
  return { province, education, farmers, district, commune, oldProvince, oldEducation, elsewhere, secretary };
}

export type ReportProvince = Awaited<ReturnType<typeof createReportProvince>>;

/**
 * A province the size of the seed articles' ("đăng ký xây dựng 1.649 mô hình ... đã và đang triển
 * khai thực hiện 1.546 mô hình (tăng 113 mô hình so với năm 2017)"), in one multi-row INSERT:
 * 2024: 1,649 models (1,546 implementing; 1,200 in the government block), 2023: 1,470 (1,433 implementing).
 */
export async function createLargeProvince() {
  const province = await createUnit({ kind: 'province', name: `Tỉnh Kiên Giang thử ${uniqueSuffix()}` });
  const specs: ModelSpec[] = [];
  for (let i = 0; i < 1649; i++) {
    specs.push({ unitId: province.id, year: YEAR, field: 'kinh_te', block: i < 1200 ? 'chinh_quyen' : 'mat_tran_doan_the', status: i < 1546 ? 'implementing' : 'registered' });
  }
  for (let i = 0; i < 1470; i++) {
    specs.push({ unitId: province.id, year: PREVIOUS, field: 'kinh_te', block: 'chinh_quyen', status: i < 1433 ? 'implementing' : 'registered' });
  }
  await insertModels(specs);
  const secretary = await createUserWithToken({ role: 'secretary', unitId: province.id, fullName: 'Thư ký Hội đồng' });
  return { province, secretary };
}

/**
 * Certificates for the province through the awards API:
 *   round 1, decision of 20/12/2024: a collective and an individual of the Sở Giáo dục, an individual of the Hội Nông dân;
 *   round 2, decision of 25/12/2024: a collective of the merged department, an individual of the Hội Nông dân (revoked);
 *   round 3, decision of 28/12/2023: an individual of the Sở Giáo dục (a certificate of 2023).
 */
export async function awardCertificates(p: ReportProvince) {
  const members = [];
  for (let i = 1; i <= 3; i++) members.push(await createUserWithToken({ role: 'member', unitId: p.province.id, fullName: `Thành viên ${i}` }));
  await seatOnCommittee(p.province.id, members.map((member) => member.id));
  const committee: Committee = {
    province: p.province,
    department: p.education,
    otherDepartment: p.farmers,
    secretary: p.secretary,
    members,
    agency: await createUserWithToken({ role: 'agency', unitId: p.education.id }),
    otherAgency: await createUserWithToken({ role: 'agency', unitId: p.farmers.id }),
  };
  const decide = async (title: string, year: number, signedOn: string, nominations: { body: (roundId: number) => Record<string, unknown>; token: string }[]) => {
    const round = await openRound(committee, { title, year });
    const ids = [];
    for (const n of nominations) ids.push(await submitted(committee, n.body(round.id), n.token));
    for (const id of ids) await voteAll(committee, id, ['approve', 'approve', 'approve']);
    const closed = await api('POST', `/award-rounds/${round.id}/close`, { token: p.secretary.token, body: EARLY_CLOSE });
    if (closed.status !== 200) throw new Error(`round not closed: ${JSON.stringify(closed.body)}`);
    const decision = await api('POST', '/decisions', { token: p.secretary.token, body: { roundId: round.id, signedOn, signerName: 'Hồ Văn Mừng', signerTitle: 'Phó Chủ tịch', nominationIds: ids } });
    if (decision.status !== 201) throw new Error(`decision not issued: ${JSON.stringify(decision.body)}`);
    return { roundId: round.id, title, certificates: decision.body.certificates as { id: number; nominationId: number; recipientName: string }[], nominationIds: ids };
  };
  const agency = committee.agency.token;
  const other = committee.otherAgency.token;
  const round1 = await decide('Tổng kết phong trào thi đua "Dân vận khéo" năm 2024', YEAR, '2024-12-20', [
    { body: (r) => collective(r, p.education.id, { nomineeName: 'Phòng Giáo dục Trung học' }), token: agency },
    { body: (r) => individual(r, p.education.id, { nomineeName: 'Nguyễn Thị Lan' }), token: agency },
    { body: (r) => individual(r, p.farmers.id, { nomineeName: 'Trần Văn An', gender: 'male' }), token: other },
  ]);
  // Round 2 dates from 2024, when the old department still existed (it ended on 30/6/2025, and an
  // ended unit receives nothing new): it is reopened for the round and ended again afterwards.
  const endedOn = (await db().selectFrom('units').select('valid_to').where('id', '=', p.oldEducation.id).executeTakeFirstOrThrow()).valid_to;
  await db().updateTable('units').set({ valid_to: null }).where('id', '=', p.oldEducation.id).execute();
  const round2 = await decide('Khen thưởng chuyên đề dân vận chính quyền năm 2024', YEAR, '2024-12-25', [
    { body: (r) => collective(r, p.oldEducation.id, { nomineeName: 'Phòng Giáo dục Tiểu học tỉnh cũ' }), token: agency },
    { body: (r) => individual(r, p.farmers.id, { nomineeName: 'Lê Văn Bình', gender: 'male' }), token: other },
  ]);
  await db().updateTable('units').set({ valid_to: endedOn }).where('id', '=', p.oldEducation.id).execute();
  const round3 = await decide('Tổng kết công tác dân vận năm 2023', PREVIOUS, '2023-12-28', [
    { body: (r) => individual(r, p.education.id, { nomineeName: 'Phạm Thị Hoa' }), token: agency },
  ]);
  const revoked = round2.certificates.find((c) => c.recipientName === 'Lê Văn Bình');
  if (!revoked) throw new Error('no certificate for Lê Văn Bình');
  const revoke = await api('POST', `/certificates/${revoked.id}/revoke`, { token: p.secretary.token, body: { reason: 'Thu hồi do kê khai sai thành tích' } });
  if (revoke.status !== 200) throw new Error(`certificate not revoked: ${JSON.stringify(revoke.body)}`);
  return { round1, round2, round3, agency: committee.agency, otherAgency: committee.otherAgency };
}
