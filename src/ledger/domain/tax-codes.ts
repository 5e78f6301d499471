import { FieldError } from '../../event-sourcing/index.js';
import { identifierProblem, textProblem } from './book.rules.js';
import { isCalendarDate } from './calendar.js';

/**
 * Tax codes of a book (Steuerschlüssel): what a line's `taxCode` means. A code has rates that
 * belong to date ranges (the second half of 2020 had 16 % / 5 %): the rate of a line is the one
 * in force on the entry's effective date. Pure: other modules (billing) use `taxCodeOn`.
 *
 * Kinds (which tax lines `"tax": "auto"` adds for a line that is a base of the code):
 * - `output` (USt): the tax on the output account, on the base's side;
 * - `input` (VSt): the tax on the input account, on the base's side;
 * - `reverse-charge` (§ 13b) and `intra-eu-acquisition` (igE): on a purchase (a base on a
 *   non-revenue account) both taxes — input tax on the base's side, output tax opposite; on a
 *   sale (a revenue account) none: the recipient owes the tax;
 * - `exempt` (steuerfrei im Inland) and `intra-eu-supply` (igL): no tax.
 */
export const taxCodeKinds = [
  'output',
  'input',
  'reverse-charge',
  'intra-eu-acquisition',
  'intra-eu-supply',
  'exempt',
] as const;
export type TaxCodeKind = (typeof taxCodeKinds)[number];

export const taxCodeCodeLengthMax = 32;
export const taxCodeNameLengthMax = 200;
export const taxCodeRatesMax = 50;
export const taxCodesPerBookMax = 500;
/** A rate in percent: 0 to 99.99, at most two decimals (`"19"`, `"5.5"`). */
export const ratePercentPattern = /^(0|[1-9][0-9]?)(\.[0-9]{1,2})?$/;
export const datevKeyPattern = /^[0-9]{1,4}$/;
/**
 * The base Kennzahlen of form USt 1 A 2026 a code may name (src/compliance/domain/vat-return.ts
 * maps each to its tax field).
 */
export const vatReturnBaseFields = [
  '81',
  '86',
  '87',
  '89',
  '93',
  '35',
  '76',
  '95',
  '94',
  '46',
  '73',
  '78',
  '84',
  '41',
  '44',
  '49',
  '43',
  '48',
  '91',
  '42',
  '60',
  '21',
  '45',
] as const;

export interface TaxRatePeriod {
  /** YYYY-MM-DD, the first day the rate applies. */
  validFrom: string;
  /** YYYY-MM-DD, the last day; open-ended when absent. */
  validTo?: string;
  ratePercent: string;
}

/** A tax code as the book holds it (`TaxCodeDefined`). */
export interface TaxCodeDefinition {
  code: string;
  name: string;
  kind: TaxCodeKind;
  /** Sorted by `validFrom`, never overlapping. */
  rates: TaxRatePeriod[];
  outputAccount?: string;
  inputAccount?: string;
  /** The chart's revenue account for sales under this code (SKR03 USt19 → 8400). */
  revenueAccount?: string;
  /** The chart's expense account for purchases under this code (SKR03 VSt19 → 3400). */
  expenseAccount?: string;
  /** DATEV BU key (Steuerschlüssel), where one applies. */
  datevKey?: string;
  /**
   * The VAT return's base Kennzahl for this code where its kind's default does not fit (e.g.
   * `21` for services to EU businesses, `46` for § 13b Abs. 1 services received); docs/compliance.md.
   */
  vatReturnField?: string;
}

/** A tax code as in force on one date (`taxCodeOn`). */
export interface TaxCodeOnDate {
  code: string;
  name: string;
  kind: TaxCodeKind;
  ratePercent: string;
  validFrom: string;
  validTo?: string;
  outputAccount?: string;
  inputAccount?: string;
  revenueAccount?: string;
  expenseAccount?: string;
  datevKey?: string;
  vatReturnField?: string;
}

/** The code as in force on `date` (YYYY-MM-DD), or undefined when unknown or not valid then. */
export function taxCodeOn(
  codes: Iterable<TaxCodeDefinition> | ReadonlyMap<string, TaxCodeDefinition>,
  code: string,
  date: string,
): TaxCodeOnDate | undefined {
  const definition = findCode(codes, code);
  const period = definition?.rates.find(
    (rate) => rate.validFrom <= date && (rate.validTo === undefined || date <= rate.validTo),
  );
  if (definition === undefined || period === undefined) return undefined;
  const { rates: _rates, ...rest } = definition;
  return { ...rest, ...period };
}

