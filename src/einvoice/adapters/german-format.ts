import { formatDecimal, roundDecimal } from '../domain/decimal.js';
import type { Decimal, IsoDate } from '../domain/en16931.model.js';

// German number and date formatting for the human-readable invoice PDF.

function groupThousands(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** "1234.5" → "1.234,50" (at least `minFractionDigits` decimals). */
export function germanNumber(value: Decimal, minFractionDigits = 0): string {
  if (value === '') return '';
  const formatted = formatDecimal(value, minFractionDigits);
  const negative = formatted.startsWith('-');
  const [whole = '0', fraction] = formatted.replace('-', '').split('.');
  const body =
    fraction === undefined ? groupThousands(whole) : `${groupThousands(whole)},${fraction}`;
  return negative ? `-${body}` : body;
}

/** "1234.5", "EUR" → "1.234,50 EUR", rounded to the cent. */
export function germanAmount(value: Decimal | undefined, currency: string): string {
  if (value === undefined || value === '') return '';
  return `${germanNumber(roundDecimal(value, 2), 2)} ${currency}`;
}

/** "2026-11-30" → "30.11.2026". */
export function germanDate(date: IsoDate | undefined): string {
  if (!date) return '';
  const [year, month, day] = date.split('-');
  return `${day}.${month}.${year}`;
}
