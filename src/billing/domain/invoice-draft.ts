import { ValidationError, currencyDigits, type FieldError } from '../../event-sourcing/index.js';
import { isCalendarDate } from '../../ledger/index.js';
import { InvoiceRuleError } from './invoice-errors.js';
import {
  buyerReferenceLengthMax,
  invoiceLinesMax,
  invoiceNoteLengthMax,
  lineDescriptionLengthMax,
  paymentTermsDaysMax,
  quantityDecimalsMax,
  quantityIntegerDigitsMax,
  unitCodeDefault,
  unitCodePattern,
  unitPriceDecimalsMax,
  unitPriceIntegerDigitsMax,
} from './invoice-limits.js';
import { InvoiceTaxCode, invoiceRateOf, vatTreatmentOf } from './invoice-tax.js';
import { invoiceTotals, parseScaled } from './invoice-totals.js';

// An invoice draft as the API gives it, and its check: every field problem at once (400),
// then the rules of invoicing (422). The result is what a draft event records.

export interface ServicePeriod {
  from: string;
  to: string;
}

export interface InvoiceLineInput {
  description: string;
  quantity: string;
  unit?: string;
  unitPrice: string;
  taxCode: string;
  revenueAccount?: string;
  costCenter?: string;
}

export interface InvoiceDraftInput {
  customer: string;
  issueDate?: string;
  deliveryDate?: string;
  servicePeriod?: ServicePeriod;
  currency?: string;
  paymentTermsDays?: number;
  note?: string;
  buyerReference?: string;
  lines: InvoiceLineInput[];
}

/** The customer as the parties module resolved it (for the draft: its id, number and name). */
export interface DraftCustomer {
  partyId: string;
  number: string;
  name: string;
  buyerReference?: string;
  paymentTermsDays?: number;
  naturalPerson?: boolean;
}

/** What the draft is checked against, resolved by the application from other modules. */
export interface DraftContext {
  baseCurrency: string;
  customer: DraftCustomer | undefined;
  /** The book's tax codes valid on the issue date (or today), by code. */
  taxCodes: Readonly<Record<string, InvoiceTaxCode>>;
  /** Every tax code the book knows, to tell "unknown" from "not valid on that date". */
  knownTaxCodes: readonly string[];
  /** The date the tax codes were resolved for. */
  taxDate: string;
}

export interface DraftLine {
  description: string;
  quantity: string;
  unit: string;
  unitPrice: string;
  taxCode: string;
  ratePercent: string;
  revenueAccount?: string;
  costCenter?: string;
  netMinor: string;
}

export interface DraftTotals {
  netMinor: string;
  taxes: { taxCode: string; ratePercent: string; baseMinor: string; amountMinor: string }[];
  grossMinor: string;
}

/** A checked draft: what `InvoiceDraftCreated` / `InvoiceDraftReplaced` record. */
export interface InvoiceDraft {
  /** No name for a private customer: it is personal data, read from the party when shown. */
  customer: { partyId: string; number: string; name?: string };
  issueDate?: string;
  deliveryDate?: string;
  servicePeriod?: ServicePeriod;
  currency: string;
  paymentTermsDays: number;
  note?: string;
  buyerReference?: string;
  lines: DraftLine[];
  totals: DraftTotals;
}

/** Payment terms when neither the draft nor the customer names any. */
export const paymentTermsDaysDefault = 14;

function textField(
  value: unknown,
  field: string,
  max: number,
  errors: FieldError[],
  required = true,
) {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || value.trim() === '')
    errors.push({ field, message: 'required, a non-empty string' });
  else if (value.length > max) errors.push({ field, message: `at most ${max} characters` });
}

function dateField(value: unknown, field: string, errors: FieldError[]) {
  if (value !== undefined && !isCalendarDate(value))
    errors.push({ field, message: 'expected a calendar date YYYY-MM-DD' });
}

