import { ValidationError, currencyDigits, type FieldError } from '../../event-sourcing/index.js';
import type { InvoiceLineInput } from './invoice-draft.js';
import { InvoiceRuleError } from './invoice-errors.js';
import {
  creditNoteReasonLengthMax,
  invoiceLinesMax,
  lineDescriptionLengthMax,
  quantityDecimalsMax,
  quantityIntegerDigitsMax,
  unitCodeDefault,
  unitPriceDecimalsMax,
  unitPriceIntegerDigitsMax,
} from './invoice-limits.js';
import { invoiceTotals, parseScaled } from './invoice-totals.js';
import type { CreditNoteIssuedFields, InvoiceIssuedData, IssuedLine } from './issued-documents.js';

// A credit note (381) for an issued invoice: positive quantities, the invoice's own tax codes
// and rates (not today's), at most what is still open; without lines it credits the whole
// invoice and cancels it.

export interface CreditNoteInput {
  reason: string;
  lines?: InvoiceLineInput[];
}

function fieldProblems(input: CreditNoteInput, invoice: InvoiceIssuedData): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof input.reason !== 'string' || input.reason.trim() === '')
    errors.push({ field: 'reason', message: 'required, why the invoice is credited' });
  else if (input.reason.length > creditNoteReasonLengthMax)
    errors.push({ field: 'reason', message: `at most ${creditNoteReasonLengthMax} characters` });
  if (input.lines === undefined) return errors;
  if (
    !Array.isArray(input.lines) ||
    input.lines.length === 0 ||
    input.lines.length > invoiceLinesMax
  )
    errors.push({
      field: 'lines',
      message: `1 to ${invoiceLinesMax} lines, or leave it out to credit the whole invoice`,
    });
  else
    input.lines.forEach((line, index) => {
      const at = `lines[${index}]`;
      if (
        typeof line.description !== 'string' ||
        !line.description.trim() ||
        line.description.length > lineDescriptionLengthMax
      )
        errors.push({
          field: `${at}.description`,
          message: `1 to ${lineDescriptionLengthMax} characters`,
        });
      const quantity = parseScaled(line.quantity, quantityDecimalsMax, quantityIntegerDigitsMax);
      if (!quantity || quantity.units === 0n)
        errors.push({
          field: `${at}.quantity`,
          message: `a positive decimal with at most ${quantityDecimalsMax} decimals (credit notes carry positive quantities)`,
        });
      if (!parseScaled(line.unitPrice, unitPriceDecimalsMax, unitPriceIntegerDigitsMax))
        errors.push({
          field: `${at}.unitPrice`,
          message: `a non-negative decimal with at most ${unitPriceDecimalsMax} decimals`,
        });
      if (!invoice.totals.taxes.some((tax) => tax.taxCode === line.taxCode))
        errors.push({
          field: `${at}.taxCode`,
          message: `one of the invoice's tax codes: ${invoice.totals.taxes.map((t) => t.taxCode).join(', ')}`,
        });
    });
  return errors;
}

function creditLines(input: CreditNoteInput, invoice: InvoiceIssuedData): IssuedLine[] {
  if (input.lines === undefined) return invoice.lines;
  const digits = currencyDigits(invoice.currency)!;
  return input.lines.map((line) => {
    const tax = invoice.totals.taxes.find((t) => t.taxCode === line.taxCode)!;
    const original = invoice.lines.find((l) => l.taxCode === line.taxCode)!;
    const [net] = invoiceTotals([{ ...line, ratePercent: tax.ratePercent }], digits).lineNetsMinor;
    return {
      description: line.description,
      quantity: line.quantity,
      unit: line.unit ?? unitCodeDefault,
      unitPrice: line.unitPrice,
      taxCode: line.taxCode,
      ratePercent: tax.ratePercent,
      vatCategory: tax.vatCategory,
      revenueAccount: line.revenueAccount ?? original.revenueAccount,
      ...(line.costCenter ? { costCenter: line.costCenter } : {}),
      netMinor: net!.toString(),
    };
  });
}

/** The CreditNoteIssued fields (number added by the book); `openMinor` is what is still open. */
export function creditNoteFields(
  input: CreditNoteInput,
  invoice: InvoiceIssuedData,
  openMinor: bigint,
  issueDate: string,
): CreditNoteIssuedFields {
  const problems = fieldProblems(input, invoice);
  if (problems.length) throw new ValidationError('The credit note is not valid', problems);
  // A credit note dated before its invoice would credit the receivable before it exists (the
  // open items as of a date in between would no longer reconcile with the ledger).
  if (issueDate < invoice.issueDate)
    throw new InvoiceRuleError(
      `Invoice ${invoice.number} is dated ${invoice.issueDate}; a credit note for it can be issued from that day on (today is ${issueDate})`,
      [{ field: 'issueDate', message: `must not be before ${invoice.issueDate}` }],
    );
  const lines = creditLines(input, invoice);
  const digits = currencyDigits(invoice.currency)!;
  const totals = invoiceTotals(lines, digits);
  const full = input.lines === undefined;
  if (full && openMinor !== BigInt(invoice.totals.grossMinor))
    throw new InvoiceRuleError(
      `Invoice ${invoice.number} is partly paid or credited; credit what is open with lines`,
      [{ field: 'lines', message: 'give the lines to credit' }],
    );
  if (totals.grossMinor > openMinor)
    throw new InvoiceRuleError(
      `The credit note exceeds what is open on invoice ${invoice.number}`,
      [{ field: 'lines', message: `at most ${openMinor} minor units gross are open` }],
    );
  const taxes = totals.taxes.map((tax) => {
    const original = invoice.totals.taxes.find((t) => t.taxCode === tax.taxCode)!;
    return {
      ...original,
      baseMinor: tax.baseMinor.toString(),
      amountMinor: tax.amountMinor.toString(),
    };
  });
  return {
    invoiceId: invoice.documentId,
    invoiceNumber: invoice.number,
    invoiceIssueDate: invoice.issueDate,
    issueDate,
    reason: input.reason,
    currency: invoice.currency,
    customer: invoice.customer,
    seller: invoice.seller,
    ...(invoice.deliveryDate ? { deliveryDate: invoice.deliveryDate } : {}),
    ...(invoice.servicePeriod ? { servicePeriod: invoice.servicePeriod } : {}),
    lines,
    totals: {
      netMinor: totals.netMinor.toString(),
      taxes,
      grossMinor: totals.grossMinor.toString(),
    },
    receivablesAccount: invoice.receivablesAccount,
    cancelsInvoice: full || totals.grossMinor === openMinor,
    ...(invoice.legalNotes ? { legalNotes: invoice.legalNotes } : {}),
  };
}
