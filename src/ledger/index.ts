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
  signedAmountMinor,
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
