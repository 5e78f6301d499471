import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandMetadata, DomainError, NotFoundError } from '../../event-sourcing/index.js';
import { BookStreamEvent, findBookEvent } from '../domain/book.events.js';
import { entryTotals } from '../domain/journal-entry.rules.js';
import { BookCommand } from '../domain/book.commands.js';
import {
  BookBatchOutcome,
  BookCommandOutcome,
  RunBookCommand,
  RunBookCommands,
} from './ledger-bus.commands.js';
import {
  DocumentGateAction,
  GateableCommand,
  GateRequester,
  gateableActionOf,
  LEDGER_COMMAND_GATE,
  LedgerCommandGateSlot,
  LedgerGateRequest,
} from './ledger-command-gate.js';
import { LedgerCommands } from './ledger-commands.js';

/**
 * Runs a book command through its book's worker. A gateable one (by type), with a gate
 * installed, is first decided as a dry run (no approval is requested for something that would
 * fail now; a repeat is answered at once), then the gate may hold it back.
 */
@CommandHandler(RunBookCommand)
export class RunBookCommandHandler implements ICommandHandler<RunBookCommand> {
  constructor(
    private readonly ledger: LedgerCommands,
    @Inject(LEDGER_COMMAND_GATE) private readonly gate: LedgerCommandGateSlot,
  ) {}

  async execute({ command, metadata, requester }: RunBookCommand): Promise<BookCommandOutcome> {
    const held = await heldBack(this.ledger, this.gate, command, metadata, requester);
    return held ?? { status: 'done', result: await this.ledger.execute(command, metadata) };
  }
}

/**
 * Each command passes the gate on its own (their dry runs, queued in one tick, share one batch
 * of the worker); the rest run as one batch. A command refused by its dry run is refused alone.
 */
@CommandHandler(RunBookCommands)
export class RunBookCommandsHandler implements ICommandHandler<RunBookCommands> {
  constructor(
    private readonly ledger: LedgerCommands,
    @Inject(LEDGER_COMMAND_GATE) private readonly gate: LedgerCommandGateSlot,
  ) {}

  async execute({ bookId, commands, requester }: RunBookCommands): Promise<BookBatchOutcome[]> {
    const gated = await Promise.allSettled(
      commands.map(({ command, metadata }) =>
        heldBack(this.ledger, this.gate, command, metadata, requester),
      ),
    );
    const outcomes: (BookBatchOutcome | undefined)[] = gated.map((result) =>
      result.status === 'rejected' ? { status: 'refused', error: result.reason } : result.value,
    );
    const runIndexes = outcomes.flatMap((outcome, index) => (outcome ? [] : [index]));
    const ran = await this.ledger.executeAll(
      bookId,
      runIndexes.map((index) => commands[index]!),
    );
    ran.forEach((result, position) => {
      outcomes[runIndexes[position]!] =
        result.status === 'fulfilled'
          ? { status: 'done', result: result.value }
          : { status: 'refused', error: result.reason };
    });
    await this.refuseUnknownBook(bookId, outcomes as BookBatchOutcome[]);
    return outcomes as BookBatchOutcome[];
  }

  /** A book that does not exist is the request's fault, not each entry's: 404 as a whole. */
  private async refuseUnknownBook(bookId: string, outcomes: BookBatchOutcome[]): Promise<void> {
    const allNotFound = outcomes.every(
      (outcome) => outcome.status === 'refused' && outcome.error instanceof NotFoundError,
    );
    if (!allNotFound) return;
    const status = await this.ledger.inspect(bookId, (state) => state.status);
    if (status === 'none') throw new NotFoundError(`Book ${bookId} not found`);
  }
}

/**
 * A gateable command (by type), with a gate installed, is first decided as a dry run (no
 * approval is requested for something that would fail now; a repeat runs and is answered with
 * the original), then the gate may hold it back: its pending outcome, or undefined to run it.
 */
async function heldBack(
  ledger: LedgerCommands,
  gate: LedgerCommandGateSlot,
  command: BookCommand,
  metadata: CommandMetadata,
  requester: GateRequester,
): Promise<Extract<BookCommandOutcome, { status: 'pending_approval' }> | undefined> {
  const action = gateableActionOf(command);
  if (!gate.isInstalled || action === undefined) return undefined;
  if (!(await gate.mayHold(command.bookId, action))) return undefined;
  const decided = await ledger.dryRun(command);
  if (decided.length === 0) return undefined;
  const request = gateRequest(command as GateableCommand, decided, metadata, requester);
  const decision = await gate.check(request);
  if (!decision.gated) return undefined;
  if (await doneMeanwhile(ledger, command)) {
    await gate.withdraw(request, decision.approvalId);
    return undefined; // runs as the repeat it is: answered with the original
  }
  return {
    status: 'pending_approval',
    approvalId: decision.approvalId,
    position: decision.position,
  };
}

/**
 * Whether a twin of the held command (same command id: a duplicate delivery, a client's retry)
 * ran between the dry run and the request: one whose gate read the policies before this one's
 * policy was in force, or one on another instance. No check before the request can rule that out
 * (the book and the request are two streams); read after it, the stream shows every twin
 * appended before the request, so a client is never told "pending approval" for something done.
 */
async function doneMeanwhile(ledger: LedgerCommands, command: BookCommand): Promise<boolean> {
  try {
    return (await ledger.dryRun(command, { current: true })).length === 0;
  } catch (error) {
    if (error instanceof DomainError) return false; // refused now: its execution will say so
    throw error;
  }
}

/** What the gate is asked: the command with what policies look at (totals, accounts touched). */
function gateRequest(
  command: GateableCommand,
  decided: BookStreamEvent[],
  metadata: CommandMetadata,
  requester: GateRequester,
): LedgerGateRequest {
  const base = {
    bookId: command.bookId,
    actor: requester,
    correlationId: metadata.correlationId,
    commandId: metadata.commandId,
  };
  switch (command.type) {
    case 'PostJournalEntry': {
      const posted = findBookEvent(decided, 'JournalEntryPosted');
      return {
        ...base,
        action: 'journal-entry.post',
        command,
        summary: entryTotals(posted?.data.lines ?? []),
        ...(command.idempotency ? { idempotencyKey: command.idempotency.key } : {}),
      };
    }
    case 'PostDocument': {
      const posted = findBookEvent(decided, 'JournalEntryPosted');
      return {
        ...base,
        action: gateableActionOf(command) as DocumentGateAction,
        command,
        summary: entryTotals(posted?.data.lines ?? []),
        ...(command.idempotency ? { idempotencyKey: command.idempotency.key } : {}),
      };
    }
    case 'CloseAccount':
      return {
        ...base,
        action: 'account.close',
        command,
        summary: { debitTotalsMinor: {}, accounts: [command.code] },
      };
    case 'ReopenPeriod':
      return {
        ...base,
        action: 'period.reopen',
        command,
        summary: { debitTotalsMinor: {}, accounts: [] },
      };
  }
}

export const ledgerCommandHandlers = [RunBookCommandHandler, RunBookCommandsHandler];
