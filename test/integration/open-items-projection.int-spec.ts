/**
 * The open-items projection on both read-model databases, fed the events PostDocument appends
 * (document event + JournalEntryPosted with party lines): items as of a date, partial and over
 * payments, Skonto, credit notes, reversals, aging, and the reconciliation with the ledger.
 */
import { newId } from '../../src/event-sourcing/index.js';
import { ProjectionRunner } from '../../src/infrastructure/projections/index.js';
import { bookStreamId } from '../../src/ledger/index.js';
import { ledgerReadModels } from '../../src/ledger/projections/ledger-read-models.js';
import { ledgerProjection } from '../../src/ledger/projections/ledger.projection.js';
import { agingOf, openItemsAsOf, reconcile } from '../../src/banking/index.js';
import { openItemsProjection } from '../../src/banking/projections/open-items.projection.js';
import { OpenItemsReadModel } from '../../src/banking/projections/open-items.read-model.js';
import { openStores, storeBackends, TestStores } from '../support/stores.js';

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
const book = 'acme';
const metadata = { actor: { id: 'k1', name: 'alice' }, correlationId: 'c1' };

type Line = {
  account: string;
  side: 'debit' | 'credit';
  amountMinor: string;
  currency: 'EUR';
  party?: string;
};
const d = (account: string, minor: number, party?: string): Line => ({
  account,
  side: 'debit',
  amountMinor: String(minor),
  currency: 'EUR',
  ...(party ? { party } : {}),
});
const c = (account: string, minor: number, party?: string): Line => ({
  ...d(account, minor, party),
  side: 'credit',
});

