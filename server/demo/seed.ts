// Demo data: Kiên Giang as it was in 2018 (districts, communes, departments) and the An Giang
// that succeeded it on 1 July 2025, so unit history is visible from the first start, both provinces
// in force under the centre (sql/0016); one account per role, and the centre's secretary, all with
// DEMO_PASSWORD.
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { seedCentreRound, seedDemoAwards, seedDemoEvaluation } from './awards.ts';
import { recordAction, SYSTEM_ACTOR } from '../audit/audit.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { Role } from '../auth/user.ts';
import { type ModelStatus } from '../models/status.ts';

/** Stands for the centre's code in DEMO_UNITS and DEMO_USERS: the migration made it, as TW (or VN-TW). */
export const CENTRE = 'TW';

interface DemoUnit {
  code: string;
  name: string;
  kind: 'province' | 'district' | 'commune' | 'agency' | 'organisation';
  block?: string;
  /** A demo unit's code, or CENTRE. */
  parent?: string;
  validFrom?: string;
  validTo?: string;
  successor?: string;
}

const MERGER_EVE = '2025-06-30';
const MERGER_DAY = '2025-07-01';

// Successors first: a unit can only point to a unit already inserted.
export const DEMO_UNITS: DemoUnit[] = [
  // Today's province and its units, from 1 July 2025.
  { code: 'AG', name: 'Tỉnh An Giang', kind: 'province', block: 'chinh_quyen', parent: CENTRE, validFrom: MERGER_DAY },
  { code: 'AG.UBND', name: 'Ủy ban nhân dân tỉnh An Giang', kind: 'agency', block: 'chinh_quyen', parent: 'AG', validFrom: MERGER_DAY },
  { code: 'AG.SNV', name: 'Sở Nội vụ tỉnh An Giang', kind: 'agency', block: 'chinh_quyen', parent: 'AG', validFrom: MERGER_DAY },
  { code: 'AG.SGDDT', name: 'Sở Giáo dục và Đào tạo tỉnh An Giang', kind: 'agency', block: 'chinh_quyen', parent: 'AG', validFrom: MERGER_DAY },
  { code: 'AG.BDV', name: 'Ban Dân vận Tỉnh ủy An Giang', kind: 'agency', block: 'dang', parent: 'AG', validFrom: MERGER_DAY },
  { code: 'AG.MTTQ', name: 'Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh An Giang', kind: 'organisation', block: 'mat_tran_doan_the', parent: 'AG', validFrom: MERGER_DAY },
  { code: 'AG.CA', name: 'Công an tỉnh An Giang', kind: 'agency', block: 'luc_luong_vu_trang', parent: 'AG', validFrom: MERGER_DAY },
  { code: 'AG.P-RACHGIA', name: 'Phường Rạch Giá', kind: 'commune', block: 'chinh_quyen', parent: 'AG', validFrom: MERGER_DAY },
  { code: 'AG.X-CHAUTHANH', name: 'Xã Châu Thành', kind: 'commune', block: 'chinh_quyen', parent: 'AG', validFrom: MERGER_DAY },
  { code: 'AG.X-GIONGRIENG', name: 'Xã Giồng Riềng', kind: 'commune', block: 'chinh_quyen', parent: 'AG', validFrom: MERGER_DAY },
  { code: 'AG.DK-PHUQUOC', name: 'Đặc khu Phú Quốc', kind: 'commune', block: 'chinh_quyen', parent: 'AG', validFrom: MERGER_DAY },

  // Kiên Giang as it was from 2018 until the merger.
  { code: 'KG', name: 'Tỉnh Kiên Giang', kind: 'province', block: 'chinh_quyen', validFrom: '2018-01-01', validTo: MERGER_EVE, successor: 'AG' },
  { code: 'KG.UBND', name: 'Ủy ban nhân dân tỉnh Kiên Giang', kind: 'agency', block: 'chinh_quyen', parent: 'KG', validTo: MERGER_EVE, successor: 'AG.UBND' },
  { code: 'KG.SNV', name: 'Sở Nội vụ tỉnh Kiên Giang', kind: 'agency', block: 'chinh_quyen', parent: 'KG', validTo: MERGER_EVE, successor: 'AG.SNV' },
  { code: 'KG.SGDDT', name: 'Sở Giáo dục và Đào tạo tỉnh Kiên Giang', kind: 'agency', block: 'chinh_quyen', parent: 'KG', validTo: MERGER_EVE, successor: 'AG.SGDDT' },
  { code: 'KG.BDV', name: 'Ban Dân vận Tỉnh ủy Kiên Giang', kind: 'agency', block: 'dang', parent: 'KG', validTo: MERGER_EVE, successor: 'AG.BDV' },
  { code: 'KG.MTTQ', name: 'Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Kiên Giang', kind: 'organisation', block: 'mat_tran_doan_the', parent: 'KG', validTo: MERGER_EVE, successor: 'AG.MTTQ' },
  { code: 'KG.CA', name: 'Công an tỉnh Kiên Giang', kind: 'agency', block: 'luc_luong_vu_trang', parent: 'KG', validTo: MERGER_EVE, successor: 'AG.CA' },
  { code: 'KG.TP-RACHGIA', name: 'Thành phố Rạch Giá', kind: 'district', block: 'chinh_quyen', parent: 'KG', validTo: MERGER_EVE },
  { code: 'KG.P-VINHTHANHVAN', name: 'Phường Vĩnh Thanh Vân', kind: 'commune', block: 'chinh_quyen', parent: 'KG.TP-RACHGIA', validTo: MERGER_EVE, successor: 'AG.P-RACHGIA' },
  { code: 'KG.P-VINHLAC', name: 'Phường Vĩnh Lạc', kind: 'commune', block: 'chinh_quyen', parent: 'KG.TP-RACHGIA', validTo: MERGER_EVE, successor: 'AG.P-RACHGIA' },
  { code: 'KG.H-CHAUTHANH', name: 'Huyện Châu Thành', kind: 'district', block: 'chinh_quyen', parent: 'KG', validTo: MERGER_EVE },
  { code: 'KG.TT-MINHLUONG', name: 'Thị trấn Minh Lương', kind: 'commune', block: 'chinh_quyen', parent: 'KG.H-CHAUTHANH', validTo: MERGER_EVE, successor: 'AG.X-CHAUTHANH' },
  { code: 'KG.X-MONGTHOA', name: 'Xã Mong Thọ A', kind: 'commune', block: 'chinh_quyen', parent: 'KG.H-CHAUTHANH', validTo: MERGER_EVE, successor: 'AG.X-CHAUTHANH' },
  { code: 'KG.H-GIONGRIENG', name: 'Huyện Giồng Riềng', kind: 'district', block: 'chinh_quyen', parent: 'KG', validTo: MERGER_EVE },
  { code: 'KG.TT-GIONGRIENG', name: 'Thị trấn Giồng Riềng', kind: 'commune', block: 'chinh_quyen', parent: 'KG.H-GIONGRIENG', validTo: MERGER_EVE, successor: 'AG.X-GIONGRIENG' },
  { code: 'KG.TP-PHUQUOC', name: 'Thành phố Phú Quốc', kind: 'district', block: 'chinh_quyen', parent: 'KG', validFrom: '2020-12-01', validTo: MERGER_EVE, successor: 'AG.DK-PHUQUOC' },

  // A neighbouring province, outside the demo users' scope.
  { code: 'CT', name: 'Thành phố Cần Thơ', kind: 'province', block: 'chinh_quyen', parent: CENTRE, validFrom: MERGER_DAY },
  { code: 'CT.SNV', name: 'Sở Nội vụ thành phố Cần Thơ', kind: 'agency', block: 'chinh_quyen', parent: 'CT', validFrom: MERGER_DAY },
];

