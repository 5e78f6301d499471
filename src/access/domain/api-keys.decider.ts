import {
  assert,
  ConflictError,
  Decider,
  NotFoundError,
  ValidationError,
} from '../../event-sourcing/index.js';
import { ApiKeyCommand, IssueApiKey, RevokeApiKey } from './api-key.commands.js';
import { ApiKeyEvent } from './api-key.events.js';
import { Role, isRole, roles as allRoles } from './permissions.js';

export const keyNameLengthMax = 200;
export const keyBooksMax = 100;
export const bookIdLengthMax = 64;
const sha256HexPattern = /^[0-9a-f]{64}$/;

/** How a presented secret is checked: HMAC under the pepper (v2), or bare sha256 (v1 events). */
export type KeyCheck =
  { scheme: 'hmac-sha256'; verifier: string } | { scheme: 'sha256'; hash: string };

export interface ApiKeyState {
  keyId: string;
  name: string;
  roles: Role[];
  books?: string[];
  check: KeyCheck;
  status: 'active' | 'revoked';
}

/** Every key ever issued, in issue order (a Map keeps insertion order). */
export interface ApiKeysState {
  keys: ReadonlyMap<string, ApiKeyState>;
  /** The sha256 of v1 keys and the verifiers of v2 keys: a secret is registered once. */
  hashes: ReadonlySet<string>;
}

function decideIssue(command: IssueApiKey, state: ApiKeysState): ApiKeyEvent[] {
  const name = command.name.trim();
  if (name.length === 0)
    throw new ValidationError('name is required', [
      { field: 'name', message: 'must not be empty' },
    ]);
  if (name.length > keyNameLengthMax) {
    throw new ValidationError(`name is longer than ${keyNameLengthMax} characters`, [
      { field: 'name', message: `must be at most ${keyNameLengthMax} characters` },
    ]);
  }
  const roles = [...new Set(command.roles)];
  if (roles.length === 0)
    throw new ValidationError('a key needs at least one role', [
      { field: 'roles', message: 'must not be empty' },
    ]);
  const unknownRoles = roles.filter((role) => !isRole(role));
  if (unknownRoles.length > 0) {
    const message = `unknown role ${unknownRoles.join(', ')}; the roles are ${allRoles.join(', ')}`;
    throw new ValidationError(message, [{ field: 'roles', message }]);
  }
  const books = command.books === undefined ? undefined : [...new Set(command.books)];
  if (books !== undefined) checkBooks(books);
  assert(
    sha256HexPattern.test(command.keyHash) && sha256HexPattern.test(command.keyVerifier),
    'keyHash and keyVerifier made at the edge must be sha256 hex digests',
  );
  if (state.keys.has(command.keyId))
    throw new ConflictError(`API key ${command.keyId} already exists`);
  if (state.hashes.has(command.keyHash) || state.hashes.has(command.keyVerifier))
    throw new ConflictError('this secret is already registered as an API key');
  return [
    {
      type: 'ApiKeyIssued',
      schemaVersion: 2,
      data: {
        keyId: command.keyId,
        name,
        roles: roles as Role[],
        ...(books !== undefined ? { books } : {}),
        keyVerifier: command.keyVerifier,
      },
    },
  ];
}

function checkBooks(books: string[]): void {
  if (books.length === 0) {
    throw new ValidationError(
      'books must not be empty: leave it out for a key that reaches every book',
      [{ field: 'books', message: 'must not be empty (leave it out for all books)' }],
    );
  }
  if (books.length > keyBooksMax) {
    throw new ValidationError(`a key can be restricted to at most ${keyBooksMax} books`, [
      { field: 'books', message: `must hold at most ${keyBooksMax} books` },
    ]);
  }
  const invalid = books.find((book) => book.length === 0 || book.length > bookIdLengthMax);
  if (invalid !== undefined) {
    throw new ValidationError('every book id must be 1 to 64 characters', [
      { field: 'books', message: `must hold book ids of 1 to ${bookIdLengthMax} characters` },
    ]);
  }
}

function decideRevoke(command: RevokeApiKey, state: ApiKeysState): ApiKeyEvent[] {
  const key = state.keys.get(command.keyId);
  if (!key) throw new NotFoundError(`no API key ${command.keyId}`);
  if (key.status === 'revoked')
    throw new ConflictError(`API key ${command.keyId} is already revoked`);
  return [{ type: 'ApiKeyRevoked', data: { keyId: command.keyId } }];
}

function evolve(state: ApiKeysState, event: ApiKeyEvent): ApiKeysState {
  switch (event.type) {
    case 'ApiKeyIssued': {
      const { keyId, name, roles, books } = event.data;
      const check: KeyCheck =
        'keyVerifier' in event.data
          ? { scheme: 'hmac-sha256', verifier: event.data.keyVerifier }
          : { scheme: 'sha256', hash: event.data.keyHash };
      const keys = new Map(state.keys);
      keys.set(keyId, {
        keyId,
        name,
        roles,
        ...(books !== undefined ? { books } : {}),
        check,
        status: 'active',
      });
      const digest = check.scheme === 'sha256' ? check.hash : check.verifier;
      return { keys, hashes: new Set(state.hashes).add(digest) };
    }
    case 'ApiKeyRevoked': {
      const key = state.keys.get(event.data.keyId);
      if (!key) return state;
      const keys = new Map(state.keys);
      keys.set(key.keyId, { ...key, status: 'revoked' });
      return { ...state, keys };
    }
  }
}

/** Issue and revoke API keys (stream `api-keys`). */
export const apiKeysDecider: Decider<ApiKeyCommand, ApiKeyEvent, ApiKeysState> = {
  initialState: () => ({ keys: new Map(), hashes: new Set() }),
  decide: (command, state) =>
    command.type === 'IssueApiKey' ? decideIssue(command, state) : decideRevoke(command, state),
  evolve,
};
