import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { apiKeysDecider } from '../../access/domain/api-keys.decider.js';
import {
  approvalDelegationDecider,
  approvalPolicyDecider,
  approvalRequestDecider,
} from '../../approvals/index.js';
import { Decider, DomainEvent } from '../../event-sourcing/index.js';
import { bookDecider, registerDocumentType } from '../../ledger/index.js';
import { billingRepresentativeEvents } from '../../billing/testing/billing.fixtures.js';
import { bankingRepresentativeEvents } from '../../banking/testing/banking.fixtures.js';
import { companyDecider, partiesDecider, retentionEnd } from '../../parties/index.js';
import { webhooksDecider } from '../domain/webhooks.decider.js';
import { EventCatalog } from './event-catalog.js';

registerDocumentType({
  type: 'CatalogSpecInvoiceIssued',
  description: 'A document type of this spec only.',
  schema: {
    type: 'object',
    required: ['customer'],
    additionalProperties: false,
    properties: { customer: { type: 'string' } },
  },
});
const catalog = new EventCatalog();
const srcDir = join(__dirname, '..', '..');

/** Every `*.events.ts` file under src/, found on disk so a new module cannot be forgotten. */
function eventFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return eventFiles(path);
    return entry.name.endsWith('.events.ts') ? [path] : [];
  });
}

/** The event type names declared in the source: `DomainEvent<'TypeName', …>`. */
function declaredEventTypes(): { type: string; file: string }[] {
  return eventFiles(srcDir).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/DomainEvent<\s*'([A-Za-z]+)'/g)].map((match) => ({
      type: match[1]!,
      file: relative(srcDir, file),
    })),
  );
}

/** Runs commands through a decider, folding each result in, and returns every decided event. */
function run<Command, Event extends DomainEvent, State>(
  decider: Decider<Command, Event, State>,
  commands: Command[],
): Event[] {
  let state = decider.initialState();
  const events: Event[] = [];
  for (const command of commands) {
    for (const event of decider.decide(command, state)) {
      events.push(event);
      state = decider.evolve(state, event);
    }
  }
  return events;
}

const ada = { keyId: 'key_ada', name: 'Ada' };
const bob = { keyId: 'key_bob', name: 'Bob', roles: ['approver' as const] };
const now = '2026-03-31T10:00:00.000Z';

