import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { KontorConfig } from '../../config.js';
import { SqlDatabase, SqliteDatabase } from '../../infrastructure/sql/index.js';

export const keyStoreFileName = 'keys.db';

/**
 * Where the party keys live: on PostgreSQL the ops table `party_keys` in the read-model
 * database (no rebuild drops it); with SQLite its own file `<data dir>/keys.db`, apart from the
 * log and the read models, so each can be backed up (and kept) on its own terms.
 */
export function keyStoreDatabase(
  config: KontorConfig,
  readModels: SqlDatabase,
): { db: SqlDatabase; owned: boolean } {
  if (readModels.dialect === 'postgres') return { db: readModels, owned: false };
  mkdirSync(config.dataDir, { recursive: true });
  return { db: SqliteDatabase.open(join(config.dataDir, keyStoreFileName)), owned: true };
}
