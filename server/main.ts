// Process entry of the web app: settings, the runtime (database migrated, renderer, job queue and,
// unless RUN_PRINT_JOBS=false, a print worker), demo data and the country's units on an empty embedded
// database, the app,
// and a graceful shutdown that finishes requests and the print chunk in flight before closing.
import { createServer, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { loadConfig } from './config.ts';
import { createApp } from './app.ts';
import { DEMO_USERS, seedDemo } from './demo/seed.ts';
import { DatabaseLockedError } from './db/folder-lock.ts';
import { openRuntime } from './runtime.ts';
import { loadReferenceUnits } from './units/reference/load.ts';
import { listenForBackups } from './ops/backup-socket.ts';

const config = loadConfig();
if (config.publicUrlWarning) {
  // Every QR code is printed with PUBLIC_URL: a wrong one means thousands of certificates nobody can verify.
  console.warn(
    `CẢNH BÁO: ${config.publicUrlWarning} — mọi mã QR in trên bằng khen sẽ dẫn tới địa chỉ đó, không ai xác minh được. Hãy đặt PUBLIC_URL=https://<địa chỉ công khai>.\n` +
      `WARNING: ${config.publicUrlWarning} — every QR code printed on a certificate would lead there and verify nothing. Set PUBLIC_URL=https://<public address>.`,
  );
}
const runtime = await openRuntime(config, { runPrintJobs: config.runPrintJobs }).catch((error: unknown) => {
  // A second copy on the same folder, or an unreachable server: one clear line, no stack trace.
  if (error instanceof DatabaseLockedError) console.error(error.message);
  else console.error(`Không mở được cơ sở dữ liệu / cannot open the database: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
const { database } = runtime;

// An empty embedded database gets the demo data; a server database only through `npm run seed:demo`.
const seeded = database.backend === 'pglite' ? await seedDemo(database.db, config.demoPassword) : false;
if (seeded) {
  // A new database also gets the country's 34 provinces, their 63 predecessors and 3,321 communes. The loader
  // runs after the demo on purpose: it gives the demo's own An Giang, Kiên Giang, Cần Thơ and Phường Rạch Giá
  // their official codes instead of doubling them, so the demo's story sits inside the real data with the codes
  // (AG, KG...) its accounts and guides use. An existing database is left alone: `npm run seed:units` is for it.
  const started = performance.now();
  const { inserted, kept } = await loadReferenceUnits(database.db);
  console.log(`Đơn vị hành chính cả nước / the country's units: ${inserted} thêm mới / loaded, ${kept} đã có / kept (${Math.round(performance.now() - started)} ms)`);
}
// `npm run backup` cannot open the embedded folder while we hold it: it asks us through this socket.
const backups = database.backend === 'pglite' ? await listenForBackups(database.db, config.dataDir, (error) => console.error(`Sao lưu qua ứng dụng / backup through the app: ${error instanceof Error ? error.message : String(error)}`)) : undefined;

const app = createApp({ config, db: database.db, renderer: runtime.renderer, queue: runtime.queue, mail: runtime.mail });
// Responses not yet finished, so a shutdown can ask each one to close its connection when done.
const inFlight = new Set<ServerResponse>();
let stopping = false;
const server = createServer((req, res) => {
  // Once stopping, a keep-alive client must not go on sending requests here: the answer closes the
  // connection, and the client (or the balancer) opens its next one on another process.
  if (stopping) res.setHeader('Connection', 'close');
  inFlight.add(res);
  res.on('close', () => inFlight.delete(res));
  app(req, res);
});
server.listen(config.port, config.host, () => {
  const where = database.backend === 'pglite' ? `PGlite ${join(config.dataDir, 'pglite')}` : 'PostgreSQL (DATABASE_URL)';
  console.log(`Sổ đăng ký "Dân vận khéo" đang chạy tại / running at http://localhost:${config.port}  [${where}]`);
  if (config.mail.smtpUrl) console.log(`Thư thông báo / notification e-mail: ${new URL(config.mail.smtpUrl).host}, ${config.mail.from}`);
  if (database.backend === 'pglite' || seeded) {
    console.log(`Tài khoản demo / demo logins (mật khẩu / password: ${config.env === 'production' ? '(DEMO_PASSWORD)' : config.demoPassword}):`);
    for (const user of DEMO_USERS) console.log(`  ${user.username.padEnd(12)} ${user.role}`);
  }
});

/**
 * SIGTERM/SIGINT: stop accepting connections, answer every further request with `Connection: close`,
 * let the requests in flight finish, then close the runtime (print chunk in progress, queue, browser,
 * database) and exit 0. After 30 s the process exits 1 regardless.
 */
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: đang dừng / shutting down...`);
  setTimeout(() => process.exit(1), 30_000).unref(); // a request or a render that never ends must not keep us up
  for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
  // A connection whose last answer went out keep-alive (its headers were sent before the signal)
  // is closed as soon as it is idle: server.close() closes the idle ones once, this the rest.
  const idle = setInterval(() => server.closeIdleConnections(), 100);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  clearInterval(idle);
  let code = 0;
  try {
    await backups?.close();
    await runtime.close(); // the print chunk in progress is finished and stored; the rest resumes in another worker
  } catch (error) {
    console.error(`Lỗi khi dừng / error while stopping: ${error instanceof Error ? error.message : String(error)}`);
    code = 1;
  }
  process.exit(code);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
