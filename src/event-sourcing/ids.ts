import { createHash, randomUUID } from 'node:crypto';

/** Hex digits of a UUIDv7's timestamp: 48 bits of Unix milliseconds. */
const timePrefixHexDigits = 12;
const uuidV7Pattern = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * A UUID v7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Made at the edge
 * (controllers, CLI), never inside a decider. Ids made later sort later (to the millisecond), so
 * the stores' unique indexes on event ids grow at their end instead of dirtying a random page
 * per insert. Built from a v4 UUID (node's pooled random bytes, variant bits already RFC 9562):
 * its first 48 bits become the time, its version nibble 7.
 */
export function newId(now: number = Date.now()): string {
  if (now !== lastTime.millis) lastTime = { millis: now, prefix: timePrefix(now) };
  return `${lastTime.prefix}-7${randomUUID().slice(15)}`;
}

/** The formatted time of the last id made: ids come in bursts within one millisecond. */
let lastTime = { millis: -1, prefix: '' };

function timePrefix(millis: number): string {
  const hex = millis.toString(16).padStart(timePrefixHexDigits, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}`;
}

/**
 * A UUID-shaped id derived from its parts (sha256, version nibble 8 = custom): the same parts
 * always give the same id, so a retried or replayed command yields the same event ids.
 */
export function deterministicId(...parts: string[]): string {
  return idFromHex(createHash('sha256').update(parts.join('\u001f')).digest('hex'));
}

/**
 * The id of the `index`-th event decided by a command: `deterministicId(commandId, index)`, except
 * that a UUIDv7 command id lends it its 48-bit time prefix, so the events of a command sort
 * together, near the time the command was issued (append-like index inserts), and a retry of the
 * same command still yields the same ids. Other command ids (e.g. derived from an Idempotency-Key)
 * keep the plain derivation, so their retries match what is already stored.
 */
export function commandEventId(commandId: string, index: number): string {
  const derived = deterministicId(commandId, String(index));
  if (!uuidV7Pattern.test(commandId)) return derived;
  const timePrefix = commandId.replace('-', '').slice(0, timePrefixHexDigits).toLowerCase();
  return `${timePrefix.slice(0, 8)}-${timePrefix.slice(8, 12)}${derived.slice(13)}`;
}

function idFromHex(hex: string): string {
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
