import { isIP } from 'node:net';
import { resolve } from 'node:path';

export type StoreKind = 'sqlite' | 'postgres' | 'kurrentdb';

/**
 * Which reverse proxies may say who the client is (X-Forwarded-For): none (`false`), any
 * (`true`), the first `n` hops in front of Kontor, or the proxies at these addresses / CIDR
 * ranges (or `loopback`, `linklocal`, `uniquelocal`).
 */
export type TrustProxy = boolean | number | readonly string[];

/** Every setting Kontor reads, validated once at boot. docs/operations.md lists them. */
export interface KontorConfig {
  port: number;
  host: string;
  store: StoreKind;
  dataDir: string;
  databaseUrl?: string;
  /** How long opening a PostgreSQL connection may take before it fails (KONTOR_DB_CONNECT_TIMEOUT_MS). */
  dbConnectTimeoutMilliseconds: number;
  kurrentdbUrl?: string;
  adminKey?: string;
  readOnly: boolean;
  rateLimitPerMinute?: number;
  /** Failed authentications per client address and minute before 429; 0 = no brake. */
  authFailuresPerMinute: number;
  /** KONTOR_TRUST_PROXY: whose X-Forwarded-For gives the client address (`request.ip`). */
  trustProxy: TrustProxy;
  webhookAllowPrivate: boolean;
  corsOrigins?: string[];
  logLevel: string;
  /** Logs go to this file instead of stdout. */
  logFile?: string;
  instanceId?: string;
  /** KONTOR_BOOKS_IN_MEMORY_MAX: books whose state is kept in memory; idle ones beyond are evicted. */
  booksInMemoryMax: number;
}

/**
 * Default of KONTOR_DB_CONNECT_TIMEOUT_MS: an unreachable DATABASE_URL fails the start (or a
 * request) after this long instead of hanging.
 */
export const dbConnectTimeoutMillisecondsDefault = 10_000;
const dbConnectTimeoutMillisecondsMax = 600_000;

/** Default of KONTOR_AUTH_FAILURES_PER_MINUTE: far above any honest client's mistakes. */
export const authFailuresPerMinuteDefault = 30;

/** Default of KONTOR_BOOKS_IN_MEMORY_MAX (the ledger's BookWorkers use the same). */
export const booksInMemoryMaxDefault = 1000;
const booksInMemoryMaxMax = 10_000_000;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export const trustProxyHopsMax = 32;
/** proxy-addr's named ranges, accepted in KONTOR_TRUST_PROXY lists. */
const namedAddressRanges = ['loopback', 'linklocal', 'uniquelocal'];

function trustProxy(env: NodeJS.ProcessEnv): TrustProxy {
  const raw = env.KONTOR_TRUST_PROXY?.trim();
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  const expected = `KONTOR_TRUST_PROXY must be true, false, a number of proxy hops (1 to ${trustProxyHopsMax}) or a comma-separated list of IP addresses, CIDR ranges (10.0.0.0/8) and loopback, linklocal, uniquelocal`;
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops < 1 || hops > trustProxyHopsMax)
      throw new ConfigError(`${expected}; got ${JSON.stringify(raw)}`);
    return hops;
  }
  const entries = raw.split(',').map((entry) => entry.trim());
  const invalid = entries.find((entry) => !isAddressOrRange(entry));
  if (invalid !== undefined)
    throw new ConfigError(`${expected}; ${JSON.stringify(invalid)} is none of these`);
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  if (namedAddressRanges.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = env[name];
  if (value === undefined || value === '') return false;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(value)}`);
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    throw new ConfigError(
      `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return parsed;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): KontorConfig {
  const store = (env.KONTOR_STORE || 'sqlite') as StoreKind;
  if (!['sqlite', 'postgres', 'kurrentdb'].includes(store)) {
    throw new ConfigError(
      `KONTOR_STORE must be sqlite, postgres or kurrentdb, got ${JSON.stringify(env.KONTOR_STORE)}`,
    );
  }
  if (store === 'postgres' && !env.DATABASE_URL)
    throw new ConfigError('KONTOR_STORE=postgres needs DATABASE_URL');
  if (store === 'kurrentdb' && !env.KURRENTDB_URL)
    throw new ConfigError('KONTOR_STORE=kurrentdb needs KURRENTDB_URL');
  const adminKey = env.KONTOR_ADMIN_KEY || undefined;
  if (adminKey !== undefined && adminKey.length < 32) {
    throw new ConfigError('KONTOR_ADMIN_KEY must be at least 32 characters');
  }
  const logLevel = env.LOG_LEVEL || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(
      `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent`,
    );
  }
  return {
    port: integer(env, 'PORT', 0, 65535) ?? 3000,
    host: env.HOST || '127.0.0.1',
    store,
    dataDir: resolve(env.KONTOR_DATA_DIR || './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    dbConnectTimeoutMilliseconds:
      integer(env, 'KONTOR_DB_CONNECT_TIMEOUT_MS', 1, dbConnectTimeoutMillisecondsMax) ??
      dbConnectTimeoutMillisecondsDefault,
    kurrentdbUrl: env.KURRENTDB_URL || undefined,
    adminKey,
    readOnly: flag(env, 'KONTOR_READ_ONLY'),
    rateLimitPerMinute: integer(env, 'KONTOR_RATE_LIMIT_PER_MINUTE', 1, 10_000_000),
    authFailuresPerMinute:
      integer(env, 'KONTOR_AUTH_FAILURES_PER_MINUTE', 0, 1_000_000) ?? authFailuresPerMinuteDefault,
    trustProxy: trustProxy(env),
    webhookAllowPrivate: flag(env, 'KONTOR_WEBHOOK_ALLOW_PRIVATE'),
    corsOrigins: env.KONTOR_CORS_ORIGINS
      ? env.KONTOR_CORS_ORIGINS.split(',').map((o) => o.trim())
      : undefined,
    logLevel,
    ...(env.KONTOR_LOG_FILE ? { logFile: resolve(env.KONTOR_LOG_FILE) } : {}),
    instanceId: env.KONTOR_INSTANCE_ID || undefined,
    booksInMemoryMax:
      integer(env, 'KONTOR_BOOKS_IN_MEMORY_MAX', 1, booksInMemoryMaxMax) ?? booksInMemoryMaxDefault,
  };
}
