import { CsvAmount, CsvWriter, csvWriter } from '../../event-sourcing/csv/index.js';
import { AuditEntry } from './audit-entry.js';

export const auditExportFormats = ['csv', 'jsonl'] as const;
export type AuditExportFormat = (typeof auditExportFormats)[number];

export function isAuditExportFormat(value: unknown): value is AuditExportFormat {
  return typeof value === 'string' && (auditExportFormats as readonly string[]).includes(value);
}

export const auditCsvColumns = [
  'position',
  'recordedAt',
  'type',
  'streamId',
  'book',
  'actorId',
  'actorName',
  'correlationId',
  'causationId',
  'summary',
  'amount',
  'currency',
  'data',
] as const;

/** The JSON form of an entry: the items of `GET /v1/audit` and the lines of a jsonl export. */
export interface AuditEntryJson {
  position: number | string;
  recordedAt: string;
  type: string;
  streamId: string;
  book: string | null;
  actor: { id: string; name: string };
  correlationId: string | null;
  causationId: string | null;
  summary: string;
  data: unknown;
}

export function auditEntryJson(entry: AuditEntry): AuditEntryJson {
  const position =
    entry.position <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(entry.position)
      : entry.position.toString();
  return {
    position,
    recordedAt: entry.recordedAt,
    type: entry.type,
    streamId: entry.streamId,
    book: entry.book,
    actor: { id: entry.actor.id, name: entry.actor.name },
    correlationId: entry.correlationId,
    causationId: entry.causationId,
    summary: entry.summary,
    data: entry.data,
  };
}

/** The start of a file: the CSV preamble (BOM for `de`) and header; jsonl has none. */
export function exportHeader(format: AuditExportFormat, csv: CsvWriter = csvWriter()): string {
  return format === 'csv' ? csv.preamble + csv.row(auditCsvColumns) : '';
}

/**
 * One row, newline-terminated. CSV through the shared writer (RFC 4180 or the `de` dialect): the
 * event's amount in its own columns, the whole data as JSON in the last.
 */
export function exportRow(
  format: AuditExportFormat,
  entry: AuditEntry,
  csv: CsvWriter = csvWriter(),
): string {
  if (format === 'jsonl') return `${JSON.stringify(auditEntryJson(entry))}\n`;
  const amount = amountOf(entry.data);
  return csv.row([
    entry.position.toString(),
    entry.recordedAt,
    entry.type,
    entry.streamId,
    entry.book,
    entry.actor.id,
    entry.actor.name,
    entry.correlationId,
    entry.causationId,
    entry.summary,
    amount,
    amount?.currency,
    JSON.stringify(entry.data),
  ]);
}

interface AmountLine {
  side?: unknown;
  amountMinor?: unknown;
  currency?: unknown;
}

/**
 * The amount an event moves, when it names one currency: an entry's debit total (its `lines`, or
 * its `entry.lines`), or a payment-like `amountMinor` + `currency`. Entries over several
 * currencies leave the columns empty (their lines are in `data`).
 */
export function amountOf(data: unknown): CsvAmount | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const record = data as { lines?: unknown; entry?: { lines?: unknown } } & AmountLine;
  const lines = Array.isArray(record.lines) ? record.lines : record.entry?.lines;
  if (Array.isArray(lines)) return debitTotal(lines as AmountLine[]);
  return minorAmount(record);
}

function debitTotal(lines: AmountLine[]): CsvAmount | undefined {
  const debits = lines.filter((line) => line.side === 'debit').map(minorAmount);
  const currencies = new Set(debits.map((amount) => amount?.currency));
  if (debits.length === 0 || currencies.size !== 1 || debits.includes(undefined)) return undefined;
  const amounts = debits as CsvAmount[];
  return {
    currency: amounts[0]!.currency,
    amountMinor: amounts.reduce((total, amount) => total + amount.amountMinor, 0n),
  };
}

function minorAmount(value: AmountLine): CsvAmount | undefined {
  const { amountMinor, currency } = value;
  if (typeof currency !== 'string' || typeof amountMinor !== 'string') return undefined;
  if (!/^-?\d{1,30}$/.test(amountMinor)) return undefined;
  return { amountMinor: BigInt(amountMinor), currency };
}
