// Generates the registry a benchmark runs on, inside PostgreSQL (INSERT ... SELECT generate_series):
// the 34 provinces of 2025 with the 29 merged into them, their agencies, the districts and communes
// abolished or merged on 1 July 2025 pointing to their successors, and `models` models over 2016-2025.
import pg from 'pg';
import * as words from './vocabulary.ts';

export const MERGER_EVE = '2025-06-30';
export const MERGER_DAY = '2025-07-01';
export const FIRST_YEAR = 2016;
export const YEARS = 10;
const DISTRICTS_PER_PROVINCE = 6;
const COMMUNES_PER_DISTRICT = 12;
/** New communes of a 2025 province, `30 + 20 * merged`: 50, 70 or 90 as 1, 2 or 3 provinces merged. */
const NEW_COMMUNES = (merged: string) => `(30 + 20 * ${merged})`;
const BATCH = 50_000;

export interface UnitCounts {
  total: number;
  byKind: Record<string, number>;
}

/** Units of every kind, with their history; answers the counts. */
export async function generateUnits(client: pg.ClientBase): Promise<UnitCounts> {
  const pre: { code: string; name: string; type: string; short: string; current: string; continuing: boolean; merged: number }[] = [];
  for (const province of words.PROVINCES) {
    const merged = 1 + province.absorbed.length;
    for (const p of [province, ...province.absorbed]) {
      pre.push({
        code: p.code,
        name: `${p.type === 'tỉnh' ? 'Tỉnh' : 'Thành phố'} ${p.name}`,
        type: p.type,
        short: p.name,
        current: province.code,
        continuing: p === province,
        merged,
      });
    }
  }
  await client.query('BEGIN');
  await client.query(`SELECT setseed(0.2025)`);
  await client.query(`CREATE TEMP TABLE bench_province (code text, name text, type text, short text, current_code text, continuing boolean, merged integer) ON COMMIT DROP`);
  await client.query(
    `INSERT INTO bench_province SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::integer[])`,
    [pre.map((p) => p.code), pre.map((p) => p.name), pre.map((p) => p.type), pre.map((p) => p.short), pre.map((p) => p.current), pre.map((p) => p.continuing), pre.map((p) => p.merged)],
  );
  await client.query(`CREATE TEMP TABLE bench_agency (suffix text, template text, kind text, block text) ON COMMIT DROP`);
  await client.query(`INSERT INTO bench_agency SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`, [
    words.AGENCIES.map((a) => a[0]), words.AGENCIES.map((a) => a[1]), words.AGENCIES.map((a) => a[2]), words.AGENCIES.map((a) => a[3]),
  ]);
  const syllables = words.PLACE_SYLLABLES;
  const place = `($1::text[])[1 + floor(random() * ${syllables.length})::int] || ' ' || ($1::text[])[1 + floor(random() * ${syllables.length})::int]`;

  // The 34 provinces of today continue the province of the same name; the 29 others end on the eve of the merger.
  await client.query(`INSERT INTO units (code, name, kind, block_code) SELECT code, name, 'province', 'chinh_quyen' FROM bench_province WHERE continuing`);
  await client.query(`
    INSERT INTO units (code, name, kind, block_code, valid_to, successor_id)
    SELECT p.code, p.name, 'province', 'chinh_quyen', DATE '${MERGER_EVE}', cur.id
    FROM bench_province p JOIN units cur ON cur.code = p.current_code WHERE NOT p.continuing`);
  const agencyName = `replace(replace(replace(replace(a.template, '{t}', p.type), '{u}', CASE p.type WHEN 'tỉnh' THEN 'Tỉnh ủy' ELSE 'Thành ủy' END),
    '{d}', CASE p.type WHEN 'tỉnh' THEN 'Tỉnh đoàn' ELSE 'Thành đoàn' END), '{n}', p.short)`;
  await client.query(`
    INSERT INTO units (code, name, kind, block_code, parent_id)
    SELECT p.code || '.' || a.suffix, ${agencyName}, a.kind, a.block, u.id
    FROM bench_province p JOIN units u ON u.code = p.code CROSS JOIN bench_agency a WHERE p.continuing ORDER BY p.code, a.suffix`);
  await client.query(`
    INSERT INTO units (code, name, kind, block_code, parent_id, valid_to, successor_id)
    SELECT p.code || '.' || a.suffix, ${agencyName}, a.kind, a.block, u.id, DATE '${MERGER_EVE}', successor.id
    FROM bench_province p JOIN units u ON u.code = p.code CROSS JOIN bench_agency a
    JOIN units successor ON successor.code = p.current_code || '.' || a.suffix
    WHERE NOT p.continuing ORDER BY p.code, a.suffix`);
  // New communes from 1 July 2025, directly under the province (districts were abolished).
  await client.query(
    `INSERT INTO units (code, name, kind, block_code, parent_id, valid_from)
     SELECT p.code || '.C' || lpad(k::text, 3, '0'), CASE WHEN random() < 0.2 THEN 'Phường ' ELSE 'Xã ' END || ${place}, 'commune', 'chinh_quyen', u.id, DATE '${MERGER_DAY}'
     FROM bench_province p JOIN units u ON u.code = p.code CROSS JOIN LATERAL generate_series(1, ${NEW_COMMUNES('p.merged')}) k
     WHERE p.continuing ORDER BY p.code, k`,
    [syllables],
  );
  // Districts and their communes until the merger, in every pre-2025 province.
  await client.query(
    `INSERT INTO units (code, name, kind, block_code, parent_id, valid_to)
     SELECT p.code || '.H' || d, CASE WHEN d = 1 THEN 'Thành phố ' ELSE 'Huyện ' END || ${place}, 'district', 'chinh_quyen', u.id, DATE '${MERGER_EVE}'
     FROM bench_province p JOIN units u ON u.code = p.code CROSS JOIN generate_series(1, ${DISTRICTS_PER_PROVINCE}) d ORDER BY p.code, d`,
    [syllables],
  );
  // Each old commune merges into a new commune of today's province: neighbours (by code) into the same one.
  await client.query(
    `WITH old AS (
       SELECT p.code || '.H' || d || '.X' || lpad(c::text, 2, '0') AS code, p.code || '.H' || d AS district, p.current_code, p.merged,
              row_number() OVER (PARTITION BY p.current_code ORDER BY p.code, d, c) - 1 AS ordinal,
              count(*) OVER (PARTITION BY p.current_code) AS old_count,
              CASE WHEN c = 1 THEN 'Thị trấn ' WHEN d = 1 THEN 'Phường ' ELSE 'Xã ' END AS prefix
       FROM bench_province p CROSS JOIN generate_series(1, ${DISTRICTS_PER_PROVINCE}) d CROSS JOIN generate_series(1, ${COMMUNES_PER_DISTRICT}) c
     )
     INSERT INTO units (code, name, kind, block_code, parent_id, valid_to, successor_id)
     SELECT old.code, old.prefix || ${place}, 'commune', 'chinh_quyen', district.id, DATE '${MERGER_EVE}', successor.id
     FROM old
     JOIN units district ON district.code = old.district
     JOIN units successor ON successor.code = old.current_code || '.C' || lpad((1 + old.ordinal * ${NEW_COMMUNES('old.merged')} / old.old_count)::text, 3, '0')
     ORDER BY old.code`,
    [syllables],
  );
  await client.query('COMMIT');
  const { rows } = await client.query<{ kind: string; count: number }>(`SELECT kind, count(*)::integer AS count FROM units GROUP BY kind ORDER BY kind`);
  const byKind = Object.fromEntries(rows.map((row) => [row.kind, row.count]));
  return { total: rows.reduce((sum, row) => sum + row.count, 0), byKind };
}

