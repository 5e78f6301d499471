/**
 * Hostile-input fuzzer over every write endpoint (discovered from /docs-json, so new routes are
 * included automatically; a write route without a generator below fails the run). For each
 * generated request — a plausible body with one hostile change, a wholly hostile body,
 * malformed JSON, a wrong content type, hostile path parameters and headers — the answer must
 * be below 500, every 4xx must be problem+json, and a refused request appends nothing.
 *
 * KONTOR_FUZZ_RUNS sets the cases per endpoint and store (default 100; `npm run test:fuzz` runs more).
 */
import fc from 'fast-check';
import { TestApp, TestStore, startTestApp } from '../support/app.js';
import {
  hostileHeaderValue,
  hostileString,
  hostileValue,
  hostileVariant,
  malformedJson,
  oddAmounts,
  oddDates,
  oddTimes,
  pathLike,
  sqlLike,
  wrongContentTypes,
} from '../support/hostile.js';

const stores: TestStore[] = ['sqlite', 'postgres'];
const runsPerEndpoint = Number(process.env.KONTOR_FUZZ_RUNS ?? 100);
/** Generous: a shrinking failure replays many requests. */
const fuzzTimeoutMs = 120_000 + runsPerEndpoint * 25 * 100;
const writeMethods = new Set(['post', 'put', 'patch', 'delete']);
const problemJson = /^application\/problem\+json/;
const roles = ['admin', 'accountant', 'approver', 'auditor', 'compliance', 'subscriber'];

/** Ids and names that exist in the fuzzed app (made in beforeAll). */
interface Fixtures {
  book: string;
  accounts: string[];
  entryId: string;
  closedPeriod: string;
  openPeriod: string;
  spareKeyId: string;
  approvalId?: string;
  policyId?: string;
  partyId?: string;
  projection: string;
}

interface EndpointSpec {
  /** A plausible body (undefined: the endpoint takes none). */
  body?: (fixtures: Fixtures) => fc.Arbitrary<unknown>;
  /** Good values of path parameters (hostile ones are mixed in for every parameter). */
  params: (fixtures: Fixtures) => Record<string, string[]>;
  headers?: Record<string, fc.Arbitrary<string>>;
}

