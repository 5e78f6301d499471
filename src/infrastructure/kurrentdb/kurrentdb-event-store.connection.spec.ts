import { subscribeToAll } from '../../event-sourcing/index.js';
import { KurrentDbEventStore } from './kurrentdb-event-store.js';
import {
  describeAgainstFakeKurrentDb,
  newEvents,
  open,
  server,
  store,
} from './testing/kurrentdb-event-store.fixtures.js';

describeAgainstFakeKurrentDb(() => {
  describe('onAppended', () => {
    it('fires for this instance’s appends at once, until unsubscribed', async () => {
      let calls = 0;
      const unsubscribe = store.onAppended(() => (calls += 1));
      await store.append('s', newEvents(1));
      expect(calls).toBeGreaterThanOrEqual(1);

      unsubscribe();
      const before = calls;
      await store.append('s', newEvents(1));
      expect(calls).toBe(before);
    });

    it('wakes a subscriber of one instance when another instance appends (live subscription to $all)', async () => {
      const other = open();
      const abort = new AbortController();
      const received: string[] = [];
      const subscription = (async () => {
        for await (const event of subscribeToAll(store, { signal: abort.signal })) {
          received.push(`${event.streamId}@${event.revision}`);
          if (received.length === 3) abort.abort();
        }
      })();

      await other.append('s', newEvents(1));
      await other.append('t', newEvents(2));
      await subscription;

      expect(received).toEqual(['s@0', 't@0', 't@1']);
    });
  });

  describe('close', () => {
    it('finishes an append in flight, then refuses new ones and disposes the client', async () => {
      const client = server.client();
      const closing = KurrentDbEventStore.withClient(client, { namespace: 'test' });
      const pending = closing.append('s', newEvents(2));
      await closing.close();

      await expect(pending).resolves.toMatchObject({ lastRevision: 1 });
      await expect(closing.append('s', newEvents(1))).rejects.toThrow(/closed/);
      expect(client.disposed).toBe(true);
    });
  });

  describe('connect', () => {
    it('fails at once with a clear message when KurrentDB is not reachable', async () => {
      await expect(
        KurrentDbEventStore.connect('kurrentdb://admin:changeit@127.0.0.1:1?tls=false'),
      ).rejects.toThrow(/KurrentDB is not reachable through KURRENTDB_URL/);
    });
  });
});
