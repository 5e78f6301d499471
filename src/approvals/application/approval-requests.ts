import {
  CommandMetadata,
  DecidedStream,
  EventStore,
  HandledCommand,
  RecordedEvent,
} from '../../event-sourcing/index.js';
import { ApprovalRequestCommand } from '../domain/approval-request.commands.js';
import { approvalRequestDecider } from '../domain/approval-request.decider.js';
import { ApprovalRequestState } from '../domain/approval-request.state.js';
import {
  ApprovalRequestEvent,
  approvalRequestStreamId,
} from '../domain/approval-request.events.js';

export interface LoadedApproval {
  state: ApprovalRequestState;
  events: readonly RecordedEvent[];
}

/**
 * Approval requests, one stream each (`approval_request-<id>`). Streams are short (a request,
 * a few decisions, the outcome), so every command reads its stream whole and appends with the
 * expected revision; nothing is cached.
 */
export class ApprovalRequests {
  constructor(private readonly store: EventStore) {}

  async load(approvalId: string): Promise<LoadedApproval> {
    const stream = this.stream(approvalId);
    const events = await stream.events();
    return { state: await stream.current(), events };
  }

  handle(
    approvalId: string,
    command: ApprovalRequestCommand | ((state: ApprovalRequestState) => ApprovalRequestCommand),
    metadata: CommandMetadata,
  ): Promise<HandledCommand<ApprovalRequestState>> {
    return this.stream(approvalId).handle(command, metadata);
  }

  private stream(approvalId: string) {
    return new DecidedStream<ApprovalRequestCommand, ApprovalRequestEvent, ApprovalRequestState>(
      this.store,
      approvalRequestStreamId(approvalId),
      approvalRequestDecider,
    );
  }
}