const text = (max: number) => fc.string({ minLength: 1, maxLength: max });
const amount = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .bigInt({ min: 1n, max: 10n ** 12n })
      .map((cents) => `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`),
  },
  { weight: 1, arbitrary: fc.constantFrom(...oddAmounts) },
);
const date = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .date({ min: new Date('2019-01-01'), max: new Date('2031-12-31'), noInvalidDate: true })
      .map((at) => at.toISOString().slice(0, 10)),
  },
  { weight: 1, arbitrary: fc.constantFrom(...oddDates) },
);
const time = fc.oneof(
  fc
    .date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true })
    .map((at) => at.toISOString()),
  fc.constantFrom(...oddTimes),
);
const taxCode = fc.constantFrom('USt19', 'VSt7', 'RC13b', 'X1', '', 'us t');
const currency = fc.constantFrom('EUR', 'JPY', 'BHD', 'USD', 'XXX', 'eur', 'EU', 'EURO');

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
const billingEndpoints: Record<string, EndpointSpec> = {
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
const payablesEndpoints: Record<string, EndpointSpec> = {
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
const bankingEndpoints: Record<string, EndpointSpec> = {
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

const endpoints: Record<string, EndpointSpec> = {
  ...billingEndpoints,
  ...payablesEndpoints,
  ...bankingEndpoints,
  'POST /v1/api-keys': {
    body: (f) =>
      fc.record(
        {
          name: text(40),
          roles: fc.subarray(roles, { minLength: 1 }),
          books: fc.constant([f.book]),
        },
        { requiredKeys: ['name', 'roles'] },
      ),
    params: () => ({}),
  },
  'DELETE /v1/api-keys/{id}': { params: (f) => ({ id: [f.spareKeyId] }) },
  'POST /v1/console/session': {
    body: () => fc.record({ key: fc.oneof(text(80), fc.constant('kontor_')) }),
    params: () => ({}),
  },
  'DELETE /v1/console/session': { params: () => ({}) },
  'POST /v1/books': {
    body: () =>
      fc.record(
        {
          id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
          name: text(40),
          baseCurrency: currency,
          fiscalYearStartMonth: fc.integer({ min: 0, max: 13 }),
          chart: fc.constantFrom('skr03', 'skr04', 'SKR03', 'skr99', ''),
        },
        { requiredKeys: ['id', 'name', 'baseCurrency'] },
      ),
    params: () => ({}),
  },
  'POST /v1/books/{book}/accounts': {
    body: (f) =>
      fc.record(
        {
          code: fc.stringMatching(/^[0-9]{3,6}$/),
          name: text(40),
          type: fc.constantFrom(
            'asset',
            'liability',
            'equity',
            'revenue',
            'expense',
            'Asset',
            'cash',
          ),
          currency,
          parent: fc.constantFrom(...f.accounts),
          iban,
        },
        { requiredKeys: ['code', 'name', 'type'] },
      ),
    params: (f) => ({ book: [f.book] }),
  },
  'PATCH /v1/books/{book}/accounts/{code}': {
    body: () => fc.record({ iban: fc.oneof(iban, fc.constant(null)) }, { requiredKeys: [] }),
    params: (f) => ({ book: [f.book], code: [...f.accounts, '99999'] }),
  },
  'POST /v1/books/{book}/accounts/{code}/close': {
    params: (f) => ({ book: [f.book], code: f.accounts }),
  },
  'POST /v1/books/{book}/journal-entries': {
    body: (f) =>
      fc.record(
        {
          effectiveDate: date,
          description: text(60),
          reference: text(20),
          lines: fc.array(
            fc.oneof(
              fc.record(
                {
                  account: fc.constantFrom(...f.accounts),
                  debit: amount,
                  currency,
                  memo: text(20),
                  taxCode: taxCode,
                  party: text(12),
                },
                { requiredKeys: ['account', 'debit'] },
              ),
              fc.record(
                {
                  account: fc.constantFrom(...f.accounts),
                  credit: amount,
                  currency,
                  memo: text(20),
                  taxCode: taxCode,
                  party: text(12),
                },
                { requiredKeys: ['account', 'credit'] },
              ),
            ),
            { minLength: 1, maxLength: 4 },
          ),
          metadata: fc.dictionary(
            text(10),
            fc.oneof(text(10), fc.integer(), fc.boolean(), fc.constant(null)),
            { maxKeys: 3 },
          ),
          tax: fc.constantFrom('auto', 'manual', 'AUTO'),
        },
        { requiredKeys: ['effectiveDate', 'description', 'lines'] },
      ),
    params: (f) => ({ book: [f.book] }),
    headers: { 'idempotency-key': fc.oneof(fc.uuid(), hostileHeaderValue) },
  },
  'POST /v1/books/{book}/journal-entries/batch': {
    body: (f) => {
      const entry = endpoints['POST /v1/books/{book}/journal-entries']!.body!(f);
      const keyed = entry.map((body) => ({ ...(body as object), idempotencyKey: 'fuzz-batch' }));
      return fc.record({
        entries: fc.array(fc.oneof(entry, keyed, hostileValue), { minLength: 0, maxLength: 5 }),
      });
    },
    params: (f) => ({ book: [f.book] }),
  },
  'POST /v1/books/{book}/tax-codes': {
    body: (f) =>
      fc.record(
        {
          code: fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{1,10}$/), text(12)),
          name: text(40),
          kind: fc.constantFrom('output', 'input', 'reverse-charge', 'exempt', 'vat', ''),
          rates: fc.array(
            fc.record(
              {
                validFrom: date,
                validTo: date,
                rate: fc.constantFrom('19', '7', '0', '5.5', '100', '-1', '19,0', '7.123'),
              },
              { requiredKeys: ['validFrom', 'rate'] },
            ),
            { minLength: 0, maxLength: 3 },
          ),
          outputAccount: fc.constantFrom(...f.accounts, '9999'),
          inputAccount: fc.constantFrom(...f.accounts, '9999'),
          datevKey: fc.constantFrom('3', '94', '12345', 'x'),
        },
        { requiredKeys: ['code', 'name', 'kind', 'rates'] },
      ),
    params: (f) => ({ book: [f.book] }),
  },
  'POST /v1/books/{book}/journal-entries/{id}/reverse': {
    body: () => fc.record({ reason: text(40), effectiveDate: date }, { requiredKeys: ['reason'] }),
    params: (f) => ({ book: [f.book], id: [f.entryId] }),
    headers: { 'idempotency-key': fc.oneof(fc.uuid(), hostileHeaderValue) },
  },
  'POST /v1/books/{book}/periods/{period}/close': {
    params: (f) => ({ book: [f.book], period: [f.openPeriod, '2026-02', '2026-13', '26-01'] }),
  },
  'POST /v1/books/{book}/periods/{period}/reopen': {
    body: () => fc.record({ reason: text(40) }),
    params: (f) => ({ book: [f.book], period: [f.closedPeriod, '2026-00'] }),
  },
  'POST /v1/books/{book}/fiscal-years/{year}/carry-forward': {
    body: (f) =>
      fc.record(
        { resultAccount: fc.constantFrom(...f.accounts, '0860', '9999') },
        { requiredKeys: [] },
      ),
    params: (f) => ({ book: [f.book], year: ['2019', '2025', '2026', '0999', '20260'] }),
    headers: { 'idempotency-key': fc.oneof(fc.uuid(), hostileHeaderValue) },
  },
  'POST /v1/books/{book}/approval-policies': {
    body: (f) =>
      fc.record(
        {
          name: text(30),
          action: fc.constantFrom(
            'journal-entry.post',
            'period.reopen',
            'account.close',
            'book.delete',
          ),
          condition: fc.record(
            { minAmount: amount, currency, accounts: fc.subarray(f.accounts, { minLength: 1 }) },
            { requiredKeys: [] },
          ),
          steps: fc.array(
            fc.record({
              role: fc.constantFrom(...roles, 'root'),
              approvals: fc.integer({ min: -1, max: 12 }),
            }),
            { minLength: 1, maxLength: 3 },
          ),
          expiresAfter: fc.constantFrom(
            'P7D',
            'PT1H',
            'P',
            '-P1D',
            'P1Y2M3DT4H5M6S',
            'P99999999D',
            '7 days',
            'PT0S',
          ),
        },
        { requiredKeys: ['name', 'action', 'steps'] },
      ),
    params: (f) => ({ book: [f.book] }),
  },
  'DELETE /v1/books/{book}/approval-policies/{id}': {
    params: (f) => ({ book: [f.book], id: f.policyId ? [f.policyId] : [] }),
  },
  'POST /v1/approvals/{id}/approve': {
    body: () => fc.record({ comment: text(40) }, { requiredKeys: [] }),
    params: (f) => ({ id: f.approvalId ? [f.approvalId] : [] }),
  },
  'POST /v1/approvals/{id}/reject': {
    body: () => fc.record({ reason: text(40) }),
    params: (f) => ({ id: f.approvalId ? [f.approvalId] : [] }),
  },
  'POST /v1/approvals/{id}/cancel': {
    body: () => fc.record({ reason: text(40) }, { requiredKeys: [] }),
    params: (f) => ({ id: f.approvalId ? [f.approvalId] : [] }),
  },
  'POST /v1/approvals/delegations': {
    body: (f) =>
      fc.record(
        {
          to: fc.constantFrom(f.spareKeyId, 'key_00000000000000000000'),
          from: time,
          until: time,
          role: fc.constantFrom(...roles, 'root'),
        },
        { requiredKeys: ['to', 'until'] },
      ),
    params: () => ({}),
  },
  'DELETE /v1/approvals/delegations/{id}': { params: () => ({ id: [] }) },
  'POST /v1/webhooks': {
    // Only refused destinations (private, malformed): no delivery ever runs in the background.
    body: () =>
      fc.record(
        {
          url: fc.constantFrom(
            'http://127.0.0.1:1/hook',
            'http://169.254.169.254/latest/meta-data',
            'https://[::1]/x',
            'ftp://example.com/x',
            'javascript:alert(1)',
            'not a url',
            'http://10.0.0.1/x',
          ),
          types: fc.array(fc.constantFrom('JournalEntryPosted', 'BookOpened', '*', 'NoSuchEvent'), {
            maxLength: 3,
          }),
          books: fc.array(text(10), { maxLength: 3 }),
        },
        { requiredKeys: ['url'] },
      ),
    params: () => ({}),
  },
  'DELETE /v1/webhooks/{id}': { params: () => ({ id: [] }) },
  'POST /v1/webhooks/{id}/deliveries/{deliveryId}/retry': {
    params: () => ({ id: [], deliveryId: [] }),
  },
  // banking (payments, dunning)
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
  'POST /v1/projections/{name}/rebuild': { params: (f) => ({ name: [f.projection] }) },
  // ---- parties (src/parties): customers, suppliers, company settings
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

/** parties: the shapes of a party's and the company's fields, good and bad. */
const partyAddress = fc.record({
  street: text(30),
  postalCode: fc.constantFrom('10115', '1011', 'SW1A 1AA', ''),
  city: text(30),
  country: fc.constantFrom('DE', 'AT', 'GB', 'de', 'XX', 'DEU'),
});
const vatId = fc.constantFrom('DE123456789', 'DE 123 456 789', 'ATU12345678', 'DE1', 'XX123');
const iban = fc.constantFrom(
  'DE89370400440532013000',
  'DE89 3704 0044 0532 0130 00',
  'DE89370400440532013001',
  'QQ00',
);

function partyBody(requiredKeys: ('kind' | 'name' | 'address')[]) {
  return fc.record(
    {
      kind: fc.constantFrom('customer', 'supplier', 'employee'),
      number: fc.constantFrom('10001', '69999', '70001', '99999', '100000', '0', 'abc'),
      name: text(40),
      naturalPerson: fc.boolean(),
      address: partyAddress,
      vatId,
      taxNumber: fc.constantFrom('143/123/45678', ''),
      email: fc.constantFrom('a@b.de', 'x'),
      phone: fc.constantFrom('+49 30 1', '?'),
      iban,
      bic: fc.constantFrom('COBADEFFXXX', 'XYZ'),
      buyerReference: fc.oneof(text(30), fc.constant(null)),
      paymentTermsDays: fc.integer({ min: -5, max: 400 }),
    },
    { requiredKeys },
  );
}

/** Sent as they are: broken or sneaky percent-encoding. */
const rawPathSegments = [
  '%',
  '%zz',
  '%E0%A4%A',
  '%2e%2e',
  '%2F',
  '%00',
  '%C0%AE%C0%AE',
  '%ff',
  '..;',
  '%5C..%5C',
];

/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD, as a client library would send it). */
function encodePathSegment(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

interface HostileRequest {
  path: string;
  contentType?: string;
  headers: Record<string, string>;
  /** JSON text, raw text, or nothing. */
  body?: string;
  key: 'admin' | 'none' | 'hostile';
}

function requestArbitrary(
  method: string,
  route: string,
  spec: EndpointSpec,
  fixtures: Fixtures,
): fc.Arbitrary<HostileRequest> {
  const paramNames = [...route.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
  const good = spec.params(fixtures);
  const paramArbitraries = Object.fromEntries(
    paramNames.map((name) => {
      const values = good[name] ?? [];
      const hostile = fc.oneof(
        hostileString.map(encodePathSegment),
        fc.constantFrom(...sqlLike, ...pathLike).map(encodePathSegment),
        fc.constantFrom(...rawPathSegments),
      );
      if (values.length === 0) return [name, hostile];
      return [
        name,
        fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...values.map(encodePathSegment)) },
          { weight: 1, arbitrary: hostile },
        ),
      ];
    }),
  );
  const sample = spec.body?.(fixtures);
  const bodies: fc.Arbitrary<string | undefined>[] = [
    malformedJson,
    hostileValue.map((value) => JSON.stringify(value)),
    fc.constant(undefined),
  ];
  if (sample) {
    bodies.push(
      sample.map((value) => JSON.stringify(value)),
      sample
        .chain((value) => hostileVariant(value))
        .map((value) => (value === undefined ? undefined : JSON.stringify(value))),
      sample
        .chain((value) => hostileVariant(value))
        .map((value) => (value === undefined ? undefined : JSON.stringify(value))),
    );
  } else {
    bodies.push(fc.constant(undefined), fc.constant('{}'));
  }
  const extraHeaders = Object.entries(spec.headers ?? {});
  return fc
    .record({
      params: fc.record(paramArbitraries),
      body: fc.oneof(...bodies),
      contentType: fc.oneof(
        { weight: 6, arbitrary: fc.constant('application/json') },
        { weight: 1, arbitrary: fc.constantFrom(...wrongContentTypes) },
      ),
      headers: fc.record(Object.fromEntries(extraHeaders), { requiredKeys: [] }),
      correlationId: fc.option(hostileHeaderValue, { nil: undefined }),
      key: fc.oneof(
        { weight: 12, arbitrary: fc.constant('admin' as const) },
        fc.constant('none' as const),
        fc.constant('hostile' as const),
      ),
    })
    .map(({ params, body, contentType, headers, correlationId, key }) => {
      const path = route.replace(/\{(\w+)\}/g, (_match, name: string) => params[name] as string);
      return {
        path,
        ...(body === undefined ? {} : { body, contentType }),
        headers: {
          ...(headers as Record<string, string>),
          ...(correlationId === undefined ? {} : { 'x-correlation-id': correlationId }),
        },
        key,
      };
    })
    .map((request) => ({ ...request, method }) as HostileRequest & { method: string });
}

