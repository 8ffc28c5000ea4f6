// Benchmark of forwarding up a level (issue 17, "Scale") through the real app over HTTP, on an embedded
// PGlite and on a real PostgreSQL 15 started here: the country's real units (34 provinces, 3.321
// communes), models, 200.000 nominations over 10 years in commune and province rounds, and one open
// provincial round holding 5.000 twins forwarded from its communes. It times
//   (a) the upper round's review list as the province's secretary reads it: GET /api/v1/nominations
//       ?roundId=&status= (first page, a page deep in the list by its cursor, the "returned" tab,
//       all statuses) and the round page /awards/:id?status=submitted, first page and a page at 80 %
//       by its cursor (50 rows a page, the tabs from a count by status) (p50/p95/p99);
//   (b) a commune secretary forwarding 500 approved nominations at once (2 cited models and one
//       ~100 kB dossier file each) with POST /api/v1/award-rounds/:id/forward, on fresh batches;
//   (c) in the same run: the same batch without files, and 500 single POST /nominations/:id/forward.
//
//   npx tsx bench/forwarding.ts                      both databases, full size
//   BENCH_QUICK=1 npx tsx bench/forwarding.ts        a tenth of the data, batches of 100, 50 repetitions
//   BENCH_DB=postgres npx tsx bench/forwarding.ts    one database only (pglite | postgres | both)
//
// Settings (environment): MODELS (1.000.000 on PostgreSQL), MODELS_PGLITE (100.000: the embedded
// database loads rows ~5× slower), NOMINATIONS (200.000), TWINS (5.000), BATCH (500), BATCHES (5),
// FILE_KB (100), BENCH_REPS (200), BENCH_PAGE_REPS (20, for the round page), BENCH_WARMUP (10), DATABASE_URL (a server to use instead of a
// throw-away one; dvk_fbench is created on it and dropped at the end), BENCH_EXPLAIN=1 (plans always),
// BENCH_ONLY=list (the list alone, no forwarding), BENCH_HOLD=<s> (PostgreSQL: wait after generating, to look with psql), BENCH_INDEXES ("CREATE INDEX ...; DROP INDEX ...", run after the data is generated, to try candidate indexes).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createApp } from '../server/app.ts';
import { hashPassword } from '../server/auth/passwords.ts';
import { loadUnitScope } from '../server/auth/scope.ts';
import { callerFor } from '../server/auth/caller.ts';
import { hashToken } from '../server/auth/service.ts';
import type { Role } from '../server/auth/user.ts';
import { listNominations } from '../server/awards/repository.ts';
import { loadConfig } from '../server/config.ts';
import { openDatabase, type OpenDatabase } from '../server/db/database.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import type { DB } from '../server/db/schema.ts';
import { loadReferenceUnits } from '../server/units/reference/load.ts';
import { encodeCursor } from '../server/web/pagination.ts';
import { interleaved, ms, summarise, table, time, type Summary } from './lib/measure.ts';
import { startBenchServer, withDatabase } from './lib/postgres.ts';
import { Cleanups, say, seconds, shortenArrays } from './lib/registry.ts';

const AIM_LIST_P95_MS = 50;
const AIM_FORWARD_MS = 5000;
const DATABASE = 'dvk_fbench';

type Backend = 'pglite' | 'postgres';

