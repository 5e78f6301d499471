import { randomUUID } from 'node:crypto';
import { CommandBus } from '@nestjs/cqrs';
import { defaultInterest } from '../../src/banking/index.js';
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

/** Dunning runs over HTTP on both stores: propose, confirm (posts fees and interest), twice → 409, levels. */
const stores: TestStore[] = ['sqlite', 'postgres'];
const rates = [{ validFrom: '2025-07-01', ratePercent: '1.27' }];
const eur = (minor: bigint) => `${minor / 100n}.${String(minor % 100n).padStart(2, '0')}`;

describe.each(stores)('dunning runs over %s', (store) => {
  let app: TestApp;
  let accountant: string;

  beforeAll(async () => {
    app = await startTestApp({ store });
    accountant = await app.createKey('Erika Accountant', ['accountant']);
  });

  afterAll(async () => {
    await app?.close();
  });

  async function openBook(chart = true): Promise<string> {
    const id = `dun-${randomUUID().slice(0, 8)}`;
    const body = {
      id,
      name: 'ACME GmbH',
      baseCurrency: 'EUR',
      ...(chart ? { chart: 'skr03' } : {}),
    };
    expect((await app.request('POST', '/v1/books', { key: app.adminKey, body })).status).toBe(201);
    return id;
  }

  async function issue(book: string, partyId: string) {
    const fields = issuedInvoice(domesticInput, { ...domesticCustomer, partyId });
    const { documentId: _d, number: _n, numbering: _s, entryId: _e, ...data } = fields;
    const command: PostDocument = {
      type: 'PostDocument',
      bookId: book,
      document: {
        type: 'InvoiceIssued',
        id: `inv-${randomUUID()}`,
        data: data as unknown as Record<string, unknown>,
      },
      numbering: { series: 'RE-2027' },
      entry: {
        entryId: newId(),
        effectiveDate: fields.issueDate,
        description: 'Invoice',
        lines: documentEntryLines(fields, 'debit'),
      },
    };
    const outcome = await app.app
      .get(CommandBus)
      .execute(
        new RunBookCommand(
          command,
          { actor: { id: 'k', name: 'Erika' }, correlationId: newId(), commandId: newId() },
          { id: 'k', name: 'Erika', roles: ['accountant'] },
        ),
      );
    if (outcome.status !== 'done') throw new Error('not posted');
    return { gross: BigInt(fields.totals.grossMinor), dueDate: fields.dueDate };
  }

  it('proposes level 1 with §288 interest, confirms once (fees and interest posted), then level 2 after the interval', async () => {
    const book = await openBook();
    const settings = await app.request('PUT', `/v1/books/${book}/settings/dunning`, {
      key: accountant,
      body: {
        fees: ['0.00', '5.00', '10.00'],
        baseRates: [{ validFrom: '2025-07-01', rate: '1.27' }],
        intervalDays: 14,
        receivablesAccount: '1400',
        feesAccount: '2650',
        interestAccount: '2650',
      },
    });
    expect(settings.status).toBe(200);
    const customers = new Customers(app, book);
    const business = await customers.register('business');
    const consumer = await customers.register('consumer', true);
    const invoice = await issue(book, business);
    await issue(book, consumer);

    const proposed = await app.request('POST', `/v1/books/${book}/dunning-runs`, {
      key: accountant,
      body: { asOf: '2027-02-28' },
    });
    expect(proposed.status).toBe(201);
    const noticeOf = (body: { notices: { party: string }[] }, party: string) =>
      body.notices.find((notice) => notice.party === party) as Record<string, string> | undefined;
    const business9 = defaultInterest(invoice.gross, invoice.dueDate, '2027-02-28', 9, rates);
    const consumer5 = defaultInterest(invoice.gross, invoice.dueDate, '2027-02-28', 5, rates);
    expect(consumer5).toBeLessThan(business9);
    expect(noticeOf(proposed.body, business)).toMatchObject({
      level: 1,
      fee: '0.00',
      interestPoints: 9,
      interest: eur(business9),
    });
    expect(noticeOf(proposed.body, consumer)).toMatchObject({
      level: 1,
      fee: '0.00',
      interestPoints: 5,
      interest: eur(consumer5),
    });

    // Two confirmations at once: the book decides, exactly one posts.
    const confirm = () =>
      app.request('POST', `/v1/books/${book}/dunning-runs/${proposed.body.id}/confirm`, {
        key: accountant,
      });
    const answers = await Promise.all([confirm(), confirm()]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const confirmed = answers.find((answer) => answer.status === 200)!;
    expect((await confirm()).status).toBe(409);
    const entry = await app.request(
      'GET',
      `/v1/books/${book}/journal-entries/${confirmed.body.entryId}?consistentWith=${confirmed.body.position}`,
      { key: accountant },
    );
    expect(entry.body.lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ account: '1400', debit: eur(business9), party: business }),
        expect.objectContaining({ account: '1400', debit: eur(consumer5), party: consumer }),
        expect.objectContaining({ account: '2650', credit: eur(business9 + consumer5) }),
      ]),
    );
    expect(entry.body.lines).toHaveLength(3);

    const runs = await app.request(
      'GET',
      `/v1/books/${book}/dunning-runs?consistentWith=${confirmed.body.position}`,
      { key: accountant },
    );
    expect(runs.body.items.map((run: { status: string }) => run.status)).toEqual(['confirmed']);
    const reconciliation = await app.request(
      'GET',
      `/v1/books/${book}/open-items/reconciliation?kind=receivable&asOf=2027-12-31`,
      { key: accountant },
    );
    expect(reconciliation.body.ok).toBe(true);

    const tooSoon = await app.request('POST', `/v1/books/${book}/dunning-runs`, {
      key: accountant,
      body: { asOf: '2027-03-10' },
    });
    expect(tooSoon.body.notices).toEqual([]);
    const second = await app.request('POST', `/v1/books/${book}/dunning-runs`, {
      key: accountant,
      body: { asOf: '2027-03-14' },
    });
    expect(noticeOf(second.body, business)).toMatchObject({ level: 2, fee: '5.00' });
    // The dunning fee and interest items are not dunned again (§289 BGB): only the invoice.
    expect(noticeOf(second.body, business)!.items).toHaveLength(1);
  });

  it('answers 404 for an unknown run, 422 for a run with nothing to post (manual items are not dunned), 400 for a bad date', async () => {
    const book = await openBook();
    expect(
      (
        await app.request('POST', `/v1/books/${book}/dunning-runs/nope/confirm`, {
          key: accountant,
        })
      ).status,
    ).toBe(404);
    const item = await app.request('POST', `/v1/books/${book}/journal-entries`, {
      key: accountant,
      body: {
        effectiveDate: '2027-01-10',
        description: 'Forderung',
        lines: [
          { account: '1400', debit: '10.00', party: 'p-9' },
          { account: '8400', credit: '10.00' },
        ],
      },
    });
    expect(item.status).toBe(201);
    const proposed = await app.request('POST', `/v1/books/${book}/dunning-runs`, {
      key: accountant,
      body: { asOf: '2027-02-28' },
    });
    const refused = await app.request(
      'POST',
      `/v1/books/${book}/dunning-runs/${proposed.body.id}/confirm`,
      { key: accountant },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toContain('Nothing to post');
    expect(
      (
        await app.request('POST', `/v1/books/${book}/dunning-runs`, {
          key: accountant,
          body: { asOf: '2027-02-30' },
        })
      ).status,
    ).toBe(400);
  });
});
