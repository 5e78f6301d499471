import { randomBytes } from 'node:crypto';
import { newId, systemClock } from '../../event-sourcing/index.js';
import { InMemoryEventStore } from '../../infrastructure/memory/in-memory-event-store.js';
import { ApiKeyRegistry } from '../../access/application/api-key-registry.js';
import { ApiKeyService } from '../../access/application/api-key.service.js';
import { ApprovalDelegations } from './approval-delegations.js';
import { DelegateApprovalCommand } from './approval-bus.commands.js';
import { DelegateApprovalHandler } from './approval-command.handlers.js';

const metadata = () => ({
  actor: { id: 'system', name: 'test' },
  correlationId: newId(),
  commandId: newId(),
});

describe('delegations across instances', () => {
  it('delegates to a key issued on another instance that this one has not caught up with yet', async () => {
    const store = new InMemoryEventStore();
    const pepper = randomBytes(32);
    const issuing = new ApiKeyRegistry(store, pepper);
    const service = new ApiKeyService(store, issuing);
    const delegator = await service.issue({ name: 'Ada', roles: ['approver'] }, metadata());
    const here = new ApiKeyRegistry(store, pepper);
    await here.catchUp();
    const delegate = await service.issue({ name: 'Bea', roles: ['accountant'] }, metadata());
    const handler = new DelegateApprovalHandler(
      new ApprovalDelegations(store, here),
      here,
      systemClock,
    );

    const outcome = await handler.execute(
      new DelegateApprovalCommand(
        {
          delegationId: newId(),
          toKeyId: delegate.id,
          role: 'approver',
          until: new Date(Date.now() + 86_400_000).toISOString(),
        },
        { keyId: delegator.id, name: 'Ada' },
        metadata(),
      ),
    );

    expect(outcome).toMatchObject({
      toKeyId: delegate.id,
      toName: 'Bea',
      role: 'approver',
      active: true,
    });
  });

  it('counts a delegation made on another instance whose delegator this one has not caught up with yet', async () => {
    const store = new InMemoryEventStore();
    const pepper = randomBytes(32);
    const issuing = new ApiKeyRegistry(store, pepper);
    const service = new ApiKeyService(store, issuing);
    const delegator = await service.issue({ name: 'Ada', roles: ['approver'] }, metadata());
    const delegate = await service.issue({ name: 'Bea', roles: ['accountant'] }, metadata());
    const until = new Date(Date.now() + 86_400_000).toISOString();
    await new DelegateApprovalHandler(
      new ApprovalDelegations(store, issuing),
      issuing,
      systemClock,
    ).execute(
      new DelegateApprovalCommand(
        { delegationId: newId(), toKeyId: delegate.id, role: 'approver', until },
        { keyId: delegator.id, name: 'Ada' },
        metadata(),
      ),
    );

    const elsewhere = new ApprovalDelegations(store, new ApiKeyRegistry(store, pepper));

    expect(await elsewhere.rolesDelegatedTo(delegate.id, new Date().toISOString())).toEqual([
      'approver',
    ]);
  });
});
