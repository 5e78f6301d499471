import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { HashedFields } from '../../event-sourcing/index.js';

/**
 * The fields the KurrentDB adapter's hash covers: the kernel's `HashedFields` without `position`.
 * KurrentDB assigns the commit position only when it writes, so the writer cannot hash it; the
 * chain runs per stream instead (docs/kurrentdb.md), where the writer knows the previous hash
 * through the expected revision.
 */
export type StreamHashedFields = Omit<HashedFields, 'position'>;

/** RFC 8785 canonical JSON of the fields a per-stream hash covers. */
export function canonicalStreamEventJson(event: StreamHashedFields): string {
  const json = canonicalize({
    eventId: event.eventId,
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt,
  });
  if (json === undefined) throw new Error('event is not JSON-serialisable');
  return json;
}

/**
 * hash = sha256(prevHash ‖ canonical JSON of the event without its position), hex; `prevHash`
 * is the hash of the previous event of the same stream (genesis for revision 0).
 */
export function streamChainHash(prevHash: string, event: StreamHashedFields): string {
  return createHash('sha256')
    .update(prevHash)
    .update(canonicalStreamEventJson(event))
    .digest('hex');
}
