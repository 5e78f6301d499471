import { genesisHash, RecordedEvent } from '../../event-sourcing/index.js';
import { streamChainHash } from './stream-hash-chain.js';
import {
  describeAgainstFakeKurrentDb,
  newEvents,
  open,
  server,
  store,
} from './testing/kurrentdb-event-store.fixtures.js';

describeAgainstFakeKurrentDb(() => {
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
});
