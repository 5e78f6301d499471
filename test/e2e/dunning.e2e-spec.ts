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

/** Dunning runs over HTTP on both stores: propose, confirm (posts fees and interest), twice → 409, levels. */
const stores: TestStore[] = ['sqlite', 'postgres'];
const rates = [{ validFrom: '2025-07-01', ratePercent: '1.27' }];

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

  async function openBook(): Promise<string> {
    const id = `dun-${randomUUID().slice(0, 8)}`;
    expect(
      (
        await app.request('POST', '/v1/books', {
          key: app.adminKey,
          body: { id, name: 'ACME GmbH', baseCurrency: 'EUR' },
        })
      ).status,
    ).toBe(201);
    for (const [code, type] of [
      ['1200', 'asset'],
      ['1400', 'asset'],
      ['8400', 'revenue'],
      ['8300', 'revenue'],
      ['2650', 'revenue'],
      ['1776', 'liability'],
      ['1771', 'liability'],
    ]) {
      expect(
        (
          await app.request('POST', `/v1/books/${id}/accounts`, {
            key: app.adminKey,
            body: { code, name: `Konto ${code}`, type },
          })
        ).status,
      ).toBe(201);
    }
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
    const invoice = await issue(book, 'p-1');

    const proposed = await app.request('POST', `/v1/books/${book}/dunning-runs`, {
      key: accountant,
      body: { asOf: '2027-02-28' },
    });
    expect(proposed.status).toBe(201);
    const interest = defaultInterest(invoice.gross, invoice.dueDate, '2027-02-28', 9, rates);
    expect(interest).toBeGreaterThan(0n);
    expect(proposed.body).toMatchObject({
      status: 'proposed',
      notices: [{ party: 'p-1', level: 1, fee: '0.00', interestPoints: 9 }],
    });
    expect(proposed.body.notices[0].interest).toBe(
      `${interest / 100n}.${String(interest % 100n).padStart(2, '0')}`,
    );

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
    expect(entry.body.lines).toEqual([
      expect.objectContaining({
        account: '1400',
        debit: proposed.body.notices[0].interest,
        party: 'p-1',
      }),
      expect.objectContaining({ account: '2650', credit: proposed.body.notices[0].interest }),
    ]);

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
    expect(second.body.notices).toMatchObject([{ party: 'p-1', level: 2, fee: '5.00' }]);
    // The dunning fee and interest items are not dunned again (§289 BGB): only the invoice.
    expect(second.body.notices[0].items).toHaveLength(1);
  });

  it('answers 404 for an unknown run and 422 when no accounts are named', async () => {
    const book = await openBook();
    expect(
      (
        await app.request('POST', `/v1/books/${book}/dunning-runs/nope/confirm`, {
          key: accountant,
        })
      ).status,
    ).toBe(404);
    await issue(book, 'p-1');
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
    expect(refused.body.detail).toContain('feesAccount');
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
