import {
  EventStore,
  readBatchSizeMax,
  RecordedEvent,
  subscribeToAll,
} from '../../src/event-sourcing/index.js';
import {
  appendSequence,
  expectOrdered,
  freshHarnessEachTest,
  newEvent,
  newEvents,
  ordinals,
  readWholeLog,
  StoreHarness,
  uniqueStream,
  writers,
} from '../support/event-store-harness.js';

/** Writers in the concurrency cases. */
const concurrentAppendersCount = 32;

/** The contract's reads: the global order, paging the log and streams, and onAppended. */
export function describeReadsContract(makeHarness: () => Promise<StoreHarness>): void {
  let harness: StoreHarness;
  let store: EventStore;
  const openFreshHarnessEachTest = () =>
    freshHarnessEachTest(makeHarness, (opened) => {
      harness = opened;
      store = opened.store;
    });

  describe('global order', () => {
    openFreshHarnessEachTest();

    it('assigns positions 1..N without gaps in commit order', async () => {
      const results = [];
      for (let index = 0; index < 10; index += 1) {
        results.push(
          await store.append(uniqueStream(`order-${index % 3}`), newEvents((index % 4) + 1)),
        );
      }

      const log = await readWholeLog(store);
      expectOrdered(harness, log);
      expect(log.map((event) => event.position)).toEqual(
        results.flatMap((result) => result.positions),
      );
      expect(await store.headPosition()).toBe(log.at(-1)!.position);
    });

    it(`delivers every event of ${concurrentAppendersCount} concurrent appenders exactly once, in order, to a live subscriber`, async () => {
      const instances = await writers(harness);
      const appendsPerAppender = 15;
      const abort = new AbortController();
      const seen: RecordedEvent[] = [];
      let sentinelPosition: bigint | undefined;
      const subscriber = (async () => {
        for await (const event of subscribeToAll(store, {
          signal: abort.signal,
          batchSize: 50,
        })) {
          seen.push(event);
          if (event.position === sentinelPosition) abort.abort();
        }
      })();

      const appended = await Promise.all(
        Array.from({ length: concurrentAppendersCount }, async (_, appender) => {
          const writer = instances[appender % instances.length]!;
          const streamId = uniqueStream(`appender-${appender}`);
          const eventIds: string[] = [];
          for (let index = 0; index < appendsPerAppender; index += 1) {
            const events = newEvents(appender % 4 === 0 ? 3 : 1, `${appender}`);
            await writer.append(streamId, events, {
              expectedRevision: index === 0 ? 'no_stream' : 'stream_exists',
            });
            eventIds.push(...events.map((event) => event.eventId));
          }
          return { streamId, eventIds };
        }),
      );
      // Appends through other instances need not wake this store's subscriber; this one does.
      const sentinelEvent = newEvent({ sentinel: true });
      const sentinel = await store.append(uniqueStream('sentinel'), [sentinelEvent]);
      sentinelPosition = sentinel.lastPosition;
      if (seen.at(-1)?.position === sentinelPosition) abort.abort();
      await subscriber;

      const expectedIds = appended.flatMap((appender) => appender.eventIds);
      expect(seen).toHaveLength(expectedIds.length + 1);
      expectOrdered(harness, seen);
      expect(seen.map((event) => event.position)).toEqual(
        (await readWholeLog(store)).map((event) => event.position),
      );
      expect(seen.map((event) => event.eventId).sort()).toEqual(
        [...expectedIds, sentinelEvent.eventId].sort(),
      );
      for (const { streamId, eventIds } of appended) {
        const stream = await store.readStream(streamId);
        expect(stream.map((event) => event.eventId)).toEqual(eventIds);
        expect(stream.map((event) => event.revision)).toEqual(eventIds.map((_, index) => index));
      }
      await expect(store.verify()).resolves.toMatchObject({
        ok: true,
        checkedEvents: seen.length,
      });
    });
  });

  describe('reads', () => {
    openFreshHarnessEachTest();

    it('pages the global log with after, until and limit', async () => {
      await appendSequence(store, 12);
      const at = await ordinals(harness, store);

      const page = await store.readAll({ after: at(3), limit: 4 });
      expect(page.map((event) => event.position)).toEqual([at(4), at(5), at(6), at(7)]);
      const bounded = await store.readAll({ after: at(8), until: at(10) });
      expect(bounded.map((event) => event.position)).toEqual([at(9), at(10)]);
      expect(await store.readAll({ after: at(12) })).toEqual([]);
      expect((await store.readAll()).map((event) => event.position)).toEqual(
        Array.from({ length: 12 }, (_, index) => at(index + 1)),
      );
    });

    it('reads from a position, inclusive, with from (never position - 1)', async () => {
      await appendSequence(store, 5);
      const at = await ordinals(harness, store);

      const [again] = await store.readAll({ from: at(3), limit: 1 });
      expect(again?.position).toBe(at(3));
      const rest = await store.readAll({ from: at(4) });
      expect(rest.map((event) => event.position)).toEqual([at(4), at(5)]);
    });

    it(`never returns more than readBatchSizeMax (${readBatchSizeMax}) events from readAll`, async () => {
      for (let index = 0; index < 11; index += 1)
        await store.append(uniqueStream(), newEvents(100));

      const page = await store.readAll({ limit: readBatchSizeMax * 5 });
      expect(page).toHaveLength(readBatchSizeMax);
      expect(page.at(-1)!.position).toBe((await ordinals(harness, store))(readBatchSizeMax));
    });

    it('reads a stream from a revision, with a limit', async () => {
      const streamId = uniqueStream();
      await store.append(streamId, newEvents(3));
      await store.append(uniqueStream(), newEvents(2));
      await store.append(streamId, newEvents(3));

      expect(
        (await store.readStream(streamId, { fromRevision: 2 })).map((event) => event.revision),
      ).toEqual([2, 3, 4, 5]);
      expect(
        (await store.readStream(streamId, { fromRevision: 1, limit: 2 })).map(
          (event) => event.revision,
        ),
      ).toEqual([1, 2]);
      const at = await ordinals(harness, store);
      expect((await store.readStream(streamId)).map((event) => event.position)).toEqual([
        at(1),
        at(2),
        at(3),
        at(6),
        at(7),
        at(8),
      ]);
      expect(await store.readStream(uniqueStream())).toEqual([]);
    });
  });

  describe('onAppended', () => {
    openFreshHarnessEachTest();

    it('fires after the commit, when the events are readable, until unsubscribed', async () => {
      const streamId = uniqueStream();
      const observedHeads: Promise<bigint>[] = [];
      const unsubscribe = store.onAppended(() => observedHeads.push(store.headPosition()));

      const result = await store.append(streamId, newEvents(2));
      // A listener may also be woken spuriously (e.g. when a LISTEN connection opens);
      // what counts is that the wake-up for this commit came after it was readable.
      expect(observedHeads.length).toBeGreaterThanOrEqual(1);
      expect(await Promise.all(observedHeads)).toContain(result.lastPosition);

      unsubscribe();
      const count = observedHeads.length;
      await store.append(streamId, newEvents(1));
      expect(observedHeads).toHaveLength(count);
    });
  });
}
