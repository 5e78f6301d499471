import { Role } from '../../access/index.js';
import { ApiKeyRegistry } from '../../access/access.module.js';
import {
  CommandMetadata,
  DecidedStream,
  EventStore,
  HandledCommand,
} from '../../event-sourcing/index.js';
import { ApprovalDelegationCommand } from '../domain/approval-delegation.commands.js';
import {
  ApprovalDelegationState,
  DelegationRecord,
  activeDelegationsFor,
  approvalDelegationDecider,
} from '../domain/approval-delegation.decider.js';
import {
  ApprovalDelegationEvent,
  approvalDelegationsStreamId,
} from '../domain/approval-delegation.events.js';

/** A delegation as listed: the record plus whether it gives its role right now. */
export type DelegationListing = DelegationRecord & { active: boolean };

/**
 * Delegations (stream `approval-delegations`), folded once per process and read incrementally.
 * A delegation only counts while the delegating key is active and still holds the role: the
 * registry is asked at the moment of use, so revoking a key or taking a role away ends every
 * delegation made from it at once.
 */
export class ApprovalDelegations {
  private readonly stream: DecidedStream<
    ApprovalDelegationCommand,
    ApprovalDelegationEvent,
    ApprovalDelegationState
  >;

  constructor(
    store: EventStore,
    private readonly registry: ApiKeyRegistry,
  ) {
    this.stream = new DecidedStream(store, approvalDelegationsStreamId, approvalDelegationDecider);
  }

  handle(
    command:
      ApprovalDelegationCommand | ((state: ApprovalDelegationState) => ApprovalDelegationCommand),
    metadata: CommandMetadata,
  ): Promise<HandledCommand<ApprovalDelegationState>> {
    return this.stream.handle(command, metadata);
  }

  async all(): Promise<readonly DelegationRecord[]> {
    return (await this.stream.current()).delegations;
  }

  async list(now: string): Promise<DelegationListing[]> {
    const delegations = await this.all();
    const holds = await Promise.all(delegations.map((d) => this.delegatorStillHolds(d)));
    return delegations.map((delegation, index) => ({
      ...delegation,
      active:
        activeDelegationsFor([delegation], delegation.toKeyId, delegation.role, now).length > 0 &&
        holds[index]!,
    }));
  }

  /** Delegations giving `keyId` the role at `now` whose delegator's key is active and holds the role, oldest first. */
  async validFor(keyId: string, role: Role, now: string): Promise<DelegationRecord[]> {
    const active = activeDelegationsFor(await this.all(), keyId, role, now);
    const holds = await Promise.all(
      active.map((delegation) => this.delegatorStillHolds(delegation)),
    );
    return active.filter((_, index) => holds[index]);
  }

  /** Every role delegated to `keyId` that is valid now (for `assignedToMe`). */
  async rolesDelegatedTo(keyId: string, now: string): Promise<Role[]> {
    const delegations = await this.all();
    const candidates = new Set(
      delegations
        .filter((delegation) => delegation.toKeyId === keyId)
        .map((delegation) => delegation.role),
    );
    const roles: Role[] = [];
    for (const role of candidates)
      if ((await this.validFor(keyId, role, now)).length > 0) roles.push(role);
    return roles;
  }

  /** Asks the registry, caught up first if it does not know the key yet (issued elsewhere). */
  private async delegatorStillHolds(delegation: DelegationRecord): Promise<boolean> {
    const delegator = await this.registry.keyWithId(delegation.fromKeyId);
    return (
      delegator !== undefined &&
      delegator.status === 'active' &&
      delegator.roles.includes(delegation.role)
    );
  }
}