export const DEMO_USERS: { username: string; fullName: string; role: Role; unit: string }[] = [
  { username: 'admin', fullName: 'Quản trị hệ thống', role: 'admin', unit: 'AG' },
  { username: 'secretary', fullName: 'Nguyễn Thị Thu Hà', role: 'secretary', unit: 'AG' },
  { username: 'member1', fullName: 'Trần Văn Bình', role: 'member', unit: 'AG' },
  { username: 'member2', fullName: 'Lê Thị Ngọc Ánh', role: 'member', unit: 'AG' },
  { username: 'member3', fullName: 'Phạm Quốc Đạt', role: 'member', unit: 'AG' },
  { username: 'printer', fullName: 'Võ Thị Mỹ Dung', role: 'printer', unit: 'AG' },
  { username: 'agency', fullName: 'Đặng Minh Khôi', role: 'agency', unit: 'AG.SGDDT' },
  { username: 'chauthanh', fullName: 'Huỳnh Thị Kim Ngân', role: 'agency', unit: 'AG.X-CHAUTHANH' },
  // The centre's secretary: sees the whole country, acts for the centre; the province's accounts do not.
  { username: 'tw.secretary', fullName: 'Trần Thị Minh Nguyệt', role: 'secretary', unit: CENTRE },
];

/** The province's Hội đồng Thi đua - Khen thưởng: the three member accounts, named. */
export const DEMO_COMMITTEES: Record<string, string[]> = { AG: ['member1', 'member2', 'member3'] };

