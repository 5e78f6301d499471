import { InMemoryEventStore } from '../infrastructure/memory/in-memory-event-store.js';
import { Decider } from './decider.js';
import { RecordedEvent } from './event.js';
import { EventStore, ReadStreamOptions } from './event-store.js';
import { DecidedStream } from './decided-stream.js';

type Counted = { type: 'Counted'; data: Record<string, never> };
const counter: Decider<never, Counted, number> = {
  initialState: () => 0,
  decide: () => [],
  evolve: (count) => count + 1,
};

/** A store whose stream reads are held until released, and counted. */
function heldReads(store: EventStore) {
  const held: (() => void)[] = [];
  let reads = 0;
  const readStream = store.readStream.bind(store);
  store.readStream = async (
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<RecordedEvent[]> => {
    reads++;
    await new Promise<void>((release) => held.push(release));
    return readStream(streamId, options);
  };
  return {
    get reads() {
      return reads;
    },
    async releaseNext(): Promise<void> {
      while (held.length === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      held.shift()!();
    },
  };
}

async function appendCounted(store: EventStore, id: string): Promise<void> {
  await store.append('counter-1', [
    {
      eventId: id,
      type: 'Counted',
      data: {},
      metadata: { actor: { id: 'test', name: 'test' }, correlationId: 'c' },
    },
  ]);
}

describe('DecidedStream.current', () => {
  it('shares one read among the callers waiting for it, and gives a caller arriving during a read a later read that sees what was appended meanwhile', async () => {
    const store = new InMemoryEventStore();
    const reads = heldReads(store);
    const stream = new DecidedStream(store, 'counter-1', counter);

    const first = stream.current();
    await reads.releaseNext(); // the first read is now running (released, resolving)
    await appendCounted(store, 'e1');
    const duringOrAfter = [stream.current(), stream.current(), stream.current()];
    expect(await first).toBe(0);
    await reads.releaseNext();
    expect(await Promise.all(duringOrAfter)).toEqual([1, 1, 1]);
    expect(reads.reads).toBe(2);
  });
});
