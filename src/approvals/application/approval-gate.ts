import canonicalize from 'canonicalize';
import { Clock, ConflictError, assert, deterministicId } from '../../event-sourcing/index.js';
import {
  GateableAction,
  IdempotencyMismatchError,
  LedgerCommandGate,
  LedgerGateDecision,
  LedgerGateRequest,
} from '../../ledger/index.js';
import { GatedActionSummary } from '../domain/gated-action.js';
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
 * Installed into the ledger's `LEDGER_COMMAND_GATE`: matches the book's active policies against
 * the command (already dry-run by the ledger) and, when any match, records an approval request
 * holding the domain command to run later. Nothing else changes.
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

  async check(request: LedgerGateRequest): Promise<LedgerGateDecision> {
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
}

/** The domain command as plain JSON (it holds only strings and numbers; asserted, not assumed). */
function jsonPayload(command: LedgerGateRequest['command']): unknown {
  const text = JSON.stringify(command, (_key, value: unknown) => {
    assert(typeof value !== 'bigint', 'a ledger command holds no bigint');
    return value;
  });
  return JSON.parse(text) as unknown;
}

function checkSameCommand(stored: unknown, payload: unknown, request: LedgerGateRequest): void {
  if (canonicalize(stored) === canonicalize(payload)) return;
  const storedHash = (stored as { idempotency?: { requestHash?: string } } | null)?.idempotency
    ?.requestHash;
  if (request.idempotencyKey !== undefined && storedHash !== undefined)
    throw new IdempotencyMismatchError(request.idempotencyKey);
  throw new ConflictError(
    `Approval ${approvalIdFor(request.commandId)} already holds another command`,
  );
}
