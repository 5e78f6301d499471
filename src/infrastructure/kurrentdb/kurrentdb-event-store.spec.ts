import { randomUUID } from 'node:crypto';
import {
  ConflictError,
  genesisHash,
  ManualClock,
  NewEvent,
  readBatchSizeMax,
  RecordedEvent,
  subscribeToAll,
  ValidationError,
  WrongExpectedRevisionError,
} from '../../event-sourcing/index.js';
import { idempotencyTailEvents, KurrentDbEventStore } from './kurrentdb-event-store.js';
import { streamChainHash } from './stream-hash-chain.js';
import { FakeKurrentServer } from './testing/fake-kurrentdb.js';

/**
 * The adapter's own logic against an in-process stand-in for KurrentDB (testing/fake-kurrentdb.ts).
 * The contract suite against a real server is test/integration/kurrentdb-event-store.int-spec.ts.
 */

function newEvent(data: unknown = { note: 'test' }): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'Tested',
    data,
    metadata: { actor: { id: 'k', name: 'Key' }, correlationId: randomUUID() },
  };
}

function newEvents(count: number): NewEvent[] {
  return Array.from({ length: count }, (_, index) => newEvent({ index }));
}

function expectIncreasing(positions: bigint[]): void {
  for (let index = 1; index < positions.length; index += 1)
    expect(positions[index]! > positions[index - 1]!).toBe(true);
}

