import { randomBytes } from 'node:crypto';
import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AssertionFailed, ForbiddenError, newId } from '../../event-sourcing/index.js';
import { InMemoryEventStore } from '../../infrastructure/memory/in-memory-event-store.js';
import { ApiKeyRegistry } from '../application/api-key-registry.js';
import { ApiKeyService } from '../application/api-key.service.js';
import {
  AuthenticatedActor,
  KontorRequest,
  Public,
  RequirePermission,
} from './access.decorators.js';
import { UnauthorizedError } from '../domain/access.errors.js';
import { AuthGuard } from './auth.guard.js';

class BooksController {
  @RequirePermission('ledger:write')
  post() {}

  @RequirePermission('books:read')
  read() {}

  @Public()
  open() {}

  forgotten() {}
}

function contextFor(
  handler: keyof BooksController,
  request: Partial<KontorRequest>,
): ExecutionContext {
  const fullRequest = { headers: {}, params: {}, id: 'corr-1', ...request } as KontorRequest;
  return {
    getHandler: () => BooksController.prototype[handler],
    getClass: () => BooksController,
    switchToHttp: () => ({ getRequest: () => fullRequest }),
  } as unknown as ExecutionContext;
}

describe('AuthGuard', () => {
  let guard: AuthGuard;
  let keys: Record<'accountant' | 'acmeOnly' | 'revoked', string>;
  const store = new InMemoryEventStore();
  const pepper = randomBytes(32);

  beforeAll(async () => {
    const registry = new ApiKeyRegistry(store, pepper);
    const service = new ApiKeyService(store, registry);
    const metadata = () => ({
      actor: { id: 'system', name: 'test' },
      correlationId: newId(),
      commandId: newId(),
    });
    const accountant = await service.issue({ name: 'Ada', roles: ['accountant'] }, metadata());
    const acmeOnly = await service.issue(
      { name: 'Acme clerk', roles: ['accountant'], books: ['acme'] },
      metadata(),
    );
    const revoked = await service.issue({ name: 'Gone', roles: ['admin'] }, metadata());
    await service.revoke(revoked.id, metadata());
    keys = { accountant: accountant.key, acmeOnly: acmeOnly.key, revoked: revoked.key };
    guard = new AuthGuard(new Reflector(), registry);
  });

  const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

  it('lets a public route through without a key', async () => {
    await expect(guard.canActivate(contextFor('open', {}))).resolves.toBe(true);
  });

  it('refuses a route that declares neither as a bug', async () => {
    await expect(
      guard.canActivate(contextFor('forgotten', bearer(keys.accountant))),
    ).rejects.toThrow(AssertionFailed);
  });

  it('refuses a missing, unknown or revoked key', async () => {
    await expect(guard.canActivate(contextFor('post', {}))).rejects.toThrow(UnauthorizedError);
    await expect(guard.canActivate(contextFor('post', bearer('kontor_unknown')))).rejects.toThrow(
      UnauthorizedError,
    );
    await expect(guard.canActivate(contextFor('post', bearer(keys.revoked)))).rejects.toThrow(
      UnauthorizedError,
    );
  });

  it('admits a key issued through another registry of the same store before it caught up', async () => {
    const elsewhere = new AuthGuard(new Reflector(), new ApiKeyRegistry(store, pepper));
    await expect(elsewhere.canActivate(contextFor('read', bearer(keys.accountant)))).resolves.toBe(
      true,
    );
    await expect(elsewhere.canActivate(contextFor('read', bearer(keys.revoked)))).rejects.toThrow(
      UnauthorizedError,
    );
  });

  it('admits a key whose roles grant the permission and attaches the actor', async () => {
    const request = {
      ...bearer(keys.accountant),
      params: { book: 'acme' },
    } as Partial<KontorRequest>;
    const context = contextFor('post', request);
    await expect(guard.canActivate(context)).resolves.toBe(true);
    const actor = context.switchToHttp().getRequest<KontorRequest>()
      .kontorActor as AuthenticatedActor;
    expect(actor).toEqual({
      keyId: expect.stringMatching(/^key_/),
      name: 'Ada',
      roles: ['accountant'],
    });
  });

  it('accepts the bearer scheme in any case', async () => {
    await expect(
      guard.canActivate(
        contextFor('read', { headers: { authorization: `bearer ${keys.accountant}` } }),
      ),
    ).resolves.toBe(true);
  });

  it('keeps a book-restricted key to its books', async () => {
    await expect(
      guard.canActivate(contextFor('post', { ...bearer(keys.acmeOnly), params: { book: 'acme' } })),
    ).resolves.toBe(true);
    await expect(
      guard.canActivate(
        contextFor('post', { ...bearer(keys.acmeOnly), params: { book: 'globex' } }),
      ),
    ).rejects.toThrow(ForbiddenError);
    await expect(guard.canActivate(contextFor('read', bearer(keys.acmeOnly)))).resolves.toBe(true);
  });
});
