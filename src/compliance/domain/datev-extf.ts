/**
 * The DATEV-Format (EXTF, header version 700) as text: the header line, the column line and the
 * data lines, `;`-separated, texts in double quotes (quotes doubled), amounts with a decimal
 * comma and no thousands separator, CRLF line ends. The caller encodes it in Windows-1252.
 * Rules and sources: docs/compliance.md, "DATEV".
 */

export interface DatevHeader {
  category: 21 | 16;
  consultantNumber: number;
  clientNumber: number;
  /** YYYY-MM-DD */
  fiscalYearStart: string;
  accountLength: number;
  /** YYYY-MM-DD; Buchungsstapel only. */
  from?: string;
  to?: string;
  description: string;
  /** Buchungsstapel: every booking of the range lies in closed (locked) periods. */
  locked?: boolean;
  currency: string;
  /** The chart ("03", "04") where the book has one. */
  chart?: string;
  /** YYYYMMDDHHMMSSFFF, from the injected clock. */
  createdAt: string;
}

export const buchungsstapelColumns = [
  'Umsatz (ohne Soll/Haben-Kz)',
  'Soll/Haben-Kennzeichen',
  'WKZ Umsatz',
  'Kurs',
  'Basis-Umsatz',
  'WKZ Basis-Umsatz',
  'Konto',
  'Gegenkonto (ohne BU-Schlüssel)',
  'BU-Schlüssel',
  'Belegdatum',
  'Belegfeld 1',
  'Belegfeld 2',
  'Skonto',
  'Buchungstext',
] as const;

export const partiesColumns = [
  'Konto',
  'Name (Adressatentyp Unternehmen)',
  'Unternehmensgegenstand',
  'Name (Adressatentyp natürl. Person)',
  'Vorname (Adressatentyp natürl. Person)',
  'Name (Adressatentyp keine Angabe)',
  'Adressatentyp',
  'Kurzbezeichnung',
  'EU-Land',
  'EU-UStID',
  'Anrede',
  'Titel/Akad. Grad',
  'Adelstitel',
  'Namensvorsatz',
  'Adressart',
  'Straße',
  'Postfach',
  'Postleitzahl',
  'Ort',
  'Land',
] as const;

const formats = {
  21: { name: 'Buchungsstapel', version: 13 },
  16: { name: 'Debitoren/Kreditoren', version: 5 },
} as const;

export type DatevCell = string | number | { text: string };

/** A text cell: quoted, `"` doubled, cut to `lengthMax` characters. */
export function text(value: string, lengthMax = 60): { text: string } {
  return { text: value.slice(0, lengthMax) };
}

export function datevLine(cells: readonly DatevCell[]): string {
  return cells
    .map((cell) =>
      typeof cell === 'object' ? `"${cell.text.replaceAll('"', '""')}"` : String(cell),
    )
    .join(';');
}

const compactDate = (date: string) => date.replaceAll('-', '');

/** The 31 fields of the header line (DATEV-Format, "Header"). */
export function headerLine(header: DatevHeader): string {
  const format = formats[header.category];
  const stapel = header.category === 21;
  return datevLine([
    text('EXTF'),
    700,
    header.category,
    text(format.name),
    format.version,
    header.createdAt,
    '',
    text('RE'),
    text('Kontor'),
    text(''),
    header.consultantNumber,
    header.clientNumber,
    compactDate(header.fiscalYearStart),
    header.accountLength,
    stapel && header.from ? compactDate(header.from) : '',
    stapel && header.to ? compactDate(header.to) : '',
    text(stapel ? header.description.slice(0, 30) : ''),
    text(''),
    stapel ? 1 : '',
    stapel ? 0 : '',
    stapel ? (header.locked ? 1 : 0) : '',
    text(stapel ? header.currency : ''),
    '',
    text(''),
    '',
    '',
    text(header.chart ?? ''),
    '',
    '',
    text(''),
    text(''),
  ]);
}

export function columnLine(columns: readonly string[]): string {
  return columns.join(';');
}

/** Belegdatum: TTMM of YYYY-MM-DD. */
export function belegdatum(date: string): string {
  return `${date.slice(8, 10)}${date.slice(5, 7)}`;
}

/** Belegfeld 1 takes at most 36 of the characters a-z A-Z 0-9 $ & % * + - / (others dropped). */
export function belegfeld1(reference: string | null): string {
  return (reference ?? '').replace(/[^a-zA-Z0-9$&%*+\-/]/g, '').slice(0, 36);
}
