import { Command } from '@nestjs/cqrs';
import { CommandMetadata } from '../../event-sourcing/index.js';
import { BookCommand } from '../domain/book.commands.js';
import { GateRequester } from './ledger-command-gate.js';
import { LedgerCommandResult } from './ledger-commands.js';

/** A book command either ran, or (a gateable one) is held back for approval. */
export type BookCommandOutcome =
  | { status: 'done'; result: LedgerCommandResult }
  | { status: 'pending_approval'; approvalId: string; position: bigint };

/**
 * The ledger's one message on the @nestjs/cqrs CommandBus (what controllers and the CLI send):
 * a book command, its event metadata, and who asks (approval policies look at their roles).
 * Whether the approval gate is asked depends on the command's type (`gateableActionOf`).
 */
export class RunBookCommand extends Command<BookCommandOutcome> {
  constructor(
    readonly command: BookCommand,
    readonly metadata: CommandMetadata,
    readonly requester: GateRequester,
  ) {
    super();
  }
}

/** One command of a `RunBookCommands`: its outcome, or the error that refused it alone. */
export type BookBatchOutcome = BookCommandOutcome | { status: 'refused'; error: unknown };

/**
 * Many commands of one book (the batch route, `kontor import`): each passes the approval gate on
 * its own; those not held back run as ONE batch of the book's worker (one append, one fsync).
 */
export class RunBookCommands extends Command<BookBatchOutcome[]> {
  constructor(
    readonly bookId: string,
    readonly commands: readonly { command: BookCommand; metadata: CommandMetadata }[],
    readonly requester: GateRequester,
  ) {
    super();
  }
}
