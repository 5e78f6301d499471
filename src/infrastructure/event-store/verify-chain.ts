import { Digest, genesisHash, VerifyOptions, VerifyResult } from '../../event-sourcing/index.js';
import { CanonicalEventParts, storedEventHashMismatch } from './canonical-event.js';

/** verify() reports progress every this many checked events (every adapter). */
export const verifyProgressInterval = 5_000;

/** One stored event as verify reads it: its place in the chain and the fields it hashes. */
export interface StoredLink {
  position: bigint;
  prevHash: string;
  hash: string;
  parts: CanonicalEventParts;
}

/** Why a stored event does not continue the chain after `previous`, if it does not. */
export function brokenLinkReason(
  link: StoredLink,
  previous: Digest,
): { text: string; missing?: boolean } | undefined {
  if (link.position !== previous.position + 1n)
    return { text: `position ${previous.position + 1n} is missing`, missing: true };
  if (link.prevHash !== previous.hash)
    return { text: `prev_hash does not match the hash of position ${previous.position}` };
  const mismatch = storedEventHashMismatch(link.prevHash, link.parts, link.hash);
  return mismatch === undefined ? undefined : { text: mismatch };
}

/** What `verifyChain` needs from a store with one global hash chain (SQLite, PostgreSQL). */
export interface ChainSource {
  /** The end of the checked range: the head, or the event at `options.until` when it is before. */
  target: Digest;
  /** Up to `batchSize` stored events after `after` up to `until`, in position order. */
  readBatch(after: bigint, until: bigint): Promise<StoredLink[]> | StoredLink[];
  batchSize: number;
  /** Runs between two batches (e.g. yield to the event loop, check the store is still open). */
  betweenBatches?: () => Promise<void>;
}

/**
 * Recomputes the global hash chain from genesis up to `source.target` in bounded batches
 * (constant memory). `headPosition`/`headHash` describe the end of the checked range; when the
 * chain is broken, `checkedEvents` counts the intact events before `firstBrokenPosition` (a
 * missing position counts as broken).
 */
export async function verifyChain(
  source: ChainSource,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const { target } = source;
  const until = target.position;
  const brokenAt = (
    checkedEvents: number,
    firstBrokenPosition: bigint,
    reason: string,
  ): VerifyResult => ({
    ok: false,
    checkedEvents,
    headPosition: target.position,
    headHash: target.hash,
    firstBrokenPosition,
    reason,
  });
  let previous: Digest = { position: 0n, hash: genesisHash };
  let checkedEvents = 0;
  while (previous.position < until) {
    const links = await source.readBatch(previous.position, until);
    for (const link of links) {
      const reason = brokenLinkReason(link, previous);
      if (reason !== undefined) {
        const firstBroken = reason.missing ? previous.position + 1n : link.position;
        return brokenAt(checkedEvents, firstBroken, reason.text);
      }
      previous = { position: link.position, hash: link.hash };
      checkedEvents += 1;
      if (checkedEvents % verifyProgressInterval === 0) options.onProgress?.(previous.position);
    }
    if (links.length < source.batchSize) break;
    await source.betweenBatches?.();
  }
  if (previous.position !== until) {
    const missing = previous.position + 1n;
    return brokenAt(checkedEvents, missing, `position ${missing} is missing`);
  }
  options.onProgress?.(previous.position);
  return { ok: true, checkedEvents, headPosition: target.position, headHash: target.hash };
}