function settings(env: NodeJS.ProcessEnv) {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  const int = (name: string, fallback: number, min: number) => {
    const value = env[name] === undefined || env[name] === '' ? fallback : Number(env[name]);
    if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}`);
    return value;
  };
  const backends = (env.BENCH_DB ?? 'both') === 'both' ? (['pglite', 'postgres'] as Backend[]) : [env.BENCH_DB as Backend];
  if (backends.some((b) => b !== 'pglite' && b !== 'postgres')) throw new Error('BENCH_DB must be pglite, postgres or both');
  const s = {
    quick,
    backends,
    models: { postgres: int('MODELS', quick ? 100_000 : 1_000_000, 1000), pglite: int('MODELS_PGLITE', quick ? 20_000 : 100_000, 1000) },
    nominations: int('NOMINATIONS', quick ? 20_000 : 200_000, 1000),
    twins: int('TWINS', quick ? 1000 : 5000, 100),
    batch: int('BATCH', quick ? 100 : 500, 1),
    batches: int('BATCHES', quick ? 3 : 5, 1),
    fileKb: int('FILE_KB', 100, 1),
    repetitions: int('BENCH_REPS', quick ? 50 : 200, 1),
    pageRepetitions: int('BENCH_PAGE_REPS', 20, 1),
    warmup: int('BENCH_WARMUP', 10, 0),
    explain: env.BENCH_EXPLAIN === '1',
    listOnly: env.BENCH_ONLY === 'list',
    hold: int('BENCH_HOLD', 0, 0),
    statements: (env.BENCH_INDEXES ?? '').split(';').map((x) => x.trim()).filter(Boolean),
    databaseUrl: env.DATABASE_URL || undefined,
  };
  return s;
}
type Settings = ReturnType<typeof settings>;

/** The batches forwarded in (b) and (c), in the order they run: with files, without, one call each. */
type BatchKind = 'warm-up' | 'files' | 'no files' | 'single calls';
function batchPlan(s: Settings): BatchKind[] {
  const plan: BatchKind[] = ['warm-up'];
  for (let i = 0; i < s.batches; i++) {
    plan.push('files');
    if (i === 0 || i === Math.floor(s.batches / 2)) plan.push('no files');
    if (i === 1 || (s.batches === 1 && i === 0)) plan.push('single calls');
  }
  return plan;
}

interface ListCase {
  id: string;
  label: string;
  path: string;
  page?: boolean;
}

interface BackendResult {
  backend: Backend;
  describe: string;
  models: number;
  counts: Record<string, number>;
  seedMs: number;
  list: { c: ListCase; rows: number; summary: Summary; p99: number }[];
  forwards: { kind: BatchKind; ms: number; twins: number }[];
  explain: string[];
}

// ------------------------------------------------------------------ seeding, in SQL

/** Runs the statements on one connection, foreign keys and triggers off (replica role: the generator only uses existing ids). */
async function seed(database: OpenDatabase, s: Settings, models: number, log: (line: string) => void): Promise<{ upperRoundId: number; provinceId: number; counts: Record<string, number> }> {
  const client = await database.pool.connect();
  const q = async (label: string, text: string, params: unknown[] = []) => {
    const started = performance.now();
    const result = await client.query(text, params);
    if (label) log(`  ${label}: ${result.rowCount?.toLocaleString('en') ?? '-'} rows in ${seconds(performance.now() - started)}`);
    return result;
  };
  const thisYear = new Date().getFullYear();
  const firstYear = thisYear - 9;
  const plan = batchPlan(s);
  try {
    await q('', `SET session_replication_role = replica`);
    await q('', `SELECT setseed(0.17)`);
    // Units: today's communes and provinces, numbered.
    await q('', `DROP TABLE IF EXISTS bench_commune, bench_province, bench_cround, bench_pround, bench_blob, bench_lower, bench_source`);
    await q('', `CREATE TABLE bench_commune AS SELECT row_number() OVER (ORDER BY id)::integer AS idx, id, parent_id AS province_id FROM units WHERE kind = 'commune' AND valid_to IS NULL`);
    await q('', `CREATE TABLE bench_province AS SELECT row_number() OVER (ORDER BY id)::integer AS idx, id FROM units WHERE kind = 'province' AND valid_to IS NULL`);
    const { rows: [target] } = await q('', `SELECT province_id AS id, count(*)::integer AS communes FROM bench_commune GROUP BY province_id ORDER BY count(*) DESC, province_id LIMIT 1`);
    const provinceId = target.id as number;
    const communes = (await q('', `SELECT count(*)::integer AS n FROM bench_commune`)).rows[0].n as number;
    const provinces = (await q('', `SELECT count(*)::integer AS n FROM bench_province`)).rows[0].n as number;
    if (target.communes < plan.length + 1) throw new Error(`the target province has ${target.communes} communes, fewer than the ${plan.length + 1} needed`);

    // Models: light rows (no search words: the word trigger is off), over 10 years, owned by communes.
    const fields = ['kinh_te', 'van_hoa_xa_hoi', 'quoc_phong_an_ninh', 'xay_dung_he_thong_chinh_tri', 'nong_thon_moi', 'do_thi_van_minh', 'cai_cach_hanh_chinh'];
    const started = performance.now();
    for (let lo = 1; lo <= models; lo += 100_000) {
      const hi = Math.min(models, lo + 99_999);
      await q('', `
        INSERT INTO models (code, title, unit_id, year, field_code, block_code, kind, summary, status, created_at, updated_at)
        SELECT 'MH-' || g.y || '-' || lpad(g.n::text, 7, '0'), 'Mô hình "Dân vận khéo" số ' || g.n, c.id, g.y, ($4::text[])[1 + g.n % 7], 'chinh_quyen',
               CASE WHEN g.n % 7 = 0 THEN 'exemplar' ELSE 'model' END, 'Vận động nhân dân cùng làm, mô hình số ' || g.n || '.',
               (ARRAY['registered','implementing','completed','recognized'])[1 + g.n % 4], make_timestamptz(g.y, 3, 1, 8, 0, 0, 'UTC'), make_timestamptz(g.y, 3, 1, 8, 0, 0, 'UTC')
        FROM (SELECT n, ${firstYear} + ((n - 1)::bigint * 10 / $3)::integer AS y FROM generate_series($1::integer, $2::integer) n) g
        JOIN bench_commune c ON c.idx = 1 + (g.n::bigint * 7919) % ${communes}`, [lo, hi, models, fields]);
    }
    log(`  models: ${models.toLocaleString('en')} rows in ${seconds(performance.now() - started)}`);
    const { rows: [range] } = await q('', `SELECT min(id)::integer AS lo, (max(id) - min(id) + 1)::integer AS n FROM models`);
    const model = (expr: string, k: number) => `(${range.lo} + ((${expr})::bigint * 7919 + ${k}) % ${range.n})::integer`;

    // Rounds: every commune and every province, every year; all closed but the province's round of this year.
    await q('commune rounds', `
      CREATE TABLE bench_cround AS WITH r AS (
        INSERT INTO award_rounds (title, year, award_kind, issuing_unit_id, closes_on, status, closed_at, created_at, updated_at)
        SELECT 'Khen thưởng "Dân vận khéo" cấp xã năm ' || y, y, 'giay_khen', c.id, make_date(y, 11, 30), 'closed', make_timestamptz(y, 12, 5, 9, 0, 0, 'UTC'),
               make_timestamptz(y, 9, 1, 8, 0, 0, 'UTC'), make_timestamptz(y, 12, 5, 9, 0, 0, 'UTC')
        FROM bench_commune c CROSS JOIN generate_series(${firstYear}, ${thisYear}) y ORDER BY y, c.idx
        RETURNING id, issuing_unit_id, year)
      SELECT row_number() OVER (ORDER BY r.id)::integer AS idx, r.id, r.issuing_unit_id AS commune_id, c.province_id, r.year FROM r JOIN bench_commune c ON c.id = r.issuing_unit_id`);
    await q('province rounds', `
      CREATE TABLE bench_pround AS WITH r AS (
        INSERT INTO award_rounds (title, year, award_kind, issuing_unit_id, closes_on, status, closed_at, created_at, updated_at)
        SELECT 'Khen thưởng "Dân vận khéo" cấp tỉnh năm ' || y, y, 'bang_khen_chu_tich_ubnd_tinh', p.id,
               CASE WHEN p.id = ${provinceId} AND y = ${thisYear} THEN CURRENT_DATE + 60 ELSE make_date(y, 12, 15) END,
               CASE WHEN p.id = ${provinceId} AND y = ${thisYear} THEN 'open' ELSE 'closed' END,
               CASE WHEN p.id = ${provinceId} AND y = ${thisYear} THEN NULL ELSE make_timestamptz(y, 12, 20, 9, 0, 0, 'UTC') END,
               make_timestamptz(y, 9, 1, 8, 0, 0, 'UTC'), make_timestamptz(y, 9, 1, 8, 0, 0, 'UTC')
        FROM bench_province p CROSS JOIN generate_series(${firstYear}, ${thisYear}) y ORDER BY y, p.idx
        RETURNING id, issuing_unit_id, year)
      SELECT row_number() OVER (ORDER BY id)::integer AS idx, id, issuing_unit_id AS province_id, year FROM r`);
    await q('', `CREATE INDEX ON bench_cround (idx)`);
    await q('', `CREATE INDEX ON bench_pround (idx)`);
    await q('', `ANALYZE bench_cround, bench_pround`);
    const upperRoundId = (await q('', `SELECT id FROM bench_pround WHERE province_id = ${provinceId} AND year = ${thisYear}`)).rows[0].id as number;
    const cRounds = communes * 10;
    const pRounds = provinces * 10;

    // A nominee, as the app writes one (key: the name in lower case; each name is unique by its number).
    const nominee = (n: string) => `
      CASE WHEN ${n} % 4 = 0 THEN 'collective' ELSE 'individual' END,
      CASE WHEN ${n} % 4 = 0 THEN 'Chi hội Phụ nữ thôn số ' || ${n} ELSE (ARRAY['Nguyễn','Trần','Lê','Phạm','Hoàng','Võ'])[1 + ${n} % 6] || ' Thị Thu Hà ' || ${n} END,
      lower(CASE WHEN ${n} % 4 = 0 THEN 'Chi hội Phụ nữ thôn số ' || ${n} ELSE (ARRAY['Nguyễn','Trần','Lê','Phạm','Hoàng','Võ'])[1 + ${n} % 6] || ' Thị Thu Hà ' || ${n} END),
      CASE WHEN ${n} % 4 = 0 THEN NULL ELSE 'Chi hội trưởng' END, CASE WHEN ${n} % 4 = 0 THEN NULL ELSE 'female' END, CASE WHEN ${n} % 4 = 0 THEN NULL ELSE 1960 + ${n} % 40 END,
      'Vận động ' || (20 + ${n} % 300) || ' hộ hiến đất làm đường, xây dựng nông thôn mới.'`;
    const columns = `round_id, unit_id, nominee_kind, nominee_name, nominee_key, position, gender, birth_year, achievement, status, submitted_at, approvals, rejections, eligible_voters, decided_at, created_at, updated_at`;

    // The lower nominations: the twins' originals and the batches' sources, in this year's rounds of the target province's communes.
    const sources = plan.map((kind) => (kind === 'warm-up' ? Math.min(20, s.batch) : s.batch));
    const sourceTotal = sources.reduce((a, b) => a + b, 0);
    const generic = s.nominations - 2 * s.twins - sourceTotal;
    if (generic < 0) throw new Error('NOMINATIONS is smaller than the twins and the batches need');

    // Generic history: 4 in 5 in commune rounds, 1 in 5 in province rounds, all decided with their tally.
    await q('nominations, 10 years', `
      INSERT INTO nominations (${columns})
      SELECT r.id, r.unit_id, ${nominee('g.n')}, CASE WHEN g.rs < 0.6 THEN 'approved' ELSE 'rejected' END, make_timestamptz(r.year, 10, 1, 8, 0, 0, 'UTC'),
             CASE WHEN g.rs < 0.6 THEN r.voters - (g.n % 3) ELSE g.n % 3 END, CASE WHEN g.rs < 0.6 THEN g.n % 3 ELSE r.voters - (g.n % 3) END, r.voters,
             make_timestamptz(r.year, 12, 5, 9, 0, 0, 'UTC'), make_timestamptz(r.year, 9, 15, 8, 0, 0, 'UTC'), make_timestamptz(r.year, 12, 5, 9, 0, 0, 'UTC')
      FROM (SELECT n, random() AS rs, random() AS rr FROM generate_series(1, ${generic}) n) g
      JOIN LATERAL (
        SELECT id, commune_id AS unit_id, year, 7 AS voters FROM bench_cround WHERE g.n % 5 <> 0 AND idx = 1 + floor(g.rr * ${cRounds})::integer
        UNION ALL
        SELECT id, province_id, year, 15 FROM bench_pround WHERE g.n % 5 = 0 AND idx = 1 + floor(g.rr * ${pRounds})::integer AND id <> ${upperRoundId}
      ) r ON true`);

    // Originals of the twins, approved this year in the communes of the province, round-robin.
    await q('', `CREATE TABLE bench_lower (id integer, commune_id integer, n integer)`);
    const targetCommunes = `(SELECT row_number() OVER (ORDER BY id)::integer AS k, id, commune_id FROM bench_cround WHERE province_id = ${provinceId} AND year = ${thisYear})`;
    await q('twins\' originals', `
      WITH t AS ${targetCommunes}, ins AS (
        INSERT INTO nominations (${columns})
        SELECT t.id, t.commune_id, ${nominee(`(${generic} + g.n)`)}, 'approved', now() - interval '20 days', 6, 1, 7, now() - interval '15 days', now() - interval '30 days', now() - interval '15 days'
        FROM generate_series(1, ${s.twins}) g(n) JOIN t ON t.k = 1 + (g.n % ${target.communes - plan.length})
        RETURNING id, unit_id)
      INSERT INTO bench_lower SELECT id, unit_id, row_number() OVER (ORDER BY id) FROM ins`);
    // The twins: 9 in 10 submitted, 1 in 10 returned to the commune with a reason.
    await q('twins in the upper round', `
      INSERT INTO nominations (${columns.replace('updated_at', 'updated_at, forwarded_from_id, forwarding_unit_id, forwarded_at, return_reason, returned_at')})
      SELECT ${upperRoundId}, lower.unit_id, lower.nominee_kind, lower.nominee_name, lower.nominee_key, lower.position, lower.gender, lower.birth_year, lower.achievement,
             CASE WHEN b.n % 10 = 0 THEN 'returned' ELSE 'submitted' END, now() - interval '10 days', NULL, NULL, NULL, NULL, now() - interval '10 days', now() - interval '10 days',
             lower.id, b.commune_id, now() - interval '10 days',
             CASE WHEN b.n % 10 = 0 THEN 'Bổ sung biên bản họp Hội đồng Thi đua - Khen thưởng xã.' END, CASE WHEN b.n % 10 = 0 THEN now() - interval '5 days' END
      FROM bench_lower b JOIN nominations lower ON lower.id = b.id ORDER BY b.n`);

    // The batches' sources: each batch in this year's round of a commune of its own (the last ones of the province).
    await q('', `CREATE TABLE bench_source (batch integer, round_id integer, commune_id integer, id integer, files boolean)`);
    let offset = generic + s.twins;
    for (const [i, kind] of plan.entries()) {
      await q('', `
        WITH t AS ${targetCommunes}, ins AS (
          INSERT INTO nominations (${columns})
          SELECT t.id, t.commune_id, ${nominee(`(${offset} + g.n)`)}, 'approved', now() - interval '20 days', 5, 2, 7, now() - interval '15 days', now() - interval '30 days', now() - interval '15 days'
          FROM generate_series(1, ${sources[i]}) g(n) JOIN t ON t.k = ${target.communes - i}
          RETURNING id, round_id, unit_id)
        INSERT INTO bench_source SELECT ${i}, round_id, unit_id, id, ${kind !== 'no files'} FROM ins`);
      offset += sources[i]!;
    }
    log(`  batch sources: ${sourceTotal.toLocaleString('en')} approved nominations in ${plan.length} commune rounds (${plan.join(', ')})`);

    // Cited models: one or two for the history, two for every lower nomination and its twin.
    await q('cited models', `
      INSERT INTO nomination_models (nomination_id, model_id)
      SELECT n.id, ${model('n.id', 0)} FROM nominations n WHERE n.forwarded_from_id IS NULL
      UNION ALL
      SELECT n.id, ${model('n.id', 1)} FROM nominations n WHERE n.forwarded_from_id IS NULL AND (n.id % 2 = 0 OR n.id IN (SELECT id FROM bench_lower UNION ALL SELECT id FROM bench_source))`);
    await q('twins\' cited models', `
      INSERT INTO nomination_models (nomination_id, model_id)
      SELECT twin.id, cited.model_id FROM nominations twin JOIN nomination_models cited ON cited.nomination_id = twin.forwarded_from_id WHERE twin.round_id = ${upperRoundId}`);

    // Dossier files: random bytes (PDFs are compressed: TOAST cannot shrink them either), a 16-byte header of their own.
    await q('', `CREATE TABLE bench_blob AS SELECT decode(string_agg(md5(random()::text), ''), 'hex') AS bytes FROM generate_series(1, ${s.fileKb * 64})`);
    const insertFiles = (label: string, where: string, bytes: string, kind: string, name: string) =>
      q(label, `
        WITH f AS (
          INSERT INTO nomination_files (nomination_id, kind, file_name, content_type, size_bytes, sha256, uploaded_at)
          SELECT n.id, '${kind}', '${name}', 'application/pdf', 16 + length(${bytes}), encode(sha256(decode(md5(n.id::text), 'hex') || ${bytes}), 'hex'), n.created_at
          FROM nominations n, bench_blob b WHERE ${where}
          RETURNING id, nomination_id)
        INSERT INTO nomination_file_contents (file_id, content) SELECT f.id, decode(md5(f.nomination_id::text), 'hex') || ${bytes} FROM f, bench_blob b`);
    await insertFiles(`batch sources' files (${s.fileKb} kB)`, `n.id IN (SELECT id FROM bench_source WHERE files)`, 'b.bytes', 'achievement_report', 'bao-cao-thanh-tich.pdf');
    await insertFiles('a few files in the history (8 kB)', `n.forwarded_from_id IS NULL AND n.id % 50 = 0 AND n.id NOT IN (SELECT id FROM bench_source)`, 'substring(b.bytes from 1 for 8176)', 'proposal', 'to-trinh.pdf');
    await insertFiles('files of 1 twin in 20 (8 kB)', `n.round_id = ${upperRoundId} AND n.id % 20 = 0`, 'substring(b.bytes from 1 for 8176)', 'proposal', 'to-trinh.pdf');

    await q('', `RESET session_replication_role`);
    await q('', `DROP TABLE bench_commune, bench_province, bench_cround, bench_pround, bench_blob, bench_lower`);
    const vacuum = await time(() => client.query('VACUUM (ANALYZE)'));
    log(`  VACUUM (ANALYZE) in ${seconds(vacuum)}`);
    const counts = (await q('', `
      SELECT (SELECT count(*) FROM units)::integer AS units, (SELECT count(*) FROM models)::integer AS models, (SELECT count(*) FROM award_rounds)::integer AS rounds,
             (SELECT count(*) FROM nominations)::integer AS nominations, (SELECT count(*) FROM nominations WHERE round_id = ${upperRoundId})::integer AS twins,
             (SELECT count(*) FROM nomination_models)::integer AS cited, (SELECT count(*) FROM nomination_files)::integer AS files,
             (SELECT (sum(size_bytes) / 1048576)::integer FROM nomination_files) AS file_mb`)).rows[0] as Record<string, number>;
    return { upperRoundId, provinceId, counts };
  } finally {
    await client.query('RESET session_replication_role').catch(() => undefined);
    client.release();
  }
}

