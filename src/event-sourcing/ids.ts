import { createHash, randomUUID } from 'node:crypto';

/** A random UUID v4, made at the edge (controllers, CLI), never inside a decider. */
export function newId(): string {
  return randomUUID();
}

/**
 * A UUID-shaped id derived from its parts (sha256, version nibble 8 = custom): the same parts
 * always give the same id, so a retried or replayed command yields the same event ids.
 */
export function deterministicId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u001f')).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
