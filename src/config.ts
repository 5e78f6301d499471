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
  /** KONTOR_CONSOLE_SESSION_IDLE_MINUTES: a console session unused this long ends. */
  consoleSessionIdleMinutes: number;
  /** KONTOR_CONSOLE_SESSION_HOURS: a console session ends this long after sign-in, used or not. */
  consoleSessionHours: number;
  webhookAllowPrivate: boolean;
  corsOrigins?: string[];
  logLevel: string;
  /** Logs go to this file instead of stdout. */
  logFile?: string;
  instanceId?: string;
  /** KONTOR_BOOKS_IN_MEMORY_MAX: books whose state is kept in memory; idle ones beyond are evicted. */
  booksInMemoryMax: number;
  /** The broker relay, when KONTOR_RELAY_URL is set. */
  relay?: RelaySettings;
}

export type BrokerKind = 'nats' | 'amqp';

/** The broker relay's settings (docs/operations.md, "Settings"; docs/integration.md, "Brokers"). */
export interface RelaySettings {
  /** `KONTOR_RELAY_URL`: `nats://[user:pass@]host[:4222]` (JetStream) or `amqp[s]://user:pass@host[:5672][/vhost]` (RabbitMQ). */
  url: string;
  broker: BrokerKind;
  /** `KONTOR_RELAY_TYPES`: comma-separated event types to publish (absent: all). */
  types?: string[];
  /** `KONTOR_RELAY_BOOKS`: comma-separated books whose events are published (absent: all, and events of no book). */
  books?: string[];
  /** `KONTOR_RELAY_SUBJECT_PREFIX` (`kontor`): the first token of every subject / routing key. */
  subjectPrefix: string;
  /** `KONTOR_RELAY_STREAM` (`KONTOR`): the JetStream stream, created over `<prefix>.>` if missing. */
  stream: string;
  /** `KONTOR_RELAY_EXCHANGE` (`kontor`): the RabbitMQ topic exchange, declared durable. */
  exchange: string;
  /** `KONTOR_RELAY_WINDOW` (256): messages published and not yet confirmed by the broker, at most. */
  windowSize: number;
  /** `KONTOR_RELAY_BATCH` (1000, the most one read of the log returns): events read per checkpoint. */
  batchSize: number;
  /** `KONTOR_RELAY_TIMEOUT_MS` (10000): connecting, and waiting for one confirmation. */
  timeoutMilliseconds: number;
  /** `KONTOR_RELAY_RETRY_BASE_MS` (200) and `_MAX_MS` (10000): backoff while the broker fails. */
  retryInitialMilliseconds: number;
  retryMaxMilliseconds: number;
}

/** The most events one read of the log returns (readBatchSizeMax of the event store port). */
const relayBatchSizeMax = 1000;
const relayNamePattern = /^[A-Za-z0-9_-]+$/;
const relaySubjectPrefixPattern = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const hourMilliseconds = 3_600_000;

/**
 * Default of KONTOR_DB_CONNECT_TIMEOUT_MS: an unreachable DATABASE_URL fails the start (or a
 * request) after this long instead of hanging.
 */
export const dbConnectTimeoutMillisecondsDefault = 10_000;
const dbConnectTimeoutMillisecondsMax = 600_000;

/** Default of KONTOR_AUTH_FAILURES_PER_MINUTE: far above any honest client's mistakes. */
export const authFailuresPerMinuteDefault = 30;

/** Defaults of KONTOR_CONSOLE_SESSION_IDLE_MINUTES and KONTOR_CONSOLE_SESSION_HOURS. */
export const consoleSessionIdleMinutesDefault = 30;
export const consoleSessionHoursDefault = 12;

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

