import { EventStore, newId } from '../../src/event-sourcing/index.js';
import { BookWorker } from '../../src/ledger/application/book-worker.js';
import { PostDocument, bookStreamId, registerDocumentType } from '../../src/ledger/index.js';
import {
  StoreHarness,
  freshStoreEachTest,
  harnesses,
  meta,
  openBook,
  rent,
  snapshotOf,
} from '../support/book-worker.js';

registerDocumentType({
  type: 'WorkerSpecDocumentIssued',
  description: 'A document type of this spec only.',
  schema: { type: 'object', additionalProperties: false, properties: {} },
});

describe.each(harnesses)('book worker on %s', (_name, makeHarness) => {
  let harness: StoreHarness;
  let store: EventStore;

  freshStoreEachTest(makeHarness, (openedHarness, opened) => {
    harness = openedHarness;
    store = opened;
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
});
