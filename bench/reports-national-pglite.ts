// The centre's national report on the embedded database (PGlite, in memory): the generated registry of
// bench/lib/generate.ts (MODELS, default 100.000: PGlite holds a small registry, not a million), its
// provinces given the real official codes and the country's units loaded, as bench/reports.ts case (e)
// does on PostgreSQL; then the service call timed (30 runs after 3, the centre's scope cached as the
// app caches it). No HTTP: PGlite is one connection in this process.
//
//   npx tsx bench/reports-national-pglite.ts
//   MODELS=20000 npx tsx bench/reports-national-pglite.ts
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { generateUnits, generateModels } from './lib/generate.ts';
import { loadReferenceUnits, referenceData } from '../server/units/reference/load.ts';
import { loadUnitScope } from '../server/auth/scope.ts';
import { buildNationalReport } from '../server/reports/service.ts';
import { summarise } from './lib/measure.ts';
const MODELS = Number(process.env.MODELS ?? 100000);
const d = await openDatabase({ pgliteDir: 'memory://' });
await migrateToLatest(d.db);
const c = await d.pool.connect();
await generateUnits(c);
await generateModels([c], MODELS, () => {});
await c.query('VACUUM (ANALYZE)');
c.release();
// Generated names to real ones: "Tỉnh Thanh Hóa" and "Tỉnh Thanh Hoá" alike.
const key = (n: string) => n.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toLowerCase().replace(/^(tinh|thanh pho)\s+/, '').trim();
const data = referenceData();
const inForce = new Map(data.provinces.map(([code, name]) => [key(name), code]));
const former = new Map(data.formerProvinces.map(([code, name]) => [key(name), code]));
for (const u of await d.db.selectFrom('units').select(['id','name','valid_to']).where('kind','=','province').execute()) {
  const code = (u.valid_to === null ? inForce : former).get(key(u.name));
  if (code) await d.db.updateTable('units').set({ official_code: code }).where('id','=',u.id).execute();
}
await loadReferenceUnits(d.db);
const centre = await d.db.selectFrom('units').select('id').where('is_centre', '=', true).executeTakeFirstOrThrow();
const scope = await loadUnitScope(d.db, { role: 'secretary', unitId: centre.id });
const samples: number[] = [];
let registered = 0;
for (let i = 0; i < 33; i++) {
  const t = performance.now();
  const r = await buildNationalReport(d.db, { scope }, { year: 2024 });
  if (i >= 3) samples.push(performance.now() - t);
  registered = r.total.registered;
}
const s = summarise(samples);
console.log(`PGlite ${MODELS.toLocaleString('en')} models, national 2024: ${registered} registered, median ${s.median.toFixed(1)} p95 ${s.p95.toFixed(1)} ms (30 runs after 3, service call, scope cached)`);
await d.close();
