import { PersonalField } from './party.js';

/**
 * Retention classes of a natural person's fields, one data key each (docs/adr/0015): `contact`
 * (e-mail, phone) no retention duty covers, erased at once on request; `records` (name,
 * address, IBAN) appear on invoices and in the books, kept until the retention ends.
 */
export const keyClasses = ['contact', 'records'] as const;
export type KeyClass = (typeof keyClasses)[number];

export const fieldKeyClass: Readonly<Record<PersonalField, KeyClass>> = {
  name: 'records',
  address: 'records',
  iban: 'records',
  email: 'contact',
  phone: 'contact',
};

export function fieldsOfClass(keyClass: KeyClass): PersonalField[] {
  return (Object.keys(fieldKeyClass) as PersonalField[]).filter(
    (field) => fieldKeyClass[field] === keyClass,
  );
}

/** §147 AO (as amended by the BEG IV, 2025): books 10 years, Buchungsbelege (invoices) 8. */
export const retentionYears = { bookings: 10, invoices: 8 } as const;

/** The last records of a party that a retention duty covers (ISO dates), as far as any exist. */
export interface RetentionBasis {
  lastInvoiceDate?: string;
  lastBookingDate?: string;
}

export interface RetentionEnd {
  /** The last day a duty covers (31 December); null: no duty, erasable at once. */
  retainedUntil: string | null;
  /** The first day the `records` fields may be erased; null with retainedUntil. */
  erasableFrom: string | null;
  /** Per kind of record: its last date and the end of its retention. */
  basis: { kind: 'invoices' | 'bookings'; lastDate: string; retainedUntil: string }[];
}

/**
 * The retention period begins at the end of the calendar year the record was made in and runs
 * 8 (invoices) or 10 (bookings) full years: an invoice of 2026 is kept until 31 Dec 2034.
 */
export function retentionEnd(basis: RetentionBasis): RetentionEnd {
  const ends: RetentionEnd['basis'] = [];
  const add = (kind: 'invoices' | 'bookings', date: string | undefined) => {
    if (date === undefined) return;
    const year = Number(date.slice(0, 4)) + retentionYears[kind];
    ends.push({ kind, lastDate: date, retainedUntil: `${year}-12-31` });
  };
  add('invoices', basis.lastInvoiceDate);
  add('bookings', basis.lastBookingDate);
  const latest = ends
    .map((end) => end.retainedUntil)
    .sort()
    .pop();
  if (latest === undefined) return { retainedUntil: null, erasableFrom: null, basis: ends };
  return {
    retainedUntil: latest,
    erasableFrom: `${Number(latest.slice(0, 4)) + 1}-01-01`,
    basis: ends,
  };
}
