// The SQL rule (README, Layout): Kysely queries and the `kysely` module's values live in a feature's
// repository.ts and in the infrastructure listed below, nowhere else. A service opens the one
// transaction (`db.transaction().execute(async (trx) => ...)`) and hands `trx` to repository functions;
// routers, parsers, policies and present.ts hold no SQL. `import type` from 'kysely' is allowed
// everywhere: a type cannot run a query.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Code that legitimately speaks SQL: the database itself, operations, the job queue, audit, sessions, seeding. */
const INFRASTRUCTURE = [
  'server/db/',
  'server/ops/',
  'server/demo/',
  'server/jobs/queue.ts',
  'server/audit/audit.ts',
  'server/web/session-store.ts',
  'server/units/reference/load.ts',
];

export function mayHoldSql(path: string): boolean {
  return /^server\/[^/]+\/repository\.ts$/.test(path) || INFRASTRUCTURE.some((allowed) => (allowed.endsWith('/') ? path.startsWith(allowed) : path === allowed));
}

const ROUTER = /(^|\/)(api|pages|http)\.ts$|-routes\.ts$/;

/** Query builders, raw SQL, and running compiled queries. */
const SQL_PATTERNS: [string, RegExp][] = [
  ['a query builder call', /\.(selectFrom|selectNoFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto)\s*\(/],
  ['a sql template', /\bsql\s*(<[^`]*?>)?\s*`/],
  ['a sql helper', /\bsql\.(raw|ref|lit|val|join|id|table)\s*\(/],
  ['a compiled query', /\bCompiledQuery\b|\.executeQuery\s*\(/],
];

export interface Finding {
  line: number;
  what: string;
  text: string;
}

function lineAt(source: string, index: number): number {
  return source.slice(0, index).split('\n').length;
}

/** Where a source holds SQL or imports a value from 'kysely'; `router` adds opening a transaction. */
export function findSql(source: string, options: { router?: boolean } = {}): Finding[] {
  const findings: Finding[] = [];
  const lines = source.split('\n');
  let inBlockComment = false;
  lines.forEach((text, index) => {
    const trimmed = text.trim();
    if (inBlockComment) {
      if (trimmed.includes('*/')) inBlockComment = false;
      return;
    }
    if (trimmed.startsWith('/*') && !trimmed.includes('*/')) {
      inBlockComment = true;
      return;
    }
    if (trimmed.startsWith('//') || trimmed.startsWith('*') || trimmed.startsWith('/*')) return;
    for (const [what, pattern] of SQL_PATTERNS) if (pattern.test(text)) findings.push({ line: index + 1, what, text: trimmed });
    if (options.router && /\.transaction\s*\(/.test(text)) findings.push({ line: index + 1, what: 'a transaction opened in a router', text: trimmed });
  });
  // Imports may span lines: read them from the whole source.
  for (const match of source.matchAll(/^[ \t]*(import|export)\s+(type\s+)?([^;]*?)\s+from\s+['"]kysely['"]/gm)) {
    const typeOnly = Boolean(match[2]) || /^\{\s*(type\s+[\w$]+(\s+as\s+[\w$]+)?\s*,?\s*)+\}$/.test(match[3]!.trim());
    if (!typeOnly) findings.push({ line: lineAt(source, match.index), what: "a value imported from 'kysely'", text: match[0].trim().replace(/\s+/g, ' ') });
  }
  for (const match of source.matchAll(/\bimport\s*\(\s*['"]kysely['"]\s*\)/g)) {
    findings.push({ line: lineAt(source, match.index), what: "a dynamic import of 'kysely'", text: match[0] });
  }
  return findings;
}

describe('architecture: SQL lives in repositories', () => {
  it('finds query builders, sql templates and value imports of kysely, and lets type imports and comments pass', () => {
    const source = [
      "import type { Transaction } from 'kysely';",
      "import { type Selectable, type Insertable } from 'kysely';",
      "import {",
      "  sql,",
      "  type Expression,",
      "} from 'kysely';",
      '// trx.selectFrom(\'units\') in a comment is fine',
      "const unit = await trx.selectFrom('units').select('id').executeTakeFirst();",
      'await sql<number>`SELECT 1`.execute(db);',
      "await db.transaction().execute(async (trx) => repository.insertUnit(trx, values));",
    ].join('\n');
    expect(findSql(source).map((f) => [f.line, f.what])).to.deep.equal([
      [8, 'a query builder call'],
      [9, 'a sql template'],
      [3, "a value imported from 'kysely'"],
    ]);
    expect(findSql(source, { router: true }).map((f) => f.what)).to.include('a transaction opened in a router');
  });

  it('allows repository.ts files and the listed infrastructure, nothing else', () => {
    expect(mayHoldSql('server/awards/repository.ts')).to.equal(true);
    expect(mayHoldSql('server/certificates/repository.ts')).to.equal(true);
    expect(mayHoldSql('server/db/migrate.ts')).to.equal(true);
    expect(mayHoldSql('server/awards/service.ts')).to.equal(false);
    expect(mayHoldSql('server/awards/repository/extra.ts')).to.equal(false);
    expect(mayHoldSql('server/web/session-store.tsx')).to.equal(false);
  });

  it('no file of server/ outside repositories and infrastructure holds SQL or imports a value from kysely', () => {
    const files = readdirSync(join(root, 'server'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .map((file) => `server/${file.split('\\').join('/')}`)
      .sort();
    expect(files.length).to.be.greaterThan(50);
    const offences = files
      .filter((file) => !mayHoldSql(file))
      .flatMap((file) => findSql(readFileSync(join(root, file), 'utf8'), { router: ROUTER.test(file) }).map((f) => `${file}:${f.line}: ${f.what}: ${f.text}`));
    expect(offences, 'move these into the feature\'s repository.ts (README, Layout: "SQL lives in repositories")').to.deep.equal([]);
  });
});
