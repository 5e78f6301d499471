import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { KontorConfig } from '../../config.js';
import { PostgresDatabase } from './postgres-database.js';
import { SqlDatabase } from './sql-database.js';
import { SqliteDatabase } from './sqlite-database.js';

export const readModelFileName = 'readmodels.db';

/**
 * Where the read models live (ADR 0002): with PostgreSQL, in the event store's database and
 * schema; with SQLite, in `<data dir>/readmodels.db`, apart from the log so projection writes never
 * queue behind appends; with KurrentDB, in `DATABASE_URL` when given, else SQLite.
 */
export function openReadModelDatabase(config: KontorConfig): SqlDatabase {
  if (config.store === 'postgres' || (config.store === 'kurrentdb' && config.databaseUrl)) {
    return PostgresDatabase.connect(config.databaseUrl!, {
      connectTimeoutMilliseconds: config.dbConnectTimeoutMilliseconds,
    });
  }
  mkdirSync(config.dataDir, { recursive: true });
  return SqliteDatabase.open(join(config.dataDir, readModelFileName));
}
