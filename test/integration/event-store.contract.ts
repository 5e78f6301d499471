/**
 * The contract every EventStore adapter passes (ARCHITECTURE §3). An adapter's int-spec calls
 *
 *   describeEventStoreContract('sqlite', harness)             — every adapter
 *   describeDatabaseImmutabilityContract('sqlite', harness)   — adapters backed by a database
 *   describeDatabaseStoreContract('sqlite', harness)          — group commit and verify in batches
 *                                                               (the SQL adapters, ARCHITECTURE §3)
 *
 * The cases live in event-store-{append,reads,hash-chain,snapshots,database}.contract.ts; the
 * harness they run on, StoreHarness, in test/support/event-store-harness.ts.
 */
import { StoreHarness } from '../support/event-store-harness.js';
import { describeAppendContract } from './event-store-append.contract.js';
import { describeHashChainContract } from './event-store-hash-chain.contract.js';
import { describeReadsContract } from './event-store-reads.contract.js';
import { describeSnapshotsContract } from './event-store-snapshots.contract.js';

export function describeEventStoreContract(
  name: string,
  makeHarness: () => Promise<StoreHarness>,
): void {
  describe(`EventStore contract: ${name}`, () => {
    describeAppendContract(makeHarness);
    describeReadsContract(makeHarness);
    describeHashChainContract(makeHarness);
    describeSnapshotsContract(makeHarness);
  });
}
