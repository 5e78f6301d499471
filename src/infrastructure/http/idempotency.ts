import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { assert } from '../../event-sourcing/index.js';

/**
 * An Idempotency-Key with a sha256 of the canonical JSON of the validated request (which
 * operation, which body): a retry with the same key and another body is told apart.
 */
export function idempotencyOf(
  key: string | undefined,
  operation: string,
  body: object,
): { idempotency?: { key: string; requestHash: string } } {
  if (key === undefined) return {};
  const canonical = canonicalize({ operation, body: JSON.parse(JSON.stringify(body)) as unknown });
  assert(canonical !== undefined, 'a validated request body has a canonical JSON form');
  return {
    idempotency: { key, requestHash: createHash('sha256').update(canonical).digest('hex') },
  };
}
