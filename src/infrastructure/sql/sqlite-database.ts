import Database from 'better-sqlite3';
import { assert } from '../../event-sourcing/index.js';
import { Mutex } from './mutex.js';
import {
  ExecuteResult,
  normalizeInteger,
  portableParams,
  SqlDatabase,
  SqlParams,
} from './sql-database.js';

type Connection = Database.Database;
type Statement = Database.Statement;

/** Prepared statements kept per connection; beyond this the oldest is dropped. */
const statementCacheSizeMax = 256;
const busyTimeoutMilliseconds = 5_000;

/**
 * better-sqlite3 is synchronous and one write connection is shared, so transactions (and
 * writes outside them) are serialized by an async mutex: code awaiting inside one transaction
 * can never interleave another's statements. Reads outside a transaction go to a second
 * connection, which under WAL sees the last committed state and never waits for the writer.
 * Read models are rebuildable, so `synchronous=NORMAL` (durable up to the last checkpoint of
 * the WAL) is enough.
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  private mutex = new Mutex();
  private readonly writer: Connection;
  private readonly reader: Connection;
  private readonly statements = new WeakMap<Connection, Map<string, Statement>>();
  private closed = false;

  private constructor(path: string) {
    this.writer = openConnection(path);
    this.writer.pragma('journal_mode = WAL');
    this.writer.pragma('synchronous = NORMAL');
    this.reader = path === ':memory:' ? this.writer : openConnection(path);
  }

  /** Opens (creating when missing) the database file; `:memory:` for a throwaway one. */
  static open(path: string): SqliteDatabase {
    return new SqliteDatabase(path);
  }

  async query<Row>(sql: string, params?: SqlParams): Promise<Row[]> {
    if (this.reader === this.writer)
      return this.mutex.run(async () => this.all<Row>(this.writer, sql, params));
    return this.all<Row>(this.reader, sql, params);
  }

  async execute(sql: string, params?: SqlParams): Promise<ExecuteResult> {
    return this.mutex.run(async () => this.run(this.writer, sql, params));
  }

  transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      this.assertOpen();
      this.writer.exec('BEGIN IMMEDIATE');
      const tx = new SqliteTransaction(this, this.writer);
      try {
        const result = await fn(tx);
        tx.end();
        this.writer.exec('COMMIT');
        return result;
      } catch (error) {
        tx.end();
        if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
        throw error;
      }
    });
  }

  withSchemaLock<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    return this.transaction(fn);
  }

  async close(): Promise<void> {
    await this.mutex.run(async () => {
      if (this.closed) return;
      this.closed = true;
      if (this.reader !== this.writer) this.reader.close();
      this.writer.close();
    });
  }

  /**
   * A process crash as the simulator (sim/) models it on the read-model database it keeps across
   * crashes: the work in progress never resumes, so its open transaction is rolled back and the
   * lock it holds is dropped (a real crash closes the connection, which does the same). The
   * service never calls it.
   */
  rollBackAbandoned(): void {
    if (this.writer.inTransaction) this.writer.exec('ROLLBACK');
    this.mutex = new Mutex();
  }

  /** @internal used by SqliteTransaction */
  all<Row>(connection: Connection, sql: string, params?: SqlParams): Row[] {
    this.assertOpen();
    const rows = this.prepare(connection, sql).all(portableParams(params)) as Record<
      string,
      unknown
    >[];
    return rows.map(normalizeRow) as Row[];
  }

  /** @internal used by SqliteTransaction */
  run(connection: Connection, sql: string, params?: SqlParams): ExecuteResult {
    this.assertOpen();
    const result = this.prepare(connection, sql).run(portableParams(params));
    return { changes: result.changes };
  }

  private prepare(connection: Connection, sql: string): Statement {
    let cache = this.statements.get(connection);
    if (!cache) this.statements.set(connection, (cache = new Map()));
    let statement = cache.get(sql);
    if (!statement) {
      statement = connection.prepare(sql);
      if (cache.size >= statementCacheSizeMax) cache.delete(cache.keys().next().value!);
      cache.set(sql, statement);
    }
    return statement;
  }

  private assertOpen(): void {
    assert(!this.closed, 'the read-model database is closed');
  }
}

class SqliteTransaction implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  private active = true;
  private savepoints = 0;

  constructor(
    private readonly database: SqliteDatabase,
    private readonly connection: Connection,
  ) {}

  async query<Row>(sql: string, params?: SqlParams): Promise<Row[]> {
    this.assertActive();
    return this.database.all<Row>(this.connection, sql, params);
  }

  async execute(sql: string, params?: SqlParams): Promise<ExecuteResult> {
    this.assertActive();
    return this.database.run(this.connection, sql, params);
  }

  async transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    this.assertActive();
    const name = `sp_${++this.savepoints}`;
    this.connection.exec(`SAVEPOINT ${name}`);
    try {
      const result = await fn(this);
      this.connection.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      this.connection.exec(`ROLLBACK TO ${name}`);
      this.connection.exec(`RELEASE ${name}`);
      throw error;
    }
  }

  async withSchemaLock<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    this.assertActive();
    return fn(this);
  }

  async close(): Promise<void> {
    assert(false, 'close the database, not a transaction');
  }

  end(): void {
    this.active = false;
  }

  private assertActive(): void {
    assert(this.active, 'a transaction handle was used after its transaction ended');
  }
}

function openConnection(path: string): Connection {
  const connection = new Database(path, { timeout: busyTimeoutMilliseconds });
  connection.defaultSafeIntegers(true);
  return connection;
}

function normalizeRow(row: Record<string, unknown>): Record<string, unknown> {
  for (const key in row) {
    const value = row[key];
    if (typeof value === 'bigint') row[key] = normalizeInteger(value);
  }
  return row;
}