function lineProblems(line: InvoiceLineInput, index: number, errors: FieldError[]) {
  const at = `lines[${index}]`;
  textField(line.description, `${at}.description`, lineDescriptionLengthMax, errors);
  const quantity = parseScaled(line.quantity, quantityDecimalsMax, quantityIntegerDigitsMax);
  if (!quantity)
    errors.push({
      field: `${at}.quantity`,
      message: `expected a positive decimal string with at most ${quantityDecimalsMax} decimals, like "3" or "1.25"`,
    });
  else if (quantity.units === 0n)
    errors.push({ field: `${at}.quantity`, message: 'must be greater than zero' });
  if (!parseScaled(line.unitPrice, unitPriceDecimalsMax, unitPriceIntegerDigitsMax))
    errors.push({
      field: `${at}.unitPrice`,
      message: `expected a non-negative decimal string with at most ${unitPriceDecimalsMax} decimals, like "100.00"`,
    });
  if (
    line.unit !== undefined &&
    (typeof line.unit !== 'string' || !unitCodePattern.test(line.unit))
  )
    errors.push({
      field: `${at}.unit`,
      message: 'expected a UN/ECE Rec 20 unit code like "C62" or "HUR"',
    });
  textField(line.taxCode, `${at}.taxCode`, 64, errors);
  textField(line.revenueAccount, `${at}.revenueAccount`, 64, errors, false);
  textField(line.costCenter, `${at}.costCenter`, 64, errors, false);
}

/** Field problems of the input (shape, decimals, limits, dates); empty when well-formed. */
export function draftFieldProblems(input: InvoiceDraftInput): FieldError[] {
  const errors: FieldError[] = [];
  textField(input.customer, 'customer', 128, errors);
  dateField(input.issueDate, 'issueDate', errors);
  dateField(input.deliveryDate, 'deliveryDate', errors);
  if (input.servicePeriod !== undefined) {
    dateField(input.servicePeriod.from, 'servicePeriod.from', errors);
    dateField(input.servicePeriod.to, 'servicePeriod.to', errors);
    if (input.servicePeriod.from === undefined || input.servicePeriod.to === undefined)
      errors.push({ field: 'servicePeriod', message: 'needs both from and to' });
    else if (input.servicePeriod.from > input.servicePeriod.to)
      errors.push({ field: 'servicePeriod', message: 'from must not be after to' });
  }
  const terms = input.paymentTermsDays;
  if (terms !== undefined && (!Number.isInteger(terms) || terms < 0 || terms > paymentTermsDaysMax))
    errors.push({
      field: 'paymentTermsDays',
      message: `an integer from 0 to ${paymentTermsDaysMax}`,
    });
  textField(input.note, 'note', invoiceNoteLengthMax, errors, false);
  textField(input.buyerReference, 'buyerReference', buyerReferenceLengthMax, errors, false);
  if (!Array.isArray(input.lines) || input.lines.length === 0)
    errors.push({ field: 'lines', message: 'at least one line' });
  else if (input.lines.length > invoiceLinesMax)
    errors.push({
      field: 'lines',
      message: `at most ${invoiceLinesMax} lines (invoiceLinesMax), got ${input.lines.length}`,
    });
  else input.lines.forEach((line, index) => lineProblems(line, index, errors));
  return errors;
}

function checkCurrency(currency: string, baseCurrency: string): void {
  if (currencyDigits(currency) === undefined)
    throw new ValidationError(`Unknown currency ${currency}`, [
      { field: 'currency', message: `not an ISO 4217 currency code: ${currency}` },
    ]);
  if (currency !== baseCurrency)
    throw new InvoiceRuleError(
      `No exchange-rate policy for ${currency}: invoices are issued in the book's base currency ${baseCurrency}`,
      [{ field: 'currency', message: `use ${baseCurrency} (or leave it out)` }],
    );
}

function resolveTaxCodes(input: InvoiceDraftInput, context: DraftContext): InvoiceTaxCode[] {
  const errors: FieldError[] = [];
  const resolved = input.lines.map((line, index) => {
    const code = context.taxCodes[line.taxCode];
    const treatment = code && vatTreatmentOf(code);
    if (!code || !treatment) {
      const known = context.knownTaxCodes.includes(line.taxCode);
      errors.push({
        field: `lines[${index}].taxCode`,
        message: !known
          ? `unknown tax code ${line.taxCode}; GET /v1/books/:book/tax-codes lists the book's codes`
          : !code
            ? `tax code ${line.taxCode} is not valid on ${context.taxDate}`
            : `tax code ${line.taxCode} is not an output-tax code`,
      });
    }
    return code!;
  });
  if (errors.length)
    throw new InvoiceRuleError('A line names a tax code the invoice cannot use', errors);
  checkOneCodePerRate(resolved);
  return resolved;
}

