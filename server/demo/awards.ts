// Demo awards, made through the same services the pages use so they hold every rule: a 2024 round
// already decided (Quyết định with numbered certificates, ready to print) and a 2025 round open for
// nominations, with submitted, returned and draft dossiers and some votes.
import type { Database } from '../db/database.ts';
import * as awards from '../awards/service.ts';
import * as evaluation from '../evaluation/service.ts';
import { callerFor, type Caller } from '../auth/caller.ts';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { todayInVietnam } from '../web/i18n/index.ts';

async function viewerFor(db: Database, username: string): Promise<Caller> {
  const user = await db
    .selectFrom('users')
    .innerJoin('units', 'units.id', 'users.unit_id')
    .select(['users.id', 'users.username', 'users.full_name', 'users.role', 'users.unit_id', 'units.name as unit_name'])
    .where('users.username', '=', username)
    .executeTakeFirstOrThrow();
  return callerFor(db, { id: user.id, username: user.username, fullName: user.full_name, role: user.role, unitId: user.unit_id, unitName: user.unit_name, language: 'vi' });
}

const unitId = async (db: Database, code: string) => (await db.selectFrom('units').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;

/** The demo's documents, one page each with its title (the standard PDF font has no Vietnamese letters, hence folded). */
const DOCUMENTS = { proposal: 'To trinh de nghi khen thuong', minutes: 'Bien ban hop xet cua Hoi dong Thi dua - Khen thuong', achievement_report: 'Bao cao thanh tich' } as const;

async function demoPdf(title: string, nominee: string): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.TimesRoman);
  const page = pdf.addPage([595, 842]);
  page.drawText(title.toUpperCase(), { x: 72, y: 760, size: 14, font });
  page.drawText(nominee.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D'), { x: 72, y: 730, size: 12, font });
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

/** Attaches the documents the award kind asks for, through the service, before the dossier is submitted. */
async function attachDocuments(db: Database, caller: Caller, nominationId: number, nominee: string): Promise<void> {
  for (const [kind, title] of Object.entries(DOCUMENTS) as [keyof typeof DOCUMENTS, string][]) {
    await awards.attachDossierFile(db, caller, nominationId, { kind, fileName: `${kind.replaceAll('_', '-')}.pdf`, content: await demoPdf(title, nominee) });
  }
}

const ACHIEVEMENT = 'Đã có thành tích xuất sắc trong thực hiện phong trào thi đua "Dân vận khéo" và công tác dân vận chính quyền năm';

export async function seedDemoAwards(db: Database): Promise<void> {
  const [secretary, agency, admin] = await Promise.all([viewerFor(db, 'secretary'), viewerFor(db, 'agency'), viewerFor(db, 'admin')]);
  const members = await Promise.all(['member1', 'member2', 'member3'].map((name) => viewerFor(db, name)));
  const province = await unitId(db, 'AG');
  const education = await unitId(db, 'AG.SGDDT');
  const inAMonth = new Date(Date.now() + 30 * 86_400_000);

  // 2024: decided. Nominated by the administrator for several units, as the secretariat did then.
  const past = await awards.createRound(db, secretary, {
    title: 'Tổng kết công tác dân vận chính quyền năm 2024', year: 2024, awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId: province, closesOn: todayInVietnam(inAMonth), publicComment: true,
  });
  const pastNominees = [
    { kind: 'collective', name: 'Phòng Giáo dục Trung học, Sở Giáo dục và Đào tạo', unit: 'AG.SGDDT' },
    { kind: 'collective', name: 'Ủy ban nhân dân xã Châu Thành', unit: 'AG.X-CHAUTHANH' },
    { kind: 'collective', name: 'Công an phường Rạch Giá', unit: 'AG.CA' },
    { kind: 'individual', name: 'Nguyễn Văn Tâm', position: 'Chủ tịch Ủy ban nhân dân', gender: 'male', birthYear: 1976, unit: 'AG.X-GIONGRIENG' },
    { kind: 'individual', name: 'Lê Thị Ánh Tuyết', position: 'Phó Trưởng phòng Chính trị, tư tưởng', gender: 'female', birthYear: 1984, unit: 'AG.SGDDT' },
    { kind: 'individual', name: 'Đặng Hoàng Anh', position: 'Chuyên viên Ban Dân vận Tỉnh ủy', gender: 'male', birthYear: 1990, unit: 'AG.BDV' },
    { kind: 'individual', name: 'Trần Thị Bích Ngọc', position: 'Trưởng ấp Phước Hòa', gender: 'female', birthYear: 1979, unit: 'AG.DK-PHUQUOC' },
  ] as const;
  const pastIds: number[] = [];
  for (const nominee of pastNominees) {
    const nomination = await awards.createNomination(db, admin, {
      roundId: past.id, nomineeKind: nominee.kind, unitId: await unitId(db, nominee.unit), nomineeName: nominee.name, achievement: `${ACHIEVEMENT} 2024.`,
      ...(nominee.kind === 'individual' ? { position: nominee.position, gender: nominee.gender, birthYear: nominee.birthYear } : {}),
    });
    await attachDocuments(db, admin, nomination.id, nominee.name);
    await awards.submitNomination(db, admin, nomination.id);
    pastIds.push(nomination.id);
  }
  await awards.publishRound(db, secretary, past.id);
  for (const [index, id] of pastIds.entries()) {
    for (const [m, member] of members.entries()) await awards.castVote(db, member, id, { vote: index === pastIds.length - 1 && m > 0 ? 'reject' : 'approve' });
  }
  await awards.closeRound(db, secretary, past.id, { early: true, reason: 'Hội đồng họp xét ngày 15/12/2024' });
  await awards.issueDecision(db, secretary, {
    roundId: past.id, signedOn: '2024-12-20', signerName: 'Nguyễn Thanh Nhàn', signerTitle: 'KT. CHỦ TỊCH - PHÓ CHỦ TỊCH', number: '2875/QĐ-UBND', nominationIds: pastIds.slice(0, -1),
  });
  await db.updateTable('award_rounds').set({ closes_on: '2024-12-10' }).where('id', '=', past.id).execute();

  // 2025: open, the agency's dossiers at every step.
  const current = await awards.createRound(db, secretary, {
    title: 'Tổng kết phong trào thi đua "Dân vận khéo" năm 2025', year: 2025, awardKind: 'bang_khen_chu_tich_ubnd_tinh', issuingUnitId: province, closesOn: todayInVietnam(inAMonth),
  });
  const currentNominees = [
    { kind: 'collective', name: 'Trường THPT Nguyễn Trung Trực', status: 'submitted' },
    { kind: 'individual', name: 'Phạm Thị Thu Trang', position: 'Giáo viên Trường THCS Vĩnh Lạc', gender: 'female', birthYear: 1988, status: 'submitted' },
    { kind: 'individual', name: 'Huỳnh Văn Lộc', position: 'Hiệu trưởng Trường Tiểu học Mong Thọ', gender: 'male', birthYear: 1972, status: 'returned' },
    { kind: 'collective', name: 'Phòng Tổ chức cán bộ, Sở Giáo dục và Đào tạo', status: 'draft' },
  ] as const;
  for (const nominee of currentNominees) {
    const nomination = await awards.createNomination(db, agency, {
      roundId: current.id, nomineeKind: nominee.kind, unitId: education, nomineeName: nominee.name, achievement: `${ACHIEVEMENT} 2025.`,
      ...(nominee.kind === 'individual' ? { position: nominee.position, gender: nominee.gender, birthYear: nominee.birthYear } : {}),
    });
    if (nominee.status === 'draft') continue;
    await attachDocuments(db, agency, nomination.id, nominee.name);
    await awards.submitNomination(db, agency, nomination.id);
    if (nominee.status === 'returned') await awards.returnNomination(db, secretary, nomination.id, { reason: 'Bổ sung biên bản họp xét của Hội đồng Thi đua - Khen thưởng cơ sở.' });
    else await awards.castVote(db, members[0]!, nomination.id, { vote: 'approve', comment: 'Thành tích rõ, có mô hình cụ thể.' });
  }
}

/**
 * The centre's open round of this year for the Prime Minister's certificate of merit, closing in about
 * two months: the round a province forwards its best nominees to. Its decisions are numbered .../QĐ-TTg.
 */
export async function seedCentreRound(db: Database): Promise<void> {
  const secretary = await viewerFor(db, 'tw.secretary');
  const year = Number(todayInVietnam().slice(0, 4));
  await awards.createRound(db, secretary, {
    title: `Khen thưởng điển hình Dân vận khéo toàn quốc năm ${year}`,
    year,
    awardKind: 'bang_khen_thu_tuong',
    issuingUnitId: secretary.user.unitId,
    closesOn: todayInVietnam(new Date(Date.now() + 61 * 86_400_000)),
    decisionSuffix: 'QĐ-TTg',
  });
}

/**
 * A criteria set of the province for the latest year with completed models (the scale of a typical
 * provincial "Bộ tiêu chí"), scored by two members on two models, so the results page has something
 * to show and the third member something to score.
 */
export async function seedDemoEvaluation(db: Database): Promise<void> {
  const latest = await db.selectFrom('models').select((eb) => eb.fn.max('year').as('year')).where('status', '=', 'completed').executeTakeFirst();
  if (!latest?.year) return;
  const year = Number(latest.year);
  const [secretary, ...members] = await Promise.all(['secretary', 'member1', 'member2'].map((name) => viewerFor(db, name)));
  const { set } = await evaluation.createCriteriaSet(db, secretary!, {
    title: `Bộ tiêu chí đánh giá mô hình "Dân vận khéo" năm ${year}`, year, issuingUnitId: await unitId(db, 'AG'), threshold: 70,
    criteria: [
      { code: 'TC1', name: 'Mô hình có mục tiêu, nội dung rõ ràng, phù hợp thực tiễn địa phương', maxScore: 15, group: 'I. Xây dựng mô hình' },
      { code: 'TC2', name: 'Có kế hoạch, phân công và sự vào cuộc của cả hệ thống chính trị', maxScore: 15, group: 'I. Xây dựng mô hình' },
      { code: 'TC3', name: 'Vận động được đông đảo nhân dân tự nguyện tham gia', maxScore: 25, group: 'II. Hiệu quả' },
      { code: 'TC4', name: 'Mang lại lợi ích thiết thực, đo đếm được cho người dân', maxScore: 30, group: 'II. Hiệu quả' },
      { code: 'TC5', name: 'Có khả năng duy trì và nhân rộng', maxScore: 15, group: 'III. Nhân rộng' },
    ],
  });
  const work = await evaluation.memberWork(db, members[0]!, set.id);
  const scores = [[13, 12, 22, 26, 12], [10, 11, 16, 20, 9]];
  for (const [index, item] of work.items.filter((entry) => entry.state === 'to_score').slice(0, 2).entries()) {
    for (const member of members) {
      const given = scores[index]!.map((score, at) => ({ code: `TC${at + 1}`, score: Math.max(0, score - (member === members[1] ? 1 : 0)) }));
      await evaluation.score(db, member, set.id, { of: 'models', id: item.id }, { scores: given, submit: true });
    }
  }
  await seedDemoUnitEvaluation(db, secretary!, members, year);
}

/**
 * The province's set for communes reaching "Chính quyền thân thiện" that year: Xã Châu Thành has sent
 * its self-assessment (the demo's `chauthanh` account), member1 and member2 scored it and Phường Rạch Giá.
 */
async function seedDemoUnitEvaluation(db: Database, secretary: Caller, members: readonly Caller[], year: number): Promise<void> {
  const { set } = await evaluation.createCriteriaSet(db, secretary, {
    title: `Bộ tiêu chí xã, phường, đặc khu đạt chuẩn "Chính quyền thân thiện" năm ${year}`, year, issuingUnitId: await unitId(db, 'AG'), threshold: 80,
    subject: 'units', unitKinds: ['commune'],
    criteria: [
      { code: 'TC1', name: 'Niêm yết công khai thủ tục hành chính; tiếp nhận, trả kết quả đúng hẹn', maxScore: 30, group: 'I. Phục vụ nhân dân' },
      { code: 'TC2', name: 'Cán bộ, công chức tiếp dân văn minh, lịch sự; không gây phiền hà', maxScore: 25, group: 'I. Phục vụ nhân dân' },
      { code: 'TC3', name: 'Tổ chức đối thoại, tiếp thu và giải quyết kiến nghị của người dân', maxScore: 25, group: 'II. Dân chủ ở cơ sở' },
      { code: 'TC4', name: 'Tỷ lệ người dân hài lòng qua khảo sát', maxScore: 20, group: 'III. Sự hài lòng' },
    ],
  });
  const scores = (values: readonly number[]) => values.map((score, at) => ({ code: `TC${at + 1}`, score }));
  const clerk = await viewerFor(db, 'chauthanh');
  await evaluation.assessOwnUnit(db, clerk, set.id, { scores: scores([29, 24, 22, 18]).map((entry) => (entry.code === 'TC1' ? { ...entry, comment: '100% hồ sơ trả đúng hẹn' } : entry)), submit: true });
  const [chauThanh, rachGia] = [await unitId(db, 'AG.X-CHAUTHANH'), await unitId(db, 'AG.P-RACHGIA')];
  for (const [member, ownScores, wardScores] of [[members[0]!, [27, 22, 20, 17], [24, 20, 18, 15]], [members[1]!, [26, 23, 19, 16], [25, 19, 17, 15]]] as const) {
    await evaluation.score(db, member, set.id, { of: 'units', id: chauThanh }, { scores: scores(ownScores), submit: true });
    await evaluation.score(db, member, set.id, { of: 'units', id: rachGia }, { scores: scores(wardScores), submit: true });
  }
}
