import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import { newId } from '../../src/event-sourcing/index.js';
import { documentEntryLines } from '../../src/billing/index.js';
import {
  domesticCustomer,
  domesticInput,
  issuedInvoice,
} from '../../src/billing/testing/billing.fixtures.js';
import { PostDocument } from '../../src/ledger/index.js';
import { RunBookCommand } from '../../src/ledger/ledger.module.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';
import { Customers } from '../support/customers.js';

/** Payments, open items, aging and reconciliation over HTTP, on both stores (API.md "Payments, open items, dunning"). */
const stores: TestStore[] = ['sqlite', 'postgres'];

describe.each(stores)('payments and open items over %s', (store) => {
  let app: TestApp;
  let accountant: string;
  const customers = new Map<string, Customers>();

  beforeAll(async () => {
    app = await startTestApp({ store, env: { LOG_LEVEL: process.env.E2E_LOG ?? 'silent' } });
    accountant = await app.createKey('Erika Accountant', ['accountant']);
  });

  afterAll(async () => {
    await app?.close();
  });

  async function openBook(): Promise<string> {
    const id = `pay-${randomUUID().slice(0, 8)}`;
    expect(
      (
        await app.request('POST', '/v1/books', {
          key: app.adminKey,
          body: { id, name: 'ACME GmbH', baseCurrency: 'EUR', chart: 'skr03' },
        })
      ).status,
    ).toBe(201);
    const registered = new Customers(app, id);
    for (const alias of ['p-1', 'p-2']) await registered.register(alias);
    customers.set(id, registered);
    return id;
  }

  /** Issues the fixture invoice (12 h consulting, material, a book: 19 % and 7 %) through PostDocument. */
  async function issue(
    book: string,
    partyId: string,
    issueDate = '2027-01-15',
  ): Promise<{ id: string; gross: bigint; position: bigint }> {
    const fields = issuedInvoice(
      { ...domesticInput, issueDate },
      { ...domesticCustomer, partyId: customers.get(book)!.id(partyId) },
    );
    const { documentId: _d, number: _n, numbering: _s, entryId: _e, ...data } = fields;
    const id = `inv-${randomUUID()}`;
    const command: PostDocument = {
      type: 'PostDocument',
      bookId: book,
      document: { type: 'InvoiceIssued', id, data: data as unknown as Record<string, unknown> },
      numbering: { series: 'RE-2027' },
      entry: {
        entryId: newId(),
        effectiveDate: issueDate,
        description: 'Invoice',
        lines: documentEntryLines(fields, 'debit'),
      },
    };
    const outcome = await app.app.get(CommandBus).execute(
      new RunBookCommand(
        command,
        {
          actor: { id: 'k-erika', name: 'Erika Accountant' },
          correlationId: newId(),
          commandId: newId(),
        },
        { id: 'k-erika', name: 'Erika Accountant', roles: ['accountant'] },
      ),
    );
    if (outcome.status !== 'done') throw new Error('not posted');
    return { id, gross: BigInt(fields.totals.grossMinor), position: outcome.result.position };
  }

  const eur = (minor: bigint) => `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;

  async function openItems(book: string, query: string, position?: bigint) {
    const consistent = position === undefined ? '' : `&consistentWith=${position}`;
    const response = await app.request(
      'GET',
      `/v1/books/${book}/open-items?kind=receivable&${query}${consistent}`,
      { key: accountant },
    );
    expect(response.status).toBe(200);
    for (const item of response.body.items) item.party = customers.get(book)!.alias(item.party);
    return response.body.items as {
      invoice: string;
      openAmount: string;
      amount: string;
      daysOverdue: number;
      documentType: string;
      party: string;
    }[];
  }

  async function pay(
    book: string,
    body: { party: string; [field: string]: unknown },
    headers: Record<string, string> = {},
  ) {
    const party = customers.get(book)!;
    const response = await app.request('POST', `/v1/books/${book}/payments`, {
      key: accountant,
      headers,
      body: {
        bankAccount: '1200',
        ...body,
        party: party.id(body.party),
      },
    });
    if (response.status === 201) response.body.party = party.alias(response.body.party);
    return response;
  }

  it('settles an invoice partly, then with Skonto (VAT corrected per tax code), as of each date', async () => {
    const book = await openBook();
    const invoice = await issue(book, 'p-1');
    const first = await pay(book, {
      party: 'p-1',
      date: '2027-01-20',
      amount: '100.00',
      allocations: [{ invoice: invoice.id, amount: '100.00' }],
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      party: 'p-1',
      amount: '100.00',
      unallocated: '0.00',
      allocations: [{ invoice: invoice.id, amount: '100.00', discount: '0.00' }],
    });

    const rest = invoice.gross - 10_000n;
    expect(
      (await openItems(book, 'asOf=2027-01-19', BigInt(first.body.position))).map(
        (i) => i.openAmount,
      ),
    ).toEqual([eur(invoice.gross)]);
    expect((await openItems(book, 'asOf=2027-01-20')).map((i) => i.openAmount)).toEqual([
      eur(rest),
    ]);

    const discount = 500n;
    const second = await pay(book, {
      party: 'p-1',
      date: '2027-01-25',
      amount: eur(rest - discount),
      discount: eur(discount),
      allocations: [{ invoice: invoice.id, amount: eur(rest - discount) }],
    });
    expect(second.status).toBe(201);
    expect(second.body.allocations).toEqual([
      { invoice: invoice.id, amount: eur(rest - discount), discount: '5.00' },
    ]);
    expect(await openItems(book, 'asOf=2027-01-31', BigInt(second.body.position))).toEqual([]);
    // The invoice itself reads as paid: the Skonto settles it together with the cash.
    const settled = await app.request(
      'GET',
      `/v1/books/${book}/invoices/${invoice.id}?consistentWith=${second.body.position}`,
      { key: accountant },
    );
    expect(settled.body).toMatchObject({ status: 'paid', openAmount: '0.00' });

    const entry = await app.request(
      'GET',
      `/v1/books/${book}/journal-entries/${second.body.entryId}`,
      { key: accountant },
    );
    expect(entry.status).toBe(200);
    const lines = entry.body.lines as {
      account: string;
      debit?: string;
      credit?: string;
      taxCode?: string;
      party?: string;
    }[];
    const discountLines = lines.filter((line) => ['8736', '1776', '1771'].includes(line.account));
    expect(discountLines.map((line) => line.taxCode).sort()).toEqual([
      'USt19',
      'USt19',
      'USt7',
      'USt7',
    ]);
    const discountTotal = discountLines.reduce(
      (sum, line) => sum + BigInt(line.debit!.replace('.', '')),
      0n,
    );
    expect(discountTotal).toBe(discount);
    expect(lines.find((line) => line.account === '1400')).toMatchObject({
      credit: eur(rest),
      party: customers.get(book)!.id('p-1'),
    });

    const reconciliation = await app.request(
      'GET',
      `/v1/books/${book}/open-items/reconciliation?kind=receivable&asOf=2027-12-31`,
      { key: accountant },
    );
    expect(reconciliation.body).toMatchObject({
      ok: true,
      lines: [{ account: '1400', openItems: '0.00', ledger: '0.00', difference: '0.00' }],
    });
  });

  it('keeps an overpayment open on the party and ages what is overdue', async () => {
    const book = await openBook();
    const a = await issue(book, 'p-1', '2027-01-15');
    const b = await issue(book, 'p-2', '2026-11-01');
    const paid = await pay(book, {
      party: 'p-1',
      date: '2027-01-20',
      amount: eur(a.gross + 5_000n),
      allocations: [{ invoice: a.id, amount: eur(a.gross) }],
    });
    expect(paid.status).toBe(201);
    expect(paid.body.unallocated).toBe('50.00');
    const items = await openItems(book, 'asOf=2027-02-28', BigInt(paid.body.position));
    expect(items.map((i) => [i.party, i.documentType, i.openAmount])).toEqual([
      ['p-1', 'PaymentReceived', '-50.00'],
      ['p-2', 'InvoiceIssued', eur(b.gross)],
    ]);
    expect(
      (await openItems(book, 'asOf=2027-02-28&overdue=true')).map((i) => [i.party, i.daysOverdue]),
    ).toEqual([['p-2', 105]]);
    const aging = await app.request(
      'GET',
      `/v1/books/${book}/open-items/aging?kind=receivable&asOf=2027-02-28`,
      { key: accountant },
    );
    expect(aging.status).toBe(200);
    const agedParties = (aging.body.currencies[0].parties as { party: string }[])
      .map((row) => ({ ...row, party: customers.get(book)!.alias(row.party) }))
      .sort((x, y) => x.party.localeCompare(y.party));
    expect(agedParties).toEqual([
      {
        party: 'p-1',
        current: '-50.00',
        '1-30': '0.00',
        '31-60': '0.00',
        '61-90': '0.00',
        'over-90': '0.00',
        total: '-50.00',
      },
      {
        party: 'p-2',
        current: '0.00',
        '1-30': '0.00',
        '31-60': '0.00',
        '61-90': '0.00',
        'over-90': eur(b.gross),
        total: eur(b.gross),
      },
    ]);
    expect(aging.body.currencies[0].total.total).toBe(eur(b.gross - 5_000n));
    const reconciliation = await app.request(
      'GET',
      `/v1/books/${book}/open-items/reconciliation?kind=receivable&asOf=2027-02-28`,
      { key: accountant },
    );
    expect(reconciliation.body.ok).toBe(true);
  });

  it('refuses bad payments with a 4xx and records nothing', async () => {
    const book = await openBook();
    const invoice = await issue(book, 'p-1');
    const other = await issue(book, 'p-2');
    await openItems(book, 'asOf=2027-12-31', other.position);
    const head = async () =>
      (await app.request('GET', '/v1/events?fromPosition=0&limit=1000', { key: app.adminKey })).body
        .items.length as number;
    const before = await head();
    const cases: [{ party: string; [field: string]: unknown }, number, string][] = [
      [{ party: 'nobody', date: '2027-01-20', amount: '1.00' }, 400, 'party'],
      [
        {
          party: 'p-1',
          date: '2027-01-20',
          amount: '1.00',
          allocations: [{ invoice: 'inv-unknown', amount: '1.00' }],
        },
        400,
        'allocations[0].invoice',
      ],
      [
        {
          party: 'p-1',
          date: '2027-01-20',
          amount: '5.00',
          allocations: [{ invoice: other.id, amount: '5.00' }],
        },
        400,
        'allocations[0].invoice',
      ],
      [
        {
          party: 'p-1',
          date: '2027-01-20',
          amount: eur(invoice.gross + 100n),
          allocations: [{ invoice: invoice.id, amount: eur(invoice.gross + 1n) }],
        },
        422,
        'allocations[0].amount',
      ],
      [
        {
          party: 'p-1',
          date: '2027-01-20',
          amount: '1.00',
          allocations: [{ invoice: invoice.id, amount: '2.00' }],
        },
        422,
        'allocations',
      ],
      [
        {
          party: 'p-1',
          date: '2027-01-20',
          amount: '1.00',
          currency: 'USD',
          allocations: [{ invoice: invoice.id, amount: '1.00' }],
        },
        400,
        'currency',
      ],
      [{ party: 'p-1', date: '2027-01-20', amount: '1.001' }, 400, 'amount'],
      [{ party: 'p-1', date: '2027-02-30', amount: '1.00' }, 400, 'date'],
    ];
    for (const [body, status, field] of cases) {
      const response = await pay(book, body);
      expect([JSON.stringify(body), response.status]).toEqual([JSON.stringify(body), status]);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(response.body)).toContain(field);
    }
    expect(await head()).toBe(before);
  });
});
