import {
  ConflictError,
  EventStore,
  ManualClock,
  WrongExpectedRevisionError,
} from '../../src/event-sourcing/index.js';
import {
  appendSequence,
  DatabaseStoreHarness,
  GroupCommitStore,
  newEvent,
  newEvents,
  uniqueStream,
} from '../support/event-store-harness.js';

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
