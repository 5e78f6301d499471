import { newId, NewEvent, ReadAllOptions } from '../../event-sourcing/index.js';
import { InMemoryEventStore } from '../memory/in-memory-event-store.js';
import { SharedLogReads } from './shared-log-reads.js';

function events(count: number): NewEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    eventId: newId(),
    type: 'Counted',
    data: { index },
    metadata: { actor: { id: 'test', name: 'Test' }, correlationId: newId() },
  }));
}

describe('SharedLogReads', () => {
  let store: InMemoryEventStore;
  let storeReads: ReadAllOptions[];

  function shared(readers: number, eventsMax?: number): SharedLogReads {
    const reads = new SharedLogReads(store, eventsMax);
    for (let reader = 0; reader < readers; reader++) reads.addReader();
    return reads;
  }

  beforeEach(async () => {
    store = new InMemoryEventStore();
    storeReads = [];
    const readAll = store.readAll.bind(store);
    store.readAll = (options) => {
      storeReads.push(options ?? {});
      return readAll(options);
    };
    await store.append('s', events(25));
  });

  it('reads a full page once for all its readers and hands out the same events', async () => {
    const reads = shared(3);
    const first = await reads.readAll({ after: 10n, limit: 5 });
    const [second, third] = await Promise.all([
      reads.readAll({ after: 10n, limit: 5 }),
      reads.readAll({ after: 10n, limit: 3 }),
    ]);
    expect(first.map((event) => event.position)).toEqual([11n, 12n, 13n, 14n, 15n]);
    expect(second).toEqual(first);
    expect(second[0]).toBe(first[0]);
    expect(third).toEqual(first.slice(0, 3));
    expect(storeReads).toEqual([{ after: 10n, limit: 5 }]);
  });

  it('drops a page once every reader had it', async () => {
    const reads = shared(2);
    await reads.readAll({ after: 0n, limit: 5 });
    await reads.readAll({ after: 0n, limit: 5 });
    await reads.readAll({ after: 0n, limit: 5 });
    expect(storeReads).toHaveLength(2);
  });

  it('joins a read in flight', async () => {
    const reads = shared(2);
    const [first, second] = await Promise.all([
      reads.readAll({ after: 0n, limit: 10 }),
      reads.readAll({ after: 0n, limit: 10 }),
    ]);
    expect(second).toEqual(first);
    expect(storeReads).toHaveLength(1);
  });

  it('never hands a short page (the tail at its read) to another caller: each sees what was appended before its call', async () => {
    const reads = shared(3);
    const tail = reads.readAll({ after: 20n, limit: 10 });
    const appended = store.append('s', events(2));
    const joined = reads.readAll({ after: 20n, limit: 10 });
    await appended;
    expect(await tail).toHaveLength(5);
    expect(await joined).toHaveLength(7);
    expect(await reads.readAll({ after: 20n, limit: 10 })).toHaveLength(7);
    expect(storeReads).toHaveLength(3);
  });

  it('reads again when a larger page is asked for than the one kept', async () => {
    const reads = shared(3);
    await reads.readAll({ after: 0n, limit: 5 });
    expect(await reads.readAll({ after: 0n, limit: 8 })).toHaveLength(8);
    expect(await reads.readAll({ after: 0n, limit: 6 })).toHaveLength(6);
    expect(storeReads).toEqual([
      { after: 0n, limit: 5 },
      { after: 0n, limit: 8 },
    ]);
  });

  it('keeps at most eventsMax events, dropping the oldest pages first', async () => {
    const reads = shared(2, 10);
    for (const after of [0n, 5n, 10n]) await reads.readAll({ after, limit: 5 });
    await reads.readAll({ after: 10n, limit: 5 });
    await reads.readAll({ after: 5n, limit: 5 });
    await reads.readAll({ after: 0n, limit: 5 });
    expect(storeReads.map((read) => read.after)).toEqual([0n, 5n, 10n, 0n]);
  });

  it('passes reads it does not share straight to the store, and keeps nothing for a single reader', async () => {
    const reads = shared(2);
    await reads.readAll({ from: 3n, limit: 2 });
    await reads.readAll({ from: 3n, limit: 2 });
    await reads.readAll({ after: 0n, until: 4n, limit: 2 });
    await reads.readAll({ after: 0n });
    const alone = shared(1);
    await alone.readAll({ after: 0n, limit: 5 });
    await alone.readAll({ after: 0n, limit: 5 });
    expect(storeReads).toHaveLength(6);
  });
});
