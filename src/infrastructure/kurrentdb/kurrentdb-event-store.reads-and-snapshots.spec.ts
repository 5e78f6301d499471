import { randomUUID } from 'node:crypto';
import { genesisHash, NewEvent, readBatchSizeMax } from '../../event-sourcing/index.js';
import {
  describeAgainstFakeKurrentDb,
  expectIncreasing,
  newEvents,
  open,
  server,
  store,
} from './testing/kurrentdb-event-store.fixtures.js';

describeAgainstFakeKurrentDb(() => {
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
});
