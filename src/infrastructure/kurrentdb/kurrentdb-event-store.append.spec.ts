import {
  ConflictError,
  genesisHash,
  ManualClock,
  ValidationError,
  WrongExpectedRevisionError,
} from '../../event-sourcing/index.js';
import { idempotencyTailEvents, KurrentDbEventStore } from './kurrentdb-event-store.js';
import { streamChainHash } from './stream-hash-chain.js';
import {
  describeAgainstFakeKurrentDb,
  expectIncreasing,
  newEvent,
  newEvents,
  open,
  opened,
  server,
  store,
} from './testing/kurrentdb-event-store.fixtures.js';

describeAgainstFakeKurrentDb(() => {
  describe('append', () => {
    it('numbers revisions from 0; positions are commit positions: increasing, not dense', async () => {
      const first = await store.append('book-1', newEvents(2));
      const second = await store.append('book-1', newEvents(1));

      expect(first).toMatchObject({ streamId: 'book-1', lastRevision: 1 });
      expect(second).toMatchObject({ streamId: 'book-1', lastRevision: 2 });
      const positions = [...first.positions, ...second.positions];
      expectIncreasing(positions);
      expect(positions[1]! - positions[0]!).toBeGreaterThan(1n);
      expect(second.lastPosition).toBe(second.positions[0]);
      const stored = await store.readStream('book-1');
      expect(stored.map((event) => [event.revision, event.position])).toEqual(
        positions.map((position, index) => [index, position]),
      );
      expect(await store.headPosition()).toBe(second.lastPosition);
    });

    it('always appends with the exact stream state it read, never any or stream_exists', async () => {
      await store.append('s', newEvents(1), { expectedRevision: 'any' });
      await store.append('s', newEvents(1), { expectedRevision: 'stream_exists' });
      await store.append('s', newEvents(1), { expectedRevision: 1 });
      await store.append('t', newEvents(1), { expectedRevision: 'no_stream' });

      expect(server.appendedWith).toEqual(['no_stream', 0n, 1n, 'no_stream']);
    });

    it('checks the caller’s expectation and reports the actual revision', async () => {
      await expect(store.append('s', newEvents(1), { expectedRevision: 0 })).rejects.toMatchObject({
        expected: 0,
        actual: 'no_stream',
      });
      await expect(
        store.append('s', newEvents(1), { expectedRevision: 'stream_exists' }),
      ).rejects.toThrow(WrongExpectedRevisionError);
      await store.append('s', newEvents(2), { expectedRevision: 'no_stream' });
      await expect(
        store.append('s', newEvents(1), { expectedRevision: 'no_stream' }),
      ).rejects.toMatchObject({ actual: 1 });
      await expect(store.append('s', newEvents(1), { expectedRevision: 0 })).rejects.toMatchObject({
        expected: 0,
        actual: 1,
        code: 'conflict',
      });
      await expect(store.append('s', newEvents(1), { expectedRevision: 1 })).resolves.toMatchObject(
        { lastRevision: 2 },
      );
    });

    it('lets exactly one of 20 racing appends at the same expected revision win, across instances', async () => {
      const instances = [store, open(), open()];
      await store.append('s', newEvents(1));

      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, (_, index) =>
          instances[index % 3]!.append('s', newEvents(2), { expectedRevision: 0 }),
        ),
      );

      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes.filter((outcome) => outcome.status === 'rejected')) {
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(
          WrongExpectedRevisionError,
        );
      }
      expect((await store.readStream('s')).map((event) => event.revision)).toEqual([0, 1, 2]);
    });

    it('appends racing `any` appends one after the other, each re-reading the stream after losing', async () => {
      const instances = [store, open(), open()];
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, index) => instances[index % 3]!.append('s', newEvents(1))),
      );

      expect(results.map((result) => result.lastRevision).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 12 }, (_, index) => index),
      );
      await expect(store.verify()).resolves.toMatchObject({ ok: true, checkedEvents: 12 });
    });

    it('refuses reserved stream ids and event types, and one id twice in an append', async () => {
      await expect(store.append('$stats', newEvents(1))).rejects.toThrow(ValidationError);
      await expect(store.append('kontor-snapshot-x', newEvents(1))).rejects.toThrow(
        ValidationError,
      );
      await expect(store.append('s', [{ ...newEvent(), type: '$metadata' }])).rejects.toThrow(
        ValidationError,
      );
      const event = newEvent();
      await expect(store.append('s', [event, event])).rejects.toThrow(ValidationError);
      expect(await store.headPosition()).toBe(0n);
    });

    it('stamps recordedAt from the injected clock, inside the hash', async () => {
      const clock = new ManualClock(new Date('2026-03-01T10:00:00.000Z'));
      const clocked = KurrentDbEventStore.withClient(server.client(), { namespace: 'test', clock });
      opened.push(clocked);
      await clocked.append('s', newEvents(1));

      const [event] = await clocked.readStream('s');
      expect(event!.recordedAt).toBe('2026-03-01T10:00:00.000Z');
      expect(event!.hash).toBe(streamChainHash(genesisHash, event!));
    });

    it('accepts event ids that are not UUIDs and hands them back unchanged', async () => {
      const event = { ...newEvent(), eventId: 'cmd-7:0' };
      const original = await store.append('s', [event]);

      expect((await store.readStream('s'))[0]!.eventId).toBe('cmd-7:0');
      await expect(store.append('s', [event])).resolves.toEqual(original);
    });

    it('answers an empty append with the stream’s revision after checking the expectation', async () => {
      await store.append('s', newEvents(2));
      await expect(store.append('s', [], { expectedRevision: 1 })).resolves.toEqual({
        streamId: 's',
        lastRevision: 1,
        positions: [],
        lastPosition: await store.headPosition(),
      });
      await expect(store.append('s', [], { expectedRevision: 0 })).rejects.toThrow(
        WrongExpectedRevisionError,
      );
    });
  });

  describe('idempotent event ids', () => {
    it('returns the original positions for a retry with a stale expected revision, storing nothing', async () => {
      await store.append('s', newEvents(1));
      const events = newEvents(3);
      const original = await store.append('s', events, { expectedRevision: 0 });
      await store.append('s', newEvents(2));
      const appends = server.appendedWith.length;

      await expect(store.append('s', events, { expectedRevision: 0 })).resolves.toEqual(original);
      expect(server.appendedWith).toHaveLength(appends);
      expect(await store.readStream('s')).toHaveLength(6);
    });

    it('returns the original positions after a restart (a new instance), with no_stream', async () => {
      const events = newEvents(2);
      const original = await store.append('s', events, { expectedRevision: 'no_stream' });
      await store.append('s', newEvents(5));
      await store.close();

      const restarted = open();
      await expect(
        restarted.append('s', events, { expectedRevision: 'no_stream' }),
      ).resolves.toEqual(original);
      expect(await restarted.readStream('s')).toHaveLength(7);
    });

    it(`recognises a retry with any among the last ${idempotencyTailEvents} events of the stream`, async () => {
      const events = newEvents(2);
      const original = await store.append('s', events);
      await store.append('s', newEvents(idempotencyTailEvents - 2));

      await expect(store.append('s', events)).resolves.toEqual(original);
      expect(await store.readStream('s')).toHaveLength(idempotencyTailEvents);
    });

    it('refuses a partial retry with a conflict', async () => {
      const events = newEvents(2);
      await store.append('s', events);

      await expect(store.append('s', [events[0]!, newEvent()])).rejects.toThrow(ConflictError);
      await expect(
        store.append('s', [events[1]!, newEvent()], { expectedRevision: 'no_stream' }),
      ).rejects.toThrow(ConflictError);
      expect(await store.readStream('s')).toHaveLength(2);
    });

    it('returns the original positions when a retry races its original on another instance', async () => {
      const other = open();
      await store.append('s', newEvents(1));
      const events = newEvents(2);

      const [first, second] = await Promise.all([
        store.append('s', events, { expectedRevision: 0 }),
        other.append('s', events, { expectedRevision: 0 }),
      ]);

      expect(second).toEqual(first);
      expect(await store.readStream('s')).toHaveLength(3);
    });
  });
});
