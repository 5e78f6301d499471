/** Ids and the hash are made at the edge (randomness and crypto stay out of the decider). */
export interface IssueApiKey {
  type: 'IssueApiKey';
  keyId: string;
  name: string;
  roles: string[];
  books?: string[];
  /** Unkeyed sha256 hex: only to refuse a secret registered before (v1 events carry it). */
  keyHash: string;
  /** HMAC-SHA256 hex under the store's pepper: what the event keeps. */
  keyVerifier: string;
}

export interface RevokeApiKey {
  type: 'RevokeApiKey';
  keyId: string;
}

export type ApiKeyCommand = IssueApiKey | RevokeApiKey;
