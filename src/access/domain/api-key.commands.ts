/** Ids and the hash are made at the edge (randomness and crypto stay out of the decider). */
export interface IssueApiKey {
  type: 'IssueApiKey';
  keyId: string;
  name: string;
  roles: string[];
  books?: string[];
  keyHash: string;
}

export interface RevokeApiKey {
  type: 'RevokeApiKey';
  keyId: string;
}

export type ApiKeyCommand = IssueApiKey | RevokeApiKey;
