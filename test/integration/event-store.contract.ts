/**
 * The contract every EventStore adapter passes (ARCHITECTURE §3). An adapter's int-spec calls
 *
 *   describeEventStoreContract('sqlite', harness)             — every adapter
 *   describeDatabaseImmutabilityContract('sqlite', harness)   — adapters backed by a database
 *   describeDatabaseStoreContract('sqlite', harness)          — group commit and verify in batches
 *                                                               (the SQL adapters, ARCHITECTURE §3)
 *
 * `harness` is called once per test and must give FRESH, empty storage each time (a new temp
 * file, a new schema or table prefix, …), so tests never see each other's events.
 *
 * StoreHarness:
 * - store: the store under test, open.
 * - reopen?: closes the current instance and opens a new one on the same storage (a restart).
 *   The returned store replaces `store` for the rest of the test. Omit it for storage that dies
 *   with the instance (memory).
 * - openAnother?: opens an ADDITIONAL instance on the same storage (another connection or
 *   process-like writer); the concurrency cases spread their writers over these. `onAppended`
 *   only has to fire for appends made through the instance itself.
 * - rawUpdate / rawDelete: run an UPDATE / DELETE of the event at `position` directly in the
 *   database, bypassing the adapter; the returned promise must reject (the immutability
 *   triggers refuse it, with a message matching /immutable|reject|not allowed/i) — or
 *   resolve if the database let it through, which fails the test.
 * - tamper: removes the protection (e.g. drops the trigger) and changes the stored `data` of
 *   the event at `position` with SQL, leaving its hashes as they were.
 * - forceDelete: removes the protection and deletes the event at `position` with SQL.
 * - reformatData: removes the protection and rewrites the stored `data` of the event at
 *   `position` as other text for the same JSON value (a leading space).
 * - openWithClock: opens another instance (on this storage or a fresh one) whose recordedAt
 *   comes from `clock`; the test closes it.
 * - cleanup: closes every instance the harness opened and removes the storage.
 */
import { randomUUID } from 'node:crypto';
import {
  chainHash,
  Clock,
  ConflictError,
  ManualClock,
  EventStore,
  genesisHash,
  NewEvent,
  readBatchSizeMax,
  RecordedEvent,
  subscribeToAll,
  ValidationError,
  WrongExpectedRevisionError,
} from '../../src/event-sourcing/index.js';

export interface StoreHarness {
  store: EventStore;
  reopen?: () => Promise<EventStore>;
  openAnother?: () => Promise<EventStore>;
  rawUpdate?: (position: bigint) => Promise<void>;
  rawDelete?: (position: bigint) => Promise<void>;
  tamper?: (position: bigint) => Promise<void>;
  cleanup: () => Promise<void>;
  /**
   * false: positions increase in commit order but skip numbers (KurrentDB commit positions are
   * byte offsets). The cases then compare with the position of the n-th event of the log instead
   * of n. Default true: positions are 1..N.
   */
  positionsAreDense?: boolean;
  /**
   * `scope: 'stream'`: the chain links the events of each stream (genesis at revision 0), and
   * `hash` recomputes an event's hash (KurrentDB: the position is not known before the write).
   * Default: one chain along the global order with the kernel's `chainHash`.
   */
  hashChain?: { scope: 'stream'; hash: (prevHash: string, event: RecordedEvent) => string };
  /** false: an event id already stored in ANOTHER stream is not detected (KurrentDB has no index by event id). Default true. */
  detectsEventIdsAcrossStreams?: boolean;
}

export interface GroupCommitStats {
  transactions: number;
  appends: number;
  events: number;
}

/** A store that coalesces concurrent appends into one transaction (group commit) and counts them. */
export interface GroupCommitStore extends EventStore {
  groupCommitStats(): GroupCommitStats;
}

export type DatabaseStoreHarness = StoreHarness &
  Required<Pick<StoreHarness, 'reopen' | 'openAnother' | 'rawUpdate' | 'rawDelete' | 'tamper'>> & {
    store: GroupCommitStore;
    forceDelete(position: bigint): Promise<void>;
    reformatData(position: bigint): Promise<void>;
    openWithClock(clock: Clock): Promise<EventStore>;
  };

/** Writers in the concurrency cases. */
export const concurrentAppendersCount = 32;
const racingAppendsCount = 20;
/** Extra instances opened through `openAnother` for the concurrency cases. */
const extraInstancesCount = 3;

