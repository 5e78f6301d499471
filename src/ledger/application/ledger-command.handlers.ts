import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandMetadata } from '../../event-sourcing/index.js';
import { BookStreamEvent, findBookEvent } from '../domain/book.events.js';
import { entryTotals } from '../domain/journal-entry.rules.js';
import { BookCommandOutcome, RunBookCommand } from './ledger-bus.commands.js';
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
    if (this.gate.isInstalled && gateableActionOf(command) !== undefined) {
      const decided = await this.ledger.dryRun(command);
      if (decided.length > 0) {
        const request = gateRequest(command as GateableCommand, decided, metadata, requester);
        const decision = await this.gate.check(request);
        if (decision.gated)
          return {
            status: 'pending_approval',
            approvalId: decision.approvalId,
            position: decision.position,
          };
      }
    }
    return { status: 'done', result: await this.ledger.execute(command, metadata) };
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

export const ledgerCommandHandlers = [RunBookCommandHandler];