/** Two codes of one VAT category and rate would need one EN 16931 breakdown with two taxes. */
function checkOneCodePerRate(codes: readonly InvoiceTaxCode[]): void {
  const byRate = new Map<string, string>();
  for (const code of codes) {
    const key = `${vatTreatmentOf(code)!.category}|${invoiceRateOf(code)}`;
    const other = byRate.get(key);
    if (other !== undefined && other !== code.code)
      throw new InvoiceRuleError(
        `Tax codes ${other} and ${code.code} have the same VAT category and rate; use one of them on an invoice`,
        [{ field: 'lines', message: `one tax code per VAT rate (${other} or ${code.code})` }],
      );
    byRate.set(key, code.code);
  }
}

function checkCustomer(input: InvoiceDraftInput, customer: DraftCustomer | undefined) {
  if (!customer)
    throw new InvoiceRuleError(`Unknown customer ${input.customer}`, [
      {
        field: 'customer',
        message: 'a party id or customer number of this book (GET /v1/books/:book/parties)',
      },
    ]);
  return customer;
}

/** The checked draft with its totals; throws ValidationError (400) or InvoiceRuleError (422). */
export function prepareDraft(input: InvoiceDraftInput, context: DraftContext): InvoiceDraft {
  const problems = draftFieldProblems(input);
  if (problems.length) throw new ValidationError('The invoice draft is not valid', problems);
  const currency = input.currency ?? context.baseCurrency;
  checkCurrency(currency, context.baseCurrency);
  if (input.deliveryDate === undefined && input.servicePeriod === undefined)
    throw new InvoiceRuleError(
      'An invoice names its delivery date or service period (§ 14 Abs. 4 Nr. 6 UStG)',
      [{ field: 'deliveryDate', message: 'give deliveryDate or servicePeriod {from, to}' }],
    );
  const customer = checkCustomer(input, context.customer);
  const codes = resolveTaxCodes(input, context);
  const totals = invoiceTotals(
    input.lines.map((line, index) => ({ ...line, ratePercent: invoiceRateOf(codes[index]!) })),
    currencyDigits(currency)!,
  );
  const buyerReference = input.buyerReference ?? customer.buyerReference;
  return {
    customer: {
      partyId: customer.partyId,
      number: customer.number,
      ...(customer.naturalPerson ? {} : { name: customer.name }),
    },
    ...(input.issueDate === undefined ? {} : { issueDate: input.issueDate }),
    ...(input.deliveryDate === undefined ? {} : { deliveryDate: input.deliveryDate }),
    ...(input.servicePeriod === undefined
      ? {}
      : { servicePeriod: { from: input.servicePeriod.from, to: input.servicePeriod.to } }),
    currency,
    paymentTermsDays:
      input.paymentTermsDays ?? customer.paymentTermsDays ?? paymentTermsDaysDefault,
    ...(input.note === undefined ? {} : { note: input.note }),
    ...(buyerReference === undefined ? {} : { buyerReference }),
    lines: input.lines.map((line, index) => ({
      description: line.description,
      quantity: line.quantity,
      unit: line.unit ?? unitCodeDefault,
      unitPrice: line.unitPrice,
      taxCode: line.taxCode,
      ratePercent: invoiceRateOf(codes[index]!),
      ...(line.revenueAccount === undefined ? {} : { revenueAccount: line.revenueAccount }),
      ...(line.costCenter === undefined ? {} : { costCenter: line.costCenter }),
      netMinor: totals.lineNetsMinor[index]!.toString(),
    })),
    totals: {
      netMinor: totals.netMinor.toString(),
      taxes: totals.taxes.map((tax) => ({
        taxCode: tax.taxCode,
        ratePercent: tax.ratePercent,
        baseMinor: tax.baseMinor.toString(),
        amountMinor: tax.amountMinor.toString(),
      })),
      grossMinor: totals.grossMinor.toString(),
    },
  };
}