/** The accounts added with the centre: a demo database made before it gets them (seedCentreOnce). */
const CENTRE_USERS = DEMO_USERS.filter((user) => user.unit === CENTRE);

/** Loads the demo units and accounts once; answers false when they are already there. */
export async function seedDemo(db: Database, demoPassword: string): Promise<boolean> {
  if (await db.selectFrom('units').select('id').where('code', '=', 'AG').executeTakeFirst()) {
    await seedAwardsOnce(db); // a demo database made before awards existed gets them too
    await seedCentreOnce(db, demoPassword); // and one made before the centre, its secretary and round
    await seedEvaluationOnce(db); // and one made before evaluation by criteria
    return false;
  }
  const passwordHash = await hashPassword(demoPassword);
  await db.transaction().execute(async (trx) => {
    const ids = await insertUnits(trx);
    const userIds = new Map<string, number>();
    for (const user of DEMO_USERS) {
      const row = await trx
        .insertInto('users')
        .values({ username: user.username, password_hash: passwordHash, full_name: user.fullName, role: user.role, unit_id: ids.get(user.unit) as number })
        .returning('id')
        .executeTakeFirstOrThrow();
      userIds.set(user.username, row.id);
    }
    for (const [body, usernames] of Object.entries(DEMO_COMMITTEES)) {
      await trx.insertInto('committee_members').values(usernames.map((username) => ({ issuing_unit_id: ids.get(body) as number, user_id: userIds.get(username) as number }))).execute();
    }
    const models = await insertModels(trx, ids);
    await recordAction(trx, SYSTEM_ACTOR, { action: 'demo.seed', entityType: 'database', entityId: null, after: { units: DEMO_UNITS.length, users: DEMO_USERS.length, models } });
  });
  await seedAwardsOnce(db);
  await seedCentreOnce(db, demoPassword);
  await seedEvaluationOnce(db);
  return true;
}

/** The demo criteria set and its first scores, once, on a demo database (it has the demo `secretary`). */
async function seedEvaluationOnce(db: Database): Promise<void> {
  const hasSets = await db.selectFrom('criteria_sets').select('id').limit(1).executeTakeFirst();
  const hasDemoUsers = await db.selectFrom('users').select('id').where('username', '=', 'secretary').executeTakeFirst();
  if (!hasSets && hasDemoUsers) await seedDemoEvaluation(db);
}

