/**
 * The ledger module's pure public surface (no NestJS): other modules' domains and application
 * code import from here. The Nest wiring (LedgerModule, LedgerCommands, the bus messages, the
 * gate slot, the export command) is reached through ledger.module.ts.
 */
export * from './domain/book.events.js';
export * from './domain/book.commands.js';
export * from './domain/book.decider.js';
export * from './domain/book.rules.js';
export * from './domain/book.snapshot.js';
export type {
  AccountState,
  BookState,
  DocumentState,
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
  findDocument,
  findEntry,
  findIdempotentEntry,
  initialBookState,
  requireOpenBook,
} from './domain/book.state.js';
export {
  calendarDayOf,
  fiscalYearDates,
  fiscalYearOf,
  isCalendarDate,
  isPeriod,
  periodOf,
} from './domain/calendar.js';
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
  partyLengthMax,
  referenceLengthMax,
  taxCodeLengthMax,
  validateJournalEntry,
} from './domain/journal-entry.rules.js';
export * from './domain/ledger.errors.js';
export { bookEventSchemas } from './domain/book.schemas.js';
export type { DocumentTypeDefinition } from './domain/document-types.js';
export {
  documentDataProblem,
  documentEventFieldSchemas,
  documentEventSchemas,
  documentSummary,
  documentTypePattern,
  isDocumentType,
  registerDocumentType,
} from './domain/document-types.js';
export {
  documentIdLengthMax,
  documentNumber,
  sequenceDigits,
  seriesLengthMax,
} from './domain/document.decider.js';
// The approval gate seam (pure types; the Nest wiring is in ledger.module.ts).
export {
  documentGateActions,
  gateableActionOf,
  neverGate,
} from './application/ledger-command-gate.js';
export type {
  DocumentGateAction,
  GateableAction,
  GateRequester,
  LedgerCommandGate,
  LedgerGateDecision,
  LedgerGateRequest,
} from './application/ledger-command-gate.js';
export type { LedgerCommandResult } from './application/ledger-commands.js';
// The read port for tax codes and control accounts (inject LedgerLookup; provided by LedgerModule).
export { LedgerLookup } from './application/ledger-lookup.js';
export { bookOpenedOf } from './application/book-opened.js';
export type { Chart, ChartId, ControlAccounts } from './domain/charts.js';
export {
  allCharts,
  chartIds,
  controlAccountNames,
  isChartId,
  latestChart,
} from './domain/charts.js';
export type {
  TaxCodeDefinition,
  TaxCodeKind,
  TaxCodeOnDate,
  TaxRatePeriod,
} from './domain/tax-codes.js';
export {
  datevKeyPattern,
  vatReturnBaseFields,
  ratePercentPattern,
  taxAmountMinor,
  taxCodeCodeLengthMax,
  taxCodeKinds,
  taxCodeNameLengthMax,
  taxCodeOn,
  taxCodeProblems,
  taxCodeRatesMax,
  taxCodesPerBookMax,
} from './domain/tax-codes.js';
export { checkTaxCodes, taxLines } from './domain/entry-tax.js';
export type { BookEventRecord } from './application/book-worker.js';
