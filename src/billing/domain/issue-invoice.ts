import { formatAmount, type FieldError } from '../../event-sourcing/index.js';
import type { InvoiceDraft, InvoiceDraftInput } from './invoice-draft.js';
import { InvoiceRuleError } from './invoice-errors.js';
import { InvoiceTaxCode, vatTreatmentOf } from './invoice-tax.js';
import {
  CustomerSnapshot,
  InvoiceIssuedFields,
  IssuedLine,
  IssuedTax,
  SellerSnapshot,
  addDays,
} from './issued-documents.js';

// Issuing turns a checked draft into the InvoiceIssued data and its journal entry: the
// receivables control account (debit, the party on the line) to revenue per account and tax
// code and to the output VAT account per tax code. Pure: every input is resolved by the caller.

/** A journal line as billing hands it to PostDocument (the ledger's JournalLineInput). */
export interface DocumentEntryLine {
  account: string;
  debit?: string;
  credit?: string;
  taxCode?: string;
  party?: string;
  memo?: string;
}

export interface DocumentEntry {
  effectiveDate: string;
  description: string;
  lines: DocumentEntryLine[];
  metadata?: Record<string, string>;
}

export interface IssueContext {
  issueDate: string;
  seller: SellerSnapshot | undefined;
  customer: CustomerSnapshot;
  /** The draft's tax codes as valid on the issue date (the draft was re-checked against them). */
  taxCodes: Readonly<Record<string, InvoiceTaxCode>>;
  receivablesAccount: string;
}

/**
 * The fields XRechnung needs of the seller that the company settings lack, named as in
 * `PUT /v1/books/:book/settings/company` (BR-DE-2…7, BR-DE-16, BR-DE-1 / BR-61 for the IBAN).
 */
export function missingSellerFieldsOf(seller: SellerSnapshot | undefined): string[] {
  const missing: string[] = [];
  const need = (ok: unknown, field: string) => (ok ? undefined : missing.push(field));
  need(seller?.name, 'name');
  need(seller?.address?.line1, 'address.street');
  need(seller?.address?.city, 'address.city');
  need(seller?.address?.postCode, 'address.postalCode');
  need(seller?.address?.countryCode, 'address.country');
  need(seller?.vatId || seller?.taxNumber, 'vatId');
  need(seller?.contact?.name, 'contactName');
  need(seller?.contact?.phone, 'phone');
  need(seller?.contact?.email, 'email');
  need(seller?.iban, 'iban');
  return missing;
}

/** The draft as API input again, to re-check it against the tax codes of the issue date. */
export function draftAsInput(draft: InvoiceDraft, customer: string): InvoiceDraftInput {
  const { lines, totals: _totals, customer: _customer, ...rest } = draft;
  return {
    ...rest,
    customer,
    lines: lines.map(({ ratePercent: _rate, netMinor: _net, ...line }) => line),
  };
}

function issuedLines(draft: InvoiceDraft, codes: IssueContext['taxCodes']): IssuedLine[] {
  const errors: FieldError[] = [];
  const lines = draft.lines.map((line, index) => {
    const code = codes[line.taxCode]!;
    const revenueAccount = line.revenueAccount ?? code.revenueAccount;
    if (!revenueAccount)
      errors.push({
        field: `lines[${index}].revenueAccount`,
        message: `tax code ${line.taxCode} names no revenue account; give revenueAccount`,
      });
    return {
      ...line,
      vatCategory: vatTreatmentOf(code)!.category,
      revenueAccount: revenueAccount ?? '',
    };
  });
  if (errors.length) throw new InvoiceRuleError('A line has no revenue account', errors);
  return lines;
}

function issuedTaxes(draft: InvoiceDraft, codes: IssueContext['taxCodes']): IssuedTax[] {
  return draft.totals.taxes.map((tax) => {
    const code = codes[tax.taxCode]!;
    const treatment = vatTreatmentOf(code)!;
    if (BigInt(tax.amountMinor) !== 0n && !code.outputAccount)
      throw new InvoiceRuleError(`Tax code ${tax.taxCode} names no output VAT account`, [
        { field: 'taxCode', message: `define the output account of ${tax.taxCode}` },
      ]);
    return {
      ...tax,
      vatCategory: treatment.category,
      ...(code.outputAccount ? { outputAccount: code.outputAccount } : {}),
      ...(treatment.exemption
        ? {
            exemptionReason: treatment.exemption.reason,
            exemptionReasonCode: treatment.exemption.code,
          }
        : {}),
    };
  });
}

