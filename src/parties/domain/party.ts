import { FieldError, ValidationError } from '../../event-sourcing/index.js';
import { Address, addressProblems, normalizeAddress } from './address.js';
import { bicProblem, ibanProblem, normalizeIban, normalizeVatId, vatIdProblem } from './tax-ids.js';

export const partyKinds = ['customer', 'supplier'] as const;
export type PartyKind = (typeof partyKinds)[number];

/**
 * Personal accounts (Personenkonten) in the DATEV ranges of a book with 4-digit general ledger
 * accounts: Debitoren 10000–69999, Kreditoren 70000–99999. A number not given is the kind's
 * highest so far + 1 (the first: the range's start).
 */
export const partyNumberRanges: Readonly<Record<PartyKind, { min: number; max: number }>> = {
  customer: { min: 10000, max: 69999 },
  supplier: { min: 70000, max: 99999 },
};

export const partyNameLengthMax = 200;
export const emailLengthMax = 254;
export const phoneLengthMax = 50;
export const taxNumberLengthMax = 32;
export const buyerReferenceLengthMax = 200;
export const paymentTermsDaysMax = 365;

/** A party's master data as stored (normalized: VAT id and IBAN without spaces, upper case). */
export interface PartyMasterData {
  name: string;
  naturalPerson: boolean;
  address: Address;
  vatId?: string;
  taxNumber?: string;
  email?: string;
  phone?: string;
  iban?: string;
  bic?: string;
  /** BT-10; for German public buyers the Leitweg-ID. */
  buyerReference?: string;
  paymentTermsDays?: number;
  /** A supplier's usual expense account: incoming invoices book to it when no lines are given. */
  defaultExpenseAccount?: string;
}

/** The fields that are personal data when the party is a natural person (GDPR). */
export const personalFields = ['name', 'address', 'email', 'phone', 'iban'] as const;
export type PersonalField = (typeof personalFields)[number];

export const optionalMasterFields = [
  'vatId',
  'taxNumber',
  'email',
  'phone',
  'iban',
  'bic',
  'buyerReference',
  'defaultExpenseAccount',
  'paymentTermsDays',
] as const;
export type OptionalMasterField = (typeof optionalMasterFields)[number];

/** A party as other modules and the API see it. */
export interface Party extends PartyMasterData {
  id: string;
  bookId: string;
  kind: PartyKind;
  /** The personal account number, e.g. "10001". */
  number: string;
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const phonePattern = /^\+?[0-9][0-9 ()/.-]*$/;
const taxNumberPattern = /^[A-Za-z0-9][A-Za-z0-9 ./-]*$/;

/**
 * Normalizes and checks master data: every problem as a field error (400 `validation`, nothing
 * recorded). `input` is what a client sent, already shaped by the DTO (types checked there).
 */
export function validMasterData(input: PartyMasterData): PartyMasterData {
  const problems: FieldError[] = [];
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (name === '') problems.push({ field: 'name', message: 'is required and must not be blank' });
  else if (name.length > partyNameLengthMax)
    problems.push({ field: 'name', message: `at most ${partyNameLengthMax} characters` });
  const address =
    typeof input.address === 'object' && input.address !== null
      ? normalizeAddress(withStrings(input.address))
      : input.address;
  problems.push(...addressProblems(address));
  const master: PartyMasterData = {
    name,
    naturalPerson: input.naturalPerson === true,
    address,
    ...optionalText(input, 'vatId', normalizeVatId),
    ...optionalText(input, 'taxNumber', (v) => v.trim()),
    ...optionalText(input, 'email', (v) => v.trim()),
    ...optionalText(input, 'phone', (v) => v.trim()),
    ...optionalText(input, 'iban', normalizeIban),
    ...optionalText(input, 'bic', (v) => v.replace(/\s/g, '').toUpperCase()),
    ...optionalText(input, 'buyerReference', (v) => v.trim()),
    ...optionalText(input, 'defaultExpenseAccount', (v) => v.trim()),
    ...(input.paymentTermsDays !== undefined ? { paymentTermsDays: input.paymentTermsDays } : {}),
  };
  problems.push(...optionalFieldProblems(master));
  if (problems.length > 0)
    throw new ValidationError(
      problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '),
      problems,
    );
  return master;
}

function withStrings(address: Address): Address {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    street: text(address.street),
    postalCode: text(address.postalCode),
    city: text(address.city),
    country: text(address.country),
  };
}

