import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForOutput } from '../support/processes.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'a-production-secret-of-at-least-32-characters';

describe('request logs of a production process', function () {
  this.timeout(180_000);
  let dataDir: string;
  let child: ChildProcess;
  let output = '';
  let baseUrl: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dvk-logs-'));
    const port = String(await freePort());
    baseUrl = `http://127.0.0.1:${port}`;
    const { DATABASE_URL: _unused, LOG_LEVEL: _level, PUBLIC_URL: _url, ...env } = process.env;
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: { ...env, NODE_ENV: 'production', SESSION_SECRET: SECRET, DEMO_PASSWORD: 'Demo-Password-2025', DATA_DIR: dataDir, PORT: port, HOST: '127.0.0.1' },
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitForOutput(child, /running at/, 150_000);
  });
  after(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** The JSON log lines written so far. */
  function logLines(): Record<string, unknown>[] {
    return output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  it('warns at start that PUBLIC_URL is unset, since every QR code would carry it', () => {
    expect(output).to.include('WARNING: PUBLIC_URL is not set');
    expect(output).to.include('CẢNH BÁO');
  });

  it('writes one JSON line per request with method, path without the query string, status, time and user id', async () => {
    const login = await fetch(`${baseUrl}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'agency', password: 'Demo-Password-2025' }) });
    expect(login.status).to.equal(201);
    const { token, user } = (await login.json()) as { token: string; user: { id: number } };
    const me = await fetch(`${baseUrl}/api/v1/me?token=secret&q=tìm`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).to.equal(200);
    await fetch(`${baseUrl}/healthz`);
    // Lines leave in batches, within a second of being logged (server/ops/logging.ts).
    const sent = Date.now();
    while (!logLines().some((entry) => entry.path === '/api/v1/me') && Date.now() - sent < 5000) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(Date.now() - sent, 'the line was written within the batch time').to.be.below(2500);
    const line = logLines().find((entry) => entry.path === '/api/v1/me');
    expect(line, output).to.not.equal(undefined);
    expect(line).to.include({ method: 'GET', path: '/api/v1/me', status: 200, userId: user.id, level: 30 });
    expect(line!.durationMs).to.be.a('number');
    expect(line!.time).to.be.a('string');
    expect(output).to.not.include('token=secret');
    expect(output).to.not.include('secret&');
    // The login itself is logged without its body, and probes are not logged at all.
    expect(logLines().find((entry) => entry.path === '/api/v1/tokens')).to.include({ method: 'POST', status: 201 });
    expect(output).to.not.include('Demo-Password-2025');
    expect(logLines().some((entry) => entry.path === '/healthz')).to.equal(false);
  });
});
