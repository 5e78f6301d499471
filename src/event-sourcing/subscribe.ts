import { RecordedEvent } from './event.js';
import { EventStore, readBatchSizeMax } from './event-store.js';

export interface SubscribeOptions {
  /** Exclusive: deliver events with a position greater than this. */
  after?: bigint;
  batchSize?: number;
  signal?: AbortSignal;
}

/**
 * Catch-up, then live: reads the global log from `after` in bounded batches, then waits for the
 * store's append notification. Gap-free and duplicate-free because it only ever advances a
 * cursor over a log that never exposes position N+1 before N.
 */
export async function* subscribeToAll(
  store: EventStore,
  options: SubscribeOptions = {},
): AsyncGenerator<RecordedEvent> {
  let cursor = options.after ?? 0n;
  const limit = Math.min(options.batchSize ?? readBatchSizeMax, readBatchSizeMax);
  let dirty = true;
  let wake: (() => void) | undefined;
  const unsubscribe = store.onAppended(() => {
    dirty = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  options.signal?.addEventListener('abort', onAbort);
  try {
    while (!options.signal?.aborted) {
      if (!dirty) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      dirty = false;
      for (;;) {
        const batch = await store.readAll({ after: cursor, limit });
        for (const event of batch) {
          cursor = event.position;
          yield event;
        }
        if (batch.length < limit || options.signal?.aborted) break;
      }
    }
  } finally {
    unsubscribe();
    options.signal?.removeEventListener('abort', onAbort);
  }
}
