import { formatAmount } from '../../event-sourcing/index.js';
import type { InvoiceDraft } from '../domain/invoice-draft.js';
import { InvoiceView, openMinorOf } from '../domain/invoice-view.js';

// The API's shape of invoices (API.md "Invoices"): money as decimal strings of the currency.

interface TotalsLike {
  netMinor: string;
  taxes: { taxCode: string; ratePercent: string; baseMinor: string; amountMinor: string }[];
  grossMinor: string;
}

export function totalsResponse(totals: TotalsLike, currency: string) {
  const money = (minor: string) => formatAmount(BigInt(minor), currency);
  return {
    net: money(totals.netMinor),
    taxes: totals.taxes.map((tax) => ({
      taxCode: tax.taxCode,
      rate: tax.ratePercent,
      base: money(tax.baseMinor),
      amount: money(tax.amountMinor),
    })),
    gross: money(totals.grossMinor),
  };
}

function linesResponse(lines: InvoiceDraft['lines'], currency: string) {
  return lines.map(({ netMinor, ratePercent: _rate, ...line }) => ({
    ...line,
    net: formatAmount(BigInt(netMinor), currency),
  }));
}

export function draftResponse(id: string, draft: InvoiceDraft, position: bigint | undefined) {
  return {
    id,
    status: 'draft' as const,
    customer: draft.customer,
    ...(draft.issueDate ? { issueDate: draft.issueDate } : {}),
    ...(draft.deliveryDate ? { deliveryDate: draft.deliveryDate } : {}),
    ...(draft.servicePeriod ? { servicePeriod: draft.servicePeriod } : {}),
    currency: draft.currency,
    paymentTermsDays: draft.paymentTermsDays,
    ...(draft.note !== undefined ? { note: draft.note } : {}),
    ...(draft.buyerReference ? { buyerReference: draft.buyerReference } : {}),
    lines: linesResponse(draft.lines, draft.currency),
    totals: totalsResponse(draft.totals, draft.currency),
    ...(position === undefined ? {} : { position: Number(position) }),
  };
}

export function invoiceResponse(view: InvoiceView) {
  if (!view.issued)
    return { ...draftResponse(view.id, view.draft!, undefined), openAmount: null, payments: [] };
  const issued = view.issued;
  const money = (minor: string | bigint) => formatAmount(BigInt(minor), issued.currency);
  return {
    id: view.id,
    status: view.status,
    number: issued.number,
    entryId: issued.entryId,
    customer: {
      partyId: issued.customer.partyId,
      number: issued.customer.number,
      name: issued.customer.name,
    },
    issueDate: issued.issueDate,
    dueDate: issued.dueDate,
    ...(issued.deliveryDate ? { deliveryDate: issued.deliveryDate } : {}),
    ...(issued.servicePeriod ? { servicePeriod: issued.servicePeriod } : {}),
    currency: issued.currency,
    paymentTermsDays: issued.paymentTermsDays,
    ...(issued.note !== undefined ? { note: issued.note } : {}),
    ...(issued.customer.buyerReference ? { buyerReference: issued.customer.buyerReference } : {}),
    lines: issued.lines.map(({ netMinor, ratePercent: _r, vatCategory: _v, ...line }) => ({
      ...line,
      net: money(netMinor),
    })),
    totals: totalsResponse(issued.totals, issued.currency),
    openAmount: money(openMinorOf(view)),
    payments: view.payments.map((p) => ({
      payment: p.paymentId,
      date: p.date,
      amount: money(p.amountMinor),
    })),
    creditNotes: view.creditNotes.map((c) => ({
      id: c.id,
      number: c.number,
      issueDate: c.issueDate,
      amount: money(c.grossMinor),
      cancelsInvoice: c.cancelsInvoice,
    })),
  };
}
