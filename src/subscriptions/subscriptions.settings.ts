import { ConfigError } from '../config.js';

export const SUBSCRIPTIONS_SETTINGS = 'SUBSCRIPTIONS_SETTINGS';

/** Every tunable of SSE and webhook delivery, read from the environment once (docs/operations.md). */
export interface SubscriptionsSettings {
  /** `KONTOR_SSE_HEARTBEAT_MS` (15000): a `: heartbeat` comment keeps proxies from closing idle streams. */
  sseHeartbeatMilliseconds: number;
  /** `KONTOR_SSE_BUFFER_BYTES` (1 MiB): bytes queued for one slow client before its stream ends with `event: error`. */
  sseBufferBytesMax: number;
  /** `KONTOR_WEBHOOK_RETRY_BASE_MS` (1000): first retry delay; doubles per attempt, with jitter. */
  webhookRetryBaseMilliseconds: number;
  /** `KONTOR_WEBHOOK_RETRY_MAX_MS` (1 h): the longest pause between two attempts. */
  webhookRetryMaxMilliseconds: number;
  /** `KONTOR_WEBHOOK_RETRY_WINDOW_MS` (24 h): after this long since the first attempt a delivery is marked failed. */
  webhookRetryWindowMilliseconds: number;
  /** `KONTOR_WEBHOOK_TIMEOUT_MS` (10000): the whole call, connect to response. */
  webhookTimeoutMilliseconds: number;
  /** `KONTOR_WEBHOOK_CONCURRENCY` (8): webhooks delivered to at once (each webhook is one ordered queue). */
  webhookConcurrency: number;
  /** true (default): delivery starts with the app. false: leader election calls start()/stop(). */
  webhookAutoStart: boolean;
}

const hour = 3_600_000;

/** An integer setting from `min` to `max`, or `fallback` when unset; a ConfigError otherwise. */
export function integerSetting(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

export function loadSubscriptionsSettings(
  env: NodeJS.ProcessEnv = process.env,
): SubscriptionsSettings {
  return {
    sseHeartbeatMilliseconds: integerSetting(env, 'KONTOR_SSE_HEARTBEAT_MS', 15_000, 10, hour),
    sseBufferBytesMax: integerSetting(
      env,
      'KONTOR_SSE_BUFFER_BYTES',
      1024 * 1024,
      1024,
      1024 * 1024 * 1024,
    ),
    webhookRetryBaseMilliseconds: integerSetting(
      env,
      'KONTOR_WEBHOOK_RETRY_BASE_MS',
      1_000,
      1,
      hour,
    ),
    webhookRetryMaxMilliseconds: integerSetting(
      env,
      'KONTOR_WEBHOOK_RETRY_MAX_MS',
      hour,
      1,
      24 * hour,
    ),
    webhookRetryWindowMilliseconds: integerSetting(
      env,
      'KONTOR_WEBHOOK_RETRY_WINDOW_MS',
      24 * hour,
      1,
      30 * 24 * hour,
    ),
    webhookTimeoutMilliseconds: integerSetting(
      env,
      'KONTOR_WEBHOOK_TIMEOUT_MS',
      10_000,
      10,
      120_000,
    ),
    webhookConcurrency: integerSetting(env, 'KONTOR_WEBHOOK_CONCURRENCY', 8, 1, 256),
    webhookAutoStart: env.KONTOR_WEBHOOK_AUTOSTART !== 'false',
  };
}
