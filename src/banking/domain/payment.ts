import {
  DomainError,
  FieldError,
  formatAmount,
  ValidationError,
} from '../../event-sourcing/index.js';

/** At most this many invoices settled by one payment. */
export const paymentAllocationsMax = 100;
export const paymentReferenceLengthMax = 140;

/** A receivable is paid by a customer (PaymentReceived), a payable to a supplier (PaymentMade). */
export type PaymentKind = 'receivable' | 'payable';

export const paymentDocumentTypes: Record<PaymentKind, string> = {
  receivable: 'PaymentReceived',
  payable: 'PaymentMade',
};

/** A payment as the edge parsed it (amounts in minor units of `currency`). */
export interface PaymentRequest {
  paymentId: string;
  /** Default receivable. */
  kind?: PaymentKind;
  partyId: string;
  date: string;
  amountMinor: bigint;
  currency: string;
  bankAccount: string;
  reference?: string;
  allocations: readonly { invoiceId: string; amountMinor: bigint }[];
  discountMinor: bigint;
}

/** A tax code's share of an invoice (InvoiceIssued `totals.taxes`). */
export interface InvoiceTaxShare {
  taxCode: string;
  ratePercent: string;
  baseMinor: bigint;
  amountMinor: bigint;
  /** The output VAT account the invoice posted this share's tax to. */
  outputAccount?: string;
}

export interface OpenInvoice {
  invoiceId: string;
  party: string;
  currency: string;
  openMinor: bigint;
  number?: string;
  taxes?: readonly InvoiceTaxShare[];
}

export interface PaymentContext {
  /** The receivables (or, for a payable, the payables) control account of the book. */
  controlAccount: string;
  /** The cash discount granted (payable: received) account (Skonto); needed only with a discount. */
  discountAccount?: string;
  invoice(invoiceId: string): OpenInvoice | undefined;
  /**
   * The VAT account a discount corrects: output VAT for a receivable, input VAT for a payable,
   * of a tax code on a date; undefined: the discount is posted gross.
   */
  taxAccount(taxCode: string, date: string): string | undefined;
}

/** A journal line as PostDocument takes it (decimal strings; `party`/`taxCode` per the ledger contract). */
export interface DocumentLine {
  account: string;
  debit?: string;
  credit?: string;
  currency: string;
  memo?: string;
  party?: string;
  taxCode?: string;
}

export interface PaymentReceivedData {
  /** Only on a payable (PaymentMade). */
  kind?: 'payable';
  partyId: string;
  date: string;
  amountMinor: string;
  currency: string;
  bankAccount: string;
  reference?: string;
  allocations: { invoiceId: string; amountMinor: string; discountMinor: string }[];
  discountMinor: string;
  controlAccount: string;
}

export interface PaymentPlan {
  /** PaymentReceived or PaymentMade. */
  documentType: string;
  data: PaymentReceivedData;
  lines: DocumentLine[];
  description: string;
}

export class BusinessRuleError extends DomainError {
  constructor(message: string, fieldErrors?: FieldError[]) {
    super('business-rule', message, fieldErrors);
  }
}

/**
 * Checks a payment against the open items and builds its document and entry. Received (a
 * receivable): bank (debit) and, for a discount, the cash discount granted account net plus the
 * output VAT it corrects, per tax code share of the invoice, to the control account (credit, with
 * the party) for amount + discount. Made (a payable): the mirror image, the payables control
 * account (debit, with the party) to bank, the discount received and the input VAT it corrects
 * (credit). What is not allocated stays open on the party (the projection makes it an item).
 */
