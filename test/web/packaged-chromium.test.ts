// The app on a machine with no system browser: server/main.ts started as a real process with
// CHROMIUM_SYSTEM=false and no PUPPETEER_EXECUTABLE_PATH finds the Chromium packed in
// @sparticuz/chromium, says so in one line, and prints a Vietnamese certificate with embedded
// fonts over HTTP. Its browser dies with it (SIGKILL included), and the profile folder it leaves is
// removed at the next start, as is any profile of a dead process.
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractText, listFonts } from '../support/pdf.ts';
import { freePort, waitForOutput } from '../support/processes.ts';
import { packagedChromiumDir } from '../../server/certificates/rendering/setup.ts';
import { PROFILE_PREFIX } from '../../server/certificates/rendering/renderer.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DEMO_PASSWORD = 'DanVanKheo@2025';

/** A fresh shell without a system browser in reach: embedded database, no configured Chromium, system browsers skipped. */
function envWithoutSystemChromium(dataDir: string, port: number): NodeJS.ProcessEnv {
  const { DATABASE_URL: _database, PUPPETEER_EXECUTABLE_PATH: _chromium, ...env } = process.env;
  void _database;
  void _chromium;
  return { ...env, DATA_DIR: dataDir, NODE_ENV: 'development', PORT: String(port), HOST: '127.0.0.1', CHROMIUM_SYSTEM: 'false' };
}

interface Proc {
  pid: number;
  ppid: number;
  state: string;
  exe: string;
  cmdline: string;
}

function processes(): Proc[] {
  const list: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      let exe = '';
      try {
        exe = readlinkSync(`/proc/${entry}/exe`);
      } catch {
        // a zombie has none
      }
      list.push({ pid: Number(entry), ppid: Number(fields[1]), state: fields[0]!, exe, cmdline: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      // gone while reading
    }
  }
  return list;
}

/** Every process under `pid`, and any process that names one of its profile folders. */
function browserProcessesOf(pid: number): Proc[] {
  const all = processes();
  const found = new Map<number, Proc>();
  const walk = (parent: number) => {
    for (const child of all.filter((p) => p.ppid === parent)) {
      found.set(child.pid, child);
      walk(child.pid);
    }
  };
  walk(pid);
  for (const p of all) if (p.cmdline.includes(`${PROFILE_PREFIX}${pid}-`)) found.set(p.pid, p);
  return [...found.values()].filter((p) => p.exe !== process.execPath && !/esbuild/.test(p.exe));
}

const alive = (pid: number) => {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').slice(0).match(/\) [ZX] /);
  } catch {
    return false;
  }
};

const profilesOf = (pid: number) => readdirSync(tmpdir()).filter((name) => name.startsWith(`${PROFILE_PREFIX}${pid}-`));

describe('the packaged Chromium, with no system browser in reach (npm start on a bare machine)', function () {
  this.timeout(240_000);
  let dataDir: string;
  let child: ChildProcess | undefined;
  let port: number;
  let output: string;
  let killedPid: number | undefined;
  const staleProfile = join(tmpdir(), `${PROFILE_PREFIX}${deadPid()}-left-by-a-test`);

  /** The id of a process that has just ended. */
  function deadPid(): number {
    return spawnSync(process.execPath, ['-e', '0']).pid!;
  }

  async function start(): Promise<ChildProcess> {
    port = await freePort();
    const started = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env: envWithoutSystemChromium(dataDir, port) });
    output = await waitForOutput(started, /agency\s+agency/, 150_000);
    return started;
  }

  async function json(path: string, options: { token?: string; body?: unknown } = {}) {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
      method: options.body ? 'POST' : 'GET',
      headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(options.body ? { 'content-type': 'application/json' } : {}) },
      body: options.body ? JSON.stringify(options.body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dvk-packaged-'));
    mkdirSync(staleProfile, { recursive: true });
    writeFileSync(join(staleProfile, 'Local State'), '{}');
  });
  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(staleProfile, { recursive: true, force: true });
    if (killedPid) for (const name of profilesOf(killedPid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  });

  it('starts with the packaged Chromium, says so in one line, and removes a profile left by a dead process', async () => {
    child = await start();
    const lines = output.split('\n').filter((line) => line.includes('PDF browser'));
    expect(lines, output).to.have.length(1);
    expect(lines[0]).to.contain('packaged Chromium (@sparticuz/chromium');
    expect(lines[0]).to.contain(join(packagedChromiumDir(), 'chromium'));
    expect(existsSync(staleProfile), 'the dead process\'s profile').to.equal(false);
  });

  it('prints a certificate over HTTP as the demo printer: the Vietnamese name in its text, every font embedded', async () => {
    const login = await json('/tokens', { body: { username: 'printer', password: DEMO_PASSWORD } });
    expect(login.status).to.equal(201);
    const token = login.body.token as string;
    const rounds = await json('/award-rounds?limit=200', { token });
    let decisionId: number | undefined;
    for (const round of rounds.body.items as { id: number }[]) {
      decisionId ??= ((await json(`/award-rounds/${round.id}`, { token })).body.decisions as { id: number }[])[0]?.id;
    }
    expect(decisionId, 'the demo decision').to.be.a('number');
    const decision = await json(`/decisions/${decisionId}`, { token });
    const certificate = (decision.body.certificates as { id: number; recipientName: string; status: string }[]).find((c) => c.status === 'valid')!;
    expect(certificate.recipientName).to.match(/[^\x00-\x7f]/); // a Vietnamese name, with its marks

    const response = await fetch(`http://127.0.0.1:${port}/api/v1/certificates/${certificate.id}.pdf`, { headers: { authorization: `Bearer ${token}` } });
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(response.status, pdf.toString('utf8', 0, 300)).to.equal(200);
    expect(response.headers.get('content-type')).to.equal('application/pdf');
    const text = (await extractText(pdf)).replace(/\s+/g, ' ');
    expect(text).to.contain(certificate.recipientName);
    expect(text).to.contain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    const fonts = await listFonts(pdf);
    expect(fonts, 'fonts').to.not.be.empty;
    for (const font of fonts) {
      expect(font.name, font.name).to.match(/NotoSerif-\S+$/);
      expect(font, font.name).to.include({ embedded: true, subset: true, unicode: true });
    }

    // The browser that printed it is the packaged one: no system Chromium under the app.
    const browsers = browserProcessesOf(child!.pid!);
    expect(browsers.map((p) => p.exe)).to.include(join(packagedChromiumDir(), 'chromium'));
    expect(browsers.filter((p) => p.exe.startsWith('/usr/lib/chromium') || p.exe.startsWith('/usr/bin'))).to.deep.equal([]);
  });

  it('takes its Chromium down with it when SIGKILLed: every browser process gone within 5 s', async () => {
    const pid = child!.pid!;
    const browsers = browserProcessesOf(pid);
    expect(browsers.length, 'Chromium processes under the app').to.be.greaterThan(0);
    expect(profilesOf(pid)).to.have.length(1);
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child!.kill('SIGKILL');
    await exited;
    killedPid = pid;
    const deadline = Date.now() + 5_000;
    let left = browsers.filter((p) => alive(p.pid));
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      left = left.filter((p) => alive(p.pid));
    }
    expect(left.map((p) => `${p.pid} ${p.cmdline.slice(0, 120)}`), 'still running 5 s after the kill').to.deep.equal([]);
    expect(profilesOf(pid), 'the killed app could not remove its profile').to.have.length(1);
  });

  it('removes the profile the killed app left, at the next start', async () => {
    child = await start();
    expect(profilesOf(killedPid!)).to.deep.equal([]);
  });
});
