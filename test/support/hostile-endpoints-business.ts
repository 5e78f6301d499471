/** Hostile-input generators of the billing, payables, banking, payments and parties endpoints. */
import fc from 'fast-check';
import { hostileHeaderValue } from './hostile.js';
import {
  EndpointSpec,
  amount,
  currency,
  date,
  iban,
  partyAddress,
  partyBody,
  taxCode,
  text,
  vatId,
} from './hostile-fields.js';

// billing (wip/invoices)
const invoiceLine = fc.record(
  {
    description: text(40),
    quantity: fc.oneof(amount, fc.constantFrom('0', '-1', '1.23456', '3', '0.0001')),
    unit: fc.constantFrom('C62', 'HUR', 'XX', 'hur', ''),
    unitPrice: amount,
    taxCode: fc.constantFrom('USt19', 'USt7', 'RC13b', 'IGL', 'VSt19', 'nope'),
    revenueAccount: fc.constantFrom('8400', '1200', 'x'),
    costCenter: text(10),
  },
  { requiredKeys: ['description', 'quantity', 'unitPrice', 'taxCode'] },
);
const invoiceDraftBody = () =>
  fc.record(
    {
      customer: fc.constantFrom('10000', 'unknown', ''),
      issueDate: date,
      deliveryDate: date,
      servicePeriod: fc.record({ from: date, to: date }),
      currency,
      paymentTermsDays: fc.integer({ min: -5, max: 400 }),
      note: text(40),
      buyerReference: text(20),
      lines: fc.array(invoiceLine, { minLength: 0, maxLength: 3 }),
    },
    { requiredKeys: ['customer', 'lines'] },
  );
const invoiceIds = ['01a23ac8-eee1-7eb6-8359-8febd317e4e7', 'unknown-invoice'];
export const billingEndpoints: Record<string, EndpointSpec> = {
  'POST /v1/books/{book}/invoices': { body: invoiceDraftBody, params: (f) => ({ book: [f.book] }) },
  'PUT /v1/books/{book}/invoices/{id}': {
    body: invoiceDraftBody,
    params: (f) => ({ book: [f.book], id: invoiceIds }),
  },
  'DELETE /v1/books/{book}/invoices/{id}': { params: (f) => ({ book: [f.book], id: invoiceIds }) },
  'POST /v1/books/{book}/invoices/{id}/issue': {
    params: (f) => ({ book: [f.book], id: invoiceIds }),
  },
  'POST /v1/books/{book}/invoices/{id}/credit-note': {
    body: () =>
      fc.record(
        { reason: text(40), lines: fc.array(invoiceLine, { minLength: 0, maxLength: 2 }) },
        { requiredKeys: ['reason'] },
      ),
    params: (f) => ({ book: [f.book], id: invoiceIds }),
  },
};

// payables (documents, incoming invoices): raw bodies of any content type, JSON among them
const incomingInvoiceIds = ['01a23ac8-eee1-7eb6-8359-8febd317e4e7', 'unknown-invoice'];
export const payablesEndpoints: Record<string, EndpointSpec> = {
  'POST /v1/books/{book}/documents': {
    body: () => fc.oneof(text(200), fc.constantFrom('%PDF-1.7', '<x/>', '')),
    params: (f) => ({ book: [f.book] }),
  },
  'POST /v1/books/{book}/incoming-invoices': {
    body: () =>
      fc.constantFrom(
        '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>',
        '<!DOCTYPE x [<!ENTITY a "aaaa">]><Invoice>&a;</Invoice>',
        '%PDF-1.7 no invoice',
        '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"/>',
      ),
    params: (f) => ({ book: [f.book] }),
  },
  'POST /v1/books/{book}/incoming-invoices/{id}/book': {
    body: (f) =>
      fc.record({
        lines: fc.array(
          fc.record(
            {
              account: fc.constantFrom(...f.accounts),
              amount,
              taxCode,
              costCenter: text(10),
            },
            { requiredKeys: ['account', 'taxCode'] },
          ),
          { maxLength: 3 },
        ),
      }),
    params: (f) => ({ book: [f.book], id: incomingInvoiceIds }),
  },
};

// banking: camt.053 statements as raw XML
export const bankingEndpoints: Record<string, EndpointSpec> = {
  'POST /v1/books/{book}/bank-statements': {
    body: () =>
      fc.oneof(
        text(200),
        fc.constantFrom(
          '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt/></Document>',
          '<!DOCTYPE x [<!ENTITY a "aaaa">]><Document>&a;</Document>',
          '',
        ),
      ),
    params: (f) => ({ book: [f.book] }),
  },
  'POST /v1/books/{book}/payment-runs': {
    body: (f) =>
      fc.record(
        {
          executionDate: date,
          bankAccount: fc.constantFrom(...f.accounts),
          debtor: fc.record(
            {
              name: text(80),
              iban: fc.oneof(fc.constant('DE89370400440532013000'), text(40)),
              bic: fc.oneof(fc.constant('COBADEFFXXX'), text(12)),
            },
            { requiredKeys: ['name', 'iban'] },
          ),
          dueUntil: date,
          items: fc.array(fc.oneof(fc.constantFrom(...incomingInvoiceIds), text(40)), {
            maxLength: 3,
          }),
        },
        { requiredKeys: ['executionDate', 'bankAccount'] },
      ),
    params: (f) => ({ book: [f.book] }),
    headers: { 'idempotency-key': fc.oneof(fc.uuid(), hostileHeaderValue) },
  },
  'POST /v1/books/{book}/payment-runs/{id}/execute': {
    params: (f) => ({ book: [f.book], id: [] }),
  },
  'POST /v1/books/{book}/payment-runs/{id}/cancel': {
    body: () => fc.record({ reason: text(600) }, { requiredKeys: [] }),
    params: (f) => ({ book: [f.book], id: [] }),
  },
  'POST /v1/books/{book}/bank-statements/{id}/lines/{n}/assign': {
    body: (f) =>
      fc.record(
        {
          invoice: fc.oneof(text(20), fc.constantFrom('RE-2027-00001')),
          account: fc.constantFrom(...f.accounts, '99999'),
        },
        { requiredKeys: [] },
      ),
    params: (f) => ({ book: [f.book], id: [], n: ['1', '2', '0', '-1', '1.5', '999999999'] }),
    headers: { 'idempotency-key': fc.oneof(fc.uuid(), hostileHeaderValue) },
  },
  'POST /v1/books/{book}/bank-statements/{id}/lines/{n}/unassign': {
    body: () =>
      fc.record(
        { reason: fc.oneof(text(40), fc.constantFrom('', 'x'.repeat(1001))) },
        { requiredKeys: [] },
      ),
    params: (f) => ({ book: [f.book], id: [], n: ['1', '2', '0', '-1', '1.5', '999999999'] }),
  },
};

