import { chainHash, EventStore, genesisHash } from '../../src/event-sourcing/index.js';
import {
  appendSequence,
  freshHarnessEachTest,
  newEvents,
  ordinals,
  readWholeLog,
  StoreHarness,
  uniqueStream,
} from '../support/event-store-harness.js';

/** The contract's hash chain: how events link, digest and verify. */
export function describeHashChainContract(makeHarness: () => Promise<StoreHarness>): void {
  describe('hash chain', () => {
    let harness: StoreHarness;
    let store: EventStore;
    freshHarnessEachTest(makeHarness, (opened) => {
      harness = opened;
      store = opened.store;
    });

    it('links every event to the previous one along the global order (or of its stream)', async () => {
      await store.append(uniqueStream(), newEvents(3));
      await store.append(uniqueStream(), newEvents(2));

      const log = await readWholeLog(store);
      const perStream = harness.hashChain?.scope === 'stream';
      const hash = harness.hashChain?.hash ?? chainHash;
      const lastHashes = new Map<string, string>();
      for (const event of log) {
        const prevHash = lastHashes.get(perStream ? event.streamId : '') ?? genesisHash;
        expect(event.prevHash).toBe(prevHash);
        expect(event.hash).toBe(hash(prevHash, event));
        lastHashes.set(perStream ? event.streamId : '', event.hash);
      }
      expect(await store.digest()).toEqual({
        position: (await ordinals(harness, store))(5),
        hash: log.at(-1)!.hash,
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

    it('verifies an intact store: every event checked, head = digest', async () => {
      await appendSequence(store, 7);
      await store.append(uniqueStream(), newEvents(5));

      const digest = await store.digest();
      const result = await store.verify();
      const at = await ordinals(harness, store);

      expect(result).toEqual({
        ok: true,
        checkedEvents: 12,
        headPosition: at(12),
        headHash: digest.hash,
      });
      expect(digest.position).toBe(at(12));
    });

    it('verifies up to a position', async () => {
      await store.append(uniqueStream(), newEvents(6));
      const at = await ordinals(harness, store);
      const [fourth] = await store.readAll({ after: at(3), limit: 1 });

      await expect(store.verify({ until: at(4) })).resolves.toEqual({
        ok: true,
        checkedEvents: 4,
        headPosition: at(4),
        headHash: fourth!.hash,
      });
    });
  });
}
