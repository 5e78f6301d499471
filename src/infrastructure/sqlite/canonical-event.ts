import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { ValidationError } from '../../event-sourcing/index.js';

/**
 * A fast path to the kernel's `chainHash` for stores that keep `data` and `metadata` as
 * canonical JSON text: the event's canonical JSON is assembled from those texts instead of
 * canonicalizing the whole event again. canonical-event.spec.ts proves the result is identical
 * to `canonicalEventJson` of src/event-sourcing/hash-chain.ts.
 */
export interface CanonicalEventParts {
  eventId: string;
  streamId: string;
  revision: number;
  position: bigint;
  type: string;
  schemaVersion: number;
  /** canonical JSON (RFC 8785) of the data */
  dataJson: string;
  /** canonical JSON (RFC 8785) of the metadata */
  metadataJson: string;
  recordedAt: string;
}

/** RFC 8785 canonical JSON of a value, or a ValidationError when it has no JSON form. */
export function canonicalJson(value: unknown, field: string): string {
  let json: string | undefined;
  try {
    json = canonicalize(value);
  } catch (error) {
    throw new ValidationError(`${field} is not JSON: ${(error as Error).message}`, [{ field, message: 'must be JSON' }]);
  }
  if (json === undefined) throw new ValidationError(`${field} is not JSON`, [{ field, message: 'must be JSON' }]);
  return json;
}

/** Keys in RFC 8785 order (sorted by UTF-16 code units), as canonicalize would emit them. */
export function canonicalEventJsonFromParts(parts: CanonicalEventParts): string {
  return (
    `{"data":${parts.dataJson}` +
    `,"eventId":${JSON.stringify(parts.eventId)}` +
    `,"metadata":${parts.metadataJson}` +
    `,"position":"${parts.position}"` +
    `,"recordedAt":${JSON.stringify(parts.recordedAt)}` +
    `,"revision":${JSON.stringify(parts.revision)}` +
    `,"schemaVersion":${JSON.stringify(parts.schemaVersion)}` +
    `,"streamId":${JSON.stringify(parts.streamId)}` +
    `,"type":${JSON.stringify(parts.type)}}`
  );
}

export function chainHashFromParts(prevHash: string, parts: CanonicalEventParts): string {
  return createHash('sha256').update(prevHash).update(canonicalEventJsonFromParts(parts)).digest('hex');
}
