import { AppendTooLargeError, EventStore, newId } from '../../src/event-sourcing/index.js';
import { KurrentDbEventStore } from '../../src/infrastructure/kurrentdb/kurrentdb-event-store.js';
import { FakeKurrentServer } from '../../src/infrastructure/kurrentdb/testing/fake-kurrentdb.js';
import { BookWorker } from '../../src/ledger/application/book-worker.js';
import {
  PeriodClosedError,
  PostJournalEntry,
  UnbalancedEntryError,
  UnknownAccountError,
  bookStreamId,
  findEntry,
} from '../../src/ledger/index.js';
import {
  freshStoreEachTest,
  harnesses,
  meta,
  openBook,
  rent,
  settings,
} from '../support/book-worker.js';

describe.each(harnesses)('book worker on %s', (_name, makeHarness) => {
  let store: EventStore;

  freshStoreEachTest(makeHarness, (_harness, opened) => {
    store = opened;
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
