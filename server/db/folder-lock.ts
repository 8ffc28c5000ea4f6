// A lock file that keeps a second process off an embedded database folder. The file holds the
// owner's pid; a lock left by a process that has died is taken over, a live owner's is refused.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

export interface FolderLock {
  release(): void;
}

export class DatabaseLockedError extends Error {
  constructor(lockPath: string, ownerPid: number) {
    super(
      `Cơ sở dữ liệu nhúng đang được tiến trình ${ownerPid} dùng (${lockPath}); hãy dừng tiến trình đó trước. ` +
        `/ The embedded database is in use by process ${ownerPid}; stop it first, or set DATABASE_URL to share a PostgreSQL server.`,
    );
    this.name = 'DatabaseLockedError';
  }
}

export function acquireFolderLock(lockPath: string): FolderLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            if (readOwner(lockPath) === process.pid) unlinkSync(lockPath);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(lockPath);
      if (owner !== undefined && owner !== process.pid && isAlive(owner)) throw new DatabaseLockedError(lockPath, owner);
      if (owner === process.pid) throw new DatabaseLockedError(lockPath, owner);
      unlinkSync(lockPath); // stale: its owner is gone
    }
  }
  throw new Error(`Could not take the lock ${lockPath}`);
}

function readOwner(lockPath: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    return Number.isInteger(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
