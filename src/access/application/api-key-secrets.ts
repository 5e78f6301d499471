import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

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

/** What the store keeps instead of the secret: its sha256, hex. */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