// banking (payments, dunning)
export const paymentsEndpoints: Record<string, EndpointSpec> = {
  'POST /v1/books/{book}/payments': {
    body: (f) =>
      fc.record(
        {
          party: fc.oneof(text(20), fc.constantFrom('10000', 'p-1')),
          date,
          amount,
          currency,
          bankAccount: fc.constantFrom(...f.accounts),
          reference: text(40),
          allocations: fc.array(fc.record({ invoice: text(20), amount }), { maxLength: 3 }),
          discount: amount,
          controlAccount: fc.constantFrom(...f.accounts),
          discountAccount: fc.constantFrom(...f.accounts),
        },
        { requiredKeys: ['party', 'date', 'amount', 'bankAccount'] },
      ),
    params: (f) => ({ book: [f.book] }),
    headers: { 'idempotency-key': fc.oneof(fc.uuid(), hostileHeaderValue) },
  },
  'POST /v1/books/{book}/dunning-runs': {
    body: () => fc.record({ asOf: date }),
    params: (f) => ({ book: [f.book] }),
  },
  'POST /v1/books/{book}/dunning-runs/{id}/confirm': {
    params: (f) => ({ book: [f.book], id: [] }),
  },
  'PUT /v1/books/{book}/settings/datev': {
    body: () =>
      fc.record(
        {
          consultantNumber: fc.oneof(
            fc.integer({ min: -1, max: 10_000_000 }),
            fc.constant(1234567),
          ),
          clientNumber: fc.oneof(fc.integer({ min: -1, max: 100_000 }), fc.constant(12345)),
          accountLength: fc.integer({ min: 0, max: 9 }),
        },
        { requiredKeys: [] },
      ),
    params: (f) => ({ book: [f.book] }),
  },
  'PUT /v1/books/{book}/settings/dunning': {
    body: (f) =>
      fc.record(
        {
          fees: fc.array(amount, { minLength: 2, maxLength: 4 }),
          baseRates: fc.array(
            fc.record({
              validFrom: date,
              rate: fc.constantFrom('1.27', '-0.88', '3.62', 'x', '100'),
            }),
            { maxLength: 3 },
          ),
          intervalDays: fc.integer({ min: -1, max: 400 }),
          graceDays: fc.integer({ min: -1, max: 400 }),
          receivablesAccount: fc.constantFrom(...f.accounts),
          feesAccount: fc.constantFrom(...f.accounts),
          interestAccount: fc.constantFrom(...f.accounts),
        },
        { requiredKeys: ['fees'] },
      ),
    params: (f) => ({ book: [f.book] }),
  },
};

// parties (src/parties): customers, suppliers, company settings
export const partiesEndpoints: Record<string, EndpointSpec> = {
  'POST /v1/books/{book}/parties': {
    body: () => partyBody(['kind', 'name', 'address']),
    params: (f) => ({ book: [f.book] }),
    headers: { 'idempotency-key': fc.oneof(fc.uuid(), hostileHeaderValue) },
  },
  'PATCH /v1/books/{book}/parties/{id}': {
    body: () => partyBody([]),
    params: (f) => ({ book: [f.book], id: f.partyId ? [f.partyId, '10000', '70000'] : [] }),
  },
  'POST /v1/books/{book}/parties/{id}/erase': {
    body: () =>
      fc.record(
        { reason: fc.oneof(text(40), fc.constantFrom('', ' ', 'x'.repeat(600))) },
        { requiredKeys: [] },
      ),
    params: (f) => ({ book: [f.book], id: f.partyId ? [f.partyId, '10000', '99999'] : [] }),
  },
  'PUT /v1/books/{book}/settings/company': {
    body: () =>
      fc.record(
        {
          name: text(40),
          address: partyAddress,
          vatId: vatId,
          taxNumber: fc.constantFrom('143/123/45678', '', 'x'.repeat(40)),
          registration: text(40),
          email: fc.constantFrom('a@acme.de', 'no-at', ''),
          phone: fc.constantFrom('+49 30 1', 'call me'),
          contactName: text(30),
          iban: iban,
          bic: fc.constantFrom('COBADEFFXXX', 'COBA', ''),
        },
        { requiredKeys: ['name', 'address', 'email'] },
      ),
    params: (f) => ({ book: [f.book] }),
  },
};
