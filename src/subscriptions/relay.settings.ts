import { ConfigError } from '../config.js';
import { readBatchSizeMax } from '../event-sourcing/index.js';
import { integerSetting } from './subscriptions.settings.js';

export const RELAY_SETTINGS = 'RELAY_SETTINGS';

export type BrokerKind = 'nats' | 'amqp';

/** The broker relay's settings (docs/operations.md, "Broker relay"); absent without KONTOR_RELAY_URL. */
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
  /** `KONTOR_RELAY_BATCH` (1000, the most one read returns): events read per checkpoint. */
  batchSize: number;
  /** `KONTOR_RELAY_TIMEOUT_MS` (10000): connecting, and waiting for one confirmation. */
  timeoutMilliseconds: number;
  /** `KONTOR_RELAY_RETRY_BASE_MS` (200) and `_MAX_MS` (10000): backoff while the broker fails. */
  retryInitialMilliseconds: number;
  retryMaxMilliseconds: number;
}

const natsNameToken = /^[A-Za-z0-9_-]+$/;
const subjectPrefixPattern = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const hour = 3_600_000;

export function loadRelaySettings(env: NodeJS.ProcessEnv = process.env): RelaySettings | undefined {
  const raw = env.KONTOR_RELAY_URL?.trim();
  if (raw === undefined || raw === '') return undefined;
  const broker = brokerOf(raw);
  const subjectPrefix = text(env, 'KONTOR_RELAY_SUBJECT_PREFIX', 'kontor');
  if (!subjectPrefixPattern.test(subjectPrefix))
    throw new ConfigError(
      `KONTOR_RELAY_SUBJECT_PREFIX must be dot-separated tokens of letters, digits, _ and -, got ${JSON.stringify(subjectPrefix)}`,
    );
  const stream = text(env, 'KONTOR_RELAY_STREAM', 'KONTOR');
  if (!natsNameToken.test(stream))
    throw new ConfigError(
      `KONTOR_RELAY_STREAM must be letters, digits, _ and -, got ${JSON.stringify(stream)}`,
    );
  const types = list(env.KONTOR_RELAY_TYPES);
  const books = list(env.KONTOR_RELAY_BOOKS);
  const retryInitialMilliseconds = integerSetting(env, 'KONTOR_RELAY_RETRY_BASE_MS', 200, 1, hour);
  return {
    url: raw,
    broker,
    ...(types ? { types } : {}),
    ...(books ? { books } : {}),
    subjectPrefix,
    stream,
    exchange: text(env, 'KONTOR_RELAY_EXCHANGE', 'kontor'),
    windowSize: integerSetting(env, 'KONTOR_RELAY_WINDOW', 256, 1, 65_536),
    batchSize: integerSetting(env, 'KONTOR_RELAY_BATCH', readBatchSizeMax, 1, readBatchSizeMax),
    timeoutMilliseconds: integerSetting(env, 'KONTOR_RELAY_TIMEOUT_MS', 10_000, 100, 600_000),
    retryInitialMilliseconds,
    retryMaxMilliseconds: integerSetting(
      env,
      'KONTOR_RELAY_RETRY_MAX_MS',
      Math.max(10_000, retryInitialMilliseconds),
      retryInitialMilliseconds,
      hour,
    ),
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
      : ['amqp:', 'amqps:'].includes(url.protocol)
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

/** The URL without its password, for messages. */
export function redacted(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return raw.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}

function text(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? fallback : value;
}

function list(raw: string | undefined): string[] | undefined {
  const entries = (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  return entries.length > 0 ? entries : undefined;
}
