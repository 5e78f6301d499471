import { randomUUID } from 'node:crypto';
import { AppendTooLargeError, InvalidPositionError, NewEvent } from '../../event-sourcing/index.js';
import { KurrentDbEventStore, KurrentStreamTruncatedError } from './kurrentdb-event-store.js';
import { fakeMaxAppendBytes, FakeKurrentServer } from './testing/fake-kurrentdb.js';

/**
 * The places where KurrentDB is less kind than a naive store (issue 22, docs/kurrentdb.md
 * "What the server does"): the fake reproduces each, the adapter copes. The same cases against a
 * real server: test/integration/kurrentdb-event-store.int-spec.ts.
 */

function newEvents(count: number, data: unknown = { note: 'test' }): NewEvent[] {
  return Array.from({ length: count }, () => ({
    eventId: randomUUID(),
    type: 'Tested',
    data,
    metadata: { actor: { id: 'k', name: 'Key' }, correlationId: randomUUID() },
  }));
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('KurrentDbEventStore against the server’s semantics (in-process fake)', () => {
  let server: FakeKurrentServer;
  let store: KurrentDbEventStore;

  beforeEach(() => {
    server = new FakeKurrentServer();
    store = KurrentDbEventStore.withClient(server.client(), { namespace: 'test' });
  });

  afterEach(() => store.close());

  describe('positions are byte offsets', () => {
    it('refuses a read after a number that is not an event’s position (no position arithmetic)', async () => {
      const { positions } = await store.append('s', newEvents(3));
      expect(positions[1]! - positions[0]!).toBeGreaterThan(1n);
      await expect(store.readAll({ after: positions[1]! - 1n })).rejects.toBeInstanceOf(
        InvalidPositionError,
      );
      const after = await store.readAll({ after: positions[0]! });
      expect(after.map((event) => event.position)).toEqual(positions.slice(1));
    });

    it('reads the event at a position again with `from` (inclusive)', async () => {
      const { positions } = await store.append('s', newEvents(3));
      const [event] = await store.readAll({ from: positions[1]!, limit: 1 });
      expect(event?.position).toBe(positions[1]);
      expect(event?.revision).toBe(1);
    });
  });

  describe('MaxAppendSize (1 MiB per append)', () => {
    it('refuses a too large append with the typed AppendTooLargeError, storing nothing', async () => {
      const big = 'x'.repeat(fakeMaxAppendBytes / 4);
      await expect(store.append('s', newEvents(5, { big }))).rejects.toBeInstanceOf(
        AppendTooLargeError,
      );
      expect(await store.readStream('s')).toEqual([]);
      await expect(store.append('s', newEvents(2, { big }))).resolves.toMatchObject({
        lastRevision: 1,
      });
    });

    it('stores a large snapshot gzipped, under the limit, and loads it back', async () => {
      const state = {
        accounts: Array.from({ length: 20_000 }, (_, index) => ({
          code: `${index}`,
          balance: '0',
        })),
      };
      expect(Buffer.byteLength(JSON.stringify(state))).toBeGreaterThan(fakeMaxAppendBytes / 2);
      await store.saveSnapshot({ streamId: 'book', revision: 7, state });
      await expect(store.loadSnapshot('book')).resolves.toEqual({
        streamId: 'book',
        revision: 7,
        state,
      });
    });
  });

  describe('a subscription is live only after the server confirmed it', () => {
    it('wakes its listeners on confirmation: an append made before it is not lost', async () => {
      let release!: () => void;
      server.confirmationGate = () => new Promise((resolve) => (release = resolve));
      const other = KurrentDbEventStore.withClient(server.client(), { namespace: 'test' });
      let woken = 0;
      const stop = store.onAppended(() => (woken += 1));
      await other.append('s', newEvents(1));
      expect(woken).toBe(0); // not announced: the subscription is not confirmed yet
      release();
      await new Promise<void>((resolve) => {
        const poll = () => (woken > 0 ? resolve() : setImmediate(poll));
        poll();
      });
      stop();
      await other.close();
    });
  });

  it('wakes its listeners when a re-subscription is confirmed, not before', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'queueMicrotask', 'nextTick'] });
    try {
      const other = KurrentDbEventStore.withClient(server.client(), { namespace: 'test' });
      let woken = 0;
      const stop = store.onAppended(() => (woken += 1));
      await until(() => woken === 1); // the first confirmation
      let release!: () => void;
      server.confirmationGate = () => new Promise((resolve) => (release = resolve));
      server.dropSubscriptions();
      jest.advanceTimersByTime(1000); // resubscribeDelayMilliseconds
      expect(release).toBeDefined(); // re-subscribed, not confirmed yet
      await other.append('s', newEvents(1)); // neither announced nor seen by any wake so far
      const before = woken;
      release();
      await until(() => woken > before);
      stop();
      await other.close();
    } finally {
      jest.useRealTimers();
    }
  });

  describe('soft-deleted and truncated streams', () => {
    it('refuses to append to a soft-deleted stream (it reads as none but numbers on)', async () => {
      await store.append('s', newEvents(2));
      server.softDelete('test:s');
      await expect(store.readStream('s')).rejects.toBeInstanceOf(KurrentStreamTruncatedError);
      await expect(store.append('s', newEvents(1))).rejects.toBeInstanceOf(
        KurrentStreamTruncatedError,
      );
      // nothing written: the two events from before the delete only
      expect(server.allRecords().filter((record) => record.streamId === 'test:s')).toHaveLength(2);
    });

    it('fails a read whose first revision is not the one asked for ($tb before a scavenge)', async () => {
      await store.append('s', newEvents(4));
      server.truncateBefore('test:s', 2);
      await expect(store.readStream('s')).rejects.toThrow(/revision 0 asked for, 2 read/);
      await expect(store.readStream('s', { fromRevision: 2 })).resolves.toHaveLength(2);
    });
  });

  describe('de-duplication and acknowledgements', () => {
    it('answers an append that committed but timed out (DeadlineExceeded) with the original result', async () => {
      server.deadlineAfterCommit = 1;
      const events = newEvents(2);
      const result = await store.append('s', events, { expectedRevision: 'no_stream' });
      expect(result.lastRevision).toBe(1);
      expect(await store.readStream('s')).toHaveLength(2);
      await expect(store.append('s', events, { expectedRevision: 'no_stream' })).resolves.toEqual(
        result,
      );
    });

    it('reads with requiresLeader (read-your-write after an append)', async () => {
      await store.append('s', newEvents(1));
      await store.readAll();
      await store.readStream('s');
      expect(server.readsRequiringLeader.length).toBeGreaterThan(0);
      expect(server.readsRequiringLeader.every(Boolean)).toBe(true);
    });

    it('refuses a connection string with throwOnAppendFailure=false', async () => {
      await expect(
        KurrentDbEventStore.connect(
          'kurrentdb://admin:changeit@127.0.0.1:1?tls=false&throwOnAppendFailure=false',
        ),
      ).rejects.toThrow(/throwOnAppendFailure=false/);
    });
  });
});