export function planPayment(request: PaymentRequest, context: PaymentContext): PaymentPlan {
  checkShape(request);
  const kind = request.kind ?? 'receivable';
  const allocations = allocate(request, context);
  const side = (minor: bigint, debit: boolean) =>
    debit === (kind === 'receivable')
      ? { debit: money(minor, request) }
      : { credit: money(minor, request) };
  const lines: DocumentLine[] = [
    {
      account: request.bankAccount,
      ...side(request.amountMinor, true),
      currency: request.currency,
    },
    ...discountLines(request, context, allocations).map(({ minor, ...line }) => ({
      ...line,
      ...side(minor, true),
    })),
    {
      account: context.controlAccount,
      ...side(request.amountMinor + request.discountMinor, false),
      currency: request.currency,
      party: request.partyId,
    },
  ];
  const numbers = allocations.map((a) => context.invoice(a.invoiceId)?.number ?? a.invoiceId);
  return {
    documentType: paymentDocumentTypes[kind],
    data: {
      ...(kind === 'payable' ? { kind } : {}),
      partyId: request.partyId,
      date: request.date,
      amountMinor: request.amountMinor.toString(),
      currency: request.currency,
      bankAccount: request.bankAccount,
      ...(request.reference !== undefined ? { reference: request.reference } : {}),
      allocations: allocations.map((a) => ({
        invoiceId: a.invoiceId,
        amountMinor: a.amountMinor.toString(),
        discountMinor: a.discountMinor.toString(),
      })),
      discountMinor: request.discountMinor.toString(),
      controlAccount: context.controlAccount,
    },
    lines,
    description:
      numbers.length > 0
        ? `Payment ${numbers.join(', ')}`
        : `Payment on account (${request.partyId})`,
  };
}

function money(minor: bigint, request: PaymentRequest): string {
  return formatAmount(minor, request.currency);
}

function checkShape(request: PaymentRequest): void {
  if (request.amountMinor <= 0n)
    throw new ValidationError('A payment amount must be positive', [
      { field: 'amount', message: 'must be greater than zero' },
    ]);
  if (request.allocations.length > paymentAllocationsMax)
    throw new ValidationError(`At most ${paymentAllocationsMax} allocations per payment`, [
      { field: 'allocations', message: `at most ${paymentAllocationsMax} (paymentAllocationsMax)` },
    ]);
  const seen = new Set<string>();
  request.allocations.forEach((allocation, index) => {
    if (allocation.amountMinor <= 0n)
      throw new ValidationError('An allocation amount must be positive', [
        { field: `allocations[${index}].amount`, message: 'must be greater than zero' },
      ]);
    if (seen.has(allocation.invoiceId))
      throw new ValidationError(`Invoice ${allocation.invoiceId} is allocated twice`, [
        { field: `allocations[${index}].invoice`, message: 'allocate each invoice once' },
      ]);
    seen.add(allocation.invoiceId);
  });
  const allocated = request.allocations.reduce((sum, a) => sum + a.amountMinor, 0n);
  if (allocated > request.amountMinor)
    throw new BusinessRuleError(
      `The allocations (${money(allocated, request)}) exceed the payment (${money(request.amountMinor, request)})`,
      [{ field: 'allocations', message: 'allocate at most the payment amount' }],
    );
  if (request.discountMinor > 0n && request.allocations.length === 0)
    throw new ValidationError('A discount needs the invoices it is granted on', [
      { field: 'discount', message: 'give allocations to the invoices the discount is granted on' },
    ]);
}

interface Allocation {
  invoiceId: string;
  amountMinor: bigint;
  discountMinor: bigint;
}

