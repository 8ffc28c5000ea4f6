// `npm run restore -- FILE`: loads a backup (server/ops/backup.ts) into the configured database,
// which must be empty: a new DATA_DIR, or a new PostgreSQL database. A database with any table is
// refused with exit 2 and left as it was; any other failure rolls everything back (exit 1).
import { createReadStream, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { DatabaseLockedError } from '../db/folder-lock.ts';
import { DatabaseNotEmptyError, restoreBackup, verifyBackupFile } from '../ops/backup.ts';
import { requeueOpenPrintJobs } from '../ops/print-jobs.ts';

const usage = 'npm run restore -- FILE   (vào một cơ sở dữ liệu trống / into an empty database: a new DATA_DIR or DATABASE_URL)';
const source = process.argv[2];
if (!source || source.startsWith('-')) {
  console.error(usage);
  process.exit(2);
}
const file = resolve(source);
if (!existsSync(file)) {
  console.error(`Không có tệp / no such file: ${file}`);
  process.exit(2);
}

const config = loadConfig();
const pgliteDir = join(config.dataDir, 'pglite');
const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite ${pgliteDir}`;
try {
  await verifyBackupFile(file); // a damaged file is refused before the database is touched
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir, poolSize: 1 });
  try {
    const { header, rows } = await restoreBackup(database.db, createReadStream(file));
    const requeued = await requeueOpenPrintJobs(database, config.printJobExpireSeconds);
    const total = Object.values(rows).reduce((sum, n) => sum + n, 0);
    console.log(`Đã phục hồi / restored ${file} (${header.createdAt}, ${header.backend}) → ${where}: ${Object.keys(rows).length} bảng / tables, ${total} dòng / rows`);
    if (requeued > 0) console.log(`${requeued} lệnh in đang dở được xếp lại hàng đợi / unfinished print jobs queued again`);
  } finally {
    await database.close();
  }
} catch (error) {
  if (error instanceof DatabaseNotEmptyError) {
    console.error(`${where}: ${error.message}`);
    process.exitCode = 2;
  } else if (error instanceof DatabaseLockedError) {
    console.error(error.message);
    process.exitCode = 2;
  } else {
    console.error(`Phục hồi thất bại, không thay đổi gì / restore failed, nothing changed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
