import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForOutput } from '../support/processes.ts';
import { openDatabase } from '../../server/db/database.ts';
import { DEMO_UNITS } from '../../server/demo/seed.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The environment of a fresh shell: no DATABASE_URL, so the commands use the embedded database. */
function freshEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _unused, ...env } = process.env;
  void _unused;
  return { ...env, DATA_DIR: dataDir, NODE_ENV: 'development', ...extra };
}

describe('starting the application (npm start path)', function () {
  this.timeout(120_000);
  let dataDir: string;
  let child: ChildProcess | undefined;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dvk-start-'));
  });
  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens the embedded database, loads the demo data, prints the logins and serves the login page', async () => {
    const port = String(await freePort());
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env: freshEnv(dataDir, { PORT: port, HOST: '127.0.0.1' }) });
    const output = await waitForOutput(child, /tw\.secretary\s+secretary/, 90_000);
    expect(output).to.include(`http://localhost:${port}`);
    // The country's units come with the demo on a new database: 34 + 63 + 3,321 less the demo's own five that gain a code.
    const loaded = /(\d+) thêm mới \/ loaded, (\d+) đã có \/ kept \((\d+) ms\)/.exec(output);
    expect(loaded, output).to.not.equal(null);
    expect(Number(loaded![1]) + Number(loaded![2])).to.equal(34 + 63 + 3321);
    expect(Number(loaded![2])).to.be.greaterThan(0);
    for (const username of ['admin', 'secretary', 'member1', 'member2', 'member3', 'printer', 'agency', 'tw.secretary']) expect(output).to.match(new RegExp(`\\b${username}\\b`));
    const login = await fetch(`http://127.0.0.1:${port}/login`);
    expect(login.status).to.equal(200);
    expect(await login.text()).to.include('Đăng nhập');
    const token = await fetch(`http://127.0.0.1:${port}/api/v1/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'agency', password: 'DanVanKheo@2025' }),
    });
    expect(token.status).to.equal(201);
    const { user, token: bearer } = (await token.json()) as { user: { role: string }; token: string };
    expect(user.role).to.equal('agency');
    // The demo department sees its own models and those of the Kiên Giang department it succeeded.
    const models = (await (await fetch(`http://127.0.0.1:${port}/api/v1/models?limit=200`, { headers: { authorization: `Bearer ${bearer}` } })).json()) as { total: number; items: { unitName: string; year: number }[] };
    expect(models.total).to.be.greaterThan(0);
    expect(new Set(models.items.map((m) => m.unitName))).to.deep.equal(new Set(['Sở Giáo dục và Đào tạo tỉnh Kiên Giang', 'Sở Giáo dục và Đào tạo tỉnh An Giang']));
  });

  it('refuses a second process on the same data folder with a clear message', () => {
    const second = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env: freshEnv(dataDir, { PORT: '0' }), encoding: 'utf8', timeout: 60_000 });
    expect(second.status).to.not.equal(0);
    expect(second.stderr).to.match(/in use by process \d+/);
  });

  it('stops cleanly on SIGTERM and releases the folder', async () => {
    const exited = new Promise<number | null>((resolve) => child?.once('exit', resolve));
    child?.kill('SIGTERM');
    expect(await exited).to.equal(0);
    expect(readdirSync(dataDir).filter((file) => file.endsWith('.lock'))).to.deep.equal([]);
  });

  it('leaves a new database with the 34 provinces, 63 former provinces and 3,321 communes around the demo, An Giang once', async function () {
    const counts = await unitCounts(dataDir);
    expect(counts).to.include({ provinces: 34, formerProvinces: 63, communes: 3321, centres: 1, anGiang: 1, rachGia: 1 });
    expect(counts.demoCodes, 'every demo unit is there under its own code').to.equal(DEMO_UNITS.length);
    expect(counts.officialByCode).to.deep.include({ AG: '91', KG: '91', CT: '92', 'AG.P-RACHGIA': '30742' });
  });

  it('adds a user from the command line into the same database', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/user.ts', 'add', '--username', 'vanthu2', '--password', 'Mật-khẩu-văn-thư', '--role', 'printer', '--unit', 'ag.snv'], { cwd: root, env: freshEnv(dataDir), encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stdout).to.include('vanthu2 (printer, Sở Nội vụ tỉnh An Giang)');
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/user.ts', 'add', '--username', 'x', '--password', 'short', '--role', 'boss', '--unit', 'AG'], { cwd: root, env: freshEnv(dataDir), encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).to.equal(1);
    expect(bad.stderr).to.include('password: Mật khẩu phải có ít nhất 10 ký tự.');
  });

  it('a second start on the same database loads nothing and adds no unit', async () => {
    const before = await unitCounts(dataDir);
    const port = String(await freePort());
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env: freshEnv(dataDir, { PORT: port, HOST: '127.0.0.1' }) });
    const output = await waitForOutput(child, /tw\.secretary\s+secretary/, 90_000);
    expect(output).to.not.include('loaded,');
    const exited = new Promise<number | null>((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
    expect(await unitCounts(dataDir)).to.deep.equal(before);
  });
});

/** What the embedded database in `dataDir` holds of units (no process may have it open). */
async function unitCounts(dataDir: string) {
  const database = await openDatabase({ pgliteDir: join(dataDir, 'pglite') });
  try {
    const units = await database.db.selectFrom('units').select(['code', 'name', 'kind', 'official_code', 'valid_to', 'is_centre']).execute();
    const inForce = units.filter((u) => u.valid_to === null);
    const demo = new Set(DEMO_UNITS.map((u) => u.code));
    return {
      total: units.length,
      provinces: inForce.filter((u) => u.kind === 'province' && u.official_code !== null).length,
      formerProvinces: units.filter((u) => u.kind === 'province' && u.official_code !== null && u.valid_to === '2025-06-30').length,
      communes: inForce.filter((u) => u.kind === 'commune' && u.official_code !== null).length,
      centres: units.filter((u) => u.is_centre).length,
      anGiang: inForce.filter((u) => u.kind === 'province' && u.name === 'Tỉnh An Giang').length,
      rachGia: units.filter((u) => u.kind === 'commune' && u.name === 'Phường Rạch Giá').length,
      demoCodes: units.filter((u) => demo.has(u.code)).length,
      officialByCode: Object.fromEntries(units.filter((u) => demo.has(u.code) && u.official_code !== null).map((u) => [u.code, u.official_code])),
    };
  } finally {
    await database.close();
  }
}