async function seedAwardsOnce(db: Database): Promise<void> {
  const hasRounds = await db.selectFrom('award_rounds').select('id').limit(1).executeTakeFirst();
  const hasDemoUsers = await db.selectFrom('users').select('id').where('username', '=', 'secretary').executeTakeFirst();
  if (!hasRounds && hasDemoUsers) await seedDemoAwards(db);
}

/**
 * The centre's demo accounts and its open round, once: on a new demo database, and on a demo database
 * (it has the demo `secretary`) made before the centre existed. A second call adds nothing.
 */
async function seedCentreOnce(db: Database, demoPassword: string): Promise<void> {
  const centre = await db.selectFrom('units').select('id').where('is_centre', '=', true).executeTakeFirst();
  const hasDemoUsers = await db.selectFrom('users').select('id').where('username', '=', 'secretary').executeTakeFirst();
  if (!centre || !hasDemoUsers) return;
  const existing = new Set((await db.selectFrom('users').select('username').where('username', 'in', CENTRE_USERS.map((u) => u.username)).execute()).map((u) => u.username));
  const missing = CENTRE_USERS.filter((user) => !existing.has(user.username));
  if (missing.length > 0) {
    const passwordHash = await hashPassword(demoPassword);
    await db.transaction().execute(async (trx) => {
      for (const user of missing) {
        await trx.insertInto('users').values({ username: user.username, password_hash: passwordHash, full_name: user.fullName, role: user.role, unit_id: centre.id }).execute();
      }
      await recordAction(trx, SYSTEM_ACTOR, { action: 'demo.seed_centre', entityType: 'database', entityId: null, after: { users: missing.map((u) => u.username) } });
    });
  }
  const hasRound = await db.selectFrom('award_rounds').select('id').where('issuing_unit_id', '=', centre.id).limit(1).executeTakeFirst();
  if (!hasRound) await seedCentreRound(db);
}

