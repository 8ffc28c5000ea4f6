// The audit viewer on a long trail, on the embedded database (PGlite, in memory): the country's
// generated units, 3.000 accounts and AUDIT_ROWS (default 200.000) audit rows over three years with a
// skewed mix of actions; then each filter of GET /api/v1/audit timed through the service (median of
// 10 runs after 2) with its plan, first without the indexes of sql/0019_audit_indexes.sql, then with them.
//
//   npx tsx bench/audit-pglite.ts
//   AUDIT_ROWS=50000 npx tsx bench/audit-pglite.ts
import { sql } from 'kysely';
import { openDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { auditActionCodes, listAuditTrail } from '../server/audit/service.ts';
import type { AuditFilterInput } from '../server/audit/schemas.ts';
import { encodeCursor } from '../server/web/pagination.ts';
import { generateUnits } from './lib/generate.ts';
import { summarise } from './lib/measure.ts';

const ROWS = Number(process.env.AUDIT_ROWS ?? 200000);
const d = await openDatabase({ pgliteDir: 'memory://' });
await migrateToLatest(d.db);
const c = await d.pool.connect();
await generateUnits(c);
await c.query(`INSERT INTO users (username, password_hash, full_name, role, unit_id)
  SELECT 'bench' || g, 'x', 'Người dùng ' || g, (ARRAY['agency','secretary','member','printer'])[1 + g % 4], u.id
  FROM generate_series(1, 3000) AS g
  JOIN LATERAL (SELECT id FROM units ORDER BY (id * 7919 + g * 104729) % 100003 LIMIT 1) AS u ON true`);
// Skewed like a real trail: logins and nomination work most, revocations and reference loads rarely.
const actions = [
  ...Array(30).fill('auth.login'), ...Array(12).fill('nomination.update'), ...Array(10).fill('nomination.create'), ...Array(8).fill('nomination.submit'),
  ...Array(6).fill('vote.cast'), ...Array(6).fill('model.report'), ...Array(5).fill('model.update'), ...Array(4).fill('model.register'),
  ...Array(4).fill('nomination.file.attach'), ...Array(3).fill('nomination.return'), ...Array(3).fill('certificate.print'), ...Array(2).fill('round.create'),
  ...Array(2).fill('decision.issue'), ...Array(2).fill('user.update'), 'round.close', 'unit.update', 'certificate.revoke', 'committee.update',
];
await c.query(`INSERT INTO audit_log (at, actor_user_id, actor_ip, action, entity_type, entity_id, before, after)
  SELECT now() - ($1 - g) * interval '8 minutes', (SELECT min(id) FROM users) + (g::bigint * 2654435761 % 3000)::int, '10.0.0.1',
         ($2::text[])[1 + (g::bigint * 40503 % cardinality($2::text[]))], 'nomination', (g % 5000)::text, '{"status":"draft"}', '{"status":"submitted"}'
  FROM generate_series(1, $1) AS g`, [ROWS, actions]);
await c.query('VACUUM (ANALYZE)');
c.release();

const admin = { user: { role: 'admin' as const } };
const someUser = await d.db.selectFrom('users').select('id').where('username', '=', 'bench17').executeTakeFirstOrThrow();
const province = await d.db.selectFrom('units').select('id').where('kind', '=', 'province').where('valid_to', 'is', null).orderBy('id').executeTakeFirstOrThrow();
const middle = await d.db.selectFrom('audit_log').select('id').orderBy('id').offset(Math.floor(ROWS / 2)).limit(1).executeTakeFirstOrThrow();
const dayAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

const cases: [string, AuditFilterInput & { cursor?: string }][] = [
  ['no filter, first page', {}],
  ['no filter, a page in the middle', { cursor: encodeCursor({ id: middle.id }) }],
  ['one person', { actorId: someUser.id }],
  ['a province (its people and everything under it)', { unitId: province.id }],
  ['a rare action exactly (certificate.revoke)', { action: 'certificate.revoke' }],
  ['a common prefix (nomination.)', { action: 'nomination.' }],
  ['one day, two years ago', { from: dayAgo(730), to: dayAgo(730) }],
  ['one person, a rare prefix, a year', { actorId: someUser.id, action: 'round.', from: dayAgo(365), to: dayAgo(0) }],
];

async function measure(label: string) {
  console.log(`\n== ${label}`);
  for (const [name, input] of cases) {
    const samples: number[] = [];
    let found = 0;
    for (let i = 0; i < 12; i++) {
      const t = performance.now();
      const { rows } = await listAuditTrail(d.db, { caller: admin }, { ...input, limit: 50 });
      if (i >= 2) samples.push(performance.now() - t);
      found = rows.length;
    }
    const s = summarise(samples);
    console.log(`${name.padEnd(52)} ${String(found).padStart(3)} rows  median ${s.median.toFixed(1).padStart(7)} ms  p95 ${s.p95.toFixed(1).padStart(7)} ms`);
  }
  const samples: number[] = [];
  let codes = 0;
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    codes = (await auditActionCodes(d.db, { caller: admin })).length;
    if (i >= 2) samples.push(performance.now() - t);
  }
  console.log(`${'the action select (distinct codes)'.padEnd(52)} ${String(codes).padStart(3)} codes median ${summarise(samples).median.toFixed(1).padStart(7)} ms`);
}

if (process.env.EXPLAIN) {
  // The plans, for the README: the same SQL the repository runs, with the values inlined.
  const plan = async (query: string) => console.log((await sql.raw(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${query}`).execute(d.db)).rows.map((r) => Object.values(r as object)[0]).join('\n'));
  await plan(`SELECT id FROM audit_log WHERE actor_user_id = ${someUser.id} ORDER BY id DESC LIMIT 51`);
  await plan(`SELECT id FROM audit_log WHERE action COLLATE "C" = 'certificate.revoke' ORDER BY id DESC LIMIT 51`);
  const units = (await sql<{ id: number }>`WITH RECURSIVE t AS (SELECT id FROM units WHERE id = ${province.id} UNION ALL SELECT u.id FROM units u JOIN t ON u.parent_id = t.id) SELECT id FROM t`.execute(d.db)).rows.map((r) => r.id);
  await plan(`SELECT id FROM audit_log WHERE actor_user_id IN (SELECT id FROM users WHERE unit_id = ANY('{${units.join(',')}}'::integer[])) ORDER BY id DESC LIMIT 51`);
}

const indexes = ['audit_log_actor_id_idx', 'audit_log_action_id_idx'];
const present = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname IN (${sql.join(indexes)})`.execute(d.db)).rows[0]!.n;
if (present === indexes.length) {
  await measure(`${ROWS.toLocaleString('en')} audit rows, with sql/0019's indexes`);
  for (const index of indexes) await sql.raw(`DROP INDEX ${index}`).execute(d.db);
  await measure(`${ROWS.toLocaleString('en')} audit rows, without them`);
} else {
  await measure(`${ROWS.toLocaleString('en')} audit rows, no sql/0019 indexes`);
}
await d.close();
