// The country's units as reference data (units-2025.json, README "Units of the country"): the 34
// provinces and cities in force since 2025-07-01 under the centre (the national body, sql/0016), the
// 63 before them with their successors, and the 3,321 communes, wards and special zones, put into
// `units` by official code without duplicates.
import { readFileSync } from 'node:fs';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { recordAction, SYSTEM_ACTOR } from '../../audit/audit.ts';
import { forgetUnitTrees } from '../../auth/scope.ts';

interface ReferenceData {
  about: { source: { release: string; commit: string }; validFrom: string; formerValidTo: string };
  provinces: [code: string, name: string][];
  formerProvinces: [code: string, name: string, successorCode: string][];
  communes: [code: string, name: string, provinceCode: string][];
}

let cached: ReferenceData | undefined;
export function referenceData(): ReferenceData {
  cached ??= JSON.parse(readFileSync(new URL('./units-2025.json', import.meta.url), 'utf8')) as ReferenceData;
  return cached;
}

// Our own unit codes for reference units (units.code is unique and user-visible): VN-91 is today's
// An Giang, VN-91.30742 its Phường Rạch Giá, VN63-91 the Kiên Giang of the 63 provinces.
const provinceCode = (official: string) => `VN-${official}`;
const communeCode = (province: string, official: string) => `VN-${province}.${official}`;
const formerCode = (official: string) => `VN63-${official}`;

// Any two loaders (two app processes starting on one server database) take turns.
const LOCK_KEY = 2025_0701;
const BATCH = 1000;

type Kind = 'province' | 'commune';
interface Existing {
  id: number;
  kind: string;
  name: string;
  official_code: string | null;
  parent_id: number | null;
  valid_to: string | null;
}

/**
 * Puts the reference units into `units` in one transaction: a unit already there (same kind and official
 * code, in force or ended the same way) is kept as it is; a unit without a code that is plainly the same
 * one (same kind, name and province, in force or ended alike, the only such) only gains the code, so
 * the demo's An Giang is not doubled. The 34 provinces in force are under the centre: a new one goes in
 * there, a kept one without a parent is put there. Nothing is renamed, deleted, or moved from a parent.
 */
