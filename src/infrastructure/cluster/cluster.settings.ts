import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ConfigError, KontorConfig } from '../../config.js';

export const CLUSTER_SETTINGS = 'CLUSTER_SETTINGS';

export const leaderRetryMillisecondsDefault = 2_000;
const leaderRetryMillisecondsMin = 100;
const leaderRetryMillisecondsMax = 60_000;

export interface ClusterSettings {
  /** `KONTOR_INSTANCE_ID`, else `<hostname>-<pid>-<random>`: names this instance in `GET /v1/cluster` and the logs. */
  instanceId: string;
  /**
   * `KONTOR_LEADER_RETRY_MS` (default 2000): how often a follower tries to take the leader lock
   * and the leader checks its lock connection. Failover takes at most about this long after the
   * leader's process dies.
   */
  leaderRetryMilliseconds: number;
}

export function loadClusterSettings(
  config: Pick<KontorConfig, 'instanceId'>,
  env: NodeJS.ProcessEnv = process.env,
): ClusterSettings {
  const raw = env.KONTOR_LEADER_RETRY_MS;
  let retry = leaderRetryMillisecondsDefault;
  if (raw !== undefined && raw !== '') {
    retry = Number(raw);
    if (
      !Number.isInteger(retry) ||
      retry < leaderRetryMillisecondsMin ||
      retry > leaderRetryMillisecondsMax
    ) {
      throw new ConfigError(
        `KONTOR_LEADER_RETRY_MS must be an integer from ${leaderRetryMillisecondsMin} to ${leaderRetryMillisecondsMax}, got ${JSON.stringify(raw)}`,
      );
    }
  }
  return {
    instanceId:
      config.instanceId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    leaderRetryMilliseconds: retry,
  };
}