describe('KurrentDbEventStore (against an in-process fake KurrentDB)', () => {
  let server: FakeKurrentServer;
  let store: KurrentDbEventStore;
  const opened: KurrentDbEventStore[] = [];

  function open(namespace = 'test'): KurrentDbEventStore {
    const instance = KurrentDbEventStore.withClient(server.client(), { namespace });
    opened.push(instance);
    return instance;
  }

  beforeEach(() => {
    server = new FakeKurrentServer();
    store = open();
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((instance) => instance.close()));
  });

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

  describe('reads', () => {
    it('pages the log with after, until and limit, in position order', async () => {
      for (let index = 0; index < 6; index += 1) await store.append(`s-${index % 2}`, newEvents(2));
      const log = await store.readAll();
      const positions = log.map((event) => event.position);
      expect(log).toHaveLength(12);
      expectIncreasing(positions);

      expect(
        (await store.readAll({ after: positions[2]!, limit: 4 })).map((event) => event.position),
      ).toEqual(positions.slice(3, 7));
      expect(
        (await store.readAll({ after: positions[7]!, until: positions[9]! })).map(
          (event) => event.position,
        ),
      ).toEqual(positions.slice(8, 10));
      expect(
        (await store.readAll({ after: positions[7]!, until: positions[9]! - 1n })).map(
          (event) => event.position,
        ),
      ).toEqual([positions[8]]);
      expect(await store.readAll({ after: positions[11]! })).toEqual([]);
      expect(await store.readAll({ limit: 0 })).toEqual([]);
    });

    it(`never returns more than readBatchSizeMax (${readBatchSizeMax}) events`, async () => {
      for (let index = 0; index < 11; index += 1) await store.append(`s-${index}`, newEvents(100));

      const page = await store.readAll({ limit: readBatchSizeMax * 5 });
      expect(page).toHaveLength(readBatchSizeMax);
      const rest = await store.readAll({ after: page.at(-1)!.position });
      expect(rest).toHaveLength(100);
    });

    it('leaves out system events, metadata streams, snapshots, tombstones and other namespaces', async () => {
      const neighbour = open('neighbour');
      await store.append('s', newEvents(1));
      await neighbour.append('s', newEvents(1));
      await store.saveSnapshot({ streamId: 's', revision: 0, state: {} });
      await store.append('gone', newEvents(1));
      server.tombstone('test:gone');
      await store.append('s', newEvents(1));

      const log = await store.readAll();
      expect(log.map((event) => `${event.streamId}@${event.revision}`)).toEqual([
        's@0',
        'gone@0',
        's@1',
      ]);
      expect(await store.headPosition()).toBe(log.at(-1)!.position);
      expect((await neighbour.readAll()).map((event) => event.streamId)).toEqual(['s']);
    });

    it('skips tombstones at the head of the log', async () => {
      await store.append('kept', newEvents(1));
      const gone = await store.append('gone', newEvents(1));
      server.tombstone('test:gone');

      // Until a scavenge, the events of a tombstoned stream stay in $all; the tombstone is no Kontor event.
      expect(await store.headPosition()).toBe(gone.lastPosition);
    });

    it('reads a stream from a revision with a limit, and nothing for a missing stream', async () => {
      await store.append('s', newEvents(5));
      expect(
        (await store.readStream('s', { fromRevision: 2 })).map((event) => event.revision),
      ).toEqual([2, 3, 4]);
      expect(
        (await store.readStream('s', { fromRevision: 1, limit: 2 })).map((event) => event.revision),
      ).toEqual([1, 2]);
      expect(await store.readStream('missing')).toEqual([]);
    });

    it('round-trips every stored field', async () => {
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
      const result = await store.append('s', [event]);

      const [stored] = await store.readStream('s');
      expect(stored).toMatchObject({
        ...event,
        streamId: 's',
        revision: 0,
        position: result.lastPosition,
        prevHash: genesisHash,
      });
      expect(await store.readAll()).toEqual([stored]);
    });
  });

  describe('hash chain and verify', () => {
    async function appendMixed(): Promise<RecordedEvent[]> {
      await store.append('a', newEvents(3));
      await store.append('b', newEvents(2));
      await store.append('a', newEvents(2));
      return store.readAll();
    }

    it('chains each stream from genesis; the digest is the head and its hash', async () => {
      const log = await appendMixed();
      for (const streamId of ['a', 'b']) {
        let prevHash = genesisHash;
        for (const event of log.filter((candidate) => candidate.streamId === streamId)) {
          expect(event.prevHash).toBe(prevHash);
          expect(event.hash).toBe(streamChainHash(prevHash, event));
          prevHash = event.hash;
        }
      }
      expect(await store.digest()).toEqual({
        position: log.at(-1)!.position,
        hash: log.at(-1)!.hash,
      });
      await expect(store.verify()).resolves.toEqual({
        ok: true,
        checkedEvents: 7,
        headPosition: log.at(-1)!.position,
        headHash: log.at(-1)!.hash,
      });
    });

    it('verifies an empty store', async () => {
      await expect(store.verify()).resolves.toEqual({
        ok: true,
        checkedEvents: 0,
        headPosition: 0n,
        headHash: genesisHash,
      });
      await expect(store.digest()).resolves.toEqual({ position: 0n, hash: genesisHash });
    });

    it('verifies up to a position', async () => {
      const log = await appendMixed();
      await expect(store.verify({ until: log[3]!.position })).resolves.toEqual({
        ok: true,
        checkedEvents: 4,
        headPosition: log[3]!.position,
        headHash: log[3]!.hash,
      });
    });

    it('names a tampered event as the first broken one', async () => {
      const log = await appendMixed();
      server.tamper('test:b', 1, { tampered: true });

      await expect(store.verify()).resolves.toMatchObject({
        ok: false,
        firstBrokenPosition: log[4]!.position,
        checkedEvents: 4,
      });
      await expect(store.verify({ until: log[3]!.position })).resolves.toMatchObject({
        ok: true,
        checkedEvents: 4,
      });
    });

    it('names the first event after a truncation (deleted events) as broken', async () => {
      const log = await appendMixed();
      server.truncateAndScavenge('test:a', 2);

      await expect(store.verify()).resolves.toMatchObject({
        ok: false,
        firstBrokenPosition: log[2]!.position,
        checkedEvents: 0,
        reason: expect.stringMatching(/stream a: revision 0 is missing/),
      });
    });

    it('reports a tombstoned stream and an event Kontor did not write', async () => {
      await store.append('a', newEvents(1));
      server.writeForeign('test:b');
      await expect(store.verify()).resolves.toMatchObject({
        ok: false,
        checkedEvents: 1,
        reason: expect.stringMatching(/not written by Kontor/),
      });

      const clean = open('clean');
      await clean.append('a', newEvents(1));
      server.tombstone('clean:a');
      await expect(clean.verify()).resolves.toMatchObject({
        ok: false,
        checkedEvents: 1,
        reason: expect.stringMatching(/tombstoned/),
      });
    });

    it('reports progress every 5000 events and at the end', async () => {
      for (let index = 0; index < 6; index += 1) await store.append(`s-${index}`, newEvents(1000));
      const progress: bigint[] = [];

      const result = await store.verify({ onProgress: (position) => progress.push(position) });

      expect(result).toMatchObject({ ok: true, checkedEvents: 6000 });
      const log = [...(await store.readAll({ limit: 1000 }))];
      expect(progress).toHaveLength(2);
      expect(progress[1]).toBe(result.headPosition);
      expect(log[0]!.position < progress[0]!).toBe(true);
    });
  });

  describe('snapshots', () => {
    it('loads the newest snapshot, ignores an older one saved late, and keeps one per stream', async () => {
      await expect(store.loadSnapshot('s')).resolves.toBeUndefined();
      await store.saveSnapshot({ streamId: 's', revision: 3, state: { balanceMinor: '100' } });
      await store.saveSnapshot({ streamId: 's', revision: 9, state: { balanceMinor: '250' } });
      await store.saveSnapshot({ streamId: 's', revision: 4, state: { stale: true } });

      await expect(store.loadSnapshot('s')).resolves.toEqual({
        streamId: 's',
        revision: 9,
        state: { balanceMinor: '250' },
      });
      expect(server.streamRecords('kontor-snapshot-test:s')).toHaveLength(1);
      expect(await store.headPosition()).toBe(0n);
    });
  });

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
