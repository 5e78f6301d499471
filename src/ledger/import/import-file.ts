import { parseCsv } from './csv-import.js';
import { parseDatev } from './datev-import.js';
import { parseHledger } from './hledger-import.js';
import { ParsedImport } from './imported.js';

export const importFormats = ['hledger', 'datev', 'csv'] as const;
export type ImportFormat = (typeof importFormats)[number];

export function isImportFormat(format: string): format is ImportFormat {
  return (importFormats as readonly string[]).includes(format);
}

/** A file's entries, refusals and accounts, by format (hledger and csv are UTF-8). */
export function parseImportFile(
  format: ImportFormat,
  bytes: Buffer,
  baseCurrency: string,
): ParsedImport {
  switch (format) {
    case 'hledger':
      return parseHledger(bytes.toString('utf8'));
    case 'datev':
      return parseDatev(bytes);
    case 'csv':
      return parseCsv(bytes.toString('utf8'), baseCurrency);
  }
}

export type { ImportedAccount, ImportedEntry, ImportRefusal, ParsedImport } from './imported.js';
