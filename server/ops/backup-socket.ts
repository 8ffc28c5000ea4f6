// Backups of a running app's embedded database. PGlite is one process's database behind a folder
// lock, so `npm run backup` cannot open DATA_DIR while the app runs; instead the app listens on a
// Unix socket beside the lock (mode 0600: only the same system user) and writes the backup through
// its own connection. The conversation: the client sends "backup\n", the app streams the gzipped
// backup and closes; on failure it closes early, and the client finds the file cut short.
import { existsSync, unlinkSync, chmodSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Database } from '../db/database.ts';
import { writeBackup } from './backup.ts';

/** Where the app on DATA_DIR listens for backups. */
export function backupSocketPath(dataDir: string): string {
  return join(dataDir, 'pglite.backup.sock');
}

export interface BackupSocket {
  close(): Promise<void>;
}

/** Listens for backup requests; undefined (and onError told) when the socket cannot be made, e.g. a DATA_DIR path too long for a socket. */
export async function listenForBackups(db: Database, dataDir: string, onError: (error: unknown) => void = () => undefined): Promise<BackupSocket | undefined> {
  try {
    return await listen(db, dataDir, onError);
  } catch (error) {
    onError(error);
    return undefined;
  }
}

async function listen(db: Database, dataDir: string, onError: (error: unknown) => void): Promise<BackupSocket> {
  const path = backupSocketPath(dataDir);
  // We hold the folder lock, so a socket file left here is a dead process's.
  if (existsSync(path)) unlinkSync(path);
  const server: Server = createServer((socket) => {
    let asked = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined); // a client gone away: nothing to answer
    socket.on('data', (chunk: string) => {
      asked += chunk;
      if (!asked.includes('\n')) return;
      socket.removeAllListeners('data');
      if (asked.trim() !== 'backup') return void socket.destroy();
      writeBackup(db, socket as Writable, 'pglite').catch((error: unknown) => {
        onError(error);
        socket.destroy();
      });
    });
  });
  const previous = process.umask(0o177); // the socket file is created 0600 from the start
  try {
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(path, () => resolve()));
  } finally {
    process.umask(previous);
  }
  chmodSync(path, 0o600);
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Asks the app running on DATA_DIR for a backup and writes it to `output`; rejects if none answers. */
export function requestBackup(dataDir: string, output: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(backupSocketPath(dataDir));
    socket.once('error', reject);
    socket.once('connect', () => socket.write('backup\n'));
    socket.pipe(output);
    output.once('finish', resolve).once('error', reject);
  });
}
