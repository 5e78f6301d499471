import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { IdempotencyKeys, ImportedEntry, ImportRefusal, ParsedImport } from './imported.js';

/** EXTF header fields (1-based in the DATEV description) the import reads. */
const header = { format: 0, category: 2, periodFrom: 14 } as const;
const bookingCategory = '21';

/** Columns of a Buchungsstapel row, found by their DATEV names in the second line. */
const columns = {
  amount: 'Umsatz (ohne Soll/Haben-Kz)',
  side: 'Soll/Haben-Kennzeichen',
  currency: 'WKZ Umsatz',
  account: 'Konto',
  contra: 'Gegenkonto (ohne BU-Schlüssel)',
  taxKey: 'BU-Schlüssel',
  date: 'Belegdatum',
  reference: 'Belegfeld 1',
  discount: 'Skonto',
  text: 'Buchungstext',
} as const;

type Row = { record: string[]; info: { lines: number }; raw: string };

/**
 * A DATEV EXTF Buchungsstapel (format category 21), Windows-1252: one entry per row, `Konto`
 * debited and `Gegenkonto` credited for `S` (the other way round for `H`), dated by
 * `Belegdatum` (DDMM) in the year of the header's `Datum vom` (the next year for a month before
 * its month). Rows with a BU-Schlüssel or a Skonto are refused (their tax and discount lines are
 * DATEV's automatic bookings: book them as explicit lines).
 */
export function parseDatev(bytes: Buffer): ParsedImport {
  const text = iconv.decode(bytes, 'windows-1252');
  const records = parse(text, {
    delimiter: ';',
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
    raw: true,
  }) as unknown as Row[];
  const first = records[0]?.record ?? [];
  if (first[header.format] !== 'EXTF' || first[header.category] !== bookingCategory)
    return refusedFile('not a DATEV EXTF Buchungsstapel (the first line must start "EXTF";…;21)');
  const periodFrom = first[header.periodFrom] ?? '';
  if (!/^\d{8}$/.test(periodFrom))
    return refusedFile(`header field 15 (Datum vom) must be YYYYMMDD, got "${periodFrom}"`);
  const names = records[1]?.record ?? [];
  const index = Object.fromEntries(
    Object.entries(columns).map(([key, name]) => [key, names.indexOf(name)]),
  ) as Record<keyof typeof columns, number>;
  const missing = (['amount', 'side', 'account', 'contra', 'date'] as const).filter(
    (key) => index[key] < 0,
  );
  if (missing.length > 0)
    return refusedFile(
      `line 2 lacks the column(s) ${missing.map((key) => `"${columns[key]}"`).join(', ')}`,
      2,
    );
  const keys = new IdempotencyKeys('datev');
  const entries: ImportedEntry[] = [];
  const refusals: ImportRefusal[] = [];
  for (const row of records.slice(2)) {
    const cell = (key: keyof typeof columns) =>
      index[key] < 0 ? '' : (row.record[index[key]] ?? '').trim();
    const problem = rowProblem(cell);
    if (problem !== undefined) {
      refusals.push({ line: row.info.lines, reason: problem });
      continue;
    }
    const amount = cell('amount').replace(',', '.');
    const currency = cell('currency') || 'EUR';
    const debitSide = cell('side') === 'S';
    const text = cell('text');
    entries.push({
      line: row.info.lines,
      idempotencyKey: keys.keyOf(row.raw.trim()),
      entry: {
        effectiveDate: dateOf(cell('date'), periodFrom),
        description: text === '' ? '(no description)' : text,
        ...(cell('reference') ? { reference: cell('reference') } : {}),
        lines: [
          { account: cell('account'), [debitSide ? 'debit' : 'credit']: amount, currency },
          { account: cell('contra'), [debitSide ? 'credit' : 'debit']: amount, currency },
        ],
      },
    });
  }
  return { entries, refusals, accounts: [] };
}

function rowProblem(cell: (key: keyof typeof columns) => string): string | undefined {
  if (!/^\d+(,\d+)?$/.test(cell('amount')))
    return `Umsatz "${cell('amount')}" is not an amount like 1234,56`;
  if (cell('side') !== 'S' && cell('side') !== 'H')
    return `Soll/Haben-Kennzeichen must be S or H, got "${cell('side')}"`;
  if (!/^\d{3,4}$/.test(cell('date'))) return `Belegdatum must be DDMM, got "${cell('date')}"`;
  if (cell('taxKey') !== '')
    return `BU-Schlüssel ${cell('taxKey')}: automatic tax bookings are outside the subset (book the tax as its own row)`;
  if (cell('discount') !== '') return 'Skonto amounts are outside the subset';
  if (cell('account') === '' || cell('contra') === '') return 'Konto and Gegenkonto are required';
  return undefined;
}

/** DDMM in the fiscal period starting at `periodFrom` (YYYYMMDD). */
function dateOf(ddmm: string, periodFrom: string): string {
  const padded = ddmm.padStart(4, '0');
  const month = Number(padded.slice(2, 4));
  const fromYear = Number(periodFrom.slice(0, 4));
  const year = month < Number(periodFrom.slice(4, 6)) ? fromYear + 1 : fromYear;
  return `${year}-${padded.slice(2, 4)}-${padded.slice(0, 2)}`;
}

function refusedFile(reason: string, line = 1): ParsedImport {
  return { entries: [], refusals: [{ line, reason }], accounts: [] };
}