interface SecondaryIndex {
  name: string;
  definition: string;
}

/** `models`' indexes that no constraint owns: dropped for the bulk load, rebuilt afterwards. */
async function secondaryIndexes(client: pg.ClientBase): Promise<SecondaryIndex[]> {
  const { rows } = await client.query<SecondaryIndex>(`
    SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
    WHERE x.indrelid = 'models'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
    ORDER BY i.relname`);
  return rows;
}

/** The word lists, as the parameters $1..$12 of the models INSERT. */
const wordParams = () => [
  words.TITLE_HEADS_KHEO, words.TITLE_HEADS, words.TITLE_TOPICS, words.RARE_TOPICS, words.PLACE_WORDS, words.PLACE_SYLLABLES,
  words.ACTORS, words.ACTIVITIES, words.RESULTS, words.GOALS, words.SURNAMES, words.GIVEN_NAMES,
];

/** One INSERT ... SELECT for models lo..hi (ids are n; years follow ids, as registration dates do). */
function modelsInsert(total: number, pickCounts: { pre: number; post: number }): string {
  const pick = (param: number, list: readonly string[]) => `($${param}::text[])[1 + floor(random() * ${list.length})::int]`;
  const [headsKheo, heads, topics, rare, placeWords, syllables, actors, activities, results, goals, surnames, givenNames] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;
  const w = words;
  return `
    INSERT INTO models (id, code, title, unit_id, year, field_code, block_code, kind, summary, goals, started_on, participants, contact,
                        replicates_model_id, status, created_at, updated_at, search_words)
    OVERRIDING SYSTEM VALUE
    -- search_words as the trigger of sql/0009 would fill it: triggers do not fire in replica mode.
    SELECT m.*, f_search_words(m.code || ' ' || m.title || ' ' || m.summary) FROM (
    SELECT s.n,
      CASE WHEN s.exemplar THEN 'DH' ELSE 'MH' END || '-' || s.y || '-' || lpad((s.n - ((s.y - ${FIRST_YEAR})::bigint * ${total} + ${YEARS - 1}) / ${YEARS})::text, 6, '0') AS code,
      CASE WHEN random() < 0.22 THEN ${pick(headsKheo, w.TITLE_HEADS_KHEO)} ELSE ${pick(heads, w.TITLE_HEADS)} END || ' ' ||
        CASE WHEN random() < 0.001 THEN ${pick(rare, w.RARE_TOPICS)} ELSE ${pick(topics, w.TITLE_TOPICS)} END || ' ' ||
        ${pick(placeWords, w.PLACE_WORDS)} || ' ' || ${pick(syllables, w.PLACE_SYLLABLES)} || ' ' || ${pick(syllables, w.PLACE_SYLLABLES)} AS title,
      p.unit_id,
      s.y,
      (ARRAY['kinh_te','van_hoa_xa_hoi','quoc_phong_an_ninh','xay_dung_he_thong_chinh_tri','nong_thon_moi','do_thi_van_minh','cai_cach_hanh_chinh'])[1 + floor(random() * 7)::int],
      CASE WHEN p.kind IN ('agency', 'organisation') THEN p.block_code
           WHEN s.rb < 0.40 THEN 'chinh_quyen' WHEN s.rb < 0.75 THEN 'mat_tran_doan_the' WHEN s.rb < 0.90 THEN 'dang'
           WHEN s.rb < 0.97 THEN 'luc_luong_vu_trang' ELSE 'doanh_nghiep' END,
      CASE WHEN s.exemplar THEN 'exemplar' ELSE 'model' END,
      'Mô hình được triển khai từ năm ' || s.y || ' với sự tham gia của ' || (20 + floor(random() * 480))::int || ' hộ gia đình. ' ||
        CASE WHEN random() < 0.10 THEN 'Thực hiện phương châm "Dân vận khéo", ' ELSE 'Bằng cách ' END ||
        ${pick(activities, w.ACTIVITIES)} || ', ' || ${pick(actors, w.ACTORS)} || ' đã vận động nhân dân ' || ${pick(results, w.RESULTS)} || '. ' ||
        CASE WHEN random() < 0.5 THEN 'Mô hình đã được nhân rộng ra ' || (2 + floor(random() * 10))::int || ' ' || ${pick(placeWords, w.PLACE_WORDS)} || ' lân cận.'
             ELSE 'Kết quả nổi bật: ' || ${pick(results, w.RESULTS)} || '.' END AS summary,
      CASE WHEN random() < 0.5 THEN ${pick(goals, w.GOALS)} || '.' END,
      make_date(s.y, 1, 1) + floor(random() * 330)::int,
      CASE WHEN random() < 0.6 THEN (20 + floor(random() * 980))::int || ' hộ dân' END,
      CASE WHEN random() < 0.5 THEN ${pick(surnames, w.SURNAMES)} || ' ' || ${pick(givenNames, w.GIVEN_NAMES)} || ', 09' || lpad(floor(random() * 1e8)::bigint::text, 8, '0') END,
      CASE WHEN s.n > 1000 AND random() < 0.02 THEN 1 + floor(random() * (s.n - 1))::integer END,
      CASE WHEN s.y <= 2022 THEN CASE WHEN s.rs < 0.40 THEN 'recognized' WHEN s.rs < 0.70 THEN 'completed' WHEN s.rs < 0.85 THEN 'not_recognized'
                                       WHEN s.rs < 0.95 THEN 'discontinued' ELSE 'implementing' END
           WHEN s.y <= 2024 THEN CASE WHEN s.rs < 0.40 THEN 'implementing' WHEN s.rs < 0.65 THEN 'completed' WHEN s.rs < 0.80 THEN 'recognized'
                                       WHEN s.rs < 0.85 THEN 'not_recognized' WHEN s.rs < 0.92 THEN 'discontinued' ELSE 'registered' END
           ELSE CASE WHEN s.rs < 0.50 THEN 'registered' WHEN s.rs < 0.95 THEN 'implementing' ELSE 'discontinued' END END,
      s.created_at,
      s.created_at + random() * interval '200 days'
    FROM (
      SELECT g.n, g.y, random() < 0.15 AS exemplar, random() AS rs, random() AS rb,
             CASE WHEN g.y < 2025 OR random() < 0.5 THEN 'pre' ELSE 'post' END AS era, random() AS ru,
             make_timestamptz(g.y, 1, 1, 8, 0, 0, 'Asia/Ho_Chi_Minh') + random() * interval '355 days' AS created_at
      FROM (SELECT n, ${FIRST_YEAR} + ((n - 1)::bigint * ${YEARS} / ${total})::integer AS y FROM generate_series($13::integer, $14::integer) n) g
    ) s
    JOIN bench_unit_pick p ON p.era = s.era AND p.idx = 1 + floor(s.ru * CASE s.era WHEN 'pre' THEN ${pickCounts.pre} ELSE ${pickCounts.post} END)::integer
    ORDER BY s.n) m`;
}