export async function loadReferenceUnits(db: Database): Promise<{ inserted: number; kept: number }> {
  const data = referenceData();
  const result = await db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
    const centre = await centreOf(trx);
    const existing: Existing[] = await trx
      .selectFrom('units')
      .select(['id', 'kind', 'name', 'official_code', 'parent_id', 'valid_to'])
      .where('kind', 'in', ['province', 'commune'])
      .execute();
    const ended = (unit: Existing) => unit.valid_to !== null && unit.valid_to <= data.about.formerValidTo;
    const byCode = new Map<string, number>();
    const uncoded = new Map<string, Existing[]>();
    const nameKey = (kind: string, isEnded: boolean, parentId: number | null, name: string) => `${kind}|${isEnded}|${parentId ?? ''}|${name.normalize('NFC').toLocaleLowerCase('vi')}`;
    for (const unit of existing) {
      if (unit.official_code !== null) byCode.set(`${unit.kind}|${ended(unit)}|${unit.official_code}`, unit.id);
      else {
        const key = nameKey(unit.kind, ended(unit), unit.kind === 'commune' ? unit.parent_id : null, unit.name);
        uncoded.set(key, [...(uncoded.get(key) ?? []), unit]);
      }
    }
    let kept = 0;
    let adopted = 0;
    const adopt = async (kind: Kind, isEnded: boolean, official: string, name: string, parentId: number | null) => {
      const candidates = uncoded.get(nameKey(kind, isEnded, parentId, name));
      if (candidates?.length !== 1) return undefined;
      const unit = candidates[0]!;
      candidates.length = 0; // one reference unit per existing unit
      await trx.updateTable('units').set({ official_code: official, updated_at: new Date() }).where('id', '=', unit.id).execute();
      adopted++;
      return unit.id;
    };
    // The rows still missing go in by batches; each returns ids by official code for the next step.
    const resolve = async (
      kind: Kind,
      isEnded: boolean,
      rows: { official: string; name: string; parentId: number | null; values: Parameters<typeof insertUnits>[1][number] }[],
    ) => {
      const ids = new Map<string, number>();
      const missing: Parameters<typeof insertUnits>[1] = [];
      for (const row of rows) {
        const id = byCode.get(`${kind}|${isEnded}|${row.official}`) ?? (await adopt(kind, isEnded, row.official, row.name, row.parentId));
        if (id === undefined) missing.push(row.values);
        else {
          ids.set(row.official, id);
          kept++;
        }
      }
      for (const [official, id] of await insertUnits(trx, missing)) ids.set(official, id);
      return { ids, inserted: missing.length };
    };

    const row = (kind: Kind, official: string, code: string, name: string, parentId: number | null, isEnded: boolean, successorId: number | null = null) => ({
      official,
      name,
      parentId,
      values: {
        code,
        name,
        kind,
        official_code: official,
        block_code: 'chinh_quyen',
        parent_id: parentId,
        valid_from: isEnded ? null : data.about.validFrom,
        valid_to: isEnded ? data.about.formerValidTo : null,
        successor_id: successorId,
      },
    });
    // Matched as provinces without a parent (as the demo's and older loads' are), inserted under the centre.
    const provinces = await resolve(
      'province',
      false,
      data.provinces.map(([official, name]) => {
        const province = row('province', official, provinceCode(official), name, null, false);
        return { ...province, values: { ...province.values, parent_id: centre.id } };
      }),
    );
    const placed = await trx
      .updateTable('units')
      .set({ parent_id: centre.id, updated_at: new Date() })
      .where('id', '=', sql<number>`ANY(${sql.val([...provinces.ids.values()])}::integer[])`)
      .where('parent_id', 'is', null)
      .where('is_centre', '=', false)
      .returning('id')
      .execute();
    const successor = (official: string) => provinces.ids.get(official) ?? null;
    const former = await resolve('province', true, data.formerProvinces.map(([official, name, next]) => row('province', official, formerCode(official), name, null, true, successor(next))));
    const communes = await resolve('commune', false, data.communes.map(([official, name, province]) => row('commune', official, communeCode(province, official), name, successor(province), false)));

    const inserted = provinces.inserted + former.inserted + communes.inserted;
    if (inserted > 0 || adopted > 0 || placed.length > 0 || centre.created) {
      await recordAction(trx, SYSTEM_ACTOR, {
        action: 'units.reference_load',
        entityType: 'database',
        entityId: null,
        after: {
          release: data.about.source.release, commit: data.about.source.commit, inserted, kept, adopted,
          centreId: centre.id, centreCreated: centre.created, placedUnderCentre: placed.map((unit) => unit.id),
        },
      });
    }
    return { inserted, kept };
  });
  forgetUnitTrees();
  return result;
}

/**
 * The centre, the national body the provinces hang under. sql/0016 makes it on every database; a
 * database whose centre is gone (only by hand) gets it back here, as the migration makes it.
 */
async function centreOf(trx: Transaction<DB>): Promise<{ id: number; created: boolean }> {
  const found = await trx.selectFrom('units').select('id').where('is_centre', '=', true).executeTakeFirst();
  if (found) return { id: found.id, created: false };
  const taken = await trx.selectFrom('units').select('id').where('code', '=', CENTRE.code).executeTakeFirst();
  const inserted = await trx
    .insertInto('units')
    .values({ code: taken ? `VN-${CENTRE.code}` : CENTRE.code, name: CENTRE.name, kind: 'agency', block_code: 'dang', is_centre: true })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: inserted.id, created: true };
}

/** The centre as sql/0016 makes it. */
export const CENTRE = Object.freeze({ code: 'TW', name: 'Ban Dân vận Trung ương' });

type NewUnit = {
  code: string;
  name: string;
  kind: Kind;
  official_code: string;
  block_code: string;
  parent_id: number | null;
  valid_from: string | null;
  valid_to: string | null;
  successor_id: number | null;
};

async function insertUnits(trx: Transaction<DB>, rows: NewUnit[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let start = 0; start < rows.length; start += BATCH) {
    const inserted = await trx.insertInto('units').values(rows.slice(start, start + BATCH)).returning(['id', 'official_code']).execute();
    for (const unit of inserted) ids.set(unit.official_code as string, unit.id);
  }
  return ids;
}
