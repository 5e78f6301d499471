import { Logger } from '@nestjs/common';
import { Clock } from '../../event-sourcing/index.js';
import { ProjectionsService } from '../../infrastructure/projections/index.js';
import { PartiesReadModel } from '../projections/parties-read-model.js';
import { PartyErasures } from './party-erasures.js';

export const erasureIntervalMillisecondsDefault = 3_600_000;
export const erasureIntervalMillisecondsMax = 86_400_000;

/** `KONTOR_ERASURE_INTERVAL_MS`: 0 (off) to one day; default one hour. */
export function erasureIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.KONTOR_ERASURE_INTERVAL_MS;
  if (text === undefined || text === '') return erasureIntervalMillisecondsDefault;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > erasureIntervalMillisecondsMax)
    throw new Error(
      `KONTOR_ERASURE_INTERVAL_MS must be an integer from 0 to ${erasureIntervalMillisecondsMax}, got ${JSON.stringify(text)}`,
    );
  return value;
}

/**
 * Erases the `records` fields of requested erasures once their retention ended (by the
 * injected clock), and destroys the keys of every erased class again (idempotent: mends a crash
 * between an erasure event and the key store). Restart-safe: what is due comes from the parties
 * read model, rebuilt from the log; each erasure is decided on the folded stream, so a stale
 * row or two runs at once do no harm. Runs where projections run (the leader); tests call
 * `runOnce()` after moving a ManualClock.
 */
export class PartyErasureScheduler {
  private readonly logger = new Logger('PartyErasure');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<string[]> | undefined;

  constructor(
    private readonly readModel: PartiesReadModel,
    private readonly erasures: PartyErasures,
    private readonly clock: Clock,
    private readonly projections: ProjectionsService,
    private readonly settings: { intervalMilliseconds: number; readOnly: boolean },
  ) {}

  /** Erases what is due now; returns the ids of the parties whose fields this run erased. */
  runOnce(): Promise<string[]> {
    this.running ??= this.eraseDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  onApplicationBootstrap(): void {
    if (this.settings.readOnly || this.settings.intervalMilliseconds === 0) return;
    this.timer = setInterval(() => {
      if (!this.projections.isStarted) return; // not the leader
      this.runOnce().catch((error: unknown) =>
        this.logger.error(`erasing personal data failed: ${String(error)}`),
      );
    }, this.settings.intervalMilliseconds);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  private async eraseDue(): Promise<string[]> {
    const today = this.clock.now().toISOString().slice(0, 10);
    const erased: string[] = [];
    for (const row of await this.readModel.erasures(today)) {
      try {
        const due =
          !row.erased.includes('records') && row.erasableFrom !== null && row.erasableFrom <= today;
        if (due && (await this.erasures.eraseDue(row.book, row.id))) erased.push(row.id);
        else await this.erasures.destroyErasedKeys(row.book, row.id);
      } catch (error) {
        this.logger.error(`erasing party ${row.id} of book ${row.book} failed: ${String(error)}`);
      }
    }
    return erased;
  }
}
