import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForOutput } from '../support/processes.ts';

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
    const port = String(30000 + Math.floor(Math.random() * 20000));
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env: freshEnv(dataDir, { PORT: port, HOST: '127.0.0.1' }) });
    const output = await waitForOutput(child, /tw\.secretary\s+secretary/, 90_000);
    expect(output).to.include(`http://localhost:${port}`);
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

  it('adds a user from the command line into the same database', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/user.ts', 'add', '--username', 'vanthu2', '--password', 'Mật-khẩu-văn-thư', '--role', 'printer', '--unit', 'ag.snv'], { cwd: root, env: freshEnv(dataDir), encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).to.equal(0);
    expect(result.stdout).to.include('vanthu2 (printer, Sở Nội vụ tỉnh An Giang)');
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/user.ts', 'add', '--username', 'x', '--password', 'short', '--role', 'boss', '--unit', 'AG'], { cwd: root, env: freshEnv(dataDir), encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).to.equal(1);
    expect(bad.stderr).to.include('password: Mật khẩu phải có ít nhất 10 ký tự.');
  });
});