describe.each(stores)('hostile input over %s', (store) => {
  let app: TestApp;
  let fixtures: Fixtures;
  let writeRoutes: [method: string, route: string][];
  let tried = 0;

  beforeAll(async () => {
    app = await startTestApp({ store });
    fixtures = await makeFixtures(app);
    const spec = await app.request<{ paths: Record<string, Record<string, unknown>> }>(
      'GET',
      '/docs-json',
    );
    writeRoutes = Object.entries(spec.body.paths).flatMap(([route, operations]) =>
      Object.keys(operations)
        .filter((method) => writeMethods.has(method))
        .map((method) => [method.toUpperCase(), route] as [string, string]),
    );
  });

  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.log(
      `hostile input over ${store}: ${tried} requests tried against ${writeRoutes?.length ?? 0} write endpoints (${runsPerEndpoint} runs each)`,
    );
    await app?.close();
  });

  it('has a generator for every write endpoint', () => {
    expect(writeRoutes.length).toBeGreaterThanOrEqual(10);
    expect(
      writeRoutes.map(([method, route]) => `${method} ${route}`).filter((name) => !endpoints[name]),
    ).toEqual([]);
  });

  it(
    'never answers 5xx, answers every 4xx with problem+json, appends nothing when refusing',
    async () => {
      for (const [method, route] of writeRoutes) {
        const spec = endpoints[`${method} ${route}`];
        if (!spec) continue; // reported by the test above
        await fc.assert(
          fc.asyncProperty(requestArbitrary(method, route, spec, fixtures), async (request) => {
            tried += 1;
            await expectHandled(app, method, request);
          }),
          { numRuns: runsPerEndpoint },
        );
      }
    },
    fuzzTimeoutMs,
  );
});