describe.each(storeBackends)('open items on %s', (backend) => {
  let setup: TestStores;
  let runners: ProjectionRunner[];
  let openItems: OpenItemsReadModel;

  const append = async (events: { type: string; data: unknown }[]) => {
    await setup.store.append(
      bookStreamId(book),
      events.map((event) => ({ eventId: newId(), ...event, metadata })),
    );
  };
  const entry = (entryId: string, effectiveDate: string, lines: Line[], extra: object = {}) => ({
    type: 'JournalEntryPosted',
    data: { entryId, effectiveDate, description: entryId, lines, ...extra },
  });
  const catchUp = () => Promise.all(runners.map((runner) => runner.catchUp()));
  const receivables = (asOf: string) =>
    openItems
      .items(book, { kind: 'receivable', asOf })
      .then((items) => openItemsAsOf(items, { asOf }));

  beforeEach(async () => {
    setup = await openStores(backend);
    runners = [ledgerProjection, openItemsProjection].map(
      (projection) =>
        new ProjectionRunner(projection, setup.store, setup.db, { logger: silent, batchSize: 5 }),
    );
    openItems = new OpenItemsReadModel(setup.db);
    await append([
      {
        type: 'BookOpened',
        data: { bookId: book, name: 'ACME', baseCurrency: 'EUR', fiscalYearStartMonth: 1 },
      },
      ...[
        ['1200', 'asset'],
        ['1400', 'asset'],
        ['8400', 'revenue'],
        ['8735', 'revenue'],
        ['1776', 'liability'],
      ].map(([code, type]) => ({ type: 'AccountOpened', data: { code, name: code, type } })),
    ]);
    await append([
      {
        type: 'InvoiceIssued',
        data: {
          documentId: 'inv1',
          number: 'RE-2027-00001',
          entryId: 'e1',
          issueDate: '2027-01-05',
          dueDate: '2027-01-19',
          totals: {
            taxes: [
              { taxCode: 'USt19', ratePercent: '19', baseMinor: '10000', amountMinor: '1900' },
            ],
          },
        },
      },
      entry('e1', '2027-01-05', [d('1400', 11900, 'p1'), c('8400', 10000), c('1776', 1900)]),
    ]);
    await append([
      {
        type: 'InvoiceIssued',
        data: {
          documentId: 'inv2',
          number: 'RE-2027-00002',
          entryId: 'e2',
          issueDate: '2027-01-10',
          dueDate: '2027-01-24',
        },
      },
      entry('e2', '2027-01-10', [d('1400', 50000, 'p2'), c('8400', 50000)]),
    ]);
    // p1 pays 100.00 of inv1 on 2027-01-20; p2 pays 600.00 for inv2 (500.00): 100.00 stays open as a credit.
    await append([
      {
        type: 'PaymentReceived',
        data: {
          documentId: 'pay1',
          entryId: 'e3',
          partyId: 'p1',
          date: '2027-01-20',
          allocations: [{ invoiceId: 'inv1', amountMinor: '10000', discountMinor: '0' }],
        },
      },
      entry('e3', '2027-01-20', [d('1200', 10000), c('1400', 10000, 'p1')]),
    ]);
    await append([
      {
        type: 'PaymentReceived',
        data: {
          documentId: 'pay2',
          entryId: 'e4',
          partyId: 'p2',
          date: '2027-01-22',
          allocations: [{ invoiceId: 'inv2', amountMinor: '50000', discountMinor: '0' }],
        },
      },
      entry('e4', '2027-01-22', [d('1200', 60000), c('1400', 60000, 'p2')]),
    ]);
    await catchUp();
  });

  afterEach(async () => {
    for (const runner of runners) await runner.stop();
    await setup.dispose();
  });

  it('gives open amounts as of a date, not today', async () => {
    const before = await receivables('2027-01-15');
    expect(before.map((i) => [i.itemId, i.openMinor])).toEqual([
      ['inv1', 11900n],
      ['inv2', 50000n],
    ]);
    const after = await receivables('2027-02-28');
    expect(after.map((i) => [i.itemId, i.documentType, i.openMinor, i.daysOverdue])).toEqual([
      ['inv1', 'InvoiceIssued', 1900n, 40],
      ['pay2', 'PaymentReceived', -10000n, 0],
    ]);
  });

  it('ages per party and in total', async () => {
    const [eur] = agingOf(await receivables('2027-02-28'));
    expect(eur!.parties.map((p) => [p.party, p.buckets['31-60'], p.buckets.current])).toEqual([
      ['p1', 1900n, 0n],
      ['p2', 0n, -10000n],
    ]);
    expect(eur!.total.total).toBe(-8100n);
  });

  it('reconciles with the ledger at every date, through a Skonto, a credit note and a reversal', async () => {
    await append([
      {
        type: 'PaymentReceived',
        data: {
          documentId: 'pay3',
          entryId: 'e5',
          partyId: 'p1',
          date: '2027-01-25',
          allocations: [{ invoiceId: 'inv1', amountMinor: '1862', discountMinor: '38' }],
        },
      },
      entry('e5', '2027-01-25', [
        d('1200', 1862),
        d('8735', 32),
        d('1776', 6),
        c('1400', 1900, 'p1'),
      ]),
    ]);
    await append([
      {
        type: 'CreditNoteIssued',
        data: { documentId: 'cn1', entryId: 'e6', invoiceId: 'inv2', issueDate: '2027-01-26' },
      },
      entry('e6', '2027-01-26', [d('8400', 5000), c('1400', 5000, 'p2')]),
    ]);
    await append([
      entry('e7', '2027-01-27', [d('1400', 5000, 'p2'), c('8400', 5000)], { reversalOf: 'e6' }),
    ]);
    await append([entry('e8', '2027-01-28', [d('1400', 700, 'p3'), c('1200', 700)])]);
    await catchUp();
    expect((await receivables('2027-01-31')).map((i) => [i.itemId, i.openMinor])).toEqual([
      ['pay2', -10000n],
      ['e8', 700n],
    ]);
    const reports = ledgerReadModels(setup.db).reports;
    for (const asOf of [
      '2027-01-04',
      '2027-01-12',
      '2027-01-21',
      '2027-01-25',
      '2027-01-26',
      '2027-01-31',
    ]) {
      const trial = await reports.trialBalance(book, { asOf });
      const ledger = trial.flatMap((t) =>
        t.lines.map((l) => ({ account: l.account, currency: t.currency, minor: l.balanceMinor })),
      );
      const result = reconcile(
        'receivable',
        asOf,
        ['1400'],
        await openItems.totalsByAccount(book, asOf),
        ledger,
      );
      expect(result.lines.every((line) => line.differenceMinor === 0n)).toBe(true);
      expect(result.ok).toBe(true);
    }
  });

  it('reports a control-account line without a party as a difference', async () => {
    await append([entry('e9', '2027-01-29', [d('1400', 300), c('1200', 300)])]);
    await catchUp();
    const trial = await ledgerReadModels(setup.db).reports.trialBalance(book, {
      asOf: '2027-01-31',
    });
    const ledger = trial.flatMap((t) =>
      t.lines.map((l) => ({ account: l.account, currency: t.currency, minor: l.balanceMinor })),
    );
    const result = reconcile(
      'receivable',
      '2027-01-31',
      ['1400'],
      await openItems.totalsByAccount(book, '2027-01-31'),
      ledger,
    );
    expect(result).toMatchObject({
      ok: false,
      lines: [{ account: '1400', differenceMinor: -300n }],
    });
  });

  it('rebuilds to the same items', async () => {
    const before = await receivables('2027-02-28');
    await runners[1]!.rebuild();
    expect(await receivables('2027-02-28')).toEqual(before);
  });
});
