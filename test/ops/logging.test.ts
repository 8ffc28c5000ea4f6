import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request, Response } from 'express';
import { pino } from 'pino';
import { loadConfig } from '../../server/config.ts';
import { logUnexpectedError } from '../../server/ops/logging.ts';
import { waitForOutput } from '../support/processes.ts';

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
    const port = String(30000 + Math.floor(Math.random() * 20000));
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
    await new Promise((resolve) => setTimeout(resolve, 300));
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

describe('settings for logs and production warnings', () => {
  const production = { NODE_ENV: 'production', SESSION_SECRET: SECRET };

  it('warns about a PUBLIC_URL left unset or pointing at this machine in production only', () => {
    expect(loadConfig({ ...production }).publicUrlWarning).to.equal('PUBLIC_URL is not set');
    expect(loadConfig({ ...production, PUBLIC_URL: 'http://localhost:3000' }).publicUrlWarning).to.equal('PUBLIC_URL points at localhost');
    expect(loadConfig({ ...production, PUBLIC_URL: 'http://127.0.0.1:3000' }).publicUrlWarning).to.equal('PUBLIC_URL points at 127.0.0.1');
    expect(loadConfig({ ...production, PUBLIC_URL: 'https://dvk.angiang.gov.vn' }).publicUrlWarning).to.equal(undefined);
    expect(loadConfig({ NODE_ENV: 'development' }).publicUrlWarning).to.equal(undefined);
  });

  it('logs at info by default, silently under test, and at the LOG_LEVEL given', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).logLevel).to.equal('info');
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).to.equal('silent');
    expect(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn' }).logLevel).to.equal('warn');
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).to.throw(/LOG_LEVEL/);
  });

  it('logs an unexpected error with the reference the user is shown, its stack, and the path without the query', () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const res = { locals: {} } as Response;
    logUnexpectedError({ log, method: 'GET', originalUrl: '/models?token=secret' } as unknown as Request, res, '1a2b3c4d', new Error('boom'));
    const entry = JSON.parse(lines[0]!) as { errorRef: string; path: string; err: { message: string; stack: string }; level: number };
    expect(entry).to.include({ errorRef: '1a2b3c4d', path: '/models', level: 50 });
    expect(entry.err.message).to.equal('boom');
    expect(entry.err.stack).to.include('Error: boom');
    expect(res.locals.errorRef).to.equal('1a2b3c4d');
  });
});
