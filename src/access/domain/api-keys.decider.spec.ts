import { ConflictError, NotFoundError, ValidationError } from '../../event-sourcing/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { IssueApiKey } from './api-key.commands.js';
import { ApiKeyEvent, ApiKeyIssued } from './api-key.events.js';
import { apiKeysDecider } from './api-keys.decider.js';

const spec = deciderSpec(apiKeysDecider);
const hashA = 'a'.repeat(64);
const hashB = 'b'.repeat(64);
const verifierA = 'c'.repeat(64);
const verifierB = 'd'.repeat(64);

function issue(overrides: Partial<IssueApiKey> = {}): IssueApiKey {
  return {
    type: 'IssueApiKey',
    keyId: 'key_1',
    name: 'Ada',
    roles: ['accountant'],
    keyHash: hashA,
    keyVerifier: verifierA,
    ...overrides,
  };
}

/** v2: the keyed verifier only, never the bare sha256 of the secret. */
const issued: ApiKeyIssued = {
  type: 'ApiKeyIssued',
  schemaVersion: 2,
  data: { keyId: 'key_1', name: 'Ada', roles: ['accountant'], keyVerifier: verifierA },
};
/** v1, as older stores hold it. */
const issuedV1: ApiKeyIssued = {
  type: 'ApiKeyIssued',
  data: { keyId: 'key_0', name: 'Old', roles: ['admin'], keyHash: hashA },
};
const revoked: ApiKeyEvent = { type: 'ApiKeyRevoked', data: { keyId: 'key_1' } };

describe('API keys decider', () => {
  describe('IssueApiKey', () => {
    it('issues a key with its roles and keyed verifier; the event holds no sha256 of the secret', () => {
      spec.given([]).when(issue()).then([issued]);
    });

    it('reads v1 events (bare sha256) and refuses a secret registered in one', () => {
      const state = apiKeysDecider.evolve(apiKeysDecider.initialState(), issuedV1);
      expect(state.keys.get('key_0')?.check).toEqual({ scheme: 'sha256', hash: hashA });
      spec
        .given([issuedV1])
        .when(issue({ keyVerifier: verifierB }))
        .thenThrows(ConflictError, 'conflict');
    });

    it('keeps a book restriction, trims the name and drops repeated roles and books', () => {
      spec
        .given([])
        .when(
          issue({
            name: '  Ada  ',
            roles: ['auditor', 'auditor', 'accountant'],
            books: ['acme', 'acme'],
          }),
        )
        .then([
          {
            type: 'ApiKeyIssued',
            schemaVersion: 2,
            data: {
              keyId: 'key_1',
              name: 'Ada',
              roles: ['auditor', 'accountant'],
              books: ['acme'],
              keyVerifier: verifierA,
            },
          },
        ]);
    });

    it('refuses a blank name', () => {
      spec
        .given([])
        .when(issue({ name: '   ' }))
        .thenThrows(ValidationError, 'validation');
    });

    it('refuses a key without roles', () => {
      spec
        .given([])
        .when(issue({ roles: [] }))
        .thenThrows(ValidationError, 'validation');
    });

    it('refuses an unknown role', () => {
      spec
        .given([])
        .when(issue({ roles: ['accountant', 'superuser'] }))
        .thenThrows(ValidationError, 'validation');
      expect(() =>
        apiKeysDecider.decide(issue({ roles: ['boss'] }), apiKeysDecider.initialState()),
      ).toThrow(
        'unknown role boss; the roles are admin, accountant, approver, auditor, compliance, subscriber',
      );
    });

    it('refuses an empty book restriction (leave it out for all books)', () => {
      spec
        .given([])
        .when(issue({ books: [] }))
        .thenThrows(ValidationError, 'validation');
    });

    it('refuses a key id that exists', () => {
      spec
        .given([issued])
        .when(issue({ keyHash: hashB, keyVerifier: verifierB }))
        .thenThrows(ConflictError, 'conflict');
    });

    it('refuses a secret that is already registered', () => {
      spec
        .given([issued])
        .when(issue({ keyId: 'key_2' }))
        .thenThrows(ConflictError, 'conflict');
    });
  });

  describe('RevokeApiKey', () => {
    it('revokes an active key', () => {
      spec.given([issued]).when({ type: 'RevokeApiKey', keyId: 'key_1' }).then([revoked]);
    });

    it('refuses an unknown key', () => {
      spec
        .given([issued])
        .when({ type: 'RevokeApiKey', keyId: 'key_9' })
        .thenThrows(NotFoundError, 'not-found');
    });

    it('refuses to revoke a key twice', () => {
      spec
        .given([issued, revoked])
        .when({ type: 'RevokeApiKey', keyId: 'key_1' })
        .thenThrows(ConflictError, 'conflict');
    });
  });

  it('a revoked key stays known with its roles', () => {
    const state = [issued, revoked].reduce(apiKeysDecider.evolve, apiKeysDecider.initialState());
    expect(state.keys.get('key_1')).toMatchObject({ status: 'revoked', roles: ['accountant'] });
  });
});
