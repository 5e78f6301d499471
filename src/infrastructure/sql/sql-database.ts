/**
 * The read-model database port: SQL written once with `?` placeholders, run on SQLite or
 * PostgreSQL. Projections, their checkpoints and the queries that serve read endpoints use it.
 *
 * Portable SQL only: INTEGER/BIGINT, TEXT; booleans as INTEGER 0/1; timestamps as ISO 8601 TEXT;
 * JSON as TEXT. Anything dialect-specific is guarded by `db.dialect`.
 *
 * Values that come back: integer columns are `number` when they fit in a double exactly and
 * `bigint` beyond that (`SqlInteger`), on both dialects (also for PostgreSQL's int8 and integral
 * `numeric` such as `SUM(bigint)`). Convert with `toBigInt` (money, positions) or `toSafeNumber`
 * (counts). Parameters may be string, number, bigint, boolean (bound as 1/0), null or undefined
 * (bound as NULL).
 */
export type SqlDialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | bigint | boolean | null | undefined | Buffer;
export type SqlParams = readonly SqlValue[];
export type SqlInteger = number | bigint;

export interface ExecuteResult {
  /** Rows inserted, updated or deleted by the statement. */
  changes: number;
}

export interface SqlDatabase {
  readonly dialect: SqlDialect;
  query<Row = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<Row[]>;
  execute(sql: string, params?: SqlParams): Promise<ExecuteResult>;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. Use
   * only the `tx` handed to `fn` inside it. A nested call runs in a savepoint.
   */
  transaction<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T>;
  /**
   * Runs schema changes (CREATE/DROP TABLE/INDEX of read models, outboxes, checkpoints) in one
   * transaction; every such change goes through here. On PostgreSQL the transaction first takes
   * an advisory lock per schema (`schemaLockClass`, hashtext(current_schema())), held until it
   * ends: PostgreSQL fails a `CREATE … IF NOT EXISTS` that races another session's (a unique
   * violation on pg_type / pg_class), e.g. when several instances boot on an empty schema. On a
   * transaction handle, the lock is taken in that transaction. SQLite has one writer per file
   * (and a busy timeout), so there it is just a transaction.
   */
  withSchemaLock<T>(fn: (tx: SqlDatabase) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Classid of the read-model schema lock (pg_advisory_xact_lock(int, int)): "KoSc". */
export const schemaLockClass = 0x4b6f5363;

/** Takes the schema lock (PostgreSQL) in the transaction `tx` runs in. */
export const schemaLockSql = `SELECT pg_advisory_xact_lock(${schemaLockClass}, hashtext(current_schema()))`;

export function toBigInt(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new TypeError(`not an integer: ${String(value)}`);
}

export function toSafeNumber(value: unknown): number {
  const integer = toBigInt(value);
  if (integer > BigInt(Number.MAX_SAFE_INTEGER) || integer < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`integer out of the safe range: ${integer}`);
  }
  return Number(integer);
}

/** An exact integer as `number` when it is safe, else as `bigint`. */
export function normalizeInteger(value: bigint): SqlInteger {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

/**
 * `?` → `$1, $2, …` for PostgreSQL, leaving `?` inside string literals, quoted identifiers and
 * comments alone.
 */
export function toPostgresPlaceholders(sql: string): string {
  let out = '';
  let index = 0;
  let next = 1;
  while (index < sql.length) {
    const char = sql[index]!;
    const skipTo = skipNonCode(sql, index);
    if (skipTo > index) {
      out += sql.slice(index, skipTo);
      index = skipTo;
    } else if (char === '?') {
      out += `$${next++}`;
      index++;
    } else {
      out += char;
      index++;
    }
  }
  return out;
}

/** If a literal, quoted identifier or comment starts at `index`, the index just after it. */
function skipNonCode(sql: string, index: number): number {
  const char = sql[index];
  if (char === "'" || char === '"') return skipQuoted(sql, index, char);
  if (sql.startsWith('--', index)) {
    const end = sql.indexOf('\n', index);
    return end === -1 ? sql.length : end + 1;
  }
  if (sql.startsWith('/*', index)) {
    const end = sql.indexOf('*/', index + 2);
    return end === -1 ? sql.length : end + 2;
  }
  return index;
}

function skipQuoted(sql: string, start: number, quote: string): number {
  let index = start + 1;
  while (index < sql.length) {
    if (sql[index] === quote) {
      if (sql[index + 1] === quote)
        index += 2; // doubled quote: an escaped quote
      else return index + 1;
    } else {
      index++;
    }
  }
  return sql.length;
}

/**
 * Booleans as 1/0 and undefined as NULL, so the same parameters work on both dialects. The
 * parameters themselves when none needs converting: a rebuild binds millions of them.
 */
export function portableParams(
  params: SqlParams = [],
): (string | number | bigint | null | Buffer)[] {
  // Not copied, so not readonly to the drivers, which only read it.
  if (!params.some((value) => value === undefined || typeof value === 'boolean'))
    return params as (string | number | bigint | null | Buffer)[];
  return params.map((value) => {
    if (value === undefined) return null;
    if (typeof value === 'boolean') return value ? 1 : 0;
    return value;
  });
}