function findCode(
  codes: Iterable<TaxCodeDefinition> | ReadonlyMap<string, TaxCodeDefinition>,
  code: string,
): TaxCodeDefinition | undefined {
  if (codes instanceof Map) return (codes as ReadonlyMap<string, TaxCodeDefinition>).get(code);
  for (const definition of codes as Iterable<TaxCodeDefinition>)
    if (definition.code === code) return definition;
  return undefined;
}

/**
 * The tax on a base, in minor units: base × rate / 100, rounded half away from zero
 * ("kaufmännisch"), exact in bigint.
 */
export function taxAmountMinor(baseMinor: bigint, ratePercent: string): bigint {
  const [whole, fraction = ''] = ratePercent.split('.');
  const hundredths = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
  const scaled = baseMinor * hundredths;
  const magnitude = scaled < 0n ? -scaled : scaled;
  const rounded = (magnitude + 5000n) / 10000n;
  return scaled < 0n ? -rounded : rounded;
}

/** Which accounts a kind needs. */
const accountsByKind: Record<TaxCodeKind, readonly ('outputAccount' | 'inputAccount')[]> = {
  output: ['outputAccount'],
  input: ['inputAccount'],
  'reverse-charge': ['outputAccount', 'inputAccount'],
  'intra-eu-acquisition': ['outputAccount', 'inputAccount'],
  'intra-eu-supply': [],
  exempt: [],
};

/** Every problem of a definition, fields named as in the API (`rates[1].validFrom`). */
export function taxCodeProblems(
  input: Partial<Record<keyof TaxCodeDefinition, unknown>>,
): FieldError[] {
  const errors: FieldError[] = [];
  const push = (field: string, message: string | undefined) => {
    if (message !== undefined) errors.push({ field, message });
  };
  push('code', identifierProblem(input.code, taxCodeCodeLengthMax));
  push('name', textProblem(input.name, { required: true, lengthMax: taxCodeNameLengthMax }));
  const kindKnown = (taxCodeKinds as readonly unknown[]).includes(input.kind);
  push('kind', kindKnown ? undefined : `must be one of ${taxCodeKinds.join(', ')}`);
  errors.push(...ratesProblems(input.rates));
  for (const field of [
    'outputAccount',
    'inputAccount',
    'revenueAccount',
    'expenseAccount',
  ] as const)
    if (input[field] != null) push(field, identifierProblem(input[field], 64));
  if (kindKnown)
    for (const field of accountsByKind[input.kind as TaxCodeKind])
      if (input[field] == null)
        push(field, `is required for a tax code of kind ${String(input.kind)}`);
  if (input.datevKey != null)
    push(
      'datevKey',
      typeof input.datevKey === 'string' && datevKeyPattern.test(input.datevKey)
        ? undefined
        : 'must be 1 to 4 digits (the DATEV BU key)',
    );
  if (input.vatReturnField != null)
    push(
      'vatReturnField',
      (vatReturnBaseFields as readonly unknown[]).includes(input.vatReturnField)
        ? undefined
        : `must be a base Kennzahl of the VAT return: ${vatReturnBaseFields.join(', ')}`,
    );
  return errors;
}

function ratesProblems(rates: unknown): FieldError[] {
  if (!Array.isArray(rates) || rates.length === 0 || rates.length > taxCodeRatesMax)
    return [{ field: 'rates', message: `must hold 1 to ${taxCodeRatesMax} rate periods` }];
  const errors: FieldError[] = [];
  let previousEnd: string | undefined;
  let open = false;
  rates.forEach((rate: Partial<Record<keyof TaxRatePeriod, unknown>> | null, index) => {
    const field = `rates[${index}]`;
    if (typeof rate !== 'object' || rate === null) {
      errors.push({ field, message: 'must be an object' });
      return;
    }
    const { validFrom, validTo, ratePercent } = rate;
    if (typeof ratePercent !== 'string' || !ratePercentPattern.test(ratePercent))
      errors.push({
        field: `${field}.ratePercent`,
        message: 'must be a percentage 0 to 99.99, e.g. "19"',
      });
    if (typeof validFrom !== 'string' || !isCalendarDate(validFrom)) {
      errors.push({ field: `${field}.validFrom`, message: 'must be a calendar date YYYY-MM-DD' });
      return;
    }
    if (
      validTo != null &&
      (typeof validTo !== 'string' || !isCalendarDate(validTo) || validTo < validFrom)
    )
      errors.push({
        field: `${field}.validTo`,
        message: 'must be a calendar date on or after validFrom',
      });
    if (open || (previousEnd !== undefined && validFrom <= previousEnd))
      errors.push({
        field: `${field}.validFrom`,
        message: 'rate periods must be in order and must not overlap',
      });
    open = validTo == null;
    previousEnd = typeof validTo === 'string' ? validTo : previousEnd;
  });
  return errors;
}
