// Graceful shutdown of the real process (server/main.ts) under unbroken keep-alive load: on SIGTERM
// it finishes the requests in flight, closes its keep-alive connections instead of serving them on,
// and exits 0 by itself — the 30 s guard would exit 1.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForOutput } from '../support/processes.ts';
import { ctx } from '../support/context.ts';
import { createUser } from '../support/factories.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface Outcome {
  afterSignal: boolean;
  /** Sent after the process had printed that it is stopping (so surely handled as stopping). */
  afterStopping?: boolean;
  /** Set when an answer came: its status, whether its body arrived whole, its Connection header. */
  status?: number;
  complete?: boolean;
  connection?: string;
  /** Set when no answer came (connection refused or closed before the answer started). */
  error?: string;
}

/** One HTTP request; `write` sends the body (all at once unless the caller holds part of it back). */
function send(agent: Agent | false, port: number, method: string, path: string, options: { headers?: Record<string, string>; write?: (req: ReturnType<typeof request>) => void; afterSignal: () => boolean; stopping?: () => boolean }): Promise<Outcome & { body?: string }> {
  return new Promise((resolve) => {
    const startedAfter = options.afterSignal();
    const startedStopping = options.stopping?.() ?? false;
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const expected = res.headers['content-length'];
        const complete = res.complete && (expected === undefined || Buffer.byteLength(body) === Number(expected));
        resolve({ afterSignal: startedAfter, afterStopping: startedStopping, status: res.statusCode, complete, connection: res.headers.connection, body });
      });
      res.on('error', () => resolve({ afterSignal: startedAfter, status: res.statusCode, complete: false, body }));
    });
    req.on('error', (error) => resolve({ afterSignal: startedAfter, error: (error as NodeJS.ErrnoException).code ?? error.message }));
    if (options.write) options.write(req);
    else req.end();
  });
}

