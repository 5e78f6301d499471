import { RecordedEvent as KurrentRecordedEvent } from '@kurrent/kurrentdb-client';
import { genesisHash, VerifyOptions, VerifyResult } from '../../event-sourcing/index.js';
import { verifyProgressInterval } from '../event-store/index.js';
import { tombstoneEventType } from './kurrentdb-log.js';
import {
  commitPosition,
  isKontorEnvelope,
  StreamNaming,
  toRecordedEvent,
} from './kurrentdb-mapping.js';
import { streamChainHash } from './stream-hash-chain.js';

/**
 * Walks the whole log once, keeping the last revision and hash of every stream (memory grows
 * with the number of streams), and checks each stream's chain: revisions without a gap from 0,
 * prevHash = the previous hash, hash = its content. A tombstoned stream, a truncated one (its
 * first visible revision is not 0) and an event not written by Kontor are breaks too.
 */
export async function verifyStreamChains(
  records: AsyncIterable<KurrentRecordedEvent>,
  naming: StreamNaming,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const streams = new Map<string, { revision: number; hash: string }>();
  let checkedEvents = 0;
  let headPosition = 0n;
  let headHash = genesisHash;
  for await (const record of records) {
    const position = commitPosition(record);
    if (options.until !== undefined && position > options.until) break;
    if (record.type.startsWith('$') && record.type !== tombstoneEventType) continue;
    const problem = chainProblem(record, streams, naming);
    if (problem !== undefined) {
      return {
        ok: false,
        checkedEvents,
        headPosition,
        headHash,
        firstBrokenPosition: position,
        reason: problem,
      };
    }
    const event = toRecordedEvent(record, naming);
    streams.set(event.streamId, { revision: event.revision, hash: event.hash });
    checkedEvents += 1;
    headPosition = position;
    headHash = event.hash;
    if (checkedEvents % verifyProgressInterval === 0) options.onProgress?.(headPosition);
  }
  if (checkedEvents > 0 && checkedEvents % verifyProgressInterval !== 0)
    options.onProgress?.(headPosition);
  return { ok: true, checkedEvents, headPosition, headHash };
}

function chainProblem(
  record: KurrentRecordedEvent,
  streams: ReadonlyMap<string, { revision: number; hash: string }>,
  naming: StreamNaming,
): string | undefined {
  const position = commitPosition(record);
  if (record.type === tombstoneEventType)
    return `stream ${record.streamId} was deleted (tombstoned) at position ${position}`;
  if (!record.isJson || !isKontorEnvelope(record.metadata)) {
    return `event ${record.id} at position ${position} (stream ${record.streamId}) was not written by Kontor`;
  }
  const event = toRecordedEvent(record, naming);
  const previous = streams.get(event.streamId);
  const expectedRevision = (previous?.revision ?? -1) + 1;
  if (event.revision !== expectedRevision) {
    return `stream ${event.streamId}: revision ${expectedRevision} is missing (deleted or truncated) before position ${position}`;
  }
  const prevHash = previous?.hash ?? genesisHash;
  if (event.prevHash !== prevHash)
    return `prevHash of position ${position} does not match the hash before it in stream ${event.streamId}`;
  if (streamChainHash(prevHash, event) !== event.hash)
    return `hash of position ${position} does not match its content`;
  return undefined;
}