async function insertUnits(trx: Transaction<DB>): Promise<Map<string, number>> {
  const centre = await trx.selectFrom('units').select('id').where('is_centre', '=', true).executeTakeFirstOrThrow();
  const ids = new Map<string, number>([[CENTRE, centre.id]]);
  for (const unit of DEMO_UNITS) {
    const row = await trx
      .insertInto('units')
      .values({
        code: unit.code,
        name: unit.name,
        kind: unit.kind,
        block_code: unit.block ?? null,
        parent_id: unit.parent ? (ids.get(unit.parent) ?? null) : null,
        valid_from: unit.validFrom ?? null,
        valid_to: unit.validTo ?? null,
        successor_id: unit.successor ? (ids.get(unit.successor) ?? null) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.set(unit.code, row.id);
  }
  return ids;
}

// Demo models: Kiên Giang's units until 2025, An Giang's after, each with some progress history.
const DEMO_MODEL_TITLES: [string, string, string][] = [
  ['Dân vận khéo trong xây dựng đường giao thông nông thôn', 'nong_thon_moi', 'Vận động nhân dân hiến đất, góp công xây dựng đường bê tông liên ấp.'],
  ['Tổ phụ nữ giúp nhau phát triển kinh tế', 'kinh_te', 'Hội viên góp vốn xoay vòng, giúp hộ nghèo chăn nuôi và buôn bán nhỏ.'],
  ['Cải cách hành chính "một cửa" thân thiện', 'cai_cach_hanh_chinh', 'Niêm yết công khai thủ tục, cán bộ hướng dẫn tận tình, trả kết quả đúng hẹn.'],
  ['Tuyến đường tự quản xanh - sạch - đẹp', 'do_thi_van_minh', 'Các hộ dân tự trồng hoa, thu gom rác và giữ gìn vệ sinh tuyến đường.'],
  ['Dân vận khéo trong trường học', 'van_hoa_xa_hoi', 'Giáo viên vận động phụ huynh hỗ trợ học sinh khó khăn đến trường.'],
  ['Công an lắng nghe ý kiến nhân dân', 'quoc_phong_an_ninh', 'Tổ chức đối thoại định kỳ, giải quyết kịp thời tin báo về an ninh trật tự.'],
  ['Chi bộ gương mẫu, dân tin theo', 'xay_dung_he_thong_chinh_tri', 'Đảng viên nhận đỡ đầu hộ khó khăn, nêu gương trong các phong trào ở khu dân cư.'],
];
const DEMO_MODEL_PLACES = [
  ['KG.SGDDT', 'KG.H-CHAUTHANH', 'KG.X-MONGTHOA', 'KG.TT-GIONGRIENG', 'KG.P-VINHTHANHVAN', 'KG.CA', 'KG.BDV', 'KG.MTTQ'],
  ['AG.SGDDT', 'AG.X-CHAUTHANH', 'AG.X-GIONGRIENG', 'AG.P-RACHGIA', 'AG.CA', 'AG.BDV', 'AG.MTTQ', 'AG.DK-PHUQUOC'],
];
const DEMO_STATUS_PATHS: readonly (readonly ModelStatus[])[] = [
  ['registered'],
  ['registered', 'implementing'],
  ['registered', 'implementing', 'completed'],
  ['registered', 'implementing', 'completed', 'recognized'],
  ['registered', 'implementing', 'discontinued'],
];

async function insertModels(trx: Transaction<DB>, unitIds: Map<string, number>): Promise<number> {
  let count = 0;
  for (let year = 2018; year <= 2025; year++) {
    const places = DEMO_MODEL_PLACES[year < 2025 ? 0 : 1]!;
    for (let i = 0; i < 4 + (year - 2018); i++) {
      const [title, field, summary] = DEMO_MODEL_TITLES[(i + year) % DEMO_MODEL_TITLES.length]!;
      const unitCode = places[(i * 3 + year) % places.length]!;
      const unit = DEMO_UNITS.find((u) => u.code === unitCode)!;
      const kind = i % 5 === 4 ? 'exemplar' : 'model';
      const prefix = kind === 'model' ? 'MH' : 'DH';
      const counter = await trx
        .insertInto('model_code_counters')
        .values({ prefix, year, last_number: 1 })
        .onConflict((c) => c.columns(['prefix', 'year']).doUpdateSet({ last_number: sql`model_code_counters.last_number + 1` }))
        .returning('last_number')
        .executeTakeFirstOrThrow();
      const path = DEMO_STATUS_PATHS[year === 2025 ? i % 3 : (i + year) % DEMO_STATUS_PATHS.length]!;
      const model = await trx
        .insertInto('models')
        .values({
          code: `${prefix}-${year}-${String(counter.last_number).padStart(6, '0')}`,
          title: `${title} (${year})`,
          unit_id: unitIds.get(unitCode)!,
          year,
          field_code: field,
          block_code: unit.block ?? 'chinh_quyen',
          kind,
          summary,
          started_on: `${year}-0${1 + (i % 9)}-15`,
          status: path[path.length - 1]!,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (let step = 1; step < path.length; step++) {
        await trx
          .insertInto('model_reports')
          .values({
            model_id: model.id,
            from_status: path[step - 1]!,
            to_status: path[step]!,
            reported_on: `${year}-${String(2 + step * 3).padStart(2, '0')}-01`,
            note: path[step] === 'discontinued' ? 'Dừng do địa bàn sáp nhập, chuyển sang mô hình mới.' : 'Đơn vị báo cáo kết quả thực hiện theo kế hoạch.',
            people_reached: 200 * (step + i),
            funds_vnd: 15_000_000 * (step + i),
            workdays: 50 * step,
          })
          .execute();
      }
      count++;
    }
  }
  return count;
}
