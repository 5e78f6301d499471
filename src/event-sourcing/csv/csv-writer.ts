import { formatAmount } from '../index.js';

/**
 * The one CSV writer of every CSV export (audit trail, book journal). `standard`: RFC 4180, `,`
 * and a decimal point. `de`: what a German spreadsheet opens without an import dialog — `;`, a
 * decimal comma and a UTF-8 byte order mark (docs/audit.md "CSV dialects").
 */
export const csvDialects = ['standard', 'de'] as const;
export type CsvDialect = (typeof csvDialects)[number];

export function isCsvDialect(value: unknown): value is CsvDialect {
  return typeof value === 'string' && (csvDialects as readonly string[]).includes(value);
}

/** An amount cell: minor units in their currency's digits, the decimal mark of the dialect. */
export interface CsvAmount {
  amountMinor: bigint;
  currency: string;
}

export type CsvCell = string | CsvAmount | null | undefined;

export interface CsvWriter {
  readonly dialect: CsvDialect;
  /** What the file starts with, before the header row (the BOM for `de`). */
  readonly preamble: string;
  /** One CRLF-terminated row. */
  row(cells: readonly CsvCell[]): string;
}

const byteOrderMark = '\ufeff';

/** Minor units with the currency's digits and a decimal comma, no grouping ("-1234,50"). */
export function formatAmountDecimalComma(minor: bigint, currency: string): string {
  return formatAmount(minor, currency).replace('.', ',');
}

/**
 * `neutralizeFormulas`: prefix text a spreadsheet would run as a formula (the journal export).
 * The audit export keeps values exactly as recorded: it is evidence and must round-trip.
 */
export function csvWriter(
  dialect: CsvDialect = 'standard',
  options: { neutralizeFormulas?: boolean } = {},
): CsvWriter {
  const separator = dialect === 'de' ? ';' : ',';
  const needsQuotes = new RegExp(`["${separator}\\r\\n]`);
  const text = (value: string): string => {
    const cell = options.neutralizeFormulas === true ? neutralizeFormula(value) : value;
    return needsQuotes.test(cell) || cell !== cell.trim() ? `"${cell.replace(/"/g, '""')}"` : cell;
  };
  const amount = ({ amountMinor, currency }: CsvAmount): string =>
    dialect === 'de'
      ? formatAmountDecimalComma(amountMinor, currency)
      : formatAmount(amountMinor, currency);
  return {
    dialect,
    preamble: dialect === 'de' ? byteOrderMark : '',
    row: (cells) =>
      cells
        .map((cell) => (cell == null ? '' : typeof cell === 'string' ? text(cell) : amount(cell)))
        .join(separator) + '\r\n',
  };
}

/**
 * Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a leading
 * `'` (OWASP "CSV injection"); plain numbers such as `-12.50` stay as they are.
 */
export function neutralizeFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) && !/^-?\d+([.,]\d+)?$/.test(cell) ? `'${cell}` : cell;
}
