import { ConfigError } from '../../config.js';
import { ProjectionRunnerOptions, rebuildBatchSizeDefault } from './projection-runner.options.js';

export const PROJECTIONS_SETTINGS = 'PROJECTIONS_SETTINGS';

/** API.md: a read with `?consistentWith=` answers 503 `not-ready` when the read models lag longer. */
export const consistencyTimeoutMillisecondsDefault = 5_000;
const consistencyTimeoutMillisecondsMax = 60_000;

export interface ProjectionsSettings {
  /** `KONTOR_CONSISTENCY_TIMEOUT_MS` (default 5000): how long `?consistentWith=` waits. */
  consistencyTimeoutMilliseconds: number;
  /**
   * true (default): runners start on application bootstrap. false: something else (leader
   * election) calls `ProjectionsService.start()` / `stop()`.
   */
  autoStart: boolean;
  runner: Pick<
    ProjectionRunnerOptions,
    'batchSize' | 'rebuildBatchSize' | 'retryDelayInitialMilliseconds' | 'retryDelayMaxMilliseconds'
  >;
}

export function loadProjectionsSettings(env: NodeJS.ProcessEnv = process.env): ProjectionsSettings {
  const raw = env.KONTOR_CONSISTENCY_TIMEOUT_MS;
  let timeout = consistencyTimeoutMillisecondsDefault;
  if (raw !== undefined && raw !== '') {
    timeout = Number(raw);
    if (!Number.isInteger(timeout) || timeout < 0 || timeout > consistencyTimeoutMillisecondsMax) {
      throw new ConfigError(
        `KONTOR_CONSISTENCY_TIMEOUT_MS must be an integer from 0 to ${consistencyTimeoutMillisecondsMax}, got ${JSON.stringify(raw)}`,
      );
    }
  }
  return {
    consistencyTimeoutMilliseconds: timeout,
    autoStart: true,
    runner: { rebuildBatchSize: rebuildBatchSizeDefault },
  };
}