describe('graceful shutdown of the app process under keep-alive load', function () {
  this.timeout(150_000);
  let dataDir: string;
  let child: ChildProcess | undefined;

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dvk-shutdown-'));
  });
  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('on SIGTERM finishes the requests in flight, closes the busy keep-alive connections after them and exits 0 while clients keep sending', async () => {
    const port = await freePort();
    const { DATABASE_URL: _unused, ...env } = process.env;
    void _unused;
    // On PostgreSQL the process opens the tests' database (no demo data there: a user of our own);
    // on PGlite a folder of its own, with the demo users.
    const databaseUrl = ctx().config.databaseUrl;
    const account = databaseUrl ? await createUser({ role: 'agency' }) : { username: 'agency', password: 'DanVanKheo@2025' };
    // node --import tsx rather than `npm start`, so the signal reaches the server itself (as in production).
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: { ...env, DATA_DIR: dataDir, NODE_ENV: 'development', PORT: String(port), HOST: '127.0.0.1', ...(databaseUrl ? { DATABASE_URL: databaseUrl, RUN_PRINT_JOBS: 'false' } : {}) },
    });
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child!.once('exit', (code, signal) => resolve({ code, signal })));
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitForOutput(child, databaseUrl ? /running at http/ : /agency\s+agency/, 120_000);

    let signalled = false;
    const afterSignal = () => signalled;
    const stopping = () => output.includes('SIGTERM: đang dừng');
    const login = JSON.stringify({ username: account.username, password: account.password });
    const tokenAnswer = await send(false, port, 'POST', '/api/v1/tokens', { headers: { 'content-type': 'application/json' }, write: (req) => req.end(login), afterSignal });
    expect(tokenAnswer.status, tokenAnswer.body).to.equal(201);
    const token = (JSON.parse(tokenAnswer.body!) as { token: string }).token;

    // Four keep-alive clients, each one connection, sending requests back to back until the process is
    // gone. When armed, each sends one request half-way (headers and half the body) and finishes it
    // only after the signal: its connection is busy at SIGTERM, then asked to serve on.
    const outcomes: Outcome[] = [];
    const inFlightAtSignal: Promise<Outcome & { body?: string }>[] = [];
    let armed = false;
    let running = true;
    let signal!: () => void;
    const signalSent = new Promise<void>((resolve) => (signal = resolve));
    const invalidModel = JSON.stringify({ title: '' });
    const clients = Array.from({ length: 4 }, async (_, i) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const auth = { authorization: `Bearer ${token}` };
      while (running) {
        if (armed && inFlightAtSignal.length < 4) {
          const halfway = send(agent, port, 'POST', '/api/v1/models', {
            headers: { ...auth, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(invalidModel)) },
            afterSignal,
            write: (req) => {
              req.write(invalidModel.slice(0, 5));
              void signalSent.then(() => setTimeout(() => req.end(invalidModel.slice(5)), 300));
            },
          });
          inFlightAtSignal.push(halfway);
          const { body: _body, ...outcome } = await halfway;
          void _body;
          outcomes.push(outcome);
          continue;
        }
        const path = i % 2 ? '/api/v1/models?limit=5' : '/login';
        const outcome = await send(agent, port, 'GET', path, { headers: i % 2 ? auth : {}, afterSignal, stopping });
        delete outcome.body;
        outcomes.push(outcome);
        if (outcome.error) await new Promise((resolve) => setTimeout(resolve, 20)); // refused: try again, as a client does
      }
      agent.destroy();
    });
    while (outcomes.filter((o) => o.status === 200).length < 40) await new Promise((resolve) => setTimeout(resolve, 50));

    // A login whose headers and half its body are in before the signal, the rest after it.
    const halfSent = send(false, port, 'POST', '/api/v1/tokens', {
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(login)) },
      afterSignal,
      write: (req) => {
        req.write(login.slice(0, 10));
        void signalSent.then(() => setTimeout(() => req.end(login.slice(10)), 300));
      },
    });
    armed = true;
    while (inFlightAtSignal.length < 4) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 200)); // the half-sent requests reach the server
    signalled = true;
    child.kill('SIGTERM');
    signal();

    const exited = await exit;
    running = false;
    await Promise.all(clients);
    const slow = await halfSent;
    const busy = await Promise.all(inFlightAtSignal);

    expect(exited, output).to.deep.equal({ code: 0, signal: null }); // the 30 s guard exits 1
    expect(output).to.contain('SIGTERM: đang dừng / shutting down...');
    expect(slow.status, slow.body).to.equal(201);
    expect(slow.complete).to.equal(true);
    expect(JSON.parse(slow.body!)).to.have.property('token').that.is.a('string');
    expect(slow.connection).to.equal('close');
    // The keep-alive clients' requests in flight at the signal: answered in full, then their connection closed.
    for (const answer of busy) {
      expect(answer.status, answer.body ?? answer.error).to.equal(422);
      expect(answer.complete).to.equal(true);
      expect(JSON.parse(answer.body!).error.code).to.equal('validation_failed');
      expect(answer.connection).to.equal('close');
    }

    const answered = outcomes.filter((o) => o.status !== undefined);
    const refused = outcomes.filter((o) => o.error).map((o) => o.error);
    console.log(`      answered before/after the signal: ${answered.filter((o) => !o.afterSignal).length}/${answered.filter((o) => o.afterSignal).length}; without an answer: ${refused.length} (${[...new Set(refused)].join(', ')})`);
    expect(answered.filter((o) => !o.afterSignal).length).to.be.greaterThan(40);
    // Every answer, before or after the signal, is whole and not a server error.
    expect(answered.filter((o) => !o.complete || o.status! >= 500)).to.deep.equal([]);
    // Requests sent before the signal all got their answer.
    expect(outcomes.filter((o) => !o.afterSignal && o.error)).to.deep.equal([]);
    // Once stopping, a keep-alive client is told to go elsewhere: every answer closes its connection.
    expect(answered.filter((o) => o.afterStopping && o.connection !== 'close')).to.deep.equal([]);
    // Past the signal, the only failures are connections refused or closed before an answer started.
    for (const o of outcomes.filter((o) => o.error)) expect(o.error).to.be.oneOf(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'socket hang up']);
  });
});