function representativeEvents(): DomainEvent[] {
  const bookId = 'acme';
  const book = run(bookDecider, [
    { type: 'OpenBook', bookId, name: 'ACME GmbH', baseCurrency: 'EUR' },
    { type: 'OpenAccount', bookId, code: '1200', name: 'Bank', accountType: 'asset' },
    {
      type: 'OpenAccount',
      bookId,
      code: '6310',
      name: 'Rent',
      accountType: 'expense',
      currency: 'EUR',
      parent: '1200',
    },
    {
      type: 'PostJournalEntry',
      bookId,
      entryId: 'e1',
      effectiveDate: '2026-03-31',
      description: 'Rent',
      reference: 'INV-1',
      lines: [
        { account: '6310', debit: '1200.00', memo: 'March' },
        { account: '1200', credit: '1200.00' },
      ],
      metadata: { costCenter: 'HQ', approved: true },
      idempotency: { key: 'k1', requestHash: 'h'.repeat(64) },
    },
    { type: 'ReverseJournalEntry', bookId, entryId: 'e1', newEntryId: 'e2', reason: 'wrong month' },
    { type: 'ClosePeriod', bookId, period: '2026-03', today: '2026-04-01' },
    { type: 'ReopenPeriod', bookId, period: '2026-03', reason: 'audit finding' },
    { type: 'ChangeAccountIban', bookId, code: '1200', iban: 'DE02 1203 0000 0000 2020 51' },
    { type: 'ChangeAccountIban', bookId, code: '1200', iban: null },
    { type: 'CloseAccount', bookId, code: '6310' },
  ]);
  const charted = run(bookDecider, [
    {
      type: 'OpenBook',
      bookId: 'charted',
      name: 'Charted GmbH',
      baseCurrency: 'EUR',
      chart: 'skr03',
    },
    {
      type: 'DefineTaxCode',
      bookId: 'charted',
      taxCode: {
        code: 'USt19-B',
        name: 'Umsatzsteuer 19 % (Filiale)',
        kind: 'output',
        rates: [{ validFrom: '2021-01-01', validTo: '2030-12-31', ratePercent: '19' }],
        outputAccount: '1776',
        datevKey: '3',
      },
    },
    {
      type: 'PostDocument',
      bookId: 'charted',
      document: { type: 'CatalogSpecInvoiceIssued', id: 'inv-1', data: { customer: 'c-1' } },
      numbering: { series: 'RE-2027' },
      entry: {
        entryId: 'e-inv-1',
        effectiveDate: '2027-01-15',
        description: 'Invoice',
        tax: 'auto',
        lines: [
          { account: '1400', debit: '119.00', party: 'c-1' },
          { account: '8400', credit: '100.00', taxCode: 'USt19' },
        ],
      },
    },
  ]);
  const policies = run(approvalPolicyDecider, [
    {
      type: 'DefineApprovalPolicy',
      book: bookId,
      policyId: 'p1',
      name: 'Large payments',
      action: 'journal-entry.post',
      condition: { minAmount: '10000.00', currency: 'EUR', accounts: ['1200'] },
      steps: [{ role: 'approver', approvals: 1 }],
      expiresAfter: 'P7D',
    },
    { type: 'RetireApprovalPolicy', book: bookId, policyId: 'p1', reason: 'replaced' },
  ]);
  const request = (approvalId: string) => ({
    type: 'RequestApproval' as const,
    approvalId,
    book: bookId,
    action: 'journal-entry.post' as const,
    payload: { description: 'Big payment' },
    summary: {
      action: 'journal-entry.post' as const,
      book: bookId,
      debitTotalsMinor: { EUR: 2_000_000n },
      accounts: ['1200'],
    },
    requestedBy: ada,
    steps: [{ role: 'approver' as const, approvals: 1 }],
    policyIds: ['p1'],
    now,
    expiresAt: '2026-04-07T10:00:00.000Z',
  });
  const approved = run(approvalRequestDecider, [
    request('a1'),
    { type: 'GrantApproval', approvalId: 'a1', by: bob, comment: 'ok', now },
    {
      type: 'RecordExecution',
      approvalId: 'a1',
      outcome: { status: 'executed', result: { entryId: 'e3' } },
      now,
    },
  ]);
  const failed = run(approvalRequestDecider, [
    request('a2'),
    { type: 'GrantApproval', approvalId: 'a2', by: bob, now },
    {
      type: 'RecordExecution',
      approvalId: 'a2',
      outcome: { status: 'failed', error: { code: 'period-closed', detail: 'closed' } },
      now,
    },
  ]);
  const rejected = run(approvalRequestDecider, [
    request('a3'),
    { type: 'RejectApproval', approvalId: 'a3', by: bob, reason: 'no', now },
  ]);
  const cancelled = run(approvalRequestDecider, [
    request('a4'),
    { type: 'CancelApproval', approvalId: 'a4', by: ada, reason: 'typo', now },
  ]);
  const expired = run(approvalRequestDecider, [
    request('a5'),
    { type: 'ExpireApproval', approvalId: 'a5', now: '2026-05-01T00:00:00.000Z' },
  ]);
  const delegations = run(approvalDelegationDecider, [
    {
      type: 'DelegateApproval',
      delegationId: 'd1',
      delegator: { keyId: 'key_carl', name: 'Carl', roles: ['approver'] },
      delegate: ada,
      role: 'approver',
      validFrom: now,
      until: '2026-04-10T00:00:00.000Z',
      now,
    },
    {
      type: 'RevokeApprovalDelegation',
      delegationId: 'd1',
      by: { keyId: 'key_carl', name: 'Carl', roles: ['approver'] },
      reason: 'back',
      now,
    },
  ]);
  const keys = run(apiKeysDecider, [
    {
      type: 'IssueApiKey',
      keyId: 'key_1',
      name: 'Ada',
      roles: ['accountant'],
      books: ['acme'],
      keyHash: 'a'.repeat(64),
      keyVerifier: 'b'.repeat(64),
    },
    { type: 'RevokeApiKey', keyId: 'key_1' },
  ]);
  const webhooks = run(webhooksDecider, [
    {
      type: 'RegisterWebhook',
      webhookId: 'wh_1',
      url: 'https://example.com/hook',
      types: ['JournalEntryPosted'],
      books: ['acme'],
    },
    { type: 'DeleteWebhook', webhookId: 'wh_1' },
  ]);
  const address = { street: 'Weg 1', postalCode: '10115', city: 'Berlin', country: 'DE' };
  const parties = run(partiesDecider, [
    {
      type: 'RegisterParty',
      bookId,
      partyId: 'c1',
      kind: 'customer',
      master: {
        name: 'Muster GmbH',
        naturalPerson: false,
        address,
        vatId: 'DE123456789',
        iban: 'DE89370400440532013000',
        bic: 'COBADEFFXXX',
        paymentTermsDays: 14,
      },
      idempotency: { key: 'k1', requestHash: 'a'.repeat(64) },
    },
    {
      type: 'RegisterParty',
      bookId,
      partyId: 'p1',
      kind: 'customer',
      number: '10005',
      master: { name: 'Max Muster', naturalPerson: true, address, email: 'max@example.de' },
    },
    { type: 'ChangeParty', bookId, party: '10005', patch: { phone: '+49 30 1234', email: null } },
    { type: 'ChangeParty', bookId, party: 'c1', patch: { name: 'Muster AG', bic: null } },
    {
      type: 'RequestPartyErasure',
      bookId,
      party: 'p1',
      reason: 'Art. 17 request',
      today: '2026-12-03',
      retention: retentionEnd({ lastBookingDate: '2026-03-01' }),
    },
    {
      type: 'EraseDueFields',
      bookId,
      party: 'p1',
      today: '2037-01-01',
      retention: retentionEnd({ lastBookingDate: '2027-03-01' }),
    },
    {
      type: 'EraseDueFields',
      bookId,
      party: 'p1',
      today: '2038-01-01',
      retention: retentionEnd({ lastBookingDate: '2027-03-01' }),
    },
  ]);
  const company = run(companyDecider, [
    {
      type: 'ChangeCompanySettings',
      bookId,
      settings: { name: 'ACME GmbH', address, vatId: 'DE987654321', email: 'a@acme.example' },
    },
  ]);
  // The audit module records exports without a decider: its events as the export service builds them.
  const exportStarted = {
    exportId: 'x1',
    format: 'jsonl',
    filter: { book: 'acme', until: '42' },
    untilPosition: '42',
  };
  const audit: DomainEvent[] = [
    { type: 'AuditTrailExportStarted', data: exportStarted },
    {
      type: 'AuditTrailExported',
      data: { ...exportStarted, completed: true, rowCount: 42, sha256: 'f'.repeat(64) },
    },
  ];
  return [
    ...audit,
    ...book,
    ...charted,
    ...policies,
    ...approved,
    ...failed,
    ...rejected,
    ...cancelled,
    ...expired,
    ...delegations,
    ...keys,
    ...webhooks,
    ...parties,
    ...company,
    ...billingRepresentativeEvents(),
    ...bankingRepresentativeEvents(),
  ];
}