// ------------------------------------------------------------------ the app and its callers

async function startApp(database: OpenDatabase, url: string | undefined, cleanups: Steps): Promise<string> {
  // TRUST_PROXY + x-forwarded-proto: the production session cookie is Secure, the bench speaks plain HTTP on loopback.
  // LOG_LEVEL warn: one JSON line per request would bury the figures.
  const config = loadConfig({
    NODE_ENV: 'production', PORT: '0', TRUST_PROXY: 'loopback', LOG_LEVEL: 'warn', ...(url ? { DATABASE_URL: url } : {}),
    SESSION_SECRET: randomBytes(32).toString('hex'), DEMO_PASSWORD: randomBytes(12).toString('hex'),
  });
  const app = createApp({ config, db: database.db });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  cleanups.add(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface Account {
  id: number;
  username: string;
  password: string;
  token: string;
}

async function account(db: Kysely<DB>, role: Role, unitId: number, passwordHash: string, password: string): Promise<Account> {
  const username = `bench.${role}.${unitId}.${randomBytes(3).toString('hex')}`;
  const user = await db.insertInto('users').values({ username, password_hash: passwordHash, full_name: `Bench ${role}`, role, unit_id: unitId }).returning('id').executeTakeFirstOrThrow();
  const token = randomBytes(32).toString('base64url');
  await db.insertInto('api_tokens').values({ user_id: user.id, token_hash: hashToken(token), expires_at: new Date(Date.now() + 86_400_000) }).execute();
  return { id: user.id, username, password, token };
}

/** A signed-in browser session for the pages (cookie and CSRF token kept by hand). */
async function signIn(baseUrl: string, who: Account): Promise<(path: string) => Promise<{ status: number; html: string }>> {
  const cookies = new Map<string, string>();
  let csrf = '';
  const request = async (method: string, path: string, body?: string) => {
    const response = await fetch(baseUrl + path, {
      method,
      redirect: 'manual',
      body,
      headers: {
        'x-forwarded-proto': 'https',
        'accept-language': 'vi',
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...(cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
      },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (name) cookies.set(name.trim(), value.join('='));
    }
    const html = await response.text();
    csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? csrf;
    return { status: response.status, html };
  };
  await request('GET', '/login');
  const login = await request('POST', '/login', new URLSearchParams({ _csrf: csrf, username: who.username, password: who.password }).toString());
  if (login.status !== 302 && login.status !== 303) throw new Error(`page login failed: ${login.status}`);
  return (path) => request('GET', path);
}

// ------------------------------------------------------------------ one backend

/** One backend's clean-up steps, run last first when it is done (or by the process's clean-ups on Ctrl-C). */
class Steps {
  private readonly steps: (() => Promise<void>)[] = [];
  private running: Promise<void> | undefined;
  add(step: () => Promise<void>): void {
    this.steps.push(step);
  }
  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) await step().catch((error: unknown) => console.error(`cleanup: ${error instanceof Error ? error.message : String(error)}`));
    })();
    return this.running;
  }
}

