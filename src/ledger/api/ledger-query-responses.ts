import { formatAmount } from '../../event-sourcing/index.js';
import { EntryView, LineView } from '../projections/journal.read-model.js';
import { KnownFilter, StatementSection } from '../projections/ledger-reports.js';
import { EntryLineResponse, JournalEntryResponse } from './ledger-lists.query.dto.js';
import { StatementSectionResponse } from './ledger-reports.query.dto.js';

// The read models' views as LedgerQueriesController answers them: amounts formatted in their
// currency, log positions as numbers.

export function knownEcho(known: KnownFilter): {
  knownAt: string | null;
  knownAtPosition: number | null;
} {
  return {
    knownAt: known.knownAt ?? null,
    knownAtPosition: known.knownAtPosition === undefined ? null : Number(known.knownAtPosition),
  };
}

export function toEntryResponse(entry: EntryView): JournalEntryResponse {
  return {
    id: entry.id,
    book: entry.book,
    status: 'posted',
    effectiveDate: entry.effectiveDate,
    description: entry.description,
    reference: entry.reference,
    lines: entry.lines.map(toLineResponse),
    metadata: entry.metadata,
    documents: entry.documents,
    reversalOf: entry.reversalOf,
    reversedBy: entry.reversedBy,
    ...(entry.carryForwardOf === null ? {} : { carryForwardOf: entry.carryForwardOf }),
    position: Number(entry.position),
    recordedAt: entry.recordedAt,
  };
}

function toLineResponse(line: LineView): EntryLineResponse {
  return {
    lineNo: line.lineNo,
    account: line.account,
    ...sideOf(line),
    currency: line.currency,
    ...(line.memo !== null ? { memo: line.memo } : {}),
    ...(line.taxCode !== null ? { taxCode: line.taxCode } : {}),
    ...(line.party !== null ? { party: line.party } : {}),
  };
}

export function sideOf(line: {
  debitMinor: bigint;
  creditMinor: bigint;
  currency: string;
}): { debit: string } | { credit: string } {
  return line.debitMinor > 0n
    ? { debit: formatAmount(line.debitMinor, line.currency) }
    : { credit: formatAmount(line.creditMinor, line.currency) };
}

export function sectionResponse(
  section: StatementSection,
  currency: string,
): StatementSectionResponse {
  return {
    lines: section.lines.map((line) => ({
      account: line.account,
      name: line.name,
      amount: formatAmount(line.amountMinor, currency),
    })),
    total: formatAmount(section.totalMinor, currency),
  };
}