function optionalText<Field extends Exclude<OptionalMasterField, 'paymentTermsDays'>>(
  input: PartyMasterData,
  field: Field,
  normalize: (value: string) => string,
): Partial<Record<Field, string>> {
  const value = input[field];
  if (typeof value !== 'string') return {};
  return { [field]: normalize(value) } as Partial<Record<Field, string>>;
}

/** The checks of the optional fields; also used for company data (same field names). */
export function optionalFieldProblems(
  master: Partial<Omit<PartyMasterData, 'name' | 'address' | 'naturalPerson'>>,
): FieldError[] {
  const problems: FieldError[] = [];
  const check = (field: string, value: string | undefined, problem: (v: string) => unknown) => {
    if (value === undefined) return;
    const message = value === '' ? 'must not be blank (leave it out instead)' : problem(value);
    if (typeof message === 'string') problems.push({ field, message });
  };
  check('vatId', master.vatId, vatIdProblem);
  check('taxNumber', master.taxNumber, (v) =>
    v.length > taxNumberLengthMax
      ? `at most ${taxNumberLengthMax} characters`
      : taxNumberPattern.test(v)
        ? undefined
        : 'letters, digits, spaces, "/", "." and "-" only, e.g. 143/123/45678',
  );
  check('email', master.email, (v) =>
    v.length > emailLengthMax
      ? `at most ${emailLengthMax} characters`
      : emailPattern.test(v)
        ? undefined
        : 'is not an e-mail address (name@example.com)',
  );
  check('phone', master.phone, (v) =>
    v.length > phoneLengthMax
      ? `at most ${phoneLengthMax} characters`
      : phonePattern.test(v)
        ? undefined
        : 'digits, spaces, "+", "(", ")", "/", "." and "-" only, e.g. +49 30 1234567',
  );
  check('iban', master.iban, ibanProblem);
  check('bic', master.bic, bicProblem);
  check('buyerReference', master.buyerReference, (v) =>
    v.length > buyerReferenceLengthMax
      ? `at most ${buyerReferenceLengthMax} characters`
      : undefined,
  );
  check('defaultExpenseAccount', master.defaultExpenseAccount, (v) =>
    /^[A-Za-z0-9]{1,32}$/.test(v) ? undefined : 'an account code: 1 to 32 letters or digits',
  );
  const days = master.paymentTermsDays;
  if (days !== undefined && (!Number.isInteger(days) || days < 0 || days > paymentTermsDaysMax))
    problems.push({
      field: 'paymentTermsDays',
      message: `must be a whole number of days from 0 to ${paymentTermsDaysMax}`,
    });
  return problems;
}

/** Why a given personal account number cannot be one of this kind, or undefined. */
export function partyNumberProblem(kind: PartyKind, number: string): string | undefined {
  const range = partyNumberRanges[kind];
  if (!/^\d{1,9}$/.test(number))
    return `must be digits only, in the ${kind} range ${range.min}–${range.max}`;
  const value = Number(number);
  if (value < range.min || value > range.max || String(value) !== number)
    return `${number} is outside the ${kind} range ${range.min}–${range.max} (DATEV personal accounts)`;
  return undefined;
}

/** Which fields differ between two master data records (in a stable order). */
export function changedFields(before: PartyMasterData, after: PartyMasterData): string[] {
  const fields = ['name', 'naturalPerson', 'address', ...optionalMasterFields] as const;
  return fields.filter((field) => canonical(before[field]) !== canonical(after[field]));
}

/** Key order does not count (a stored event's objects may come back with their keys reordered). */
function canonical(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value ?? null);
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify(entries);
}
