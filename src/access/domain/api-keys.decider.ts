import {
  ConflictError,
  Decider,
  NotFoundError,
  ValidationError,
} from '../../event-sourcing/index.js';
import { ApiKeyCommand, IssueApiKey, RevokeApiKey } from './api-key.commands.js';
import { ApiKeyEvent, ApiKeyIssued } from './api-key.events.js';
import { Role, isRole, roles as allRoles } from './permissions.js';

export const keyNameLengthMax = 200;
export const keyBooksMax = 100;
export const bookIdLengthMax = 64;
const sha256HexPattern = /^[0-9a-f]{64}$/;

export interface ApiKeyState {
  keyId: string;
  name: string;
  roles: Role[];
  books?: string[];
  keyHash: string;
  status: 'active' | 'revoked';
}

/** Every key ever issued, in issue order (a Map keeps insertion order). */
export interface ApiKeysState {
  keys: ReadonlyMap<string, ApiKeyState>;
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
  if (!sha256HexPattern.test(command.keyHash))
    throw new ValidationError('keyHash must be a sha256 hex digest');
  if (state.keys.has(command.keyId))
    throw new ConflictError(`API key ${command.keyId} already exists`);
  if (state.hashes.has(command.keyHash))
    throw new ConflictError('this secret is already registered as an API key');
  const data: ApiKeyIssued['data'] = {
    keyId: command.keyId,
    name,
    roles: roles as Role[],
    keyHash: command.keyHash,
  };
  if (books !== undefined) data.books = books;
  return [{ type: 'ApiKeyIssued', data }];
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
      const keys = new Map(state.keys);
      keys.set(event.data.keyId, { ...event.data, status: 'active' });
      return { keys, hashes: new Set(state.hashes).add(event.data.keyHash) };
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
