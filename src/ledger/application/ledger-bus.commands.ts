import { Command } from '@nestjs/cqrs';
import { CommandMetadata } from '../../event-sourcing/index.js';
import {
  CloseAccount,
  ClosePeriod,
  OpenAccount,
  OpenBook,
  PostJournalEntry,
  ReopenPeriod,
  ReverseJournalEntry,
} from '../domain/book.commands.js';
import { GateRequester } from './ledger-command-gate.js';
import { LedgerCommandResult } from './ledger-commands.js';

/**
 * The ledger's commands on the @nestjs/cqrs CommandBus (what controllers and the CLI send).
 * Each carries the domain command and its event metadata; the gateable ones also the requester
 * (roles matter to approval policies) and the Idempotency-Key.
 */

/** A gateable command either ran, or is held back for approval. */
export type GatedOutcome =
  | { status: 'done'; result: LedgerCommandResult }
  | { status: 'pending_approval'; approvalId: string; position: bigint };

export class OpenBookCommand extends Command<LedgerCommandResult> {
  constructor(
    readonly command: OpenBook,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

export class OpenAccountCommand extends Command<LedgerCommandResult> {
  constructor(
    readonly command: OpenAccount,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

export class CloseAccountCommand extends Command<GatedOutcome> {
  constructor(
    readonly command: CloseAccount,
    readonly metadata: CommandMetadata,
    readonly requester: GateRequester,
  ) {
    super();
  }
}

export class PostJournalEntryCommand extends Command<GatedOutcome> {
  constructor(
    readonly command: PostJournalEntry,
    readonly metadata: CommandMetadata,
    readonly requester: GateRequester,
  ) {
    super();
  }
}

export class ReverseJournalEntryCommand extends Command<LedgerCommandResult> {
  constructor(
    readonly command: ReverseJournalEntry,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

export class ClosePeriodCommand extends Command<LedgerCommandResult> {
  constructor(
    readonly command: ClosePeriod,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

export class ReopenPeriodCommand extends Command<GatedOutcome> {
  constructor(
    readonly command: ReopenPeriod,
    readonly metadata: CommandMetadata,
    readonly requester: GateRequester,
  ) {
    super();
  }
}
