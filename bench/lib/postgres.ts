// A PostgreSQL server for a benchmark: the one in DATABASE_URL, or a throw-away one started here
// (initdb + pg_ctl, as the `postgres` user when we are root) and removed at the end, even on error.
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

export interface BenchServer {
  /** A URL to the server's `postgres` database (for CREATE/DROP DATABASE). */
  adminUrl: string;
  /** True when this process started the server (and will remove it). */
  throwAway: boolean;
  describe: string;
  /** The folder of the throw-away server's Unix socket (it listens there and on 127.0.0.1). */
  socketDir?: string;
  stop(): Promise<void>;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Runs a PostgreSQL program, as the postgres user when we are root (initdb and postgres refuse root). */
function runPg(program: string, args: string[]): Promise<string> {
  const [file, argv] = isRoot
    ? ['su', ['-s', '/bin/sh', 'postgres', '-c', [program, ...args].map(quote).join(' ')]]
    : [program, args];
  return new Promise((resolve, reject) => {
    execFile(file, argv, { cwd: '/', timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${program} ${args.join(' ')} failed: ${stderr || stdout || error.message}`));
      else resolve(stdout);
    });
  });
}

function pgBinDir(): string {
  for (const candidate of ['/usr/local/bin/initdb', '/usr/lib/postgresql/15/bin/initdb']) {
    try {
      return dirname(realpathSync(candidate));
    } catch {
      // try the next one
    }
  }
  throw new Error('initdb not found (looked in /usr/local/bin and /usr/lib/postgresql/15/bin)');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The server named by `databaseUrl`, or a fresh throw-away one. */
export async function startBenchServer(databaseUrl: string | undefined, log: (line: string) => void): Promise<BenchServer> {
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    await client.end();
    return { adminUrl: databaseUrl, throwAway: false, describe: `PostgreSQL ${rows[0]?.server_version} (DATABASE_URL)`, stop: async () => {} };
  }

  const bin = pgBinDir();
  const base = mkdtempSync(join(tmpdir(), 'dvk-bench-pg-'));
  chmodSync(base, 0o755);
  if (isRoot) {
    const { uid, gid } = postgresIds();
    chownSync(base, uid, gid);
  }
  const data = join(base, 'data');
  let running = false;

  const stop = async () => {
    if (running) {
      running = false;
      await runPg(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']).catch(() =>
        runPg(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => ''),
      );
    }
    rmSync(base, { recursive: true, force: true });
  };

  try {
    log(`initdb in ${data}`);
    await runPg(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--encoding=UTF8', '--locale=C.UTF-8']).catch(async () => {
      rmSync(data, { recursive: true, force: true });
      await runPg(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--encoding=UTF8', '--no-locale']);
    });
    let lastError: unknown;
    for (let attempt = 1; attempt <= 5 && !running; attempt++) {
      const port = await freePort();
      // fsync off and a large WAL allowance only speed up the bulk load; the planner settings stay stock.
      const options = [
        `-p ${port}`, `-k ${base}`, '-c listen_addresses=127.0.0.1', '-c fsync=off', '-c shared_buffers=512MB',
        '-c max_wal_size=8GB', '-c checkpoint_timeout=30min',
      ].join(' ');
      try {
        await runPg(join(bin, 'pg_ctl'), ['-D', data, '-l', join(base, 'log'), '-w', '-t', '60', '-o', options, 'start']);
        running = true;
        const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
        const version = (await runPg(join(bin, 'postgres'), ['--version'])).trim();
        return { adminUrl, throwAway: true, describe: `${version}, throw-away server on 127.0.0.1:${port} and a Unix socket (fsync=off, shared_buffers=512MB)`, socketDir: base, stop };
      } catch (error) {
        lastError = error;
        log(`PostgreSQL did not start on port ${port} (attempt ${attempt})`);
      }
    }
    let serverLog = '';
    try {
      serverLog = readFileSync(join(base, 'log'), 'utf8');
    } catch {
      // no log written
    }
    throw new Error(`could not start PostgreSQL: ${lastError instanceof Error ? lastError.message : String(lastError)}\n${serverLog}`);
  } catch (error) {
    await stop();
    throw error;
  }
}

function postgresIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.startsWith('postgres:'));
  const fields = line?.split(':');
  if (!fields || fields.length < 4) throw new Error('running as root, but there is no postgres user to run the server');
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

/** `url` (a TCP one) through the server's Unix socket in `socketDir` instead: pg takes the folder from `host` in the query. */
export function throughSocket(url: string, socketDir: string): string {
  const parsed = new URL(url);
  parsed.hostname = 'localhost';
  parsed.searchParams.set('host', socketDir);
  return parsed.toString();
}

/** `url` with its database replaced by `name`. */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}