/** Each allocation against its invoice; the discount fills the allocations' rests in order. */
function allocate(request: PaymentRequest, context: PaymentContext): Allocation[] {
  let discountLeft = request.discountMinor;
  const allocations = request.allocations.map((allocation, index) => {
    const field = `allocations[${index}]`;
    const invoice = context.invoice(allocation.invoiceId);
    if (invoice === undefined || invoice.party !== request.partyId)
      throw new ValidationError(
        `Unknown invoice ${allocation.invoiceId} of party ${request.partyId}`,
        [{ field: `${field}.invoice`, message: 'an issued invoice of this party (its id)' }],
      );
    if (invoice.currency !== request.currency)
      throw new ValidationError(
        `Invoice ${invoice.number ?? invoice.invoiceId} is in ${invoice.currency}, the payment in ${request.currency}`,
        [{ field: 'currency', message: `the invoice's currency (${invoice.currency})` }],
      );
    if (allocation.amountMinor > invoice.openMinor)
      throw new BusinessRuleError(
        `Invoice ${invoice.number ?? invoice.invoiceId} has ${money(invoice.openMinor, request)} open, less than the ${money(allocation.amountMinor, request)} allocated`,
        [
          {
            field: `${field}.amount`,
            message: `at most the open amount ${money(invoice.openMinor, request)}`,
          },
        ],
      );
    const discountMinor = min(discountLeft, invoice.openMinor - allocation.amountMinor);
    discountLeft -= discountMinor;
    return { invoiceId: allocation.invoiceId, amountMinor: allocation.amountMinor, discountMinor };
  });
  if (discountLeft > 0n)
    throw new BusinessRuleError(
      'The discount exceeds what the allocations leave open on their invoices',
      [{ field: 'discount', message: 'at most the open amounts minus the allocations' }],
    );
  return allocations;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/** Discount lines per invoice and tax code share, merged per (account, tax code); side by the caller. */
function discountLines(
  request: PaymentRequest,
  context: PaymentContext,
  allocations: readonly Allocation[],
): (Omit<DocumentLine, 'debit' | 'credit'> & { minor: bigint })[] {
  if (request.discountMinor === 0n) return [];
  const discountAccount = context.discountAccount;
  if (discountAccount === undefined)
    throw new BusinessRuleError(
      `The book names no cash discount ${request.kind === 'payable' ? 'received' : 'granted'} account`,
      [{ field: 'discount', message: 'the book needs a cash discount (Skonto) account' }],
    );
  const totals = new Map<string, { account: string; taxCode?: string; minor: bigint }>();
  const add = (account: string, minor: bigint, taxCode?: string) => {
    if (minor === 0n) return;
    const key = `${account}\u0000${taxCode ?? ''}`;
    const line = totals.get(key) ?? { account, taxCode, minor: 0n };
    line.minor += minor;
    totals.set(key, line);
  };
  for (const allocation of allocations) {
    if (allocation.discountMinor === 0n) continue;
    const invoice = context.invoice(allocation.invoiceId)!;
    for (const share of discountShares(allocation.discountMinor, invoice.taxes ?? [])) {
      const taxAccount =
        share.taxCode === undefined
          ? undefined
          : ((request.kind === 'payable' ? undefined : share.outputAccount) ??
            context.taxAccount(share.taxCode, request.date));
      const tax = taxAccount === undefined ? 0n : share.taxMinor;
      add(discountAccount, share.grossMinor - tax, share.taxCode);
      if (taxAccount !== undefined) add(taxAccount, tax, share.taxCode);
    }
  }
  return [...totals.values()].map((line) => ({
    account: line.account,
    minor: line.minor,
    currency: request.currency,
    memo: 'Skonto',
    ...(line.taxCode !== undefined ? { taxCode: line.taxCode } : {}),
  }));
}

export interface DiscountShare {
  taxCode?: string;
  outputAccount?: string;
  grossMinor: bigint;
  taxMinor: bigint;
}

/**
 * A gross discount split by the invoice's tax code shares (by their gross), the last share
 * taking the rounding rest; the VAT in each share is gross × rate / (100 + rate), rounded half
 * away from zero. Without tax shares the whole discount is one share without tax.
 */
export function discountShares(
  discountMinor: bigint,
  taxes: readonly InvoiceTaxShare[],
): DiscountShare[] {
  const grossOf = (t: InvoiceTaxShare) => t.baseMinor + t.amountMinor;
  const gross = taxes.reduce((sum, t) => sum + grossOf(t), 0n);
  if (taxes.length === 0 || gross <= 0n) return [{ grossMinor: discountMinor, taxMinor: 0n }];
  let left = discountMinor;
  return taxes.map((share, index) => {
    const part = index === taxes.length - 1 ? left : (discountMinor * grossOf(share)) / gross;
    left -= part;
    return {
      taxCode: share.taxCode,
      ...(share.outputAccount !== undefined ? { outputAccount: share.outputAccount } : {}),
      grossMinor: part,
      taxMinor: taxInGross(part, share.ratePercent),
    };
  });
}

/** The tax contained in a gross amount at a percent rate ("19", "5.5"), half away from zero. */
export function taxInGross(grossMinor: bigint, ratePercent: string): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(ratePercent);
  if (match === null) return 0n;
  const fraction = match[2] ?? '';
  const scale = 10n ** BigInt(fraction.length);
  const rate = BigInt(match[1]! + fraction);
  const denominator = 100n * scale + rate;
  const numerator = grossMinor * rate;
  const sign = numerator < 0n ? -1n : 1n;
  return (sign * (2n * sign * numerator + denominator)) / (2n * denominator);
}
