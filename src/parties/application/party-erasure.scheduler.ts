import { Clock } from '../../event-sourcing/index.js';
import {
  PeriodicJob,
  PeriodicJobSettings,
  ProjectionsService,
  intervalFromEnv,
} from '../../infrastructure/projections/index.js';
import { PartiesReadModel } from '../projections/parties-read-model.js';
import { PartyErasures } from './party-erasures.js';

export const erasureIntervalMillisecondsDefault = 3_600_000;

/** `KONTOR_ERASURE_INTERVAL_MS`: 0 (off) to one day; default one hour. */
export function erasureIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return intervalFromEnv('KONTOR_ERASURE_INTERVAL_MS', erasureIntervalMillisecondsDefault, env);
}

/**
 * Erases the `records` fields of requested erasures once their retention ended (by the
 * injected clock), and destroys the keys of every erased class again (idempotent: mends a crash
 * between an erasure event and the key store). Restart-safe: what is due comes from the parties
 * read model, rebuilt from the log; each erasure is decided on the folded stream, so a stale
 * row or two runs at once do no harm. Leader-only (PeriodicJob).
 */
export class PartyErasureScheduler extends PeriodicJob<string[]> {
  constructor(
    private readonly readModel: PartiesReadModel,
    private readonly erasures: PartyErasures,
    private readonly clock: Clock,
    projections: ProjectionsService,
    settings: PeriodicJobSettings,
  ) {
    super('PartyErasure', projections, settings);
  }

  /** Erases what is due now; the ids of the parties whose fields this run erased. */
  protected work(): Promise<string[]> {
    return this.eraseDue();
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
