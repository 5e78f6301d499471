import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppendTooLargeError, EventStore, newId } from '../../src/event-sourcing/index.js';
import { KurrentDbEventStore } from '../../src/infrastructure/kurrentdb/kurrentdb-event-store.js';
import { FakeKurrentServer } from '../../src/infrastructure/kurrentdb/testing/fake-kurrentdb.js';
import { PostgresEventStore } from '../../src/infrastructure/postgres/postgres-event-store.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import {
  BookWorker,
  BookWorkerSettings,
  bookWorkerSettingsDefault,
} from '../../src/ledger/application/book-worker.js';
import { BookWorkers } from '../../src/ledger/application/book-workers.js';
import {
  BookCommand,
  BookSnapshot,
  BookState,
  IdempotencyMismatchError,
  PeriodClosedError,
  PostJournalEntry,
  UnbalancedEntryError,
  UnknownAccountError,
  bookStreamId,
  findEntry,
  toBookSnapshot,
} from '../../src/ledger/index.js';
import { PostDocument, registerDocumentType } from '../../src/ledger/index.js';
import { createTestSchema } from '../support/postgres.js';

registerDocumentType({
  type: 'WorkerSpecDocumentIssued',
  description: 'A document type of this spec only.',
  schema: { type: 'object', additionalProperties: false, properties: {} },
});

/** Opens stores on one database: several instances of one "Kontor" (or a restart) share it. */
interface StoreHarness {
  open(): Promise<EventStore>;
  cleanUp(): Promise<void>;
}

