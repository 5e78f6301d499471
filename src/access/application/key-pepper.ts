import { randomBytes } from 'node:crypto';
import { SqlDatabase } from '../../infrastructure/sql/index.js';

const pepperBytes = 32;
const table = 'api_key_pepper';
const createTable = `CREATE TABLE IF NOT EXISTS ${table} (id INTEGER PRIMARY KEY, pepper TEXT NOT NULL)`;
const insertOnce = `INSERT INTO ${table} (id, pepper) VALUES (1, ?) ON CONFLICT (id) DO NOTHING`;

/**
 * The server secret that API key verifiers are keyed with (HMAC-SHA256, docs/adr/0007): one per
 * store, made by the first instance, kept in the ops database and never in the log, so a reader
 * of the events cannot test guesses of a key offline. Every instance on the store reads the
 * same row; a read-only copy (`kontor replay --out`) gets it copied. Undefined when there is
 * none and none may be made (a read-only store): only keys of the unkeyed era then work.
 */
export async function loadKeyPepper(
  db: SqlDatabase,
  options: { create: boolean },
): Promise<Buffer | undefined> {
  if (options.create) {
    await db.withSchemaLock(async (tx) => {
      await tx.execute(createTable);
      await tx.execute(insertOnce, [randomBytes(pepperBytes).toString('base64url')]);
    });
  }
  const stored = await readPepper(db);
  return stored === undefined ? undefined : Buffer.from(stored, 'base64url');
}

/** Copies the pepper into another ops database (a replayed copy), if the source has one. */
export async function copyKeyPepper(from: SqlDatabase, to: SqlDatabase): Promise<void> {
  const pepper = await readPepper(from);
  if (pepper === undefined) return;
  await to.withSchemaLock(async (tx) => {
    await tx.execute(
      `CREATE TABLE IF NOT EXISTS ${table} (id INTEGER PRIMARY KEY, pepper TEXT NOT NULL)`,
    );
    await tx.execute(
      `INSERT INTO ${table} (id, pepper) VALUES (1, ?) ON CONFLICT (id) DO NOTHING`,
      [pepper],
    );
  });
}

async function readPepper(db: SqlDatabase): Promise<string | undefined> {
  try {
    const [row] = await db.query<{ pepper: string }>(`SELECT pepper FROM ${table} WHERE id = 1`);
    return row?.pepper;
  } catch {
    return undefined; // no such table yet: a store of the unkeyed era, opened read-only
  }
}