function checkVatIds(codes: InvoiceTaxCode[], context: IssueContext): string[] {
  const treatments = codes.map((code) => vatTreatmentOf(code)!);
  const legal = treatments.filter((t) => t.needsBothVatIds);
  if (legal.length === 0) return [];
  const missing = [
    ...(context.seller?.vatId ? [] : ['the seller’s VAT id (company settings vatId)']),
    ...(context.customer.vatId ? [] : [`the customer’s VAT id (party ${context.customer.number})`]),
  ];
  if (missing.length)
    throw new InvoiceRuleError(
      `A reverse-charge or intra-EU invoice carries both VAT ids (§ 14a UStG); missing: ${missing.join(', ')}`,
      [{ field: 'customer', message: `missing ${missing.join(', ')}` }],
    );
  return [...new Set(legal.map((t) => t.exemption!.reason))];
}

/** The InvoiceIssued fields (without the number the book assigns) of a re-checked draft. */
export function issuedInvoiceFields(
  draft: InvoiceDraft,
  context: IssueContext,
): InvoiceIssuedFields {
  const missing = missingSellerFieldsOf(context.seller);
  if (missing.length)
    throw new InvoiceRuleError(
      `The company settings lack what an invoice must name: ${missing.join(', ')} (PUT /v1/books/:book/settings/company)`,
      missing.map((field) => ({
        field: `company.${field}`,
        message: 'required to issue an invoice',
      })),
    );
  if (BigInt(draft.totals.grossMinor) <= 0n)
    throw new InvoiceRuleError('Nothing to invoice: the invoice total is 0', [
      { field: 'lines', message: 'at least one line with a price' },
    ]);
  const codes = [...new Set(draft.lines.map((l) => l.taxCode))].map((c) => context.taxCodes[c]!);
  const legalNotes = checkVatIds(codes, context);
  return {
    issueDate: context.issueDate,
    dueDate: addDays(context.issueDate, draft.paymentTermsDays),
    ...(draft.deliveryDate === undefined ? {} : { deliveryDate: draft.deliveryDate }),
    ...(draft.servicePeriod === undefined ? {} : { servicePeriod: draft.servicePeriod }),
    currency: draft.currency,
    customer: {
      ...context.customer,
      ...(draft.buyerReference === undefined ? {} : { buyerReference: draft.buyerReference }),
    },
    seller: context.seller!,
    lines: issuedLines(draft, context.taxCodes),
    totals: {
      netMinor: draft.totals.netMinor,
      taxes: issuedTaxes(draft, context.taxCodes),
      grossMinor: draft.totals.grossMinor,
    },
    receivablesAccount: context.receivablesAccount,
    paymentTermsDays: draft.paymentTermsDays,
    ...(draft.note === undefined ? {} : { note: draft.note }),
    ...(legalNotes.length ? { legalNotes } : {}),
  };
}

type Side = 'debit' | 'credit';
const other = (side: Side): Side => (side === 'debit' ? 'credit' : 'debit');

/**
 * The entry of an invoice (`receivablesSide` debit) or of a credit note (credit): the control
 * account with the party, revenue grouped by account, tax code and cost centre, VAT per code.
 */
export function documentEntryLines(
  document: Pick<
    InvoiceIssuedFields,
    'lines' | 'totals' | 'currency' | 'receivablesAccount' | 'customer'
  >,
  receivablesSide: Side,
): DocumentEntryLine[] {
  const amount = (minor: bigint) => formatAmount(minor, document.currency);
  const revenue = new Map<string, { line: IssuedLine; minor: bigint }>();
  for (const line of document.lines) {
    const key = JSON.stringify([line.revenueAccount, line.taxCode, line.costCenter ?? null]);
    const group = revenue.get(key) ?? { line, minor: 0n };
    group.minor += BigInt(line.netMinor);
    revenue.set(key, group);
  }
  const side = other(receivablesSide);
  return [
    {
      account: document.receivablesAccount,
      [receivablesSide]: amount(BigInt(document.totals.grossMinor)),
      party: document.customer.partyId,
    },
    ...[...revenue.values()]
      .filter(({ minor }) => minor !== 0n)
      .map(({ line, minor }) => ({
        account: line.revenueAccount,
        [side]: amount(minor),
        taxCode: line.taxCode,
        ...(line.costCenter ? { memo: `cost centre ${line.costCenter}` } : {}),
      })),
    ...document.totals.taxes
      .filter((tax) => BigInt(tax.amountMinor) !== 0n)
      .map((tax) => ({
        account: tax.outputAccount!,
        [side]: amount(BigInt(tax.amountMinor)),
        taxCode: tax.taxCode,
      })),
  ];
}
