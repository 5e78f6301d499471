import { isValidBIC } from 'ibantools';

/**
 * VAT identification numbers by prefix (the EU's VIES formats, Greece as `EL`, Northern Ireland
 * as `XI`; and the neighbours a German firm bills most: CH, GB, NO). The prefix is a country
 * code, not always the ISO one (EL for Greece). Only the format is checked here; whether the
 * number is registered is a question for VIES, which Kontor does not call.
 */
export const vatIdFormats: Readonly<Record<string, { pattern: RegExp; example: string }>> = {
  AT: { pattern: /^ATU\d{8}$/, example: 'ATU12345678' },
  BE: { pattern: /^BE[01]\d{9}$/, example: 'BE0123456789' },
  BG: { pattern: /^BG\d{9,10}$/, example: 'BG123456789' },
  CY: { pattern: /^CY\d{8}[A-Z]$/, example: 'CY12345678X' },
  CZ: { pattern: /^CZ\d{8,10}$/, example: 'CZ12345678' },
  DE: { pattern: /^DE\d{9}$/, example: 'DE123456789' },
  DK: { pattern: /^DK\d{8}$/, example: 'DK12345678' },
  EE: { pattern: /^EE\d{9}$/, example: 'EE123456789' },
  EL: { pattern: /^EL\d{9}$/, example: 'EL123456789' },
  ES: { pattern: /^ES[A-Z0-9]\d{7}[A-Z0-9]$/, example: 'ESX1234567X' },
  FI: { pattern: /^FI\d{8}$/, example: 'FI12345678' },
  FR: { pattern: /^FR[A-HJ-NP-Z0-9]{2}\d{9}$/, example: 'FR12345678901' },
  HR: { pattern: /^HR\d{11}$/, example: 'HR12345678901' },
  HU: { pattern: /^HU\d{8}$/, example: 'HU12345678' },
  IE: { pattern: /^IE(\d{7}[A-W][A-IW]?|\d[A-Z0-9+*]\d{5}[A-W])$/, example: 'IE1234567WA' },
  IT: { pattern: /^IT\d{11}$/, example: 'IT12345678901' },
  LT: { pattern: /^LT(\d{9}|\d{12})$/, example: 'LT123456789' },
  LU: { pattern: /^LU\d{8}$/, example: 'LU12345678' },
  LV: { pattern: /^LV\d{11}$/, example: 'LV12345678901' },
  MT: { pattern: /^MT\d{8}$/, example: 'MT12345678' },
  NL: { pattern: /^NL\d{9}B\d{2}$/, example: 'NL123456789B01' },
  PL: { pattern: /^PL\d{10}$/, example: 'PL1234567890' },
  PT: { pattern: /^PT\d{9}$/, example: 'PT123456789' },
  RO: { pattern: /^RO\d{2,10}$/, example: 'RO1234567890' },
  SE: { pattern: /^SE\d{10}01$/, example: 'SE123456789001' },
  SI: { pattern: /^SI\d{8}$/, example: 'SI12345678' },
  SK: { pattern: /^SK\d{10}$/, example: 'SK1234567890' },
  XI: { pattern: /^XI(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/, example: 'XI123456789' },
  GB: { pattern: /^GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/, example: 'GB123456789' },
  CH: { pattern: /^CHE\d{9}(MWST|TVA|IVA)?$/, example: 'CHE123456789MWST' },
  NO: { pattern: /^NO\d{9}(MVA)?$/, example: 'NO123456789MVA' },
};

/** Spaces, dots and hyphens people write into VAT ids and IBANs are dropped; letters upper-cased. */
export function normalizeVatId(value: string): string {
  return value.replace(/[\s.\-]/g, '').toUpperCase();
}

/** Why a (normalized) VAT id is not one, or undefined when its format is right. */
export function vatIdProblem(vatId: string): string | undefined {
  const prefix = vatId.slice(0, 2);
  const format = vatIdFormats[prefix];
  if (!format)
    return `must start with a known country prefix (${Object.keys(vatIdFormats).join(', ')}), e.g. DE123456789`;
  if (!format.pattern.test(vatId))
    return `is not a ${prefix} VAT id: expected the format of ${format.example}`;
  return undefined;
}

export { ibanProblem, normalizeIban } from '../../event-sourcing/index.js';

export function bicProblem(bic: string): string | undefined {
  return isValidBIC(bic)
    ? undefined
    : 'is not a BIC (ISO 9362: 8 or 11 characters, e.g. COBADEFFXXX)';
}
