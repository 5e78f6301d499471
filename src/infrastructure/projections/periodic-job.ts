import { Logger } from '@nestjs/common';
import { ProjectionsService } from './projections.service.js';

export const periodicJobIntervalMillisecondsMax = 86_400_000;

/** An interval setting (`KONTOR_…_INTERVAL_MS`): 0 (off) to one day; the default when unset. */
export function intervalFromEnv(
  name: string,
  defaultMilliseconds: number,
  env: NodeJS.ProcessEnv = process.env,
): number {
  const text = env[name];
  if (text === undefined || text === '') return defaultMilliseconds;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > periodicJobIntervalMillisecondsMax)
    throw new Error(
      `${name} must be an integer from 0 to ${periodicJobIntervalMillisecondsMax}, got ${JSON.stringify(text)}`,
    );
  return value;
}

export interface PeriodicJobSettings {
  /** 0 turns the timer off (runOnce still works). */
  intervalMilliseconds: number;
  readOnly: boolean;
}

/**
 * Background work on a timer where projections run (the leader): `work` is never run twice at
 * once (a call during a run shares it), a failed run is logged and the next tick tries again.
 * Subclasses are Nest providers: the timer starts on bootstrap and stops on shutdown; tests
 * call runOnce() after moving a ManualClock.
 */
export abstract class PeriodicJob<Result> {
  protected readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<Result> | undefined;

  constructor(
    private readonly name: string,
    private readonly projections: ProjectionsService,
    private readonly settings: PeriodicJobSettings,
  ) {
    this.logger = new Logger(name);
  }

  protected abstract work(): Promise<Result>;

  runOnce(): Promise<Result> {
    this.running ??= this.work().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  onApplicationBootstrap(): void {
    if (this.settings.readOnly || this.settings.intervalMilliseconds === 0) return;
    this.timer = setInterval(() => {
      if (!this.projections.isStarted) return; // not the leader
      this.runOnce().catch((error: unknown) =>
        this.logger.error(`${this.name} failed: ${String(error)}`),
      );
    }, this.settings.intervalMilliseconds);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}
