/**
 * The harness the EventStore contract suites (test/integration/event-store*.contract.ts) run an
 * adapter through, and the helpers their cases share. `harness` is called once per test and must
 * give FRESH, empty storage each time (a new temp file, a new schema or table prefix, …), so
 * tests never see each other's events.
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
  Clock,
  EventStore,
  NewEvent,
  readBatchSizeMax,
  RecordedEvent,
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

export function newEvents(count: number, tag = 'e'): NewEvent[] {
  return Array.from({ length: count }, (_, index) => newEvent({ tag, index }));
}

export function uniqueStream(prefix = 'contract'): string {
  return `${prefix}-${randomUUID()}`;
}

export async function readWholeLog(store: EventStore): Promise<RecordedEvent[]> {
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

export async function appendSequence(store: EventStore, count: number): Promise<void> {
  const streamId = uniqueStream();
  for (let index = 0; index < count; index += 1) {
    await store.append(streamId, [newEvent({ index })], {
      expectedRevision: index === 0 ? 'no_stream' : index - 1,
    });
  }
}

/** The instances the concurrency cases write through: the store itself plus any others. */
export async function writers(harness: StoreHarness): Promise<EventStore[]> {
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
export function expectOrdered(harness: StoreHarness, events: RecordedEvent[]): void {
  if (harness.positionsAreDense !== false) return expectGapFree(events);
  events
    .slice(1)
    .forEach((event, index) => expect(event.position > events[index]!.position).toBe(true));
}

/**
 * The position of the n-th event (from 1) of the log as it is now: n itself where positions are
 * dense, else looked up in the log.
 */
export async function ordinals(
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

/**
 * Opens a fresh harness before each test of the describe block it is called in, hands it to
 * `opened`, and cleans it up after the test.
 */
export function freshHarnessEachTest<Harness extends StoreHarness>(
  makeHarness: () => Promise<Harness>,
  opened: (harness: Harness) => void,
): void {
  let harness: Harness;

  beforeEach(async () => {
    harness = await makeHarness();
    opened(harness);
  });

  afterEach(async () => {
    await harness.cleanup();
  });
}
