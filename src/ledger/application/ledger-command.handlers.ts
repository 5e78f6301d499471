import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { CommandMetadata } from '../../event-sourcing/index.js';
import { BookCommand } from '../domain/book.commands.js';
import { BookEvent } from '../domain/book.events.js';
import { entryTotals } from '../domain/journal-entry.rules.js';
import {
  CloseAccountCommand,
  ClosePeriodCommand,
  GatedOutcome,
  OpenAccountCommand,
  OpenBookCommand,
  PostJournalEntryCommand,
  ReopenPeriodCommand,
  ReverseJournalEntryCommand,
} from './ledger-bus.commands.js';
import {
  LEDGER_COMMAND_GATE,
  LedgerCommandGateSlot,
  LedgerGateRequest,
} from './ledger-command-gate.js';
import { LedgerCommandResult, LedgerCommands } from './ledger-commands.js';

/** Thin handlers: the command goes to its book's worker; gateable ones ask the gate first. */

@CommandHandler(OpenBookCommand)
export class OpenBookHandler implements ICommandHandler<OpenBookCommand> {
  constructor(private readonly ledger: LedgerCommands) {}
  execute({ command, metadata }: OpenBookCommand): Promise<LedgerCommandResult> {
    return this.ledger.execute(command, metadata);
  }
}

@CommandHandler(OpenAccountCommand)
export class OpenAccountHandler implements ICommandHandler<OpenAccountCommand> {
  constructor(private readonly ledger: LedgerCommands) {}
  execute({ command, metadata }: OpenAccountCommand): Promise<LedgerCommandResult> {
    return this.ledger.execute(command, metadata);
  }
}

@CommandHandler(ReverseJournalEntryCommand)
export class ReverseJournalEntryHandler implements ICommandHandler<ReverseJournalEntryCommand> {
  constructor(private readonly ledger: LedgerCommands) {}
  execute({ command, metadata }: ReverseJournalEntryCommand): Promise<LedgerCommandResult> {
    return this.ledger.execute(command, metadata);
  }
}

@CommandHandler(ClosePeriodCommand)
export class ClosePeriodHandler implements ICommandHandler<ClosePeriodCommand> {
  constructor(private readonly ledger: LedgerCommands) {}
  execute({ command, metadata }: ClosePeriodCommand): Promise<LedgerCommandResult> {
    return this.ledger.execute(command, metadata);
  }
}

@CommandHandler(PostJournalEntryCommand)
export class PostJournalEntryHandler implements ICommandHandler<PostJournalEntryCommand> {
  constructor(
    private readonly ledger: LedgerCommands,
    @Inject(LEDGER_COMMAND_GATE) private readonly gate: LedgerCommandGateSlot,
  ) {}

  execute({ command, metadata, requester }: PostJournalEntryCommand): Promise<GatedOutcome> {
    return runGated(this.gate, this.ledger, command, metadata, (decided) => {
      const posted = decided.find((event) => event.type === 'JournalEntryPosted');
      return {
        action: 'journal-entry.post',
        command,
        bookId: command.bookId,
        summary: entryTotals(posted?.data.lines ?? []),
        actor: requester,
        correlationId: metadata.correlationId,
        commandId: metadata.commandId,
        ...(command.idempotency ? { idempotencyKey: command.idempotency.key } : {}),
      };
    });
  }
}

@CommandHandler(CloseAccountCommand)
export class CloseAccountHandler implements ICommandHandler<CloseAccountCommand> {
  constructor(
    private readonly ledger: LedgerCommands,
    @Inject(LEDGER_COMMAND_GATE) private readonly gate: LedgerCommandGateSlot,
  ) {}

  execute({ command, metadata, requester }: CloseAccountCommand): Promise<GatedOutcome> {
    return runGated(this.gate, this.ledger, command, metadata, () => ({
      action: 'account.close',
      command,
      bookId: command.bookId,
      summary: { debitTotalsMinor: {}, accounts: [command.code] },
      actor: requester,
      correlationId: metadata.correlationId,
      commandId: metadata.commandId,
    }));
  }
}

@CommandHandler(ReopenPeriodCommand)
export class ReopenPeriodHandler implements ICommandHandler<ReopenPeriodCommand> {
  constructor(
    private readonly ledger: LedgerCommands,
    @Inject(LEDGER_COMMAND_GATE) private readonly gate: LedgerCommandGateSlot,
  ) {}

  execute({ command, metadata, requester }: ReopenPeriodCommand): Promise<GatedOutcome> {
    return runGated(this.gate, this.ledger, command, metadata, () => ({
      action: 'period.reopen',
      command,
      bookId: command.bookId,
      summary: { debitTotalsMinor: {}, accounts: [] },
      actor: requester,
      correlationId: metadata.correlationId,
      commandId: metadata.commandId,
    }));
  }
}

/**
 * With a gate installed, the command is first decided as a dry run (so no approval is requested
 * for something that would fail now; a repeat is answered at once), then the gate may hold it.
 */
async function runGated(
  gate: LedgerCommandGateSlot,
  ledger: LedgerCommands,
  command: BookCommand,
  metadata: CommandMetadata,
  gateRequest: (decided: BookEvent[]) => LedgerGateRequest,
): Promise<GatedOutcome> {
  if (gate.isInstalled) {
    const decided = await ledger.dryRun(command);
    if (decided.length > 0) {
      const decision = await gate.check(gateRequest(decided));
      if (decision.gated)
        return {
          status: 'pending_approval',
          approvalId: decision.approvalId,
          position: decision.position,
        };
    }
  }
  return { status: 'done', result: await ledger.execute(command, metadata) };
}

export const ledgerCommandHandlers = [
  OpenBookHandler,
  OpenAccountHandler,
  CloseAccountHandler,
  PostJournalEntryHandler,
  ReverseJournalEntryHandler,
  ClosePeriodHandler,
  ReopenPeriodHandler,
];
