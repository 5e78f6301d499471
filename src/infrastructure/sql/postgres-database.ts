import pg from 'pg';
import { keepPoolErrorsInside } from '../postgres/pool-errors.js';
import { dbConnectTimeoutMillisecondsDefault } from '../../config.js';
import { assert } from '../../event-sourcing/index.js';
import {
  ExecuteResult,
  normalizeInteger,
  portableParams,
  SqlDatabase,
  schemaLockSql,
  SqlParams,
  toPostgresPlaceholders,
} from './sql-database.js';

const int8Oid = 20;
const numericOid = 1700;
const poolSizeDefault = 10;

/** int8 and integral numeric (e.g. SUM(bigint)) as exact integers: number when safe, else bigint. */
const readModelTypes = {
  getTypeParser(oid: number, format?: string): unknown {
    if (oid === int8Oid) return (text: string) => normalizeInteger(BigInt(text));
    if (oid === numericOid)
      return (text: string) => (/^-?\d+$/.test(text) ? normalizeInteger(BigInt(text)) : text);
    return pg.types.getTypeParser(oid, (format ?? 'text') as 'text');
  },
};

export interface PostgresDatabaseOptions {
  poolSize?: number;
  /** Opening a connection fails after this long (an unreachable server must not hang a request). */
  connectTimeoutMilliseconds?: number;
}

/**
 * The read models in PostgreSQL, in the same database and schema (search_path of the URL) as
 * the event store.
 */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;
  private closed = false;

  private constructor(url: string, options: PostgresDatabaseOptions) {
    this.pool = keepPoolErrorsInside(
      new pg.Pool({
        connectionString: url,
        max: options.poolSize ?? poolSizeDefault,
        connectionTimeoutMillis:
          options.connectTimeoutMilliseconds ?? dbConnectTimeoutMillisecondsDefault,
        types: readModelTypes as pg.CustomTypesConfig,
      }),
    );
  }

  static connect(url: string, options: PostgresDatabaseOptions = {}): PostgresDatabase {
    return new PostgresDatabase(url, options);
  }

  async query<Row>(sql: string, params?: SqlParams): Promise<Row[]> {
    const result = await this.pool.query(toPostgresPlaceholders(sql), portableParams(params));
    return result.rows as Row[];
  }

  async execute(sql: string, params?: SqlParams): Promise<ExecuteResult> {
    const result = await this.pool.query(toPostgresPlaceholders(sql), portableParams(params));
    return { changes: result.rowCount ?? 0 };
  }

  async transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx = new PostgresTransaction(client);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(tx);
      tx.end();
      await client.query('COMMIT');
      return result;
    } catch (error) {
      tx.end();
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  withSchemaLock<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    return this.transaction((tx) => tx.withSchemaLock(fn));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

class PostgresTransaction implements SqlDatabase {
  readonly dialect = 'postgres' as const;
  private active = true;
  private savepoints = 0;

  constructor(private readonly client: pg.PoolClient) {}

  async query<Row>(sql: string, params?: SqlParams): Promise<Row[]> {
    this.assertActive();
    const result = await this.client.query(toPostgresPlaceholders(sql), portableParams(params));
    return result.rows as Row[];
  }

  async execute(sql: string, params?: SqlParams): Promise<ExecuteResult> {
    this.assertActive();
    const result = await this.client.query(toPostgresPlaceholders(sql), portableParams(params));
    return { changes: result.rowCount ?? 0 };
  }

  async transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    this.assertActive();
    const name = `sp_${++this.savepoints}`;
    await this.client.query(`SAVEPOINT ${name}`);
    try {
      const result = await fn(this);
      await this.client.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await this.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw error;
    }
  }

  async withSchemaLock<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    this.assertActive();
    await this.client.query(schemaLockSql);
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
