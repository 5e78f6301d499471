import canonicalize from 'canonicalize';
import {
  Actor,
  Clock,
  ConflictError,
  DomainError,
  assert,
  deterministicId,
} from '../../event-sourcing/index.js';
import {
  GateableAction,
  IdempotencyMismatchError,
  LedgerCommandGate,
  LedgerGateDecision,
  LedgerGateRequest,
} from '../../ledger/index.js';
import { GatedAction, GatedActionSummary } from '../domain/gated-action.js';
import { matchPolicies } from '../domain/policy-matching.js';
import { ApprovalPolicies } from './approval-policies.js';
import { ApprovalRequests } from './approval-requests.js';

/**
 * The approval id of a held command, derived from the ledger's command id: a retried request
 * with the same Idempotency-Key (same command id) finds the approval it made the first time.
 */
export function approvalIdFor(ledgerCommandId: string): string {
  return deterministicId('kontor.approval', ledgerCommandId);
}

/** The command id of RequestApproval: apart from the ledger's own, whose event ids it must not share. */
function requestCommandIdFor(ledgerCommandId: string): string {
  return deterministicId('kontor.approval.request', ledgerCommandId);
}

/**
 * What any module asks before it runs a gated action: the action with what policies look at,
 * and the command to run once approved (as plain JSON; its executor gets it back).
 */
export interface ActionGateRequest {
  action: GatedAction;
  bookId: string;
  summary: Pick<GatedActionSummary, 'debitTotalsMinor' | 'accounts'>;
  actor: Actor;
  correlationId: string;
  /** The command id the action would have run with; stable for Idempotency-Key requests. */
  commandId: string;
  command: unknown;
  idempotencyKey?: string;
}

export type ActionGateDecision =
  { gated: false } | { gated: true; approvalId: string; position: bigint };

/**
 * Installed into the ledger's `LEDGER_COMMAND_GATE` (`check`), and asked directly by modules
 * whose gated actions are not book commands (`hold`, e.g. `payment-run.execute`): matches the
 * book's active policies against the action and, when any match, records an approval request
 * holding the command to run later. Nothing else changes.
 */
export class ApprovalGate implements LedgerCommandGate {
  constructor(
    private readonly policies: ApprovalPolicies,
    private readonly requests: ApprovalRequests,
    private readonly clock: Clock,
  ) {}

  async mayHold(bookId: string, action: GateableAction): Promise<boolean> {
    const policies = await this.policies.active(bookId);
    return policies.some((policy) => policy.action === action);
  }

  check(request: LedgerGateRequest): Promise<LedgerGateDecision> {
    return this.hold(request);
  }

  async hold(request: ActionGateRequest): Promise<ActionGateDecision> {
    const policies = await this.policies.active(request.bookId);
    if (!policies.some((policy) => policy.action === request.action)) return { gated: false };
    const now = this.clock.now().toISOString();
    const summary: GatedActionSummary = {
      action: request.action,
      book: request.bookId,
      debitTotalsMinor: request.summary.debitTotalsMinor,
      accounts: request.summary.accounts,
    };
    const match = matchPolicies(policies, summary, now);
    if (match.steps.length === 0) return { gated: false };

    const approvalId = approvalIdFor(request.commandId);
    const payload = jsonPayload(request.command);
    const existing = await this.requests.load(approvalId);
    if (existing.state.status !== 'none') {
      // A retry of a held request (same Idempotency-Key): answer with the approval it made.
      checkSameCommand(existing.state.payload, payload, request);
      const requested = existing.events[0]!;
      return { gated: true, approvalId, position: requested.position };
    }
    const handled = await this.requests.handle(
      approvalId,
      {
        type: 'RequestApproval',
        approvalId,
        book: request.bookId,
        action: request.action,
        payload,
        summary,
        requestedBy: { keyId: request.actor.id, name: request.actor.name },
        steps: match.steps,
        policyIds: match.policyIds,
        now,
        ...(match.expiresAt !== undefined ? { expiresAt: match.expiresAt } : {}),
      },
      {
        actor: { id: request.actor.id, name: request.actor.name },
        correlationId: request.correlationId,
        commandId: requestCommandIdFor(request.commandId),
        book: request.bookId,
      },
    );
    assert(handled.position !== undefined, 'a requested approval has a position');
    return { gated: true, approvalId, position: handled.position };
  }

  /** Cancelled by its requester, as the requester could: nobody is left to decide on it. */
  async withdraw(request: LedgerGateRequest, approvalId: string): Promise<void> {
    const by = { keyId: request.actor.id, name: request.actor.name };
    const command = {
      type: 'CancelApproval' as const,
      approvalId,
      by,
      reason: 'the command was done meanwhile, without approval (a repeat of it was not held)',
      now: this.clock.now().toISOString(),
    };
    const metadata = {
      actor: { id: request.actor.id, name: request.actor.name },
      correlationId: request.correlationId,
      commandId: deterministicId('kontor.approval.withdraw', request.commandId),
      book: request.bookId,
    };
    try {
      await this.requests.handle(approvalId, command, metadata);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error; // else decided meanwhile: that stands
    }
  }
}

/** The domain command as plain JSON (it holds only strings and numbers; asserted, not assumed). */
function jsonPayload(command: unknown): unknown {
  const text = JSON.stringify(command, (_key, value: unknown) => {
    assert(typeof value !== 'bigint', 'a held command holds no bigint');
    return value;
  });
  return JSON.parse(text) as unknown;
}

function checkSameCommand(stored: unknown, payload: unknown, request: ActionGateRequest): void {
  if (canonicalize(stored) === canonicalize(payload)) return;
  const storedHash = (stored as { idempotency?: { requestHash?: string } } | null)?.idempotency
    ?.requestHash;
  if (request.idempotencyKey !== undefined && storedHash !== undefined)
    throw new IdempotencyMismatchError(request.idempotencyKey);
  throw new ConflictError(
    `Approval ${approvalIdFor(request.commandId)} already holds another command`,
  );
}
