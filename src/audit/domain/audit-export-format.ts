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
  'data',
] as const;

/** What the last line of an export states: the file before it has `rows` rows and this sha256. */
export interface AuditExportTrailer {
  exportId: string;
  format: AuditExportFormat;
  rows: number;
  sha256: string;
  untilPosition: string;
}

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

/** The first line of a file (the CSV header; jsonl has none). */
export function exportHeader(format: AuditExportFormat): string {
  return format === 'csv' ? `${auditCsvColumns.join(',')}\r\n` : '';
}

/** One row, newline-terminated. CSV per RFC 4180 (CRLF, fields quoted when needed), data as JSON. */
export function exportRow(format: AuditExportFormat, entry: AuditEntry): string {
  if (format === 'jsonl') return `${JSON.stringify(auditEntryJson(entry))}\n`;
  const fields = [
    entry.position.toString(),
    entry.recordedAt,
    entry.type,
    entry.streamId,
    entry.book ?? '',
    entry.actor.id,
    entry.actor.name,
    entry.correlationId ?? '',
    entry.causationId ?? '',
    entry.summary,
    JSON.stringify(entry.data),
  ];
  return `${fields.map(csvField).join(',')}\r\n`;
}

/**
 * The last line. Its sha256 covers every byte before it, so `head -n -1 FILE | sha256sum` checks
 * a file. CSV: a `#` comment line; jsonl: one object with the single key `trailer`.
 */
export function exportTrailer(trailer: AuditExportTrailer): string {
  if (trailer.format === 'jsonl') return `${JSON.stringify({ trailer })}\n`;
  return `# kontor-audit-export exportId=${trailer.exportId} format=csv rows=${trailer.rows} sha256=${trailer.sha256} untilPosition=${trailer.untilPosition}\r\n`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value !== value.trim()
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}
