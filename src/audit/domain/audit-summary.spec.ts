import { summarizeEvent, groupedAmount, summaryLengthMax } from './audit-summary.js';

const alice = { actor: { id: 'key-1', name: 'alice' }, correlationId: 'c-1' };

function summary(type: string, data: unknown, streamId = 'book-acme') {
  return summarizeEvent({ type, streamId, data, metadata: alice });
}

describe('audit summaries', () => {
  it('says who posted which entry, how much and why', () => {
    const text = summary('JournalEntryPosted', {
      entryId: 'JE-123',
      effectiveDate: '2026-02-01',
      description: 'Rent February',
      lines: [
        { account: '6310', side: 'debit', amountMinor: '120000', currency: 'EUR' },
        { account: '1200', side: 'credit', amountMinor: '120000', currency: 'EUR' },
      ],
    });
    expect(text).toBe('alice posted JE-123 1,200.00 EUR: Rent February');
  });

  it('sums debits per currency and names reversals', () => {
    const text = summary('JournalEntryPosted', {
      entryId: 'JE-2',
      description: 'Storno',
      reversalOf: 'JE-1',
      lines: [
        { side: 'debit', amountMinor: '5', currency: 'JPY' },
        { side: 'debit', amountMinor: '123456789', currency: 'EUR' },
        { side: 'debit', amountMinor: '1', currency: 'EUR' },
        { side: 'credit', amountMinor: '999', currency: 'EUR' },
      ],
    });
    expect(text).toBe('alice posted JE-2 reversing JE-1 5 JPY + 1,234,567.90 EUR: Storno');
  });

  it('groups thousands with the currency digits', () => {
    expect(groupedAmount(100n, 'EUR')).toBe('1.00');
    expect(groupedAmount(123456789n, 'BHD')).toBe('123,456.789');
    expect(groupedAmount(1000000n, 'JPY')).toBe('1,000,000');
  });

  it('never shows an API key hash', () => {
    const keyHash = 'ab'.repeat(32);
    const text = summary(
      'ApiKeyIssued',
      { keyId: 'k-9', name: 'bob', roles: ['auditor'], keyHash },
      'api-keys',
    );
    expect(text).toBe('alice issued API key k-9 "bob" (auditor)');
    expect(text).not.toContain(keyHash);
  });

  it('names the decider of an approval, not the caller', () => {
    const text = summary('ApprovalGranted', {
      approvalId: 'A-1',
      stepIndex: 0,
      role: 'approver',
      by: { keyId: 'k-2', name: 'carol' },
      at: 'x',
      comment: 'ok',
    });
    expect(text).toBe('carol approved A-1 as approver: ok');
  });

  it("names a party by its account, and a natural person's name never", () => {
    const company = summary(
      'PartyRegistered',
      {
        bookId: 'acme',
        kind: 'customer',
        number: '10001',
        naturalPerson: false,
        name: 'Muster GmbH',
      },
      'parties-acme',
    );
    expect(company).toBe('alice registered customer 10001 "Muster GmbH" in acme');
    const person = summary(
      'PartyRegistered',
      {
        bookId: 'acme',
        kind: 'customer',
        number: '10002',
        naturalPerson: true,
        personal: { name: 'Max Mustermann' },
      },
      'parties-acme',
    );
    expect(person).toBe('alice registered customer 10002 (a natural person) in acme');
    const changed = summary(
      'PartyChanged',
      {
        bookId: 'acme',
        kind: 'supplier',
        number: '70000',
        changed: ['address', 'iban'],
        naturalPerson: true,
        personal: { name: 'Max Mustermann' },
      },
      'parties-acme',
    );
    expect(changed).toBe('alice changed supplier 70000 in acme: address, iban');
    expect(changed).not.toContain('Mustermann');
    expect(
      summary('CompanySettingsChanged', { bookId: 'acme', name: 'ACME GmbH', changed: ['vatId'] }),
    ).toBe('alice set the company data of acme ("ACME GmbH"): vatId');
    const privateDraft = summary('InvoiceDraftCreated', {
      invoiceId: 'i1',
      draft: {
        customer: { partyId: 'p1', number: '10002' },
        currency: 'EUR',
        totals: { grossMinor: '11900' },
      },
    });
    expect(privateDraft).toContain('for customer 10002 over 119.00 EUR');
    const erasure = summary('PartyErasureRequested', {
      partyId: 'p1',
      bookId: 'acme',
      reason: 'Art. 17',
      retainedUntil: '2036-12-31',
      erasableFrom: '2037-01-01',
    });
    expect(erasure).toBe(
      'alice requested the erasure of party p1 in acme, kept until 2036-12-31: Art. 17',
    );
  });

  it('sums a payment run and names its execution, never the creditors', () => {
    const items = [
      { invoiceId: 'i1', creditor: { sealed: { name: 'kx1.contact.x' } }, amountMinor: '156103' },
      { invoiceId: 'i2', creditor: { name: 'Lieferant GmbH' }, amountMinor: '5' },
    ];
    const drafted = summary(
      'PaymentRunCreated',
      {
        runId: 'R-1',
        executionDate: '2027-01-15',
        bankAccount: '1200',
        currency: 'EUR',
        totalMinor: '156108',
        items,
      },
      'payment-runs-acme',
    );
    expect(drafted).toBe(
      'alice drafted payment run R-1 for 2027-01-15: 2 invoices, 1,561.08 EUR from account 1200',
    );
    expect(drafted).not.toContain('Lieferant');
    expect(
      summary(
        'PaymentRunExecuted',
        { runId: 'R-1', items, approvalId: 'A-7' },
        'payment-runs-acme',
      ),
    ).toBe(
      'alice executed payment run R-1: 2 credit transfers for the pain.001 file (approval A-7)',
    );
    expect(summary('PaymentRunCancelled', { runId: 'R-1', reason: 'doppelt' })).toBe(
      'alice cancelled payment run R-1: doppelt',
    );
  });

  it('has a generic line for unknown types and malformed data', () => {
    expect(summary('SomethingNew', { x: 1 }, 'misc')).toBe('alice recorded SomethingNew on misc');
    expect(
      summarizeEvent({ type: 'JournalEntryPosted', streamId: 's', data: null, metadata: alice }),
    ).toBe('alice posted ?: ?');
  });

  it('is one bounded line', () => {
    const text = summary('PeriodReopened', {
      period: '2026-01',
      reason: `a\nb\r\n${'x'.repeat(1000)}`,
    });
    expect(text).not.toMatch(/[\r\n]/);
    expect(text.length).toBeLessThanOrEqual(summaryLengthMax);
    expect(text.startsWith('alice reopened period 2026-01: a b x')).toBe(true);
  });
});
