import {
  Actor,
  CommandMetadata,
  DecidedStream,
  EventStore,
  formatAmount,
  HandledCommand,
  NotFoundError,
  RecordedEvent,
} from '../../event-sourcing/index.js';
import { bookOpenedOf } from '../../ledger/index.js';
import {
  ApprovalPolicyCommand,
  DefineApprovalPolicy,
  RetireApprovalPolicy,
} from '../domain/approval-policy.commands.js';
import { ApprovalPolicyState, approvalPolicyDecider } from '../domain/approval-policy.decider.js';
import {
  ApprovalPolicy,
  ApprovalPolicyDefinedData,
  ApprovalPolicyEvent,
  ApprovalPolicyRetiredData,
  approvalPoliciesStreamId,
} from '../domain/approval-policy.events.js';

/** Books whose policy streams are kept folded in memory; beyond it the cache starts over. */
export const policyStreamsCachedMax = 10_000;

/** A policy as `GET /v1/books/:book/approval-policies` lists it (amounts as decimal strings). */
export interface ApprovalPolicyListing {
  id: string;
  book: string;
  name: string;
  action: string;
  condition?: { minAmount?: string; currency?: string; accounts?: string[] };
  steps: { role: string; approvals: number }[];
  expiresAfter?: string;
  status: 'active' | 'retired';
  definedAt: string;
  definedBy: Actor;
  position: number;
  retiredAt?: string;
  retiredBy?: Actor;
  retireReason?: string;
}

/**
 * The approval policies of each book (stream `approval-policies-<book>`): defining, retiring,
 * listing, and the active policies the gate matches against. Each book's stream is folded once
 * and then read incrementally, so the gate costs one indexed read per gated command.
 */
export class ApprovalPolicies {
  private readonly streams = new Map<
    string,
    DecidedStream<ApprovalPolicyCommand, ApprovalPolicyEvent, ApprovalPolicyState>
  >();

  constructor(private readonly store: EventStore) {}

  async active(book: string): Promise<readonly ApprovalPolicy[]> {
    return (await this.stream(book).current()).active;
  }

  async define(
    command: DefineApprovalPolicy,
    metadata: CommandMetadata,
  ): Promise<HandledCommand<ApprovalPolicyState>> {
    await this.assertBookExists(command.book);
    return this.stream(command.book).handle(command, { ...metadata, book: command.book });
  }

  async retire(
    command: RetireApprovalPolicy,
    metadata: CommandMetadata,
  ): Promise<HandledCommand<ApprovalPolicyState>> {
    return this.stream(command.book).handle(command, { ...metadata, book: command.book });
  }

  /** Every policy ever defined on the book, in definition order (retired ones kept, marked). */
  async list(book: string): Promise<ApprovalPolicyListing[]> {
    const listings = new Map<string, ApprovalPolicyListing>();
    for (const event of await this.stream(book).events()) {
      if (event.type === 'ApprovalPolicyDefined') {
        const data = event.data as ApprovalPolicyDefinedData;
        listings.set(data.policyId, policyListing(data, event));
      } else if (event.type === 'ApprovalPolicyRetired') {
        const data = event.data as ApprovalPolicyRetiredData;
        const listing = listings.get(data.policyId);
        if (listing) {
          listing.status = 'retired';
          listing.retiredAt = event.recordedAt;
          listing.retiredBy = event.metadata.actor;
          if (data.reason !== undefined) listing.retireReason = data.reason;
        }
      }
    }
    return [...listings.values()];
  }

  async find(book: string, policyId: string): Promise<ApprovalPolicyListing> {
    const listing = (await this.list(book)).find((candidate) => candidate.id === policyId);
    if (!listing) throw new NotFoundError(`Approval policy ${policyId} not found in book ${book}`);
    return listing;
  }

  private async assertBookExists(book: string): Promise<void> {
    if (!(await bookOpenedOf(this.store, book))) throw new NotFoundError(`Book ${book} not found`);
  }

  private stream(book: string) {
    let stream = this.streams.get(book);
    if (!stream) {
      if (this.streams.size >= policyStreamsCachedMax) this.streams.clear();
      stream = new DecidedStream(this.store, approvalPoliciesStreamId(book), approvalPolicyDecider);
      this.streams.set(book, stream);
    }
    return stream;
  }
}

function policyListing(
  data: ApprovalPolicyDefinedData,
  event: RecordedEvent,
): ApprovalPolicyListing {
  const condition = data.condition;
  return {
    id: data.policyId,
    book: data.book,
    name: data.name,
    action: data.action,
    ...(condition
      ? {
          condition: {
            ...(condition.minAmountMinor !== undefined && condition.currency !== undefined
              ? { minAmount: formatAmount(BigInt(condition.minAmountMinor), condition.currency) }
              : {}),
            ...(condition.currency !== undefined ? { currency: condition.currency } : {}),
            ...(condition.accounts !== undefined ? { accounts: condition.accounts } : {}),
          },
        }
      : {}),
    steps: data.steps.map((step) => ({ role: step.role, approvals: step.approvals })),
    ...(data.expiresAfter !== undefined ? { expiresAfter: data.expiresAfter } : {}),
    status: 'active',
    definedAt: event.recordedAt,
    definedBy: event.metadata.actor,
    position: Number(event.position),
  };
}
