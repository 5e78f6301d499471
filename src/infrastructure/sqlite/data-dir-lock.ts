import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** The lock file in a SQLite data dir; `kontor serve` holds it for its whole life. */
export const dataDirLockFileName = 'serve.lock';

/** Another `kontor serve` holds the data dir. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

/**
 * Takes the exclusive lock of a SQLite data dir, or throws DataDirLockedError at once.
 *
 * The lock is an exclusive SQLite transaction on `<dataDir>/serve.lock`, never committed:
 * SQLite locks with POSIX advisory record locks (fcntl), which the kernel drops when the process
 * ends however it ends (SIGKILL, OOM, a crash), so a stale lock cannot outlive its holder — unlike
 * an O_EXCL pid file. SQLite also tracks its locks per inode inside one process, so a second
 * attempt from the same process is refused as well. No native code beyond better-sqlite3.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, dataDirLockFileName);
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    // An empty file is not locked by SQLite: the lock file holds one table.
    db.exec('CREATE TABLE IF NOT EXISTS serve_lock (held INTEGER)');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY')
      throw new DataDirLockedError(
        `another kontor serve is running on the data dir ${dataDir} (it holds ${file}); stop it first, or serve a copy (kontor replay --out <dir>, then KONTOR_DATA_DIR=<dir> KONTOR_READ_ONLY=true)`,
      );
    throw error;
  }
  let held = true;
  return {
    file,
    release() {
      if (!held) return;
      held = false;
      db.close();
    },
  };
}
