import { EventStore } from '../../src/event-sourcing/index.js';
import {
  freshHarnessEachTest,
  StoreHarness,
  uniqueStream,
} from '../support/event-store-harness.js';

/** The contract's snapshots: saved and loaded per stream, kept out of the log. */
export function describeSnapshotsContract(makeHarness: () => Promise<StoreHarness>): void {
  describe('snapshots', () => {
    let store: EventStore;
    freshHarnessEachTest(makeHarness, (opened) => {
      store = opened.store;
    });

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
}
