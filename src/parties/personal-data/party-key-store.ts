import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SqlDatabase } from '../../infrastructure/sql/index.js';
import { KeyClass } from '../domain/personal-retention.js';

/** Which data key: one per party and retention class (docs/adr/0015). */
export interface PartyKeyRef {
  bookId: string;
  partyId: string;
  keyClass: KeyClass;
}

/**
 * The key store port: data keys live outside the log, so destroying one makes every copy of
 * the ciphertext (log, backups, relayed events) unreadable. A KMS-backed implementation keeps
 * the same three operations.
 */
export interface PartyKeyStore {
  /** The key, made on first use. Undefined when it was destroyed (it is never made again). */
  create(ref: PartyKeyRef): Promise<Buffer | undefined>;
  /** The key; undefined when none was made or it was destroyed. */
  get(ref: PartyKeyRef): Promise<Buffer | undefined>;
  /** Destroys the key for good (idempotent); a tombstone keeps it from being made again. */
  destroy(ref: PartyKeyRef, at: string): Promise<void>;
}

export const dataKeyBytes = 32;
export const partyKeysTable = 'party_keys';
const plainPrefix = 'p1:';
const wrappedPrefix = 'w1:';

/**
 * `KONTOR_KEY_STORE_MASTER_KEY` (64 hex digits or 32 bytes base64): data keys are stored
 * wrapped under it (AES-256-GCM, the key's ref as AAD). Without it they are stored as they are.
 */
export function keyStoreMasterKeyFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer | undefined {
  const text = env.KONTOR_KEY_STORE_MASTER_KEY;
  if (text === undefined || text === '') return undefined;
  const key = /^[0-9a-fA-F]{64}$/.test(text)
    ? Buffer.from(text, 'hex')
    : Buffer.from(text, 'base64');
  if (key.length !== dataKeyBytes)
    throw new Error(
      'KONTOR_KEY_STORE_MASTER_KEY must be 32 bytes: 64 hex digits or base64 (openssl rand -hex 32)',
    );
  return key;
}

/**
 * The local key store: table `party_keys` in its own SQLite file (`<data dir>/keys.db`) or, on
 * PostgreSQL, an ops table beside the read models that no rebuild drops. A destroyed key's row
 * keeps `destroyed_at` and loses the key.
 */
export class SqlPartyKeyStore implements PartyKeyStore {
  private ready: Promise<void> | undefined;

  constructor(
    private readonly db: SqlDatabase,
    private readonly masterKey?: Buffer,
  ) {}

  async create(ref: PartyKeyRef): Promise<Buffer | undefined> {
    await this.setup();
    const fresh = randomBytes(dataKeyBytes);
    await this.db.execute(
      `INSERT INTO ${partyKeysTable} (book, party, key_class, data_key, destroyed_at) VALUES (?, ?, ?, ?, NULL)
       ON CONFLICT (book, party, key_class) DO NOTHING`,
      [ref.bookId, ref.partyId, ref.keyClass, this.wrap(ref, fresh)],
    );
    return this.get(ref);
  }

  async get(ref: PartyKeyRef): Promise<Buffer | undefined> {
    await this.setup();
    const [row] = await this.db.query<{ data_key: string | null }>(
      `SELECT data_key FROM ${partyKeysTable} WHERE book = ? AND party = ? AND key_class = ?`,
      [ref.bookId, ref.partyId, ref.keyClass],
    );
    return row?.data_key ? this.unwrap(ref, row.data_key) : undefined;
  }

  async destroy(ref: PartyKeyRef, at: string): Promise<void> {
    await this.setup();
    await this.db.execute(
      `INSERT INTO ${partyKeysTable} (book, party, key_class, data_key, destroyed_at) VALUES (?, ?, ?, NULL, ?)
       ON CONFLICT (book, party, key_class) DO UPDATE SET data_key = NULL,
       destroyed_at = COALESCE(${partyKeysTable}.destroyed_at, excluded.destroyed_at)`,
      [ref.bookId, ref.partyId, ref.keyClass, at],
    );
  }

  private setup(): Promise<void> {
    this.ready ??= this.db.withSchemaLock(async (tx) => {
      await tx.execute(
        `CREATE TABLE IF NOT EXISTS ${partyKeysTable} (
          book TEXT NOT NULL,
          party TEXT NOT NULL,
          key_class TEXT NOT NULL,
          data_key TEXT,
          destroyed_at TEXT,
          PRIMARY KEY (book, party, key_class)
        )`,
      );
    });
    return this.ready;
  }

  private wrap(ref: PartyKeyRef, key: Buffer): string {
    if (!this.masterKey) return plainPrefix + key.toString('base64url');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, iv).setAAD(refAad(ref));
    const sealed = Buffer.concat([cipher.update(key), cipher.final()]);
    return `${wrappedPrefix}${[iv, sealed, cipher.getAuthTag()].map((part) => part.toString('base64url')).join('.')}`;
  }

  private unwrap(ref: PartyKeyRef, stored: string): Buffer {
    if (stored.startsWith(plainPrefix))
      return Buffer.from(stored.slice(plainPrefix.length), 'base64url');
    if (!this.masterKey)
      throw new Error(
        'the key store holds wrapped keys: set KONTOR_KEY_STORE_MASTER_KEY to the master key they were wrapped under',
      );
    const [iv, sealed, tag] = stored
      .slice(wrappedPrefix.length)
      .split('.')
      .map((part) => Buffer.from(part, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.masterKey, iv!).setAAD(refAad(ref));
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(sealed!), decipher.final()]);
  }
}

function refAad(ref: PartyKeyRef): Buffer {
  return Buffer.from(
    `kontor.party-key.v1\u0000${ref.bookId}\u0000${ref.partyId}\u0000${ref.keyClass}`,
  );
}

/**
 * Copies every key row (destroyed ones as tombstones) into another key store database: a
 * replayed copy (`kontor replay --out`) opens what the source opens and nothing erased.
 */
export async function copyPartyKeys(from: SqlDatabase, to: SqlDatabase): Promise<number> {
  let rows: {
    book: string;
    party: string;
    key_class: string;
    data_key: string | null;
    destroyed_at: string | null;
  }[];
  try {
    rows = await from.query(
      `SELECT book, party, key_class, data_key, destroyed_at FROM ${partyKeysTable}`,
    );
  } catch {
    return 0; // no key made yet: nothing sealed in the source
  }
  await new SqlPartyKeyStore(to).get({ bookId: '', partyId: '', keyClass: 'contact' });
  await to.transaction(async (tx) => {
    for (const row of rows)
      await tx.execute(
        `INSERT INTO ${partyKeysTable} (book, party, key_class, data_key, destroyed_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (book, party, key_class) DO NOTHING`,
        [row.book, row.party, row.key_class, row.data_key, row.destroyed_at],
      );
  });
  return rows.length;
}
