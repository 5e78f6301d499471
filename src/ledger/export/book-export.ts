import {
  currencyDigits,
  EventStore,
  formatAmount,
  NotFoundError,
  RecordedEvent,
} from '../../event-sourcing/index.js';
import { CsvDialect, CsvWriter, csvWriter } from '../../event-sourcing/csv/index.js';
import {
  AccountType,
  BookEvent,
  bookStreamId,
  isBookEventType,
  JournalEntryPostedData,
  JournalLine,
} from '../domain/book.events.js';

export const exportFormats = ['jsonl', 'csv', 'hledger'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface ExportOptions {
  /** Only events at or before this log position: the book as it stood then. */
  untilPosition?: bigint;
  /**
   * Streams other modules keep beside the book (its parties, its company data): in `jsonl` their
   * events are merged in log order with the book's. csv and hledger hold the journal only.
   */
  companionStreams?: readonly string[];
  /** csv: `standard` (default) or `de` (docs/audit.md "CSV dialects"). */
  dialect?: CsvDialect;
}

/** Events read from the log per round trip. */
export const exportBatchSize = 1000;

/**
 * A book's events from the LOG (not the read models, so it works at any position), rendered as
 * text chunks: write them to a stream as they come. Throws NotFoundError for a book with no events.
 */
export async function* exportBook(
  store: EventStore,
  book: string,
  format: ExportFormat,
  options: ExportOptions = {},
): AsyncGenerator<string> {
  const renderer = renderers[format](csvWriter(options.dialect, { neutralizeFormulas: true }));
  let found = false;
  const streams = [
    bookStreamId(book),
    ...(format === 'jsonl' ? (options.companionStreams ?? []) : []),
  ];
  const sources = streams.map((streamId) => streamEvents(store, streamId, options.untilPosition));
  for await (const event of mergedByPosition(sources)) {
    if (!found) {
      found = true;
      const header = renderer.header?.(book);
      if (header) yield header;
    }
    const text = renderer.event(event);
    if (text) yield text;
  }
  if (!found)
    throw new NotFoundError(
      `Book ${book} not found${options.untilPosition === undefined ? '' : ` at position ${options.untilPosition}`}`,
    );
}

/** Several streams' events as one sequence in log (position) order. */
async function* mergedByPosition(
  sources: AsyncGenerator<RecordedEvent>[],
): AsyncGenerator<RecordedEvent> {
  const heads = await Promise.all(sources.map((source) => source.next()));
  for (;;) {
    let next: number | undefined;
    heads.forEach((head, index) => {
      const best = next === undefined ? undefined : heads[next];
      if (!head.done && (!best || best.done || head.value.position < best.value.position))
        next = index;
    });
    if (next === undefined) return;
    const head = heads[next]!;
    if (head.done) return;
    yield head.value;
    heads[next] = await sources[next]!.next();
  }
}

async function* streamEvents(
  store: EventStore,
  streamId: string,
  untilPosition: bigint | undefined,
): AsyncGenerator<RecordedEvent> {
  let fromRevision = 0;
  for (;;) {
    const batch = await store.readStream(streamId, {
      fromRevision,
      limit: exportBatchSize,
    });
    for (const event of batch) {
      if (untilPosition !== undefined && event.position > untilPosition) return;
      yield event;
    }
    if (batch.length < exportBatchSize) return;
    fromRevision = batch[batch.length - 1]!.revision + 1;
  }
}

interface Renderer {
  header?(book: string): string;
  event(event: RecordedEvent): string | undefined;
}

const renderers: Record<ExportFormat, (csv: CsvWriter) => Renderer> = {
  jsonl: () => ({ event: jsonlLine }),
  csv: (csv) => ({
    header: () => csv.preamble + csv.row(csvColumns),
    event: (recorded) => csvRows(csv, recorded),
  }),
  hledger: hledgerRenderer,
};

/** One JSON object per event: the log's own fields. */
function jsonlLine(event: RecordedEvent): string {
  return (
    JSON.stringify({
      position: event.position.toString(),
      streamId: event.streamId,
      revision: event.revision,
      eventId: event.eventId,
      type: event.type,
      schemaVersion: event.schemaVersion,
      recordedAt: event.recordedAt,
      data: event.data,
      metadata: event.metadata,
      hash: event.hash,
    }) + '\n'
  );
}

const csvColumns = [
  'entry_id',
  'effective_date',
  'description',
  'reference',
  'reversal_of',
  'line_no',
  'account',
  'currency',
  'debit',
  'credit',
  'memo',
  'position',
  'recorded_at',
];

/** One row per journal line (other events carry no amounts). */
function csvRows(csv: CsvWriter, recorded: RecordedEvent): string | undefined {
  if (recorded.type !== 'JournalEntryPosted') return undefined;
  const entry = recorded.data as JournalEntryPostedData;
  return entry.lines
    .map((line, index) => {
      const amount = { amountMinor: BigInt(line.amountMinor), currency: line.currency };
      return csv.row([
        entry.entryId,
        entry.effectiveDate,
        entry.description,
        entry.reference,
        entry.reversalOf,
        String(index),
        line.account,
        line.currency,
        line.side === 'debit' ? amount : undefined,
        line.side === 'credit' ? amount : undefined,
        line.memo,
        recorded.position.toString(),
        recorded.recordedAt,
      ]);
    })
    .join('');
}

const hledgerAccountTypes: Record<AccountType, string> = {
  asset: 'A',
  liability: 'L',
  equity: 'E',
  revenue: 'R',
  expense: 'X',
};

/**
 * hledger journal format (checked with hledger 1.25): a `commodity` directive per currency before
 * its first use fixes the decimal mark and the ISO 4217 digits (JPY `1000.`, BHD `1000.000`);
 * accounts are named by code; amounts are `-1234.56 EUR`; free text is sanitized (no newlines,
 * `;` would start a comment).
 */
function hledgerRenderer(): Renderer {
  const declared = new Set<string>();
  const commodityDirectives = (lines: JournalLine[]): string =>
    lines
      .filter((line) => !declared.has(line.currency) && declared.add(line.currency))
      .map(
        (line) =>
          `commodity 1000.${'0'.repeat(currencyDigits(line.currency) ?? 2)} ${line.currency}\n`,
      )
      .join('');
  return {
    header: (book) => `; Kontor book ${hledgerText(book)}, exported from the event log\n\n`,
    event(recorded) {
      if (!isBookEventType(recorded.type)) return hledgerDocumentComment(recorded);
      const event = { type: recorded.type, data: recorded.data } as BookEvent;
      switch (event.type) {
        case 'BookOpened':
          return `; ${hledgerText(event.data.name)} (base currency ${event.data.baseCurrency})\n\n`;
        case 'AccountOpened':
          return `account ${hledgerAccount(event.data.code)}  ; type:${hledgerAccountTypes[event.data.type]}, name:${hledgerTagValue(event.data.name)}\n`;
        case 'AccountIbanChanged':
          return `; account ${hledgerAccount(event.data.code)} IBAN ${event.data.iban ?? 'removed'} ${recorded.recordedAt}\n`;
        case 'AccountClosed':
          return `; account ${hledgerAccount(event.data.code)} closed ${recorded.recordedAt}\n`;
        case 'PeriodClosed':
          return `; period ${event.data.period} closed ${recorded.recordedAt}\n`;
        case 'PeriodReopened':
          return `; period ${event.data.period} reopened ${recorded.recordedAt}: ${hledgerText(event.data.reason)}\n`;
        case 'TaxCodeDefined':
          return `; tax code ${hledgerText(event.data.code)} ${hledgerText(event.data.name)}\n`;
        case 'JournalEntryPosted':
          return commodityDirectives(event.data.lines) + hledgerTransaction(event.data);
      }
    },
  };
}

/** A document event (docs/adr/0008) is a comment: its entry follows as a transaction. */
function hledgerDocumentComment(recorded: RecordedEvent): string {
  const data = recorded.data as { documentId?: unknown; number?: unknown };
  const name = typeof data.number === 'string' ? data.number : String(data.documentId);
  return `; ${recorded.type} ${hledgerText(name)}\n`;
}

function hledgerTransaction(entry: JournalEntryPostedData): string {
  const code = entry.reference ? ` (${hledgerText(entry.reference).replace(/[()]/g, '')})` : '';
  const description = hledgerText(entry.description) || '(no description)';
  const tags = [
    `entry:${hledgerTagValue(entry.entryId)}`,
    ...(entry.reversalOf ? [`reversal-of:${hledgerTagValue(entry.reversalOf)}`] : []),
  ];
  const postings = entry.lines.map((line) => {
    const amountMinor =
      line.side === 'debit' ? BigInt(line.amountMinor) : -BigInt(line.amountMinor);
    const memo = line.memo ? `  ; ${hledgerText(line.memo)}` : '';
    return `    ${hledgerAccount(line.account)}  ${formatAmount(amountMinor, line.currency)} ${line.currency}${memo}\n`;
  });
  return `${entry.effectiveDate}${code} ${description}  ; ${tags.join(', ')}\n${postings.join('')}\n`;
}

/** One line, no comment start, no runs of spaces (two spaces end an account name). */
function hledgerText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/;/g, ',')
    .replace(/\s+/g, ' ')
    .trim();
}

function hledgerTagValue(text: string): string {
  return hledgerText(text).replace(/,/g, ' ');
}

/** Account codes are letters, digits, `.`, `_`, `-`; `:` (hledger's hierarchy) cannot occur. */
function hledgerAccount(code: string): string {
  return code.replace(/[\s:;]/g, '_');
}
