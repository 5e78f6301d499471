/**
 * The ledger read models on both read-model databases (SQLite file next to a SQLite log;
 * PostgreSQL schema shared with a PostgreSQL log): rows, reversal links, periods, lists with
 * cursors, balances as of a date and as known at a time, reports, the balance assertion, rebuild.
 */
import { newId } from '../../src/event-sourcing/index.js';
import { ProjectionRunner } from '../../src/infrastructure/projections/index.js';
import { bookStreamId } from '../../src/ledger/index.js';
import { LedgerReadModels } from '../../src/ledger/projections/ledger-read-models.js';
import { LedgerReports } from '../../src/ledger/projections/ledger-reports.js';
import {
  book,
  LedgerFixture,
  openLedgerFixture,
  postStandardLedgerEntries,
  receipt,
} from '../support/ledger-read-models.js';
import { storeBackends, TestStores } from '../support/stores.js';

describe.each(storeBackends)('ledger read models on %s', (backend) => {
  let fixture: LedgerFixture;
  let setup: TestStores;
  let runner: ProjectionRunner;
  let readModels: LedgerReadModels;
  let reports: LedgerReports;

  beforeEach(async () => {
    fixture = await openLedgerFixture(backend);
    ({ setup, runner, readModels, reports } = fixture);
  });

  afterEach(async () => {
    await runner.stop();
    await setup.dispose();
  });

  const postStandardEntries = () => postStandardLedgerEntries(fixture);

  it('projects books, accounts, periods and entries with their lines and reversal links', async () => {
    await postStandardEntries();
    const bookView = await readModels.accounts.getBook(book);
    expect(bookView).toMatchObject({
      id: book,
      name: 'ACME GmbH',
      baseCurrency: 'EUR',
      fiscalYearStartMonth: 1,
    });
    expect(bookView.periods).toEqual([
      expect.objectContaining({ period: '2025-12', status: 'open', reopenReason: 'Late invoice' }),
      expect.objectContaining({ period: '2026-01', status: 'closed', reopenedAt: null }),
    ]);
    const accounts = await readModels.accounts.listAccounts(book, { limit: 3 });
    expect(accounts.items.map((account) => account.code)).toEqual(['0800', '1010', '1200']);
    const rest = await readModels.accounts.listAccounts(book, {
      limit: 3,
      cursor: accounts.nextCursor!,
    });
    expect(rest.items.map((account) => account.code)).toEqual(['4930', '8000', '8400']);
    expect(rest.nextCursor).toBeNull();
    expect(await readModels.accounts.getAccount(book, '8400')).toMatchObject({
      type: 'revenue',
      parent: '8000',
      status: 'open',
      currency: null,
    });

    const e2 = await readModels.journal.getEntry(book, 'e2');
    expect(e2).toMatchObject({
      effectiveDate: '2026-01-20',
      reference: 'R-1',
      metadata: { costCenter: 'HQ' },
      documents: [receipt],
      reversalOf: null,
      reversedBy: null,
    });
    expect((await readModels.journal.getEntry(book, 'e3')).documents).toEqual([]);
    expect(e2.lines).toEqual([
      {
        lineNo: 0,
        account: '4930',
        currency: 'EUR',
        debitMinor: 11900n,
        creditMinor: 0n,
        memo: 'Papier',
        taxCode: null,
        party: null,
      },
      {
        lineNo: 1,
        account: '1200',
        currency: 'EUR',
        debitMinor: 0n,
        creditMinor: 11900n,
        memo: null,
        taxCode: null,
        party: null,
      },
    ]);
    expect(await readModels.journal.getEntry(book, 'e3')).toMatchObject({ reversedBy: 'e3-rev' });
    expect(await readModels.journal.getEntry(book, 'e3-rev')).toMatchObject({
      reversalOf: 'e3',
      description: 'Wrong customer',
      effectiveDate: '2026-02-10',
    });
    await expect(readModels.journal.getEntry(book, 'nope')).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(readModels.journal.getEntry('other', 'e1')).rejects.toMatchObject({
      code: 'not-found',
    });
    await expect(readModels.accounts.getAccount(book, '9999')).rejects.toMatchObject({
      code: 'not-found',
    });
  });

  it('lists entries by effective date with filters and cursors', async () => {
    await postStandardEntries();
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await readModels.journal.listEntries(book, {
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      all.push(...page.items.map((entry) => entry.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(all).toEqual(['e1', 'e2', 'e3', 'e4', 'e3-rev']);
    const onBank = await readModels.journal.listEntries(book, {
      account: '1200',
      from: '2026-01-06',
      limit: 100,
    });
    expect(onBank.items.map((entry) => entry.id)).toEqual(['e2', 'e3', 'e3-rev']);
    expect(onBank.items[0]!.lines).toHaveLength(2);
    const page1 = await readModels.journal.listEntries(book, {
      account: '1200',
      limit: 1,
      to: '2026-02-03',
    });
    const page2 = await readModels.journal.listEntries(book, {
      account: '1200',
      limit: 5,
      to: '2026-02-03',
      cursor: page1.nextCursor!,
    });
    expect([...page1.items, ...page2.items].map((entry) => entry.id)).toEqual(['e1', 'e2', 'e3']);
    await expect(
      readModels.journal.listEntries(book, { limit: 5, cursor: 'garbage!' }),
    ).rejects.toMatchObject({ code: 'validation' });
  });

  it('answers balances as of a date and as known at a time, and reports per currency', async () => {
    await postStandardEntries();
    const bank = (filter: Parameters<LedgerReadModels['balances']['sums']>[1]) =>
      readModels.balances.sums(book, { account: '1200', ...filter });
    expect(await bank({})).toEqual([
      { account: '1200', currency: 'EUR', debitMinor: 1050000n, creditMinor: 61900n },
    ]);
    expect(await bank({ asOf: '2026-01-31' })).toEqual([
      { account: '1200', currency: 'EUR', debitMinor: 1000000n, creditMinor: 11900n },
    ]);
    // Known on 2026-01-15, only e1 had been recorded.
    expect(await bank({ knownAt: '2026-01-15T00:00:00.000Z' })).toEqual([
      { account: '1200', currency: 'EUR', debitMinor: 1000000n, creditMinor: 0n },
    ]);
    // Known on 2026-02-15: everything but the reversal (recorded 2026-03-01).
    expect(await bank({ knownAt: '2026-02-15T00:00:00.000Z' })).toEqual([
      { account: '1200', currency: 'EUR', debitMinor: 1050000n, creditMinor: 11900n },
    ]);
    expect(await bank({ knownAt: '2026-02-28T23:59:59.999Z', asOf: '2026-02-03' })).toEqual([
      { account: '1200', currency: 'EUR', debitMinor: 1050000n, creditMinor: 11900n },
    ]);
    expect(await bank({ knownAt: '2025-01-01T00:00:00.000Z' })).toEqual([]);
    // As the books stood at a log position: up to e1's event, then just before the reversal's.
    const positionOf = async (id: string) => (await readModels.journal.getEntry(book, id)).position;
    const e1 = await positionOf('e1');
    expect(await bank({ knownAtPosition: e1 })).toEqual(
      await bank({ knownAt: '2026-01-15T00:00:00.000Z' }),
    );
    expect(await bank({ knownAtPosition: e1 - 1n })).toEqual([]);
    const beforeReversal = (await positionOf('e3-rev')) - 1n;
    expect(await bank({ knownAtPosition: beforeReversal, asOf: '2026-02-03' })).toEqual([
      { account: '1200', currency: 'EUR', debitMinor: 1050000n, creditMinor: 11900n },
    ]);
    const sheetThen = await reports.balanceSheet(book, undefined, { knownAtPosition: e1 });
    expect(sheetThen.map((currency) => [currency.currency, currency.assets.totalMinor])).toEqual([
      ['EUR', 1000000n],
    ]);
    const incomeThen = await reports.incomeStatement(book, {}, { knownAtPosition: beforeReversal });
    expect(incomeThen.find((currency) => currency.currency === 'EUR')?.revenue.totalMinor).toBe(
      50000n,
    );

    const trial = await reports.trialBalance(book, {});
    expect(trial.map((currency) => currency.currency)).toEqual(['EUR', 'JPY']);
    const eur = trial[0]!;
    expect(eur.totals).toEqual({ debitMinor: 1111900n, creditMinor: 1111900n });
    expect(eur.lines.find((line) => line.account === '8400')).toEqual({
      account: '8400',
      name: 'Erlöse',
      type: 'revenue',
      debitMinor: 50000n,
      creditMinor: 50000n,
      balanceMinor: 0n,
    });
    expect(trial[1]!.totals).toEqual({ debitMinor: 15000n, creditMinor: 15000n });

    const sheet = await reports.balanceSheet(book, '2026-02-05');
    const sheetEur = sheet.find((currency) => currency.currency === 'EUR')!;
    expect(sheetEur.assets.totalMinor).toBe(1038100n);
    expect(sheetEur.equity.totalMinor).toBe(1000000n);
    expect(sheetEur.resultMinor).toBe(38100n);
    expect(sheetEur.balanced).toBe(true);

    const income = await reports.incomeStatement(book, { from: '2026-02-01', to: '2026-02-28' });
    expect(income.find((currency) => currency.currency === 'EUR')).toMatchObject({
      netIncomeMinor: 0n,
    });
    expect(income.find((currency) => currency.currency === 'JPY')).toMatchObject({
      netIncomeMinor: 15000n,
    });
    const january = await reports.incomeStatement(book, { from: '2026-01-01', to: '2026-01-31' });
    expect(january).toEqual([
      {
        currency: 'EUR',
        revenue: { lines: [], totalMinor: 0n },
        expenses: {
          lines: [{ account: '4930', name: 'Bürobedarf', amountMinor: 11900n }],
          totalMinor: 11900n,
        },
        netIncomeMinor: -11900n,
      },
    ]);
  });

  it('keeps a running balance across register pages', async () => {
    await postStandardEntries();
    const first = await readModels.registers.register(book, '1200', {
      from: '2026-01-06',
      limit: 2,
    });
    expect(first.openingBalances).toEqual(new Map([['EUR', 1000000n]]));
    expect(first.items.map((line) => [line.entryId, line.balanceMinor])).toEqual([
      ['e2', 988100n],
      ['e3', 1038100n],
    ]);
    const second = await readModels.registers.register(book, '1200', {
      from: '2026-01-06',
      limit: 2,
      cursor: first.nextCursor!,
    });
    expect(second.openingBalances).toEqual(new Map([['EUR', 1038100n]]));
    expect(second.items.map((line) => [line.entryId, line.balanceMinor, line.description])).toEqual(
      [['e3-rev', 988100n, 'Wrong customer']],
    );
    expect(second.nextCursor).toBeNull();

    // As the books stood just before the reversal: its line is on no page, the opening balances
    // count only the lines up to that position.
    const positionOf = async (id: string) => (await readModels.journal.getEntry(book, id)).position;
    const then = (limit: number, knownAtPosition: bigint, cursor?: string) =>
      readModels.registers.register(book, '1200', {
        from: '2026-01-06',
        limit,
        knownAtPosition,
        ...(cursor ? { cursor } : {}),
      });
    const beforeReversal = (await positionOf('e3-rev')) - 1n;
    const thenFirst = await then(1, beforeReversal);
    const thenRest = await then(5, beforeReversal, thenFirst.nextCursor!);
    expect(thenRest.openingBalances).toEqual(new Map([['EUR', 988100n]]));
    expect(
      [...thenFirst.items, ...thenRest.items].map((line) => [line.entryId, line.balanceMinor]),
    ).toEqual([
      ['e2', 988100n],
      ['e3', 1038100n],
    ]);
    const e1 = await positionOf('e1');
    expect(await then(5, e1)).toMatchObject({
      openingBalances: new Map([['EUR', 1000000n]]),
      items: [],
    });
    expect((await then(5, e1 - 1n)).openingBalances).toEqual(new Map());
  });

  it('refuses an unbalanced entry in the log: the batch rolls back and only its book is set aside', async () => {
    await runner.catchUp();
    const before = runner.checkpointPosition;
    await setup.store.append(bookStreamId(book), [
      {
        eventId: newId(),
        type: 'JournalEntryPosted',
        data: {
          entryId: 'bad',
          effectiveDate: '2026-01-01',
          description: 'bypassed the decider',
          lines: [
            { account: '1200', side: 'debit', amountMinor: '100', currency: 'EUR' },
            { account: '0800', side: 'credit', amountMinor: '99', currency: 'EUR' },
          ],
        },
        metadata: { actor: { id: 'test', name: 'Test' }, correlationId: newId() },
      },
    ]);
    await runner.catchUp();
    expect(runner.quarantined(book)).toEqual({
      partition: book,
      position: before + 1n,
      error: expect.stringContaining('unbalanced'),
    });
    expect(runner.currentStatus).not.toBe('failed');
    await expect(readModels.journal.getEntry(book, 'bad')).rejects.toMatchObject({
      code: 'not-found',
    });
  });

  it('rebuilds to the same balances', async () => {
    await postStandardEntries();
    const before = await reports.trialBalance(book, {});
    await runner.rebuild();
    expect(await reports.trialBalance(book, {})).toEqual(before);
    expect(await readModels.journal.getEntry(book, 'e3')).toMatchObject({ reversedBy: 'e3-rev' });
  });
});