export function newEvent(data: unknown = { note: 'test' }, type = 'ContractTested'): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    data,
    metadata: { actor: { id: 'key-test', name: 'Contract Test' }, correlationId: randomUUID() },
  };
}

function newEvents(count: number, tag = 'e'): NewEvent[] {
  return Array.from({ length: count }, (_, index) => newEvent({ tag, index }));
}

function uniqueStream(prefix = 'contract'): string {
  return `${prefix}-${randomUUID()}`;
}

async function readWholeLog(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (;;) {
    const batch = await store.readAll({
      after: events.at(-1)?.position ?? 0n,
      limit: readBatchSizeMax,
    });
    events.push(...batch);
    if (batch.length < readBatchSizeMax) return events;
  }
}

async function appendSequence(store: EventStore, count: number): Promise<void> {
  const streamId = uniqueStream();
  for (let index = 0; index < count; index += 1) {
    await store.append(streamId, [newEvent({ index })], {
      expectedRevision: index === 0 ? 'no_stream' : index - 1,
    });
  }
}

/** The instances the concurrency cases write through: the store itself plus any others. */
async function writers(harness: StoreHarness): Promise<EventStore[]> {
  const instances = [harness.store];
  if (harness.openAnother) {
    for (let index = 0; index < extraInstancesCount; index += 1)
      instances.push(await harness.openAnother());
  }
  return instances;
}

function expectGapFree(events: RecordedEvent[]): void {
  expect(events.map((event) => event.position)).toEqual(
    events.map((_, index) => BigInt(index + 1)),
  );
}

/** Gap-free where positions are dense; otherwise strictly increasing. */
function expectOrdered(harness: StoreHarness, events: RecordedEvent[]): void {
  if (harness.positionsAreDense !== false) return expectGapFree(events);
  events
    .slice(1)
    .forEach((event, index) => expect(event.position > events[index]!.position).toBe(true));
}

/**
 * The position of the n-th event (from 1) of the log as it is now: n itself where positions are
 * dense, else looked up in the log.
 */
async function ordinals(
  harness: StoreHarness,
  store: EventStore,
): Promise<(ordinal: number) => bigint> {
  if (harness.positionsAreDense !== false) return (ordinal) => BigInt(ordinal);
  const log = await readWholeLog(store);
  return (ordinal) => {
    const event = log[ordinal - 1];
    if (event === undefined) throw new Error(`the log has no event ${ordinal}`);
    return event.position;
  };
}

