import { parse } from 'csv-parse/sync';
import { IdempotencyKeys, ImportedEntry, ImportedLine, ParsedImport } from './imported.js';

/** Columns an import CSV must have (docs/import.md); `kontor export --format csv` has them all. */
export const csvRequiredColumns = [
  'entry_id',
  'effective_date',
  'description',
  'account',
  'debit',
  'credit',
] as const;

/**
 * The documented CSV (docs/import.md): a header row, one row per journal line; consecutive rows
 * with the same `entry_id` are one entry, whose date, description and reference come from its
 * first row. `currency` (default: the book's base currency), `reference` and `memo` are optional;
 * other columns (`position`, `recorded_at` of an export) are ignored.
 */
export function parseCsv(text: string, baseCurrency: string): ParsedImport {
  const records = parse(text, {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const header = records[0]?.record ?? [];
  const missing = csvRequiredColumns.filter((column) => !header.includes(column));
  if (missing.length > 0)
    return {
      entries: [],
      refusals: [{ line: 1, reason: `the header row lacks the column(s) ${missing.join(', ')}` }],
      accounts: [],
    };
  const cell = (row: string[], column: string) => {
    const index = header.indexOf(column);
    return index < 0 ? '' : (row[index] ?? '').trim();
  };
  const keys = new IdempotencyKeys('csv');
  const entries: ImportedEntry[] = [];
  let current: { id: string; entry: ImportedEntry; rows: string[][] } | undefined;
  const close = () => {
    if (current === undefined) return;
    current.entry.idempotencyKey = keys.keyOf(JSON.stringify(current.rows));
    entries.push(current.entry);
  };
  for (const { record: row, info } of records.slice(1)) {
    const id = cell(row, 'entry_id');
    const line: ImportedLine = {
      account: cell(row, 'account'),
      ...(cell(row, 'debit') ? { debit: cell(row, 'debit') } : {}),
      ...(cell(row, 'credit') ? { credit: cell(row, 'credit') } : {}),
      currency: cell(row, 'currency') || baseCurrency,
      ...(cell(row, 'memo') ? { memo: cell(row, 'memo') } : {}),
    };
    if (current?.id === id && id !== '') {
      current.entry.entry.lines.push(line);
      current.rows.push(row);
      continue;
    }
    close();
    const reference = cell(row, 'reference');
    current = {
      id,
      rows: [row],
      entry: {
        line: info.lines,
        idempotencyKey: '',
        entry: {
          effectiveDate: cell(row, 'effective_date'),
          description: cell(row, 'description'),
          ...(reference ? { reference } : {}),
          lines: [line],
        },
      },
    };
  }
  close();
  return { entries, refusals: [], accounts: [] };
}
