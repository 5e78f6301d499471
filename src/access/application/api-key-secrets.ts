import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const secretBytes = 32;
const keyIdBytes = 10;
export const apiKeyPrefix = 'kontor_';

/** `kontor_` + 43 characters: base64url of 32 random bytes. */
export function generateApiKey(): string {
  return apiKeyPrefix + randomBytes(secretBytes).toString('base64url');
}

/** `key_` + 20 hex characters. */
export function newKeyId(): string {
  return `key_${randomBytes(keyIdBytes).toString('hex')}`;
}

/**
 * The unkeyed sha256 (hex) that `ApiKeyIssued` v1 events carry: still accepted for those keys,
 * and used to refuse registering a secret twice. Never written into new events.
 */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** What `ApiKeyIssued` v2 keeps: HMAC-SHA256 of the secret under the store's pepper, hex. */
export function keyVerifier(pepper: Buffer, secret: string): string {
  return createHmac('sha256', pepper).update(secret, 'utf8').digest('hex');
}

export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