describe('event catalog', () => {
  it('finds the event files of several modules (the scan itself works)', () => {
    const files = new Set(declaredEventTypes().map((declared) => declared.file));
    expect(files.size).toBeGreaterThanOrEqual(4);
  });

  it.each(declaredEventTypes().map((declared) => [declared.type, declared.file]))(
    'has a schema for %s (%s)',
    (type) => {
      expect(catalog.has(type)).toBe(true);
    },
  );

  it('validates every event the deciders emit in a representative scenario, and every type occurs in it', () => {
    const events = representativeEvents();
    const failures = events
      .map((event) => ({ type: event.type, check: catalog.check(event) }))
      .filter(({ check }) => !check.ok);
    expect(failures).toEqual([]);
    const emitted = new Set(events.map((event) => event.type));
    const missing = declaredEventTypes().filter((declared) => !emitted.has(declared.type));
    expect(missing).toEqual([]);
  });

  it('rejects data that does not match, with the path of the problem', () => {
    const result = catalog.check({
      type: 'JournalEntryPosted',
      data: { entryId: 'e1', effectiveDate: '31.03.2026', description: 'x', lines: [] },
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/effectiveDate/);
    expect(catalog.check({ type: 'NoSuchEvent', data: {} })).toEqual({
      ok: false,
      reason: 'no schema for NoSuchEvent v1',
    });
  });

  it('lists each type with its CloudEvents type', () => {
    const posted = catalog.list().find((entry) => entry.type === 'JournalEntryPosted');
    expect(posted).toMatchObject({
      schemaVersion: 1,
      cloudEventType: 'kontor.JournalEntryPosted.v1',
    });
    expect(posted!.schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });
});