async function expectHandled(app: TestApp, method: string, request: HostileRequest): Promise<void> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.key === 'admin') headers.authorization = `Bearer ${app.adminKey}`;
  if (request.key === 'hostile')
    headers.authorization = `Bearer ${request.headers['x-correlation-id'] ?? 'kontor_'}`;
  if (request.contentType !== undefined) headers['content-type'] = request.contentType;
  const before = await app.store.headPosition();
  const response = await fetch(`${app.baseUrl}${request.path}`, {
    method,
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const text = await response.text();
  const after = await app.store.headPosition();
  const what = `${method} ${request.path} → ${response.status} ${text.slice(0, 300)}`;
  expect({ what, serverError: response.status >= 500 }).toEqual({ what, serverError: false });
  if (response.status >= 400) {
    expect({ what, contentType: response.headers.get('content-type') }).toEqual({
      what,
      contentType: expect.stringMatching(problemJson),
    });
    const problem = JSON.parse(text) as { type?: unknown; status?: unknown };
    expect({ what, status: problem.status, type: typeof problem.type }).toEqual({
      what,
      status: response.status,
      type: 'string',
    });
    expect({ what, appended: after - before }).toEqual({ what, appended: 0n });
  }
}

async function makeFixtures(app: TestApp): Promise<Fixtures> {
  const admin = { key: app.adminKey };
  const book = 'fuzz';
  const ok = async (method: string, path: string, body?: unknown) => {
    const response = await app.request(method, path, {
      ...admin,
      ...(body === undefined ? {} : { body }),
    });
    if (response.status >= 300)
      throw new Error(
        `fixture ${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`,
      );
    return response.body;
  };
  await ok('POST', '/v1/books', { id: book, name: 'Fuzz GmbH', baseCurrency: 'EUR' });
  const accounts = ['1000', '1100', '4000', '6000'];
  for (const [code, type] of [
    ['1000', 'asset'],
    ['1100', 'asset'],
    ['4000', 'revenue'],
    ['6000', 'expense'],
  ]) {
    await ok('POST', `/v1/books/${book}/accounts`, { code, name: `Account ${code}`, type });
  }
  const entry = await ok('POST', `/v1/books/${book}/journal-entries`, {
    effectiveDate: '2026-03-31',
    description: 'fixture',
    lines: [
      { account: '1000', debit: '10.00' },
      { account: '4000', credit: '10.00' },
    ],
  });
  await ok('POST', `/v1/books/${book}/periods/2020-01/close`);
  const spare = await ok('POST', '/v1/api-keys', { name: 'spare', roles: ['auditor'] });
  const spec = await app.request<{ paths: Record<string, unknown> }>('GET', '/docs-json');
  const fixtures: Fixtures = {
    book,
    accounts,
    entryId: entry.id,
    closedPeriod: '2020-01',
    openPeriod: '2026-05',
    spareKeyId: spare.id,
    projection: ((await ok('GET', '/v1/projections')) as { name: string }[])[0]?.name ?? 'ledger',
  };
  if (spec.body.paths['/v1/books/{book}/approval-policies']) {
    const policy = await ok('POST', `/v1/books/${book}/approval-policies`, {
      name: 'reopen needs approval',
      action: 'period.reopen',
      steps: [{ role: 'approver', approvals: 1 }],
    });
    fixtures.policyId = policy.id;
    await ok('POST', `/v1/books/${book}/periods/2020-02/close`);
    const pending = await ok('POST', `/v1/books/${book}/periods/2020-02/reopen`, {
      reason: 'fixture',
    });
    fixtures.approvalId = pending.approvalId;
  }
  if (spec.body.paths['/v1/books/{book}/parties']) {
    const party = await ok('POST', `/v1/books/${book}/parties`, {
      kind: 'customer',
      name: 'Fixture GmbH',
      address: { street: 'Weg 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
    });
    fixtures.partyId = party.id;
  }
  return fixtures;
}
