// `npm run backup -- FILE`: the whole registry into one file (server/ops/backup.ts), from the
// configured database, while the app may be running. On PostgreSQL the command connects itself;
// on the embedded database it opens DATA_DIR itself when no app runs, and otherwise asks the
// running app, through its socket in DATA_DIR, to write the backup with its own connection.
import { existsSync, renameSync, rmSync, statSync, createWriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { DatabaseLockedError } from '../db/folder-lock.ts';
import { verifyBackupFile, writeBackup } from '../ops/backup.ts';
import { requestBackup } from '../ops/backup-socket.ts';

const usage = 'npm run backup -- FILE   (ví dụ / e.g. npm run backup -- /srv/backup/dvk-$(date +%F).dvkbak)';
const target = process.argv[2];
if (!target || target.startsWith('-')) {
  console.error(usage);
  process.exit(2);
}

const config = loadConfig();
const file = resolve(target);
// Written beside the target and renamed when whole: a backup cut short never carries the final name.
const partial = `${file}.partial`;

async function backUp(): Promise<string> {
  if (config.databaseUrl) {
    const database = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 1 });
    try {
      await writeBackup(database.db, createWriteStream(partial, { mode: 0o600 }), 'postgres');
    } finally {
      await database.close();
    }
    return 'PostgreSQL (DATABASE_URL)';
  }
  const pgliteDir = join(config.dataDir, 'pglite');
  if (!existsSync(join(pgliteDir, 'PG_VERSION'))) throw new Error(`Không có cơ sở dữ liệu nhúng tại / no embedded database at ${pgliteDir}`);
  try {
    const database = await openDatabase({ pgliteDir });
    try {
      await writeBackup(database.db, createWriteStream(partial, { mode: 0o600 }), 'pglite');
    } finally {
      await database.close();
    }
    return `PGlite ${pgliteDir}`;
  } catch (error) {
    if (!(error instanceof DatabaseLockedError)) throw error;
  }
  await requestBackup(config.dataDir, createWriteStream(partial, { mode: 0o600 })).catch((error: unknown) => {
    throw new Error(`Ứng dụng đang chạy trên ${pgliteDir} không trả lời yêu cầu sao lưu / the app running on it did not answer the backup request: ${error instanceof Error ? error.message : String(error)}`);
  });
  return `PGlite ${pgliteDir} (qua ứng dụng đang chạy / through the running app)`;
}

try {
  const source = await backUp();
  const { rows } = await verifyBackupFile(partial);
  renameSync(partial, file);
  const total = Object.values(rows).reduce((sum, n) => sum + n, 0);
  console.log(`Đã sao lưu / backed up ${source} → ${file}: ${Object.keys(rows).length} bảng / tables, ${total} dòng / rows, ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB`);
} catch (error) {
  rmSync(partial, { force: true });
  console.error(`Sao lưu thất bại / backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
