import { EventStore, VerifyOptions, VerifyResult } from '../../event-sourcing/index.js';
import { KeptDigest } from '../domain/digest.js';

export interface DigestVerification {
  /** true when the chain up to the digest's position recomputes and ends in the kept hash. */
  matches: boolean;
  verify: VerifyResult;
  /** Why it does not match, for people. */
  reason?: string;
}

/**
 * Proves that the log up to a kept digest is unchanged: recomputes the hash chain from the start
 * to the digest's position (constant memory) and compares the hash there with the kept one.
 */
export async function verifyDigest(
  store: EventStore,
  digest: KeptDigest,
  options: Pick<VerifyOptions, 'onProgress'> = {},
): Promise<DigestVerification> {
  const verify = await store.verify({ ...options, until: digest.position });
  if (!verify.ok) {
    return {
      matches: false,
      verify,
      reason: `the chain is broken at position ${verify.firstBrokenPosition}: ${verify.reason ?? 'hash mismatch'}`,
    };
  }
  if (verify.headPosition < digest.position) {
    return {
      matches: false,
      verify,
      reason: `the log ends at position ${verify.headPosition}, before the digest's position ${digest.position}`,
    };
  }
  if (verify.headHash !== digest.hash) {
    return {
      matches: false,
      verify,
      reason: `the hash at position ${digest.position} is ${verify.headHash}, not the kept ${digest.hash}`,
    };
  }
  return { matches: true, verify };
}
