import { canonicalDecimal } from '../domain/decimal.js';
import type { Decimal, IsoDate, VatCategoryCode } from '../domain/en16931.model.js';
import { vatCategoryCodes } from '../domain/en16931.model.js';
import { UnreadableFieldError } from './invoice-read-error.js';

// Field conversions shared by the UBL and CII readers. A mandatory field the document lacks
// reads as '' so the rule check names the rule it breaks; a field that is present but cannot
// be read (an amount "12,50", a date "13.04.2018") makes the whole read fail.

export function optionalDecimal(field: string, value: string | undefined): Decimal | undefined {
  if (value === undefined) return undefined;
  const decimal = canonicalDecimal(value);
  if (decimal === undefined) throw new UnreadableFieldError(field, value);
  return decimal;
}

export function requiredDecimal(field: string, value: string | undefined): Decimal {
  return optionalDecimal(field, value) ?? '';
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

export function optionalIsoDate(field: string, value: string | undefined): IsoDate | undefined {
  if (value === undefined) return undefined;
  if (!isoDate.test(value)) throw new UnreadableFieldError(field, value);
  return value;
}

/** A CII udt:DateTimeString / qdt:DateTimeString; format 102 is YYYYMMDD. */
export function optionalCiiDate(
  field: string,
  value: string | undefined,
  format: string | undefined,
): IsoDate | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if ((format ?? '102') !== '102' || !match) throw new UnreadableFieldError(field, value);
  return `${match[1]}-${match[2]}-${match[3]}`;
}

export function vatCategory(field: string, value: string | undefined): VatCategoryCode {
  if (value === undefined) return '' as VatCategoryCode;
  if (!(vatCategoryCodes as readonly string[]).includes(value))
    throw new UnreadableFieldError(field, value);
  return value as VatCategoryCode;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

/** The value without undefined fields, empty arrays and empty objects, recursively. */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map(compact).filter((item) => !isEmpty(item)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value)
    .map(([key, item]) => [key, compact(item)] as const)
    .filter(([, item]) => !isEmpty(item));
  return Object.fromEntries(entries) as T;
}
