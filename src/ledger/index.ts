/** The ledger module's public surface: other modules import only from here. */
export * from './domain/book.events.js';
export * from './domain/book.commands.js';
export * from './domain/book.decider.js';
export * from './domain/book.rules.js';
export * from './domain/book.snapshot.js';
export type {
  AccountState,
  BookState,
  EntryLineState,
  EntryState,
  IdempotencyRecord,
  OpenBookState,
  OriginalEntryState,
  ReversalEntryState,
} from './domain/book.state.js';
export {
  evolveBook,
  findAccount,
  findEntry,
  findIdempotentEntry,
  initialBookState,
  requireOpenBook,
} from './domain/book.state.js';
export { isCalendarDate, isPeriod, periodOf } from './domain/calendar.js';
export type { EntryTotals } from './domain/journal-entry.rules.js';
export {
  descriptionLengthMax,
  entryTotals,
  linesMax,
  linesMin,
  memoLengthMax,
  metadataKeyLengthMax,
  metadataKeysMax,
  metadataValueLengthMax,
  referenceLengthMax,
  validateJournalEntry,
} from './domain/journal-entry.rules.js';
export * from './domain/ledger.errors.js';
export { bookEventSchemas } from './domain/book.schemas.js';
// Write side (application): the ledger's commands for other modules and the approval gate seam.
export { LedgerModule } from './ledger.module.js';
export { LedgerCommands } from './application/ledger-commands.js';
export type { LedgerCommandMetadata, LedgerCommandResult } from './application/ledger-commands.js';
export {
  LEDGER_COMMAND_GATE,
  LedgerCommandGateSlot,
  neverGate,
} from './application/ledger-command-gate.js';
export type {
  GateableAction,
  GateRequester,
  LedgerCommandGate,
  LedgerGateDecision,
  LedgerGateRequest,
} from './application/ledger-command-gate.js';
export type { BookEventRecord } from './application/book-worker.js';
export {
  CloseAccountCommand,
  ClosePeriodCommand,
  OpenAccountCommand,
  OpenBookCommand,
  PostJournalEntryCommand,
  ReopenPeriodCommand,
  ReverseJournalEntryCommand,
} from './application/ledger-bus.commands.js';
export type { GatedOutcome } from './application/ledger-bus.commands.js';
