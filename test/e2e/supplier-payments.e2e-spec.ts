import { randomUUID } from 'node:crypto';
import { TestApp, TestStore, startTestApp } from '../support/app.js';

/** Supplier payments (payments of kind payable) over HTTP, on both stores (API.md "Payment runs and bank statements"). */
const stores: TestStore[] = ['sqlite', 'postgres'];

describe.each(stores)('supplier payments over %s', (store) => {
  let app: TestApp;
  let accountant: string;

  beforeAll(async () => {
    app = await startTestApp({ store, env: { LOG_LEVEL: process.env.E2E_LOG ?? 'silent' } });
    accountant = await app.createKey('Erika Accountant', ['accountant']);
  });

  afterAll(async () => {
    await app?.close();
  });

  async function openBook(): Promise<{ book: string; supplier: string }> {
    const book = `sup-${randomUUID().slice(0, 8)}`;
    const opened = await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: { id: book, name: 'ACME GmbH', baseCurrency: 'EUR', chart: 'skr03' },
    });
    expect(opened.status).toBe(201);
    const party = await app.request('POST', `/v1/books/${book}/parties`, {
      key: app.adminKey,
      body: {
        kind: 'supplier',
        name: 'Bürobedarf Müller GmbH',
        iban: 'DE89370400440532013000',
        address: { street: 'Hauptstraße 5', postalCode: '50667', city: 'Köln', country: 'DE' },
      },
    });
    expect(party.status).toBe(201);
    return { book, supplier: String(party.body.id) };
  }

  /** A payable of 119.00 (100.00 expense + 19 % input VAT) posted as a plain journal entry. */
  async function payable(book: string, supplier: string): Promise<string> {
    const posted = await app.request('POST', `/v1/books/${book}/journal-entries`, {
      key: accountant,
      body: {
        effectiveDate: '2027-01-10',
        description: 'Eingangsrechnung ER-4711',
        reference: 'ER-4711',
        lines: [
          { account: '3400', debit: '100.00' },
          { account: '1576', debit: '19.00' },
          { account: '1600', credit: '119.00', party: supplier },
        ],
      },
    });
    expect(posted.status).toBe(201);
    return String(posted.body.id);
  }

  async function read(path: string, position: number) {
    const response = await app.request('GET', `${path}consistentWith=${position}`, {
      key: accountant,
    });
    expect(response.status).toBe(200);
    return response.body;
  }

  it('pays a payable in full: payables control debited with the party, bank credited, item settled', async () => {
    const { book, supplier } = await openBook();
    const item = await payable(book, supplier);
    const paid = await app.request('POST', `/v1/books/${book}/payments`, {
      key: accountant,
      body: {
        kind: 'payable',
        party: supplier,
        date: '2027-01-25',
        amount: '119.00',
        bankAccount: '1200',
        allocations: [{ invoice: 'ER-4711', amount: '119.00' }],
      },
    });
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ kind: 'payable', amount: '119.00', unallocated: '0.00' });
    expect(paid.body.allocations).toEqual([{ invoice: item, amount: '119.00', discount: '0.00' }]);
    const entry = await read(
      `/v1/books/${book}/journal-entries/${paid.body.entryId}?`,
      paid.body.position,
    );
    expect(entry.lines.map((l: any) => [l.account, l.debit ?? null, l.credit ?? null])).toEqual([
      ['1200', null, '119.00'],
      ['1600', '119.00', null],
    ]);
    const open = await read(
      `/v1/books/${book}/open-items?kind=payable&asOf=2027-01-31&`,
      paid.body.position,
    );
    expect(open.items).toEqual([]);
    const control = await read(`/v1/books/${book}/accounts/1600/balance?`, paid.body.position);
    expect(control.balances[0]).toMatchObject({ debit: '119.00', credit: '119.00' });
  });

  it('takes Skonto received on the discount received account and leaves nothing open', async () => {
    const { book, supplier } = await openBook();
    const item = await payable(book, supplier);
    const paid = await app.request('POST', `/v1/books/${book}/payments`, {
      key: accountant,
      body: {
        kind: 'payable',
        party: supplier,
        date: '2027-01-15',
        amount: '116.62',
        bankAccount: '1200',
        discount: '2.38',
        allocations: [{ invoice: item, amount: '116.62' }],
      },
    });
    expect(paid.status).toBe(201);
    const entry = await read(
      `/v1/books/${book}/journal-entries/${paid.body.entryId}?`,
      paid.body.position,
    );
    expect(entry.lines.map((l: any) => [l.account, l.debit ?? null, l.credit ?? null])).toEqual([
      ['1200', null, '116.62'],
      ['3736', null, '2.38'],
      ['1600', '119.00', null],
    ]);
    const open = await read(
      `/v1/books/${book}/open-items?kind=payable&asOf=2027-01-31&`,
      paid.body.position,
    );
    expect(open.items).toEqual([]);
  });

  it('refuses a receivable invoice or more than is open, and posts nothing', async () => {
    const { book, supplier } = await openBook();
    const item = await payable(book, supplier);
    const tooMuch = await app.request('POST', `/v1/books/${book}/payments`, {
      key: accountant,
      body: {
        kind: 'payable',
        party: supplier,
        date: '2027-01-15',
        amount: '200.00',
        bankAccount: '1200',
        allocations: [{ invoice: item, amount: '200.00' }],
      },
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.detail).toContain('119.00 open');
    const asReceivable = await app.request('POST', `/v1/books/${book}/payments`, {
      key: accountant,
      body: {
        party: supplier,
        date: '2027-01-15',
        amount: '119.00',
        bankAccount: '1200',
        allocations: [{ invoice: item, amount: '119.00' }],
      },
    });
    expect(asReceivable.status).toBe(400);
    expect(asReceivable.body.detail).toContain(`Unknown invoice ${item}`);
    const bank = await app.request('GET', `/v1/books/${book}/accounts/1200/balance`, {
      key: accountant,
    });
    expect(bank.body.balances).toEqual([]);
  });
});