export interface ModelGeneration {
  loadMs: number;
  indexMs: number;
  indexes: string[];
}

/**
 * Loads `total` models from `clients.length` connections at once, with the secondary indexes
 * dropped during the load and rebuilt (in parallel) afterwards.
 */
export async function generateModels(clients: pg.ClientBase[], total: number, progress: (line: string) => void): Promise<ModelGeneration> {
  const [first] = clients;
  if (!first) throw new Error('generateModels needs at least one connection');
  // Units that could own a model before the merger, and after it.
  await first.query(`DROP TABLE IF EXISTS bench_unit_pick`);
  await first.query(`
    CREATE UNLOGGED TABLE bench_unit_pick AS
    SELECT era, row_number() OVER (PARTITION BY era ORDER BY id)::integer AS idx, id AS unit_id, block_code, kind
    FROM (SELECT 'pre' AS era, id, block_code, kind FROM units WHERE valid_from IS NULL OR valid_from < DATE '${MERGER_DAY}'
          UNION ALL
          SELECT 'post', id, block_code, kind FROM units WHERE valid_to IS NULL) u`);
  await first.query(`ANALYZE bench_unit_pick`);
  const { rows } = await first.query<{ era: string; count: number }>(`SELECT era, count(*)::integer AS count FROM bench_unit_pick GROUP BY era`);
  const pickCounts = { pre: rows.find((r) => r.era === 'pre')?.count ?? 0, post: rows.find((r) => r.era === 'post')?.count ?? 0 };

  const indexes = await secondaryIndexes(first);
  for (const index of indexes) await first.query(`DROP INDEX ${index.name}`);

  const insert = modelsInsert(total, pickCounts);
  const params = wordParams();
  for (const client of clients) {
    // Foreign keys are not checked during the load (the generator only uses existing ids); needs a superuser.
    await client.query(`SET session_replication_role = replica`).catch(() => progress('(not a superuser: foreign keys are checked during the load)'));
  }
  const loadStart = performance.now();
  let next = 1;
  let done = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next <= total) {
        const lo = next;
        const hi = Math.min(total, lo + BATCH - 1);
        next = hi + 1;
        // One seed per batch: the same rows whichever connection runs it.
        await client.query(`SELECT setseed($1)`, [((lo - 1) / BATCH + 1) / (Math.ceil(total / BATCH) + 1)]);
        await client.query(insert, [...params, lo, hi]);
        done += hi - lo + 1;
        if (done % (BATCH * 4) === 0 || done === total) progress(`  ${done.toLocaleString('en')} models (${((performance.now() - loadStart) / 1000).toFixed(0)} s)`);
      }
    }),
  );
  const loadMs = performance.now() - loadStart;
  for (const client of clients) await client.query(`RESET session_replication_role`).catch(() => undefined);
  await first.query(`SELECT setval(pg_get_serial_sequence('models', 'id'), (SELECT max(id) FROM models))`);
  await first.query(`
    INSERT INTO model_code_counters (prefix, year, last_number)
    SELECT split_part(code, '-', 1), year, max(split_part(code, '-', 3)::integer) FROM models GROUP BY 1, 2
    ON CONFLICT (prefix, year) DO UPDATE SET last_number = excluded.last_number`);
  await first.query(`DROP TABLE bench_unit_pick`);

  // Rebuild: the trigram index (the slowest) on one connection, the B-trees on the others.
  const indexStart = performance.now();
  const queues: SecondaryIndex[][] = clients.map(() => []);
  const ordered = [...indexes].sort((a, b) => Number(/using gin/i.test(b.definition)) - Number(/using gin/i.test(a.definition)));
  ordered.forEach((index, i) => queues[i === 0 ? 0 : 1 + ((i - 1) % Math.max(1, clients.length - 1))]?.push(index));
  await Promise.all(
    clients.map(async (client, i) => {
      await client.query(`SET maintenance_work_mem = '1GB'`);
      for (const index of queues[i] ?? []) {
        const start = performance.now();
        await client.query(index.definition);
        progress(`  ${index.name} (${((performance.now() - start) / 1000).toFixed(1)} s)`);
      }
      await client.query(`RESET maintenance_work_mem`);
    }),
  );
  return { loadMs, indexMs: performance.now() - indexStart, indexes: indexes.map((index) => index.name) };
}
