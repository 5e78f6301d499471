import type { DraftContext, InvoiceDraftInput } from '../domain/invoice-draft.js';
import { prepareDraft } from '../domain/invoice-draft.js';
import type { InvoiceTaxCode } from '../domain/invoice-tax.js';
import { issuedInvoiceFields } from '../domain/issue-invoice.js';
import type { DomainEvent } from '../../event-sourcing/index.js';
import {
  invoiceDraftDecider,
  type InvoiceDraftCommand,
  type InvoiceDraftState,
} from '../domain/invoice-draft.decider.js';
import type {
  CreditNoteIssuedData,
  CustomerSnapshot,
  InvoiceIssuedData,
  SellerSnapshot,
} from '../domain/issued-documents.js';

// Invoices as Kontor issues them, for specs: SKR03 tax codes, a complete company, customers.

export const skr03TaxCodes: Record<string, InvoiceTaxCode> = {
  USt19: {
    code: 'USt19',
    kind: 'output',
    ratePercent: '19',
    outputAccount: '1776',
    revenueAccount: '8400',
  },
  USt7: {
    code: 'USt7',
    kind: 'output',
    ratePercent: '7',
    outputAccount: '1771',
    revenueAccount: '8300',
  },
  USt0: { code: 'USt0', kind: 'exempt', ratePercent: '0', revenueAccount: '8100' },
  RC13b: {
    code: 'RC13b',
    kind: 'reverse-charge',
    ratePercent: '19',
    outputAccount: '1787',
    revenueAccount: '8337',
  },
  IGL: { code: 'IGL', kind: 'intra-eu-supply', ratePercent: '0', revenueAccount: '8125' },
};

export const seller: SellerSnapshot = {
  name: 'Kontor Beispiel GmbH',
  address: { line1: 'Friedrichstraße 1', city: 'Berlin', postCode: '10117', countryCode: 'DE' },
  vatId: 'DE123456789',
  taxNumber: '30/123/45678',
  registration: 'HRB 12345 B',
  contact: {
    name: 'Erika Mustermann',
    phone: '+49 30 1234567',
    email: 'buchhaltung@kontor-beispiel.de',
  },
  iban: 'DE02120300000000202051',
  bic: 'BYLADEM1001',
};

export const domesticCustomer: CustomerSnapshot = {
  partyId: 'p-mueller',
  number: '10000',
  name: 'Müller & Söhne KG',
  address: { line1: 'Hauptstraße 5', city: 'Köln', postCode: '50667', countryCode: 'DE' },
  vatId: 'DE987654321',
  buyerReference: '04011000-12345-03',
};

export const euCustomer: CustomerSnapshot = {
  partyId: 'p-dupont',
  number: '10001',
  name: 'Dupont SARL',
  address: { line1: '1 rue de Rivoli', city: 'Paris', postCode: '75001', countryCode: 'FR' },
  vatId: 'FR40303265045',
};

export function draftContextFor(customer: CustomerSnapshot, date = '2027-01-15'): DraftContext {
  return {
    baseCurrency: 'EUR',
    customer: { partyId: customer.partyId, number: customer.number, name: customer.name },
    taxCodes: skr03TaxCodes,
    knownTaxCodes: Object.keys(skr03TaxCodes),
    taxDate: date,
  };
}

export const domesticInput: InvoiceDraftInput = {
  customer: '10000',
  issueDate: '2027-01-15',
  servicePeriod: { from: '2026-12-01', to: '2026-12-31' },
  note: 'Vielen Dank für Ihren Auftrag.',
  lines: [
    {
      description: 'Beratung Jahresabschluss',
      quantity: '12.5',
      unit: 'HUR',
      unitPrice: '95.00',
      taxCode: 'USt19',
    },
    {
      description: 'Material',
      quantity: '3.1234',
      unit: 'KGM',
      unitPrice: '22.375',
      taxCode: 'USt19',
    },
    { description: 'Fachbuch', quantity: '2', unitPrice: '30.25', taxCode: 'USt7' },
  ],
};

/** An InvoiceIssued event's data as the book would record it (number and entry id added). */
export function issuedInvoice(
  input: InvoiceDraftInput = domesticInput,
  customer: CustomerSnapshot = domesticCustomer,
  sequence = 1,
): InvoiceIssuedData {
  const issueDate = input.issueDate ?? '2027-01-15';
  const draft = prepareDraft(input, draftContextFor(customer, issueDate));
  const fields = issuedInvoiceFields(draft, {
    issueDate,
    seller,
    customer,
    taxCodes: skr03TaxCodes,
    receivablesAccount: '1400',
  });
  const number = `RE-2027-${String(sequence).padStart(5, '0')}`;
  return {
    documentId: `inv-${sequence}`,
    number,
    numbering: { series: 'RE-2027', sequence },
    entryId: `entry-${sequence}`,
    ...fields,
  };
}

/** Every billing event once (the event catalog spec validates them against their schemas). */
export function billingRepresentativeEvents(): DomainEvent[] {
  const ids = { invoiceId: 'inv-1', bookId: 'acme' };
  const commands: InvoiceDraftCommand[] = [
    {
      type: 'CreateInvoiceDraft',
      ...ids,
      input: domesticInput,
      context: draftContextFor(domesticCustomer),
    },
    {
      type: 'ReplaceInvoiceDraft',
      ...ids,
      input: { ...domesticInput, deliveryDate: '2026-12-31', buyerReference: 'LW-1' },
      context: draftContextFor(domesticCustomer),
    },
    { type: 'MarkInvoiceDraftIssued', ...ids, number: 'RE-2027-00001' },
    {
      type: 'CreateInvoiceDraft',
      ...ids,
      invoiceId: 'inv-2',
      input: domesticInput,
      context: draftContextFor(domesticCustomer),
    },
    { type: 'DiscardInvoiceDraft', ...ids, invoiceId: 'inv-2' },
  ];
  const states = new Map<string, InvoiceDraftState>();
  const events: DomainEvent[] = commands.flatMap((command) => {
    const state = states.get(command.invoiceId) ?? invoiceDraftDecider.initialState();
    const decided = invoiceDraftDecider.decide(command, state);
    states.set(command.invoiceId, decided.reduce(invoiceDraftDecider.evolve, state));
    return decided;
  });
  const invoice = issuedInvoice();
  const creditNote: CreditNoteIssuedData = {
    documentId: 'cn-1',
    number: 'GS-2027-00001',
    numbering: { series: 'GS-2027', sequence: 1 },
    entryId: 'entry-cn-1',
    invoiceId: invoice.documentId,
    invoiceNumber: invoice.number,
    invoiceIssueDate: invoice.issueDate,
    issueDate: '2027-01-20',
    reason: 'Storno',
    currency: 'EUR',
    customer: invoice.customer,
    seller: invoice.seller,
    lines: invoice.lines,
    totals: invoice.totals,
    receivablesAccount: '1400',
    cancelsInvoice: true,
  };
  return [
    ...events,
    { type: 'InvoiceIssued', data: invoice },
    { type: 'CreditNoteIssued', data: creditNote },
  ];
}
