import { Clock } from '../../event-sourcing/index.js';

export const projectionBatchSizeDefault = 500;
/**
 * Events per transaction while rebuilding or catching up from behind (after a full batch), as
 * the application configures its runners (read in pages of readBatchSizeMax). Fewer, larger
 * commits: each index page a batch dirties is written once for more rows. The runner holds the
 * read-model write lock this long per batch.
 */
export const rebuildBatchSizeDefault = 10_000;
export const retryDelayInitialMillisecondsDefault = 200;
export const retryDelayMaxMillisecondsDefault = 30_000;
/**
 * The longest pause after a failure that says the database is away (storeFaultOf): the runner
 * catches up within about this long after the database is back, instead of a long backoff.
 */
export const storeFaultRetryDelayMaxMilliseconds = 1_000;

export interface ProjectionLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Calls `callback` after `milliseconds`; returns a function that cancels it. */
export interface TimerPort {
  setTimeout(callback: () => void, milliseconds: number): () => void;
}

export const systemTimer: TimerPort = {
  setTimeout(callback, milliseconds) {
    const timer = setTimeout(callback, milliseconds);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export interface ProjectionRunnerOptions {
  /** Events read and applied per transaction (≤ readBatchSizeMax). */
  batchSize?: number;
  /**
   * Events applied per transaction during a rebuild, and in a catch-up once a batch of
   * `batchSize` came back full (the runner is behind the log); read in pages of
   * readBatchSizeMax. Default `batchSize`.
   */
  rebuildBatchSize?: number;
  /** Backoff after a failure: doubles from `retryDelayInitialMilliseconds` up to the max. */
  retryDelayInitialMilliseconds?: number;
  retryDelayMaxMilliseconds?: number;
  clock?: Clock;
  /** Schedules the retry pause (default: an unref'd setTimeout); the simulator runs it on simulated time. */
  timer?: TimerPort;
  logger?: ProjectionLogger;
  /** Called after every committed batch (metrics, progress bars). */
  onProgress?: (state: { name: string; position: bigint }) => void;
  /** Called when a batch fails (after it is rolled back and the failure recorded). */
  onFailure?: (error: unknown) => void;
}

/** The pause before the `failures`-th retry in a row: doubling, capped (shorter while the store is away). */
export function retryDelayMilliseconds(
  options: ProjectionRunnerOptions,
  failures: number,
  storeAway: boolean,
): number {
  const initial = options.retryDelayInitialMilliseconds ?? retryDelayInitialMillisecondsDefault;
  const configuredMax = options.retryDelayMaxMilliseconds ?? retryDelayMaxMillisecondsDefault;
  const max = storeAway
    ? Math.min(configuredMax, storeFaultRetryDelayMaxMilliseconds)
    : configuredMax;
  return Math.min(initial * 2 ** Math.min(failures - 1, 30), max);
}
