// Process entry of a print worker (`npm run worker`): the runtime with its print worker and no web
// server. Run as many as the cores allow, against the same PostgreSQL as the app processes; on
// SIGTERM a worker finishes the chunk in progress, stores it, and exits — another worker resumes.
import { loadConfig } from './config.ts';
import { openRuntime } from './runtime.ts';

const config = loadConfig();
if (!config.databaseUrl) {
  console.error('npm run worker cần DATABASE_URL (PostgreSQL) / needs DATABASE_URL: with the embedded database, the app process runs print jobs itself.');
  process.exit(1);
}
const runtime = await openRuntime(config, { runPrintJobs: true }).catch((error: unknown) => {
  console.error(`Không mở được cơ sở dữ liệu / cannot open the database: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
if (!runtime.printJobs) {
  console.error('Không tìm thấy Chromium / no Chromium: sudo apt-get install -y chromium');
  await runtime.close();
  process.exit(1);
}
console.log(`Máy in bằng khen đang chạy / print worker running (pid ${process.pid})`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: đang dừng / shutting down...`);
  setTimeout(() => process.exit(1), 30_000).unref();
  await runtime.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
