import currencyCodes from 'currency-codes';
import { ValidationError } from './errors.js';

/**
 * Money is an integer count of minor units (bigint) in one ISO 4217 currency. Decimal strings
 * exist only at the edges (API, exports); every sum goes through this module.
 */
export type MinorUnits = bigint;

const amountPattern = /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;
/** Largest amount accepted at the edge: 10^18 minor units, far beyond any real posting. */
export const amountMinorMax = 10n ** 18n;

/** The ISO 4217 minor-unit digits of a currency, or undefined for an unknown code. */
export function currencyDigits(currency: string): number | undefined {
  if (!/^[A-Z]{3}$/.test(currency)) return undefined;
  return currencyCodes.code(currency)?.digits;
}

export function isCurrency(currency: string): boolean {
  return currencyDigits(currency) !== undefined;
}

/**
 * Parses a positive or zero decimal string ("1234.56") into minor units. Refuses signs,
 * exponents, separators, and more fraction digits than the currency has.
 */
export function parseAmount(text: string, currency: string, field = 'amount'): MinorUnits {
  const digits = currencyDigits(currency);
  if (digits === undefined)
    throw new ValidationError(`Unknown currency ${currency}`, [
      { field, message: `unknown currency ${currency}` },
    ]);
  const match = typeof text === 'string' ? amountPattern.exec(text) : null;
  const fraction = (match?.[2] ?? '').slice(1);
  if (!match || fraction.length > digits) {
    throw new ValidationError(`Invalid amount ${JSON.stringify(text)} for ${currency}`, [
      { field, message: `${amountExpectation(currency, digits)}, got ${JSON.stringify(text)}` },
    ]);
  }
  const minor = BigInt(match[1]! + fraction.padEnd(digits, '0'));
  if (minor > amountMinorMax)
    throw new ValidationError('Amount too large', [{ field, message: 'amount too large' }]);
  return minor;
}

/** `expected a decimal string like "1200.00" with at most 2 decimals for EUR` (JPY: "1200", no decimals). */
function amountExpectation(currency: string, digits: number): string {
  const example = digits === 0 ? '1200' : `1200.${'0'.repeat(digits)}`;
  const decimals =
    digits === 0 ? 'no decimals' : `at most ${digits} decimal${digits === 1 ? '' : 's'}`;
  return `expected a decimal string like "${example}" with ${decimals} for ${currency}`;
}

/** Formats minor units as a decimal string with exactly the currency's digits ("-12.50"). */
export function formatAmount(minor: MinorUnits, currency: string): string {
  const digits = currencyDigits(currency) ?? 2;
  const negative = minor < 0n;
  const text = (negative ? -minor : minor).toString().padStart(digits + 1, '0');
  const whole = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? '' : '.' + text.slice(-digits);
  return (negative ? '-' : '') + whole + fraction;
}

export function sumMinor(values: Iterable<MinorUnits>): MinorUnits {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}
