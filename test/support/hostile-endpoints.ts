/**
 * The hostile-input fuzzer's generator for every write endpoint, by "METHOD /route" as /docs-json
 * names it (a write route without one here fails the run).
 */
import fc from 'fast-check';
import { hostileHeaderValue, hostileValue } from './hostile.js';
import {
  EndpointSpec,
  amount,
  currency,
  date,
  iban,
  roles,
  taxCode,
  text,
  time,
} from './hostile-fields.js';
import {
  bankingEndpoints,
  billingEndpoints,
  partiesEndpoints,
  payablesEndpoints,
  paymentsEndpoints,
} from './hostile-endpoints-business.js';

export const endpoints: Record<string, EndpointSpec> = {
  ...billingEndpoints,
  ...payablesEndpoints,
  ...bankingEndpoints,
  ...paymentsEndpoints,
  ...partiesEndpoints,
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
  'POST /v1/projections/{name}/rebuild': { params: (f) => ({ name: [f.projection] }) },
};
