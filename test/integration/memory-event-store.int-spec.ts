import { InMemoryEventStore } from '../../src/infrastructure/memory/in-memory-event-store.js';
import { describeEventStoreContract } from './event-store.contract.js';

describeEventStoreContract('memory', async () => {
  const store = new InMemoryEventStore();
  return { store, cleanup: () => store.close() };
});

describe('InMemoryEventStore.discardAfter (a simulated crash losing the unsynced tail)', () => {
  const event = (id: string) => ({
    eventId: id,
    type: 'Counted',
    data: {},
    metadata: { actor: { id: 'test', name: 'Test' }, correlationId: 'c' },
  });

  it('drops the later events, their ids and the snapshots past what is left; the chain still verifies', async () => {
    const store = new InMemoryEventStore();
    await store.append('a', [event('e1'), event('e2')]);
    const kept = await store.digest();
    await store.saveSnapshot({ streamId: 'a', revision: 1, state: { n: 2 } });
    await store.append('a', [event('e3')]);
    await store.append('b', [event('e4')]);
    await store.saveSnapshot({ streamId: 'a', revision: 2, state: { n: 3 } });
    store.discardAfter(kept.position);
    expect(await store.digest()).toEqual(kept);
    expect((await store.readStream('a')).map((recorded) => recorded.eventId)).toEqual(['e1', 'e2']);
    expect(await store.readStream('b')).toEqual([]);
    expect(await store.loadSnapshot('a')).toBeUndefined();
    expect((await store.verify()).ok).toBe(true);
    const again = await store.append('a', [event('e3')], { expectedRevision: 1 });
    expect(again.positions).toEqual([3n]);
  });
});