async function runBackend(backend: Backend, s: Settings, cleanups: Cleanups): Promise<BackendResult> {
  const steps = new Steps();
  cleanups.add(() => steps.run());
  try {
    return await measureBackend(backend, s, steps);
  } finally {
    await steps.run();
  }
}

async function measureBackend(backend: Backend, s: Settings, cleanups: Steps): Promise<BackendResult> {
  say();
  say(`=== ${backend} ===`);
  let url: string | undefined;
  let describe: string;
  if (backend === 'postgres') {
    const server = await startBenchServer(s.databaseUrl, (line) => say(`  ${line}`));
    cleanups.add(() => server.stop());
    describe = server.describe;
    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.end();
    cleanups.add(async () => {
      const client = new pg.Client({ connectionString: server.adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
      await client.end();
    });
    url = withDatabase(server.adminUrl, DATABASE);
  } else {
    describe = 'PGlite, in this process, data in a temporary folder';
  }
  const folder = backend === 'pglite' ? mkdtempSync(join(tmpdir(), 'dvk-fbench-pglite-')) : undefined;
  if (folder) cleanups.add(async () => rmSync(folder, { recursive: true, force: true }));
  const database = await openDatabase({ databaseUrl: url, pgliteDir: folder ? join(folder, 'data') : undefined });
  cleanups.add(() => database.close());
  if (backend === 'pglite') describe = `${describe} (PostgreSQL ${(await database.pool.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]?.v})`;
  say(`Database: ${describe}`);
  await migrateToLatest(database.db);
  const db = database.db;

  const models = s.models[backend];
  say(`Generating: the country's units, ${models.toLocaleString('en')} models, ${s.nominations.toLocaleString('en')} nominations, ${s.twins.toLocaleString('en')} twins...`);
  const seedStart = performance.now();
  const units = await loadReferenceUnits(db);
  say(`  reference units: ${units.inserted.toLocaleString('en')} inserted in ${seconds(performance.now() - seedStart)}`);
  const { upperRoundId, provinceId, counts } = await seed(database, s, models, (line) => say(line));
  const seedMs = performance.now() - seedStart;
  say(`Generation: ${seconds(seedMs)}; ${Object.entries(counts).map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')}`);

  for (const statement of s.statements) {
    say(`Candidate: ${statement}: ${seconds(await time(() => database.pool.query(statement)))}`);
  }
  if (s.statements.length > 0) await database.pool.query('ANALYZE nominations');
  if (s.hold > 0 && url) {
    say(`Holding the database for ${s.hold} s: psql '${url}' (upper round ${upperRoundId})`);
    await new Promise((resolve) => setTimeout(resolve, s.hold * 1000));
  }

  // Callers: the province's secretary reads the list; each batch's commune secretary forwards.
  const password = randomBytes(12).toString('hex');
  const passwordHash = await hashPassword(password);
  const secretary = await account(db, 'secretary', provinceId, passwordHash, password);
  const baseUrl = await startApp(database, url, cleanups);
  const api = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'accept-language': 'vi', ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any };
  };
  const page = await signIn(baseUrl, secretary);

  // ---------------------------------------------------------------- (a) the upper round's review list
  const submittedIds = (await db.selectFrom('nominations').select('id').where('round_id', '=', upperRoundId).where('status', '=', 'submitted').orderBy('id').execute()).map((r) => r.id);
  const deepAfter = submittedIds[Math.floor(submittedIds.length * 0.8)]!;
  const base = `/nominations?roundId=${upperRoundId}`;
  const cases: ListCase[] = [
    { id: 'a0', label: 'GET /api/v1/me (fixed cost of a request)', path: '/me' },
    { id: 'a1', label: 'submitted, first page (50)', path: `${base}&status=submitted` },
    { id: 'a2', label: 'submitted, page at 80 % (cursor)', path: `${base}&status=submitted&cursor=${encodeCursor(deepAfter)}` },
    { id: 'a3', label: 'returned, first page (50)', path: `${base}&status=returned` },
    { id: 'a4', label: 'all statuses, first page (50)', path: base },
    { id: 'a5', label: 'round page /awards/:id?status=submitted', path: `/awards/${upperRoundId}?status=submitted`, page: true },
    { id: 'a6', label: 'round page at 80 % (cursor)', path: `/awards/${upperRoundId}?status=submitted&cursor=${encodeCursor(deepAfter)}`, page: true },
  ];
  const rowsOf: Record<string, number> = {};
  for (const c of cases) {
    if (c.page) {
      const answer = await page(c.path);
      if (answer.status !== 200) throw new Error(`GET ${c.path}: ${answer.status}`);
      rowsOf[c.id] = (answer.html.match(/href="\/nominations\/\d+"/g) ?? []).length;
    } else {
      const answer = await api('GET', c.path, secretary.token);
      if (answer.status !== 200) throw new Error(`GET ${c.path}: ${answer.status} ${JSON.stringify(answer.body)}`);
      rowsOf[c.id] = answer.body.total ?? 1;
    }
  }
  say();
  say(`(a) the upper round's review list (round ${upperRoundId}, ${counts.twins!.toLocaleString('en')} twins), as the province's secretary, ${s.repetitions} requests each (the page ${Math.min(s.repetitions, s.pageRepetitions)}) after ${s.warmup} warm-up rounds`);
  const samples: Record<string, number[]> = Object.fromEntries(cases.map((c) => [c.id, []]));
  const run = (c: ListCase) => (c.page ? page(c.path) : api('GET', c.path, secretary.token));
  for (let i = 0; i < s.warmup; i++) for (const c of cases) if (!c.page || i < 2) await run(c);
  // The round page (HTML, the committee, decisions, tabs) costs more than the API's list: fewer requests (BENCH_PAGE_REPS).
  for (let i = 0; i < s.repetitions; i++) for (const c of cases) if (!c.page || i < s.pageRepetitions) samples[c.id]!.push(await time(() => run(c)));
  const p99 = (values: number[]) => [...values].sort((x, y) => x - y)[Math.max(0, Math.ceil(values.length * 0.99) - 1)]!;
  const list = cases.map((c) => ({ c, rows: rowsOf[c.id]!, summary: summarise(samples[c.id]!), p99: p99(samples[c.id]!) }));
  for (const r of list) say(`  (${r.c.id}) ${r.c.label}: ${r.rows.toLocaleString('en')} rows, p50 ${ms(r.summary.median)} / p95 ${ms(r.summary.p95)} / p99 ${ms(r.p99)} ms`);

  // Plans of the list's queries as the repository builds them, for the province's secretary.
  const explain: string[] = [];
  const slow = list.filter((r) => !r.c.page && r.c.id !== 'a0' && r.summary.p95 >= AIM_LIST_P95_MS);
  if (s.explain || slow.length > 0) {
    const captured: { sql: string; parameters: unknown[] }[] = [];
    // The app's own pool, logged (not destroyed: the pool is the app's).
    const logged = new Kysely<DB>({ dialect: new PostgresDialect({ pool: database.pool }), log: (e) => void (e.level === 'query' && captured.push({ sql: e.query.sql, parameters: [...e.query.parameters] })) });
    const user = { id: secretary.id, username: secretary.username, fullName: 'Bench secretary', role: 'secretary' as const, unitId: provinceId, unitName: '', language: 'vi' as const };
    const caller = await callerFor(logged, user, undefined, loadUnitScope(db, user));
    captured.length = 0;
    // The first page of the submitted tab (a1) and of all statuses (a4): count and list.
    await listNominations(logged, caller, { roundId: upperRoundId, status: 'submitted' }, { limit: 51 });
    await listNominations(logged, caller, { roundId: upperRoundId }, { limit: 51 });
    for (const query of captured) {
      const { rows } = await database.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${query.sql}`, query.parameters);
      explain.push(`  ${shortenArrays(query.sql)}\n  parameters: ${shortenArrays(JSON.stringify(query.parameters))}\n${rows.map((row) => `    ${shortenArrays(row['QUERY PLAN'])}`).join('\n')}`);
    }
  }

  // ---------------------------------------------------------------- (b) and (c): forwarding
  const plan = batchPlan(s);
  if (s.listOnly) return { backend, describe, models, counts, seedMs, list, forwards: plan.filter((k) => k !== 'warm-up').map((kind) => ({ kind, ms: NaN, twins: 0 })), explain };
  const sources = (await database.pool.query<{ batch: number; round_id: number; commune_id: number; id: number }>(`SELECT batch, round_id, commune_id, id FROM bench_source ORDER BY id`)).rows;
  say();
  say(`(b) forwarding ${s.batch} approved commune nominations at once (2 cited models${s.fileKb ? `, 1 file of ${s.fileKb} kB` : ''} each) to round ${upperRoundId}; (c) the same without files, and as ${s.batch} single calls`);
  const forwards: BackendResult['forwards'] = [];
  for (const [i, kind] of plan.entries()) {
    const batch = sources.filter((row) => row.batch === i);
    const ids = batch.map((row) => row.id);
    const lowerRoundId = batch[0]!.round_id;
    const clerk = await account(db, 'secretary', batch[0]!.commune_id, passwordHash, password);
    await api('GET', '/me', clerk.token); // a first request for the token's last use, outside the timing
    let twins = 0;
    const took = await time(async () => {
      if (kind === 'single calls') {
        for (const id of ids) {
          const answer = await api('POST', `/nominations/${id}/forward`, clerk.token, { roundId: upperRoundId });
          if (answer.status !== 201) throw new Error(`forward ${id}: ${answer.status} ${JSON.stringify(answer.body)}`);
          twins++;
        }
      } else {
        const answer = await api('POST', `/award-rounds/${lowerRoundId}/forward`, clerk.token, { roundId: upperRoundId, nominationIds: ids });
        if (answer.status !== 201) throw new Error(`forward batch ${i}: ${answer.status} ${JSON.stringify(answer.body)}`);
        twins = answer.body.total;
      }
    });
    if (twins !== ids.length) throw new Error(`batch ${i}: ${twins} twins for ${ids.length} nominations`);
    forwards.push({ kind, ms: took, twins });
    say(`  ${kind}: ${twins} twins in ${ms(took)} ms`);
  }
  // The copies are there: models and files, bytes included.
  const copied = (await database.pool.query<{ twins: number; cited: number; files: number; mb: number }>(`
    SELECT count(DISTINCT t.id)::integer AS twins, (SELECT count(*) FROM nomination_models m JOIN nominations x ON x.id = m.nomination_id WHERE x.round_id = $1 AND x.forwarded_at > now() - interval '1 hour')::integer AS cited,
           (SELECT count(*) FROM nomination_files f JOIN nominations x ON x.id = f.nomination_id WHERE x.round_id = $1 AND x.forwarded_at > now() - interval '1 hour')::integer AS files,
           (SELECT coalesce(sum(length(c.content)), 0) / 1048576.0 FROM nomination_file_contents c JOIN nomination_files f ON f.id = c.file_id JOIN nominations x ON x.id = f.nomination_id WHERE x.round_id = $1 AND x.forwarded_at > now() - interval '1 hour')::float AS mb
    FROM nominations t WHERE t.round_id = $1 AND t.forwarded_at > now() - interval '1 hour'`, [upperRoundId])).rows[0]!;
  say(`  copied in this run: ${copied.twins} twins, ${copied.cited} cited models, ${copied.files} files (${copied.mb.toFixed(1)} MB of bytes)`);

  return { backend, describe, models, counts, seedMs, list, forwards, explain };
}

// ------------------------------------------------------------------ the report

function report(s: Settings, results: BackendResult[], startLoad: string): void {
  say();
  say(`=== Results (ms; ${s.repetitions} requests per list case; load average ${loadavg().map((n) => n.toFixed(2)).join(' ')} at the end, ${startLoad} at the start, on ${cpus().length} CPUs) ===`);
  say(table(
    ['list case', ...results.flatMap((r) => [`${r.backend} rows`, 'p50', 'p95', 'p99'])],
    results[0]!.list.map((_, i) => [
      `(${results[0]!.list[i]!.c.id}) ${results[0]!.list[i]!.c.label}`,
      ...results.flatMap((r) => { const x = r.list[i]!; return [x.rows.toLocaleString('en'), ms(x.summary.median), ms(x.summary.p95), ms(x.p99)]; }),
    ]),
  ));
  say();
  const forwardRows = (['files', 'no files', 'single calls'] as const).map((kind) => [
    kind === 'files' ? `batch of ${s.batch}, files` : kind === 'no files' ? `batch of ${s.batch}, no files` : `${s.batch} single calls, files`,
    ...results.flatMap((r) => {
      const runs = r.forwards.filter((f) => f.kind === kind).map((f) => f.ms);
      const sum = summarise(runs);
      return [String(runs.length), ms(sum.median), ms(sum.min), ms(sum.max)];
    }),
  ]);
  say(table(['forwarding', ...results.flatMap((r) => [`${r.backend} runs`, 'median', 'min', 'max'])], forwardRows));
  for (const r of results) {
    const median = (kind: BatchKind) => summarise(r.forwards.filter((f) => f.kind === kind).map((f) => f.ms)).median;
    const files = median('files');
    say(`${r.backend}: batch ${ms(files / s.batch)} ms a nomination; files / no files ${(files / median('no files')).toFixed(2)}×; ${s.batch} single calls / one batch ${(median('single calls') / files).toFixed(2)}×`);
  }
  say();
  const verdict = results.map((r) => {
    const aims = r.list.filter((x) => !x.c.page && x.c.id !== 'a0');
    const worst = aims.reduce((a, b) => (b.summary.p95 > a.summary.p95 ? b : a));
    const forward = Math.max(...r.forwards.filter((f) => f.kind === 'files').map((f) => f.ms));
    return `${r.backend}: list p95 < ${AIM_LIST_P95_MS} ms ${worst.summary.p95 < AIM_LIST_P95_MS ? 'PASS' : 'FAIL'} (worst ${worst.c.id} ${ms(worst.summary.p95)}); ` +
      `forward ${s.batch} < ${AIM_FORWARD_MS / 1000} s ${forward < AIM_FORWARD_MS ? 'PASS' : 'FAIL'} (slowest ${ms(forward)})`;
  });
  say(`Verdict (API list cases a1-a4; every batch with files): ${verdict.join('; ')}`);
  for (const r of results.filter((x) => x.explain.length > 0)) {
    say();
    say(`EXPLAIN (ANALYZE, BUFFERS), ${r.backend}: the list's queries for the first page of the submitted tab (a1) and of all statuses (a4)`);
    say(r.explain.join('\n\n'));
  }
}

const cleanups = new Cleanups();
try {
  const s = settings(process.env);
  const startLoad = loadavg().map((n) => n.toFixed(2)).join(' ');
  say(`Forwarding benchmark${s.quick ? ' (quick)' : ''}: ${s.backends.join(' and ')}; ${s.nominations.toLocaleString('en')} nominations, ${s.twins.toLocaleString('en')} twins, batches of ${s.batch}`);
  const results: BackendResult[] = [];
  for (const backend of s.backends) results.push(await runBackend(backend, s, cleanups));
  report(s, results, startLoad);
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
} finally {
  await cleanups.run();
}