function relaySettings(env: NodeJS.ProcessEnv): RelaySettings | undefined {
  const url = env.KONTOR_RELAY_URL?.trim();
  if (url === undefined || url === '') return undefined;
  const subjectPrefix = env.KONTOR_RELAY_SUBJECT_PREFIX?.trim() || 'kontor';
  if (!relaySubjectPrefixPattern.test(subjectPrefix))
    throw new ConfigError(
      `KONTOR_RELAY_SUBJECT_PREFIX must be dot-separated tokens of letters, digits, _ and -, got ${JSON.stringify(subjectPrefix)}`,
    );
  const stream = env.KONTOR_RELAY_STREAM?.trim() || 'KONTOR';
  if (!relayNamePattern.test(stream))
    throw new ConfigError(
      `KONTOR_RELAY_STREAM must be letters, digits, _ and -, got ${JSON.stringify(stream)}`,
    );
  const types = list(env.KONTOR_RELAY_TYPES);
  const books = list(env.KONTOR_RELAY_BOOKS);
  const retryInitialMilliseconds =
    integer(env, 'KONTOR_RELAY_RETRY_BASE_MS', 1, hourMilliseconds) ?? 200;
  return {
    url,
    broker: brokerOf(url),
    ...(types ? { types } : {}),
    ...(books ? { books } : {}),
    subjectPrefix,
    stream,
    exchange: env.KONTOR_RELAY_EXCHANGE?.trim() || 'kontor',
    windowSize: integer(env, 'KONTOR_RELAY_WINDOW', 1, 65_536) ?? 256,
    batchSize: integer(env, 'KONTOR_RELAY_BATCH', 1, relayBatchSizeMax) ?? relayBatchSizeMax,
    timeoutMilliseconds: integer(env, 'KONTOR_RELAY_TIMEOUT_MS', 100, 600_000) ?? 10_000,
    retryInitialMilliseconds,
    retryMaxMilliseconds:
      integer(env, 'KONTOR_RELAY_RETRY_MAX_MS', retryInitialMilliseconds, hourMilliseconds) ??
      Math.max(10_000, retryInitialMilliseconds),
  };
}

function brokerOf(raw: string): BrokerKind {
  const expected =
    'KONTOR_RELAY_URL must be nats://host[:port] (NATS JetStream) or amqp://user:password@host[:port][/vhost] (RabbitMQ; amqps:// with TLS)';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${expected}, got ${JSON.stringify(redacted(raw))}`);
  }
  const broker: BrokerKind | undefined =
    url.protocol === 'nats:'
      ? 'nats'
      : url.protocol === 'amqp:' || url.protocol === 'amqps:'
        ? 'amqp'
        : undefined;
  if (broker === undefined || url.hostname === '')
    throw new ConfigError(`${expected}, got ${JSON.stringify(redacted(raw))}`);
  if (broker === 'nats' && url.pathname !== '' && url.pathname !== '/')
    throw new ConfigError(
      `${expected}: a nats:// URL has no path, got ${JSON.stringify(redacted(raw))}`,
    );
  return broker;
}

/** A URL without its password, for messages and logs. */
export function redacted(raw: string): string {
  return raw.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

function list(raw: string | undefined): string[] | undefined {
  const entries = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return entries.length > 0 ? entries : undefined;
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
  const relay = relaySettings(env);
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
    consoleSessionIdleMinutes:
      integer(env, 'KONTOR_CONSOLE_SESSION_IDLE_MINUTES', 1, 24 * 60) ??
      consoleSessionIdleMinutesDefault,
    consoleSessionHours:
      integer(env, 'KONTOR_CONSOLE_SESSION_HOURS', 1, 24 * 30) ?? consoleSessionHoursDefault,
    webhookAllowPrivate: flag(env, 'KONTOR_WEBHOOK_ALLOW_PRIVATE'),
    corsOrigins: env.KONTOR_CORS_ORIGINS
      ? env.KONTOR_CORS_ORIGINS.split(',').map((o) => o.trim())
      : undefined,
    logLevel,
    ...(env.KONTOR_LOG_FILE ? { logFile: resolve(env.KONTOR_LOG_FILE) } : {}),
    instanceId: env.KONTOR_INSTANCE_ID || undefined,
    booksInMemoryMax:
      integer(env, 'KONTOR_BOOKS_IN_MEMORY_MAX', 1, booksInMemoryMaxMax) ?? booksInMemoryMaxDefault,
    ...(relay ? { relay } : {}),
  };
}
