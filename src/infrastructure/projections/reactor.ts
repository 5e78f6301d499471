import { RecordedEvent } from '../../event-sourcing/index.js';
import { Projection } from './projection.js';

/**
 * A reactor (ARCHITECTURE §5): follows the log from its own checkpoint and turns events into
 * commands (approval approved → post the entry). Its effect is in the event store, not in the
 * read-model database, so the runner's transaction cannot make it exactly-once: `react` must be
 * idempotent — issue commands with ids derived from the triggering event, so a re-run after a
 * crash (the checkpoint had not moved yet) appends nothing new.
 *
 * Registered through `reactorProjection` with `ProjectionsService.register`, a reactor shares
 * the projections' runner: checkpoint, batching, wake-ups, retry with backoff, status and lag
 * (`GET /v1/projections`), and start/stop — so it runs only where projections run (the leader).
 */
export interface Reactor {
  readonly name: string;
  /** The event types it reacts to; others only move its checkpoint. */
  readonly handles: readonly string[];
  /** Throws to retry the batch later (with backoff); must be safe to run again for the same event. */
  react(event: RecordedEvent): Promise<void>;
}

/**
 * A reactor as a projection without tables: `apply` runs the reaction, and the runner commits
 * the checkpoint once the batch's reactions are done. A rebuild replays every reaction, which is
 * harmless when `react` is idempotent (and skips what already happened).
 */
export function reactorProjection(reactor: Reactor): Projection {
  return {
    name: reactor.name,
    version: 1,
    handles: reactor.handles,
    setup: async () => undefined,
    reset: async () => undefined,
    apply: (event) => reactor.react(event),
  };
}
