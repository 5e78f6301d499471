import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  EventStore,
  genesisHash,
  NewEvent,
  ValidationError,
  WrongExpectedRevisionError,
} from '../../src/event-sourcing/index.js';
import {
  freshHarnessEachTest,
  newEvent,
  newEvents,
  ordinals,
  StoreHarness,
  uniqueStream,
  writers,
} from '../support/event-store-harness.js';

const racingAppendsCount = 20;

/** The contract's appends: revisions, expected revisions, racing writers and idempotent event ids. */
export function describeAppendContract(makeHarness: () => Promise<StoreHarness>): void {
  let harness: StoreHarness;
  let store: EventStore;
  const openFreshHarnessEachTest = () =>
    freshHarnessEachTest(makeHarness, (opened) => {
      harness = opened;
      store = opened.store;
    });

  describe('append and revisions', () => {
    openFreshHarnessEachTest();

    it('numbers stream revisions from 0 and global positions from 1', async () => {
      const streamId = uniqueStream();
      const first = await store.append(streamId, newEvents(2));
      const second = await store.append(streamId, newEvents(1));
      const at = await ordinals(harness, store);

      expect(first).toEqual({
        streamId,
        lastRevision: 1,
        positions: [at(1), at(2)],
        lastPosition: at(2),
      });
      expect(second).toEqual({
        streamId,
        lastRevision: 2,
        positions: [at(3)],
        lastPosition: at(3),
      });
      const events = await store.readStream(streamId);
      expect(events.map((event) => event.revision)).toEqual([0, 1, 2]);
      expect(await store.headPosition()).toBe(at(3));
    });

    it('stores every field and hands back what was appended', async () => {
      const streamId = uniqueStream();
      const event: NewEvent = {
        eventId: randomUUID(),
        type: 'JournalEntryPosted',
        schemaVersion: 2,
        data: {
          amountMinor: '12345',
          lines: [{ account: '1000', memo: 'Grüße ✓' }],
          flag: true,
          nothing: null,
        },
        metadata: {
          actor: { id: 'key-1', name: 'Alice' },
          correlationId: 'corr-1',
          causationId: 'cause-1',
          commandId: 'cmd-1',
          book: 'acme',
        },
      };
      await store.append(streamId, [event, newEvent()]);
      const at = await ordinals(harness, store);

      const [stored, defaulted] = await store.readStream(streamId);
      expect(stored).toMatchObject({
        eventId: event.eventId,
        streamId,
        revision: 0,
        position: at(1),
        type: 'JournalEntryPosted',
        schemaVersion: 2,
        data: event.data,
        metadata: event.metadata,
        prevHash: genesisHash,
      });
      expect(defaulted!.schemaVersion).toBe(1);
      expect(new Date(stored!.recordedAt).toISOString()).toBe(stored!.recordedAt);
      expect(stored!.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('checks expectedRevision no_stream', async () => {
      const streamId = uniqueStream();
      await expect(
        store.append(streamId, newEvents(1), { expectedRevision: 'no_stream' }),
      ).resolves.toMatchObject({ lastRevision: 0 });
      await expect(
        store.append(streamId, newEvents(1), { expectedRevision: 'no_stream' }),
      ).rejects.toThrow(WrongExpectedRevisionError);
    });

    it('checks expectedRevision stream_exists', async () => {
      const streamId = uniqueStream();
      await expect(
        store.append(streamId, newEvents(1), { expectedRevision: 'stream_exists' }),
      ).rejects.toThrow(WrongExpectedRevisionError);
      await store.append(streamId, newEvents(1));
      await expect(
        store.append(streamId, newEvents(1), { expectedRevision: 'stream_exists' }),
      ).resolves.toMatchObject({ lastRevision: 1 });
    });

    it('checks a numeric expectedRevision and reports the actual one', async () => {
      const streamId = uniqueStream();
      await expect(
        store.append(streamId, newEvents(1), { expectedRevision: 0 }),
      ).rejects.toMatchObject({
        streamId,
        expected: 0,
        actual: 'no_stream',
        code: 'conflict',
      });
      await store.append(streamId, newEvents(2), { expectedRevision: 'no_stream' });
      await expect(
        store.append(streamId, newEvents(1), { expectedRevision: 0 }),
      ).rejects.toMatchObject({ expected: 0, actual: 1 });
      await expect(
        store.append(streamId, newEvents(1), { expectedRevision: 1 }),
      ).resolves.toMatchObject({ lastRevision: 2 });
    });

    it('accepts any revision with any (and by default)', async () => {
      const streamId = uniqueStream();
      await store.append(streamId, newEvents(1), { expectedRevision: 'any' });
      await store.append(streamId, newEvents(1), { expectedRevision: 'any' });
      await expect(store.append(streamId, newEvents(1))).resolves.toMatchObject({
        lastRevision: 2,
      });
    });

    it('stores nothing of a refused append', async () => {
      const streamId = uniqueStream();
      await store.append(streamId, newEvents(1));
      const refused = newEvents(3);
      await expect(store.append(streamId, refused, { expectedRevision: 5 })).rejects.toThrow(
        WrongExpectedRevisionError,
      );

      expect(await store.headPosition()).toBe((await ordinals(harness, store))(1));
      const retried = await store.append(streamId, refused, { expectedRevision: 0 });
      const at = await ordinals(harness, store);
      expect(retried.positions).toEqual([at(2), at(3), at(4)]);
    });

    it('refuses one append carrying the same event id twice', async () => {
      const event = newEvent();
      await expect(store.append(uniqueStream(), [event, event])).rejects.toThrow(ValidationError);
      expect(await store.headPosition()).toBe(0n);
    });

    it(`lets exactly one of ${racingAppendsCount} racing appends at the same expected revision win`, async () => {
      const instances = await writers(harness);
      const streamId = uniqueStream();
      await store.append(streamId, newEvents(1));

      const outcomes = await Promise.allSettled(
        Array.from({ length: racingAppendsCount }, (_, index) =>
          instances[index % instances.length]!.append(streamId, newEvents(2, `racer-${index}`), {
            expectedRevision: 0,
          }),
        ),
      );

      const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
      const lost = outcomes.filter(
        (outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected',
      );
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(racingAppendsCount - 1);
      for (const outcome of lost) expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError);
      const events = await store.readStream(streamId);
      expect(events.map((event) => event.revision)).toEqual([0, 1, 2]);
      expect(await store.headPosition()).toBe((await ordinals(harness, store))(3));
    });
  });

  describe('idempotent event ids', () => {
    openFreshHarnessEachTest();

    it('returns the original result for a retried append and stores nothing new', async () => {
      const streamId = uniqueStream();
      const events = newEvents(3);
      await store.append(streamId, newEvents(1));
      const original = await store.append(streamId, events, { expectedRevision: 0 });
      await store.append(uniqueStream(), newEvents(1));

      // The ids are checked before the revision: the stale expectation does not matter.
      const retried = await store.append(streamId, events, { expectedRevision: 0 });

      const at = await ordinals(harness, store);
      expect(retried).toEqual(original);
      expect(original).toEqual({
        streamId,
        lastRevision: 3,
        positions: [at(2), at(3), at(4)],
        lastPosition: at(4),
      });
      expect(await store.headPosition()).toBe(at(5));
      expect(await store.readStream(streamId)).toHaveLength(4);
    });

    it('returns the original result after a restart', async () => {
      if (!harness.reopen) {
        // Nothing outlives the instance: a retry through the same instance is the whole case.
        const events = newEvents(2);
        const original = await store.append('restart', events);
        await expect(store.append('restart', events)).resolves.toEqual(original);
        return;
      }
      const streamId = uniqueStream();
      const events = newEvents(2);
      await store.append(uniqueStream(), newEvents(1));
      const original = await store.append(streamId, events, { expectedRevision: 'no_stream' });

      store = await harness.reopen();

      await expect(
        store.append(streamId, events, { expectedRevision: 'no_stream' }),
      ).resolves.toEqual(original);
      expect(await store.headPosition()).toBe((await ordinals(harness, store))(3));
    });

    it('refuses a partial retry with a conflict', async () => {
      const streamId = uniqueStream();
      const events = newEvents(2);
      await store.append(streamId, events);

      await expect(store.append(streamId, [events[0]!, newEvent()])).rejects.toThrow(ConflictError);
      expect(await store.headPosition()).toBe((await ordinals(harness, store))(2));
    });

    it('refuses known event ids appended to another stream with a conflict', async () => {
      const events = newEvents(2);
      await store.append(uniqueStream(), events);
      if (harness.detectsEventIdsAcrossStreams === false) return;

      await expect(store.append(uniqueStream(), events)).rejects.toThrow(ConflictError);
      expect(await store.headPosition()).toBe((await ordinals(harness, store))(2));
    });
  });
}
