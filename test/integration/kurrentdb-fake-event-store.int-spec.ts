/**
 * The event store contract on the KurrentDB adapter over the in-process fake server, which is no
 * kinder than a real one (byte-offset positions, MaxAppendSize, asynchronous confirmation, …;
 * docs/kurrentdb.md). The same suite against a real server: kurrentdb-event-store.int-spec.ts.
 */
import { EventStore } from '../../src/event-sourcing/index.js';
import { KurrentDbEventStore } from '../../src/infrastructure/kurrentdb/kurrentdb-event-store.js';
import { streamChainHash } from '../../src/infrastructure/kurrentdb/stream-hash-chain.js';
import { FakeKurrentServer } from '../../src/infrastructure/kurrentdb/testing/fake-kurrentdb.js';
import { StoreHarness } from '../support/event-store-harness.js';
import { describeEventStoreContract } from './event-store.contract.js';

describeEventStoreContract('kurrentdb (in-process fake)', async () => {
  const server = new FakeKurrentServer();
  const opened: EventStore[] = [];
  const open = async () => {
    const store = KurrentDbEventStore.withClient(server.client(), { namespace: 'contract' });
    opened.push(store);
    return store;
  };
  const harness: StoreHarness = {
    positionsAreDense: false,
    hashChain: { scope: 'stream', hash: streamChainHash },
    detectsEventIdsAcrossStreams: false,
    store: await open(),
    reopen: async () => {
      await harness.store.close();
      harness.store = await open();
      return harness.store;
    },
    openAnother: open,
    cleanup: async () => {
      for (const store of opened) await store.close();
    },
  };
  return harness;
});
