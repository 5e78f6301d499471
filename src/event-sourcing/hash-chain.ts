import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { RecordedEvent } from './event.js';

/** The stored fields that the chain covers (everything but the hashes themselves). */
export type HashedFields = Pick<
  RecordedEvent,
  | 'eventId'
  | 'streamId'
  | 'revision'
  | 'position'
  | 'type'
  | 'schemaVersion'
  | 'data'
  | 'metadata'
  | 'recordedAt'
>;

/** RFC 8785 canonical JSON of the hashed fields; bigint positions as decimal strings. */
export function canonicalEventJson(event: HashedFields): string {
  const json = canonicalize({
    eventId: event.eventId,
    streamId: event.streamId,
    revision: event.revision,
    position: event.position.toString(),
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt,
  });
  if (json === undefined) throw new Error('event is not JSON-serialisable');
  return json;
}

/** hash = sha256(prevHash ‖ canonical JSON of the event), hex. */
export function chainHash(prevHash: string, event: HashedFields): string {
  return createHash('sha256').update(prevHash).update(canonicalEventJson(event)).digest('hex');
}
