import { EventStore, newId } from '../../src/event-sourcing/index.js';
import { BookWorker } from '../../src/ledger/application/book-worker.js';
import { BookSnapshot, IdempotencyMismatchError, bookStreamId } from '../../src/ledger/index.js';
import {
  StoreHarness,
  freshStoreEachTest,
  harnesses,
  meta,
  openBook,
  rent,
  settings,
  snapshotOf,
} from '../support/book-worker.js';

describe.each(harnesses)('book worker on %s', (_name, makeHarness) => {
  let harness: StoreHarness;
  let store: EventStore;

  freshStoreEachTest(makeHarness, (openedHarness, opened) => {
    harness = openedHarness;
    store = opened;
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
});
