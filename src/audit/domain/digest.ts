import { parsePosition } from '../../event-sourcing/index.js';

/** A digest an auditor keeps: the hash of the chain at a position (`<hash>@<position>`). */
export interface KeptDigest {
  hash: string;
  position: bigint;
}

const digestPattern = /^([0-9a-f]{64})@(\d+)$/;

/** `<64 hex>@<position>` → the digest, or undefined when the text is not one. */
export function parseDigest(text: string): KeptDigest | undefined {
  const match = digestPattern.exec(text.trim().toLowerCase());
  if (!match) return undefined;
  const position = parsePosition(match[2]!);
  return position !== undefined && position >= 1n ? { hash: match[1]!, position } : undefined;
}

export function formatDigest(digest: KeptDigest): string {
  return `${digest.hash}@${digest.position}`;
}