async function sqliteHarness(): Promise<StoreHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'kontor-book-worker-'));
  const opened: EventStore[] = [];
  return {
    open: async () => {
      const store = await SqliteEventStore.open(join(dir, 'events.db'));
      opened.push(store);
      return store;
    },
    cleanUp: async () => {
      for (const store of opened) await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function postgresHarness(): Promise<StoreHarness> {
  const schema = await createTestSchema();
  const opened: EventStore[] = [];
  return {
    open: async () => {
      const store = await PostgresEventStore.connect(schema.url);
      opened.push(store);
      return store;
    },
    cleanUp: async () => {
      for (const store of opened) await store.close();
      await schema.drop();
    },
  };
}

const harnesses: [string, () => Promise<StoreHarness>][] = [
  ['sqlite', sqliteHarness],
  ['postgres', postgresHarness],
];

const actor = { id: 'key_test', name: 'Test Accountant' };

function meta(commandId: string = newId()) {
  return { actor, correlationId: `corr-${commandId}`, commandId };
}

function rent(bookId: string, overrides: Partial<PostJournalEntry> = {}): PostJournalEntry {
  return {
    type: 'PostJournalEntry',
    bookId,
    entryId: newId(),
    effectiveDate: '2026-03-31',
    description: 'Office rent',
    lines: [
      { account: '6310', debit: '100.00' },
      { account: '1200', credit: '100.00' },
    ],
    ...overrides,
  };
}

const setUpCommands = (bookId: string): BookCommand[] => [
  { type: 'OpenBook', bookId, name: 'ACME GmbH', baseCurrency: 'EUR' },
  { type: 'OpenAccount', bookId, code: '1200', name: 'Bank', accountType: 'asset' },
  { type: 'OpenAccount', bookId, code: '6310', name: 'Rent', accountType: 'expense' },
];

async function openBook(worker: BookWorker): Promise<void> {
  for (const command of setUpCommands(worker.bookId)) await worker.execute(command, meta());
}

function settings(overrides: Partial<BookWorkerSettings> = {}): BookWorkerSettings {
  return { ...bookWorkerSettingsDefault, ...overrides };
}

const snapshotOf = (worker: BookWorker) =>
  worker.inspect((state: BookState) => toBookSnapshot(state));

function rentBalanceOf(worker: BookWorker): Promise<unknown> {
  return snapshotOf(worker).then((snapshot) =>
    snapshot.status === 'open'
      ? snapshot.accounts.find(([code]) => code === '6310')![1].totalsMinor
      : [],
  );
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe.each(harnesses)('book worker on %s', (_name, makeHarness) => {
  let harness: StoreHarness;
  let store: EventStore;

  beforeEach(async () => {
    harness = await makeHarness();
    store = await harness.open();
  });

  afterEach(async () => {
    await harness.cleanUp();
  });

  it('decides concurrent commands in batches (fewer appends) and answers each caller with its own events', async () => {
    const bookId = `b-${newId()}`;
    const worker = new BookWorker(bookId, store, settings({ commandsPerBatchMax: 64 }));
    await openBook(worker);
    const appends = jest.spyOn(store, 'append');
    const count = 200;
    const commands = Array.from({ length: count }, () => rent(bookId));
    const results = await Promise.all(commands.map((command) => worker.execute(command, meta())));
    expect(appends.mock.calls.length).toBeLessThanOrEqual(Math.ceil(count / 64));
    results.forEach((result, index) => {
      expect(result.repeated).toBe(false);
      expect(result.events).toHaveLength(1);
      expect(result.events[0]).toMatchObject({
        type: 'JournalEntryPosted',
        data: { entryId: commands[index]!.entryId },
      });
      expect(result.position).toBe(result.events[0]!.position);
    });
    expect(new Set(results.map((result) => result.position)).size).toBe(count);
    const stream = await store.readStream(bookStreamId(bookId));
    expect(stream.filter((event) => event.type === 'JournalEntryPosted')).toHaveLength(count);
    const byPosition = new Map(stream.map((event) => [event.position, event]));
    for (const [index, result] of results.entries()) {
      const stored = byPosition.get(result.position)!;
      expect((stored.data as { entryId: string }).entryId).toBe(commands[index]!.entryId);
      expect(stored.metadata).toEqual({ ...meta(stored.metadata.commandId!), book: bookId });
    }
  });

  it('executeAll: a group larger than commandsPerBatchMax is ONE append, each command answered on its own', async () => {
    const bookId = `b-${newId()}`;
    const worker = new BookWorker(bookId, store, settings({ commandsPerBatchMax: 64 }));
    await openBook(worker);
    const appends = jest.spyOn(store, 'append');
    const commands = Array.from({ length: 300 }, (_, index) =>
      index % 7 === 3
        ? rent(bookId, {
            lines: [
              { account: '6310', debit: '1.00' },
              { account: '1200', credit: '2.00' },
            ],
          })
        : rent(bookId),
    );
    const before = worker.execute(rent(bookId), meta());
    const settled = await worker.executeAll(
      commands.map((command) => ({ command, metadata: meta() })),
    );
    await before;
    // The single command queued first shares the group's batch: one append for all of them.
    expect(appends.mock.calls).toHaveLength(1);
    settled.forEach((result, index) => {
      if (index % 7 === 3) {
        expect(result.status).toBe('rejected');
        expect((result as PromiseRejectedResult).reason).toBeInstanceOf(UnbalancedEntryError);
      } else {
        expect(result.status).toBe('fulfilled');
        const value = (result as PromiseFulfilledResult<{ events: { data: unknown }[] }>).value;
        expect(value.events[0]!.data).toMatchObject({ entryId: commands[index]!.entryId });
      }
    });
    const posted = (await store.readStream(bookStreamId(bookId))).filter(
      (event) => event.type === 'JournalEntryPosted',
    );
    expect(posted).toHaveLength(1 + commands.filter((_, index) => index % 7 !== 3).length);
  });

  it('refuses a bad command without affecting the others of its batch; later commands see earlier ones', async () => {
    const bookId = `b-${newId()}`;
    const worker = new BookWorker(bookId, store);
    await openBook(worker);
    const appends = jest.spyOn(store, 'append');
    const outcomes = await Promise.allSettled([
      worker.execute(rent(bookId), meta()),
      worker.execute(
        rent(bookId, {
          lines: [
            { account: '6310', debit: '1.00' },
            { account: '1200', credit: '2.00' },
          ],
        }),
        meta(),
      ),
      worker.execute(
        { type: 'OpenAccount', bookId, code: '8400', name: 'Revenue', accountType: 'revenue' },
        meta(),
      ),
      worker.execute(
        rent(bookId, {
          lines: [
            { account: '1200', debit: '5.00' },
            { account: '8400', credit: '5.00' },
          ],
        }),
        meta(),
      ),
      worker.execute(
        rent(bookId, {
          lines: [
            { account: '1200', debit: '5.00' },
            { account: '9999', credit: '5.00' },
          ],
        }),
        meta(),
      ),
      worker.execute(
        { type: 'ClosePeriod', bookId, period: '2026-03', today: '2026-04-01' },
        meta(),
      ),
      worker.execute(rent(bookId), meta()),
      worker.execute(rent(bookId, { effectiveDate: '2026-04-01' }), meta()),
    ]);
    expect(appends).toHaveBeenCalledTimes(1);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(UnbalancedEntryError);
    expect((outcomes[4] as PromiseRejectedResult).reason).toBeInstanceOf(UnknownAccountError);
    expect((outcomes[6] as PromiseRejectedResult).reason).toBeInstanceOf(PeriodClosedError);
    const stored = await store.readStream(bookStreamId(bookId));
    expect(stored.slice(3).map((event) => event.type)).toEqual([
      'JournalEntryPosted',
      'AccountOpened',
      'JournalEntryPosted',
      'PeriodClosed',
      'JournalEntryPosted',
    ]);
  });

  it('dry-runs a command without changing the state', async () => {
    const bookId = `b-${newId()}`;
    const worker = new BookWorker(bookId, store);
    await openBook(worker);
    const command = rent(bookId);
    const events = await worker.dryRun(command);
    expect(events).toEqual([expect.objectContaining({ type: 'JournalEntryPosted' })]);
    expect(await worker.inspect((state) => findEntry(state, command.entryId))).toBeUndefined();
    await expect(
      worker.dryRun(
        rent(bookId, {
          lines: [
            { account: '6310', debit: '1.00' },
            { account: '1200', credit: '2.00' },
          ],
        }),
      ),
    ).rejects.toBeInstanceOf(UnbalancedEntryError);
  });

  /** A book whose worker saves a snapshot every 10 events. */
  async function openSnapshottingBook() {
    const bookId = `b-${newId()}`;
    const worker = new BookWorker(
      bookId,
      store,
      settings({ snapshotEveryEvents: 10, snapshotStreamShare: 0 }),
    );
    await openBook(worker);
    return { bookId, worker };
  }

  it('restores the same state from a snapshot plus later events after a restart; idempotency keys survive', async () => {
    const { bookId, worker } = await openSnapshottingBook();
    const keyed = rent(bookId, { idempotency: { key: 'key-early', requestHash: 'hash-early' } });
    const early = await worker.execute(keyed, meta());
    for (let index = 0; index < 24; index++) await worker.execute(rent(bookId), meta());
    const late = await worker.execute(
      rent(bookId, { idempotency: { key: 'key-late', requestHash: 'hash-late' } }),
      meta(),
    );
    await worker.settled();
    const before = await snapshotOf(worker);
    const saved = await store.loadSnapshot<BookSnapshot>(bookStreamId(bookId));
    // The early key is in the snapshot, the late one only in the events after it.
    expect(saved!.revision).toBeGreaterThan(early.events[0]!.revision);
    expect(saved!.revision).toBeLessThan(late.events[0]!.revision);

    await store.close();
    const reopened = await harness.open();
    const appends = jest.spyOn(reopened, 'append');
    const restarted = new BookWorker(bookId, reopened);
    expect(await snapshotOf(restarted)).toEqual(before);

    // A key used before the snapshot (found by reading the stream) and one after it.
    const earlyAgain = await restarted.execute({ ...keyed, entryId: newId() }, meta());
    expect(earlyAgain).toMatchObject({ repeated: true, position: early.position });
    expect(earlyAgain.events[0]!.data).toEqual(early.events[0]!.data);
    const lateAgain = await restarted.execute(
      rent(bookId, { idempotency: { key: 'key-late', requestHash: 'hash-late' } }),
      meta(),
    );
    expect(lateAgain).toMatchObject({ repeated: true, position: late.position });
    await expect(
      restarted.execute(
        rent(bookId, { idempotency: { key: 'key-early', requestHash: 'another-body' } }),
        meta(),
      ),
    ).rejects.toBeInstanceOf(IdempotencyMismatchError);
    expect(appends).not.toHaveBeenCalled();
  });

  it('saves no snapshot while snapshots are deferred, and one when resumed if it is due', async () => {
    const { bookId, worker } = await openSnapshottingBook();
    const saves = jest.spyOn(store, 'saveSnapshot');
    const resume = worker.deferSnapshots();
    for (let index = 0; index < 25; index++) await worker.execute(rent(bookId), meta());
    await worker.settled();
    expect(saves).not.toHaveBeenCalled();
    await resume();
    await resume(); // a second call changes nothing
    expect(saves).toHaveBeenCalledTimes(1);
    const saved = await store.loadSnapshot<BookSnapshot>(bookStreamId(bookId));
    expect(saved!.revision).toBe(27);
    expect(saved!.state).toEqual(await snapshotOf(worker));
    for (let index = 0; index < 10; index++) await worker.execute(rent(bookId), meta());
    await worker.settled();
    expect(saves).toHaveBeenCalledTimes(2);
  });

  it('ignores a snapshot of another schema version and folds the whole stream', async () => {
    const bookId = `b-${newId()}`;
    const worker = new BookWorker(bookId, store);
    await openBook(worker);
    await worker.execute(rent(bookId), meta());
    const expected = await snapshotOf(worker);
    await store.saveSnapshot({
      streamId: bookStreamId(bookId),
      revision: 2,
      state: { schemaVersion: 999, status: 'none' },
    });
    expect(await snapshotOf(new BookWorker(bookId, store))).toEqual(expected);
  });

  it('retrying the same command id after a lost answer appends nothing new', async () => {
    const bookId = `b-${newId()}`;
    const worker = new BookWorker(bookId, store);
    await openBook(worker);
    const command = rent(bookId);
    const commandMeta = meta();
    const first = await worker.execute(command, commandMeta);
    const retried = await new BookWorker(bookId, store).execute(command, commandMeta);
    expect(retried).toMatchObject({ repeated: true, position: first.position });
    expect(
      (await store.readStream(bookStreamId(bookId))).filter(
        (event) => event.type === 'JournalEntryPosted',
      ),
    ).toHaveLength(1);
  });

  it('rejects the batch on a failed append and reloads the state, so the failed commands leave no trace', async () => {
    const bookId = `b-${newId()}`;
    const worker = new BookWorker(bookId, store);
    await openBook(worker);
    jest.spyOn(store, 'append').mockRejectedValueOnce(new Error('disk full'));
    const failed = rent(bookId);
    await expect(worker.execute(failed, meta())).rejects.toThrow('disk full');
    expect(await worker.inspect((state) => findEntry(state, failed.entryId))).toBeUndefined();
    const next = rent(bookId);
    await worker.execute(next, meta());
    expect(await worker.inspect((state) => findEntry(state, next.entryId))).toBeDefined();
    expect(
      (await store.readStream(bookStreamId(bookId))).filter(
        (event) => event.type === 'JournalEntryPosted',
      ),
    ).toHaveLength(1);
  });

  it('two instances on one book: the loser of a revision race reloads and decides again; no entry is lost', async () => {
    const bookId = `b-${newId()}`;
    const other = await harness.open();
    const first = new BookWorker(bookId, store);
    const second = new BookWorker(bookId, other);
    await openBook(first);
    await snapshotOf(second); // loaded: it will not see what `first` appends next

    await first.execute(rent(bookId), meta());
    const secondAppends = jest.spyOn(other, 'append');
    const lateEntry = rent(bookId);
    await second.execute(lateEntry, meta());
    expect(secondAppends).toHaveBeenCalledTimes(2); // WrongExpectedRevision, then success

    const perInstance = 40;
    const commands = Array.from({ length: perInstance * 2 }, () => rent(bookId));
    const results = await Promise.all(
      commands.map((command, index) => (index % 2 === 0 ? first : second).execute(command, meta())),
    );
    expect(results.every((result) => !result.repeated)).toBe(true);
    const posted = (await store.readStream(bookStreamId(bookId))).filter(
      (event) => event.type === 'JournalEntryPosted',
    );
    expect(posted).toHaveLength(perInstance * 2 + 2);
    expect(new Set(posted.map((event) => (event.data as { entryId: string }).entryId))).toEqual(
      new Set([
        ...commands.map((command) => command.entryId),
        lateEntry.entryId,
        (posted[0]!.data as { entryId: string }).entryId,
      ]),
    );
    const fresh = await snapshotOf(new BookWorker(bookId, store));
    const rentBalance =
      fresh.status === 'open'
        ? fresh.accounts.find(([code]) => code === '6310')![1].totalsMinor
        : [];
    expect(rentBalance).toEqual([['EUR', String(100_00 * (perInstance * 2 + 2)), '0']]);
  });
  it('two instances numbering documents of one series: 1..N without gap or duplicate, each with its entry', async () => {
    const bookId = `b-${newId()}`;
    const other = await harness.open();
    const first = new BookWorker(bookId, store);
    const second = new BookWorker(bookId, other);
    await openBook(first);
    await snapshotOf(second);
    const perInstance = 30;
    const documents = Array.from({ length: perInstance * 2 }, (): PostDocument => {
      const documentId = newId();
      return {
        type: 'PostDocument',
        bookId,
        document: { type: 'WorkerSpecDocumentIssued', id: documentId, data: {} },
        numbering: { series: 'RE-2027' },
        entry: { ...rent(bookId), entryId: `entry-${documentId}` },
      };
    });
    const results = await Promise.all(
      documents.map((command, index) =>
        (index % 2 === 0 ? first : second).execute(command, meta()),
      ),
    );
    expect(results.every((result) => !result.repeated && result.events.length === 2)).toBe(true);
    const events = await store.readStream(bookStreamId(bookId));
    const numbered = events.filter((event) => event.type === 'WorkerSpecDocumentIssued');
    expect(numbered.map((event) => (event.data as { number: string }).number)).toEqual(
      Array.from(
        { length: perInstance * 2 },
        (_, i) => `RE-2027-${String(i + 1).padStart(5, '0')}`,
      ),
    );
    for (const document of numbered) {
      const entry = events[document.revision + 1]!;
      expect(entry.type).toBe('JournalEntryPosted');
      expect((entry.data as { entryId: string }).entryId).toBe(
        (document.data as { entryId: string }).entryId,
      );
    }
  });

  it('a stale instance re-running a document the other one numbered is answered with the stored number (regression: sim seed 104)', async () => {
    const bookId = `b-${newId()}`;
    const other = await harness.open();
    const first = new BookWorker(bookId, store);
    const second = new BookWorker(bookId, other);
    await openBook(first);
    await snapshotOf(second); // loaded: it will not see the two documents `first` numbers next
    const documentOf = (documentId: string): PostDocument => ({
      type: 'PostDocument',
      bookId,
      document: { type: 'WorkerSpecDocumentIssued', id: documentId, data: {} },
      numbering: { series: 'RE-2027' },
      entry: { ...rent(bookId), entryId: `entry-${documentId}` },
    });
    await first.execute(documentOf(newId()), meta());
    const retried = documentOf(newId());
    const retriedMeta = meta();
    const original = await first.execute(retried, retriedMeta);

    // Same command id, same event ids: the store answers with the stored events' positions.
    const answer = await second.execute(retried, retriedMeta);
    const numberOf = (result: typeof answer) =>
      (result.events[0]!.data as { number?: string }).number;
    expect(numberOf(original)).toBe('RE-2027-00002');
    expect(numberOf(answer)).toBe('RE-2027-00002');
    expect(answer).toMatchObject({ repeated: true, position: original.position });
    expect(answer.events.map((event) => event.position)).toEqual(
      original.events.map((event) => event.position),
    );
  });

  it('keeps at most booksInMemoryMax books: the least recently used idle one is evicted and restored on next use', async () => {
    const workers = new BookWorkers(
      store,
      settings({
        snapshotEveryEvents: 1000,
        snapshotOnEvictionEventsMin: 2,
        snapshotStreamShare: 0,
      }),
      undefined,
      2,
    );
    const [first, second, third] = [`b-${newId()}`, `b-${newId()}`, `b-${newId()}`];
    for (const bookId of [first, second, third]) {
      for (const command of setUpCommands(bookId))
        await workers.workerFor(bookId).execute(command, meta());
    }
    const keyed = rent(first, { idempotency: { key: 'key-first', requestHash: 'hash-first' } });
    const posted = await workers.workerFor(first).execute(keyed, meta());
    const firstWorker = workers.workerFor(first);
    await workers.workerFor(first).execute(rent(first), meta());
    await workers.workerFor(second).execute(rent(second), meta());
    await workers.workerFor(third).execute(rent(third), meta());
    expect(workers.size).toBe(2);
    expect(workers.evicted).toBe(4); // during set-up, and `first` when `third` was used
    await workers.settled();
    // A snapshot was saved on eviction, up to the first book's last event.
    const firstStream = await store.readStream(bookStreamId(first));
    expect((await store.loadSnapshot(bookStreamId(first)))?.revision).toBe(
      firstStream[firstStream.length - 1]!.revision,
    );

    const loads = jest.spyOn(store, 'loadSnapshot');
    const appends = jest.spyOn(store, 'append');
    const restored = workers.workerFor(first);
    expect(restored).not.toBe(firstWorker);
    expect(await rentBalanceOf(restored)).toEqual([['EUR', String(2 * 100_00), '0']]);
    expect(loads).toHaveBeenCalledWith(bookStreamId(first));
    const again = await restored.execute({ ...keyed, entryId: newId() }, meta());
    expect(again).toMatchObject({ repeated: true, position: posted.position });
    await expect(
      restored.execute(
        rent(first, { idempotency: { key: 'key-first', requestHash: 'another-body' } }),
        meta(),
      ),
    ).rejects.toBeInstanceOf(IdempotencyMismatchError);
    expect(appends).not.toHaveBeenCalled();
    expect(workers.size).toBe(2);
  });

  it('never evicts a busy worker mid-batch: the bound is exceeded while books are busy, then an idle one is dropped', async () => {
    const workers = new BookWorkers(store, settings(), undefined, 1);
    const [busy, other] = [`b-${newId()}`, `b-${newId()}`];
    for (const command of setUpCommands(busy))
      await workers.workerFor(busy).execute(command, meta());
    const busyWorker = workers.workerFor(busy);
    const entered = deferred();
    const release = deferred();
    const append = store.append.bind(store);
    jest.spyOn(store, 'append').mockImplementationOnce(async (...args) => {
      entered.resolve();
      await release.promise;
      return append(...args);
    });
    const commands = Array.from({ length: 5 }, () => rent(busy));
    const pending = Promise.all(commands.map((command) => busyWorker.execute(command, meta())));
    await entered.promise; // the batch is being appended
    const opened = workers.workerFor(other).execute(setUpCommands(other)[0]!, meta());
    expect(workers.size).toBe(2); // both busy: over the bound for now
    expect(workers.evicted).toBe(0);
    await opened;
    await new Promise(setImmediate); // the other book's drain ends (microtasks only) and reports idle
    // Over the bound: the least recently used book is busy, so the other one was dropped instead.
    expect(busyWorker.idle).toBe(false);
    expect(workers.size).toBe(1);
    expect(workers.evicted).toBe(1);
    expect(workers.workerFor(busy)).toBe(busyWorker);
    release.resolve();
    const results = await pending;
    expect(results.every((result) => !result.repeated)).toBe(true);
    expect(workers.workerFor(busy)).toBe(busyWorker);
    expect(await rentBalanceOf(workers.workerFor(busy))).toEqual([
      ['EUR', String(5 * 100_00), '0'],
    ]);
  });
});

describe('book worker on KurrentDB (in-process fake, MaxAppendSize 1 MiB)', () => {
  let store: EventStore;

  beforeEach(() => {
    store = KurrentDbEventStore.withClient(new FakeKurrentServer().client());
  });

  afterEach(() => store.close());

  /** An entry of 400 lines: about 30 KB of JSON, so 64 of them are more than one append takes. */
  function wideEntry(bookId: string): PostJournalEntry {
    const lines = Array.from({ length: 200 }, () => [
      { account: '6310', debit: '1.00' },
      { account: '1200', credit: '1.00' },
    ]).flat();
    return rent(bookId, { lines });
  }

  async function postWide(worker: BookWorker, count: number) {
    await openBook(worker);
    const appends = jest.spyOn(store, 'append');
    const commands = Array.from({ length: count }, () => wideEntry(worker.bookId));
    const results = await Promise.all(commands.map((command) => worker.execute(command, meta())));
    const stream = await store.readStream(bookStreamId(worker.bookId));
    expect(stream.filter((event) => event.type === 'JournalEntryPosted')).toHaveLength(count);
    results.forEach((result, index) =>
      expect(result.events[0]!.data).toMatchObject({ entryId: commands[index]!.entryId }),
    );
    return appends;
  }

  it('caps a batch by bytes before appending: every append stays under the limit, no reload', async () => {
    const worker = new BookWorker(`b-${newId()}`, store, settings());
    const loads = jest.spyOn(store, 'loadSnapshot');
    const appends = await postWide(worker, 64);
    expect(appends.mock.calls.length).toBeGreaterThan(1);
    // The commands beyond the bound are left undecided, so the state is never thrown away.
    expect(loads).toHaveBeenCalledTimes(1);
    const outcomes = await Promise.allSettled(appends.mock.results.map((call) => call.value));
    expect(outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
  });

  it('splits a batch and appends the halves when the store answers AppendTooLargeError', async () => {
    const worker = new BookWorker(
      `b-${newId()}`,
      store,
      settings({ batchBytesMax: Number.MAX_SAFE_INTEGER }),
    );
    const appends = await postWide(worker, 64);
    const outcomes = await Promise.allSettled(appends.mock.results.map((call) => call.value));
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    expect(
      refused.every(
        (outcome) => (outcome as PromiseRejectedResult).reason instanceof AppendTooLargeError,
      ),
    ).toBe(true);
  });
});
