/**
 * Errors that say the database is away or full — not a bug, and not the caller's mistake. The
 * problem filter answers them with 503 `store-unavailable` or 507 `insufficient-storage` (with
 * `Retry-After`), and the projection runner retries them soon instead of backing off for long.
 */
export type StoreFault = 'unavailable' | 'full';

/** SQLSTATE classes and codes of an unreachable or restarting PostgreSQL. */
const unavailableSqlStates = [
  /^08/, // connection exception
  /^57P0[1-4]$/, // admin / crash shutdown, cannot connect now, database dropped
  /^53300$/, // too many connections
];
/** disk full, out of memory, configuration limit exceeded. */
const fullSqlStates = /^53(100|200|400)$/;
const unavailableSystemCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** node-postgres says these in plain messages, without a code. */
const unavailableMessages = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /^Connection terminated due to connection timeout/,
];
/** SQLite: the disk (or the file system's quota) is full. */
const sqliteFullCodes = new Set(['SQLITE_FULL']);
/** SQLite: the file is locked by another process for longer than the busy timeout, or I/O failed. */
const sqliteUnavailableCodes = /^SQLITE_(BUSY|IOERR|CANTOPEN|PROTOCOL)/;
/** Causes followed at most this deep (error.cause, AggregateError.errors). */
const causeDepthMax = 5;

export function storeFaultOf(error: unknown, depth = 0): StoreFault | undefined {
  if (typeof error !== 'object' || error === null || depth > causeDepthMax) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (sqliteFullCodes.has(code) || fullSqlStates.test(code)) return 'full';
    if (code === 'ENOSPC') return 'full';
    if (unavailableSqlStates.some((state) => state.test(code))) return 'unavailable';
    if (unavailableSystemCodes.has(code) || sqliteUnavailableCodes.test(code)) return 'unavailable';
  }
  if (typeof message === 'string' && unavailableMessages.some((known) => known.test(message)))
    return 'unavailable';
  const nested = [
    (error as { cause?: unknown }).cause,
    ...(error instanceof AggregateError ? error.errors : []),
  ];
  for (const inner of nested) {
    const fault = storeFaultOf(inner, depth + 1);
    if (fault) return fault;
  }
  return undefined;
}