export function describeEventStoreContract(
  name: string,
  makeHarness: () => Promise<StoreHarness>,
): void {
  describe(`EventStore contract: ${name}`, () => {
    let harness: StoreHarness;
    let store: EventStore;

    beforeEach(async () => {
      harness = await makeHarness();
      store = harness.store;
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    describe('append and revisions', () => {
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
        for (const outcome of lost)
          expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError);
        const events = await store.readStream(streamId);
        expect(events.map((event) => event.revision)).toEqual([0, 1, 2]);
        expect(await store.headPosition()).toBe((await ordinals(harness, store))(3));
      });
    });

    describe('idempotent event ids', () => {
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

        await expect(store.append(streamId, [events[0]!, newEvent()])).rejects.toThrow(
          ConflictError,
        );
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

    describe('global order', () => {
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

    describe('hash chain', () => {
      it('links every event to the previous one along the global order (or of its stream)', async () => {
        await store.append(uniqueStream(), newEvents(3));
        await store.append(uniqueStream(), newEvents(2));

        const log = await readWholeLog(store);
        const perStream = harness.hashChain?.scope === 'stream';
        const hash = harness.hashChain?.hash ?? chainHash;
        const lastHashes = new Map<string, string>();
        for (const event of log) {
          const prevHash = lastHashes.get(perStream ? event.streamId : '') ?? genesisHash;
          expect(event.prevHash).toBe(prevHash);
          expect(event.hash).toBe(hash(prevHash, event));
          lastHashes.set(perStream ? event.streamId : '', event.hash);
        }
        expect(await store.digest()).toEqual({
          position: (await ordinals(harness, store))(5),
          hash: log.at(-1)!.hash,
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

      it('verifies an intact store: every event checked, head = digest', async () => {
        await appendSequence(store, 7);
        await store.append(uniqueStream(), newEvents(5));

        const digest = await store.digest();
        const result = await store.verify();
        const at = await ordinals(harness, store);

        expect(result).toEqual({
          ok: true,
          checkedEvents: 12,
          headPosition: at(12),
          headHash: digest.hash,
        });
        expect(digest.position).toBe(at(12));
      });

      it('verifies up to a position', async () => {
        await store.append(uniqueStream(), newEvents(6));
        const at = await ordinals(harness, store);
        const [fourth] = await store.readAll({ after: at(3), limit: 1 });

        await expect(store.verify({ until: at(4) })).resolves.toEqual({
          ok: true,
          checkedEvents: 4,
          headPosition: at(4),
          headHash: fourth!.hash,
        });
      });
    });

    describe('snapshots', () => {
      it('loads nothing for a stream without a snapshot', async () => {
        await expect(store.loadSnapshot(uniqueStream())).resolves.toBeUndefined();
      });

      it('loads the latest snapshot of a stream', async () => {
        const streamId = uniqueStream();
        const other = uniqueStream();
        await store.saveSnapshot({
          streamId,
          revision: 3,
          state: { balanceMinor: '100', accounts: ['1000'] },
        });
        await store.saveSnapshot({ streamId: other, revision: 1, state: { other: true } });
        await store.saveSnapshot({
          streamId,
          revision: 7,
          state: { balanceMinor: '250', accounts: ['1000', '4000'] },
        });

        await expect(store.loadSnapshot(streamId)).resolves.toEqual({
          streamId,
          revision: 7,
          state: { balanceMinor: '250', accounts: ['1000', '4000'] },
        });
        await expect(store.loadSnapshot(other)).resolves.toEqual({
          streamId: other,
          revision: 1,
          state: { other: true },
        });
      });

      it('keeps the newest snapshot when an older one is saved late', async () => {
        const streamId = uniqueStream();
        await store.saveSnapshot({ streamId, revision: 9, state: { newest: true } });
        await store.saveSnapshot({ streamId, revision: 4, state: { newest: false } });
        await expect(store.loadSnapshot(streamId)).resolves.toEqual({
          streamId,
          revision: 9,
          state: { newest: true },
        });
      });

      it('keeps snapshots out of the log', async () => {
        await store.saveSnapshot({ streamId: uniqueStream(), revision: 0, state: {} });
        expect(await store.headPosition()).toBe(0n);
      });
    });

    describe('onAppended', () => {
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
  });
}

const immutabilityRefusal = /immutable|reject|not allowed/i;

/** Immutability and tamper detection at the database itself (SQLite, PostgreSQL). */
export function describeDatabaseImmutabilityContract(
  name: string,
  makeHarness: () => Promise<DatabaseStoreHarness>,
): void {
  describe(`EventStore database immutability: ${name}`, () => {
    let harness: DatabaseStoreHarness;
    let store: EventStore;

    beforeEach(async () => {
      harness = await makeHarness();
      store = harness.store;
      await appendSequence(store, 3);
      await store.append(uniqueStream(), newEvents(3));
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    it('rejects UPDATE of an event in the database', async () => {
      const [before] = await store.readAll({ after: 1n, limit: 1 });
      // toMatchObject, not toThrow: the native driver's error class may come from another jest
      // module registry (better-sqlite3 is loaded once per worker), so it is not `instanceof Error` here.
      await expect(harness.rawUpdate(2n)).rejects.toMatchObject({
        message: expect.stringMatching(immutabilityRefusal),
      });
      const [after] = await store.readAll({ after: 1n, limit: 1 });
      expect(after).toEqual(before);
    });

    it('rejects DELETE of an event in the database', async () => {
      await expect(harness.rawDelete(6n)).rejects.toMatchObject({
        message: expect.stringMatching(immutabilityRefusal),
      });
      expect(await store.headPosition()).toBe(6n);
      await expect(store.verify()).resolves.toMatchObject({ ok: true, checkedEvents: 6 });
    });

    it.each([1n, 4n, 6n])(
      'names the tampered position %s as the first broken one',
      async (position) => {
        const digest = await store.digest();
        await harness.tamper(position);

        const result = await store.verify();

        expect(result).toMatchObject({
          ok: false,
          firstBrokenPosition: position,
          checkedEvents: Number(position) - 1,
        });
        expect(result.headPosition).toBe(digest.position);
      },
    );

    it('still verifies the part of the log before a tampered event', async () => {
      await harness.tamper(5n);

      await expect(store.verify({ until: 4n })).resolves.toMatchObject({
        ok: true,
        checkedEvents: 4,
        headPosition: 4n,
      });
      await expect(store.verify()).resolves.toMatchObject({ ok: false, firstBrokenPosition: 5n });
    });

    it('names a deleted event as the first broken position', async () => {
      await harness.forceDelete(2n);

      await expect(store.verify()).resolves.toMatchObject({
        ok: false,
        firstBrokenPosition: 2n,
        checkedEvents: 1,
        headPosition: 6n,
      });
    });

    it('names data rewritten to non-canonical JSON with the same values as broken (verify hashes the stored text)', async () => {
      await harness.reformatData(2n);

      await expect(store.verify()).resolves.toMatchObject({
        ok: false,
        firstBrokenPosition: 2n,
        checkedEvents: 1,
        reason: expect.stringMatching(/rewritten/),
      });
    });
  });
}

/** What the database-backed adapters share beyond the port: group commit (ARCHITECTURE §3) and verify in batches. */
export function describeDatabaseStoreContract(
  name: string,
  makeHarness: () => Promise<DatabaseStoreHarness>,
): void {
  describe(`EventStore database adapter: ${name}`, () => {
    let harness: DatabaseStoreHarness;
    let store: GroupCommitStore;

    beforeEach(async () => {
      harness = await makeHarness();
      store = harness.store;
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    describe('group commit', () => {
      it('coalesces appends issued together into one transaction', async () => {
        const before = store.groupCommitStats();
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, index) => store.append(`stream-${index}`, [newEvent()])),
        );

        expect(store.groupCommitStats()).toEqual({
          transactions: before.transactions + 1,
          appends: before.appends + 50,
          events: before.events + 50,
        });
        expect(results.map((result) => result.lastPosition)).toEqual(
          results.map((_, index) => BigInt(index + 1)),
        );
      });

      it('decides appends of one batch in call order, each seeing the ones before it', async () => {
        const first = store.append('book-1', [newEvent()], { expectedRevision: 'no_stream' });
        const second = store.append('book-1', [newEvent()], { expectedRevision: 0 });
        const stale = store.append('book-1', [newEvent()], { expectedRevision: 0 });
        const duplicateEvent = newEvent();
        const original = store.append('book-2', [duplicateEvent]);
        const retry = store.append('book-2', [duplicateEvent], { expectedRevision: 'no_stream' });
        const elsewhere = store.append('book-3', [duplicateEvent]);

        await expect(first).resolves.toMatchObject({ lastRevision: 0, positions: [1n] });
        await expect(second).resolves.toMatchObject({ lastRevision: 1, positions: [2n] });
        await expect(stale).rejects.toThrow(WrongExpectedRevisionError);
        await expect(original).resolves.toMatchObject({ lastRevision: 0, positions: [3n] });
        await expect(retry).resolves.toEqual(await original);
        await expect(elsewhere).rejects.toThrow(ConflictError);
        expect(store.groupCommitStats().transactions).toBe(1);
        await expect(store.verify()).resolves.toMatchObject({ ok: true, checkedEvents: 3 });
      });

      it('stamps recordedAt from the injected clock at commit', async () => {
        const clock = new ManualClock(new Date('2026-03-01T10:00:00.000Z'));
        const clocked = await harness.openWithClock(clock);
        try {
          const pending = clocked.append('s', [newEvent()]);
          clock.set('2026-03-01T10:00:05.123Z');
          await pending;
          const [event] = await clocked.readStream('s');
          expect(event!.recordedAt).toBe('2026-03-01T10:00:05.123Z');
          await expect(clocked.verify()).resolves.toMatchObject({ ok: true });
        } finally {
          await clocked.close();
        }
      });

      it('commits what is queued when closed', async () => {
        const pending = store.append('s', [newEvent(), newEvent()]);
        await store.close();
        await expect(pending).resolves.toMatchObject({ lastPosition: 2n });
        await expect(store.append('s', [newEvent()])).rejects.toThrow(/closed/);
        const reopened = await harness.reopen();
        expect(await reopened.headPosition()).toBe(2n);
      });
    });

    it('verifies a long log in bounded batches, reporting progress', async () => {
      for (let index = 0; index < 12; index += 1) {
        await store.append(
          `s-${index}`,
          Array.from({ length: 1000 }, () => newEvent()),
        );
      }
      const progress: bigint[] = [];
      const result = await store.verify({ onProgress: (position) => progress.push(position) });
      expect(result).toMatchObject({ ok: true, checkedEvents: 12_000, headPosition: 12_000n });
      expect(progress).toEqual([5_000n, 10_000n, 12_000n]);
    });
  });
}
