import { EventStore, newId } from '../../src/event-sourcing/index.js';
import { BookWorker } from '../../src/ledger/application/book-worker.js';
import { BookWorkers } from '../../src/ledger/application/book-workers.js';
import { IdempotencyMismatchError, bookStreamId } from '../../src/ledger/index.js';
import {
  freshStoreEachTest,
  harnesses,
  meta,
  rent,
  settings,
  setUpCommands,
  snapshotOf,
} from '../support/book-worker.js';
import { deferred } from '../support/deferred.js';

function rentBalanceOf(worker: BookWorker): Promise<unknown> {
  return snapshotOf(worker).then((snapshot) =>
    snapshot.status === 'open'
      ? snapshot.accounts.find(([code]) => code === '6310')![1].totalsMinor
      : [],
  );
}

describe.each(harnesses)('book worker on %s', (_name, makeHarness) => {
  let store: EventStore;

  freshStoreEachTest(makeHarness, (_harness, opened) => {
    store = opened;
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
