/** What an election tells its owner. `lost` means: stop leading NOW (another instance may lead soon). */
export interface ElectionEvents {
  gained(): void;
  lost(reason: string): void;
}

export type ElectionMethod = 'single-instance' | 'postgres-advisory-lock';

/** Decides which instance leads. */
export interface LeaderElection {
  readonly method: ElectionMethod;
  /** Campaigns until `stop`; resolves after the first attempt (so a lone instance leads once the app has booted). */
  start(events: ElectionEvents): Promise<void>;
  /**
   * Stops campaigning; while still holding leadership runs `beforeRelease` (stop the leader-only
   * work), then gives leadership up.
   */
  stop(beforeRelease: () => Promise<void>): Promise<void>;
}

/**
 * SQLite (one file on one host) and KurrentDB with SQLite read models: one instance only, and it
 * always leads (docs/operations.md).
 */
export class SingleInstanceElection implements LeaderElection {
  readonly method = 'single-instance' as const;

  async start(events: ElectionEvents): Promise<void> {
    events.gained();
  }

  async stop(beforeRelease: () => Promise<void>): Promise<void> {
    await beforeRelease();
  }
}
