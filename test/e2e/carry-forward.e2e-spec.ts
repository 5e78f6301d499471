import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { ManualClock } from '../../src/event-sourcing/index.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';

/**
 * Year-end carry-forward over HTTP (docs/adr/0024): on random books the balance sheet of the new
 * year's first day is the same before and after (the result moved into 0860), the trial balance
 * stays balanced with the profit-and-loss accounts starting from zero, the income statements are
 * unchanged; the opening entry reaches DATEV as EB-Werte against 9000.
 */
const stores: TestStore[] = ['sqlite', 'postgres'];

interface RandomEntry {
  date: string;
  currency: 'EUR' | 'USD';
  debit: string;
  credit: string;
  cents: number;
}

const accounts = ['1200', '1400', '1600', '0800', '0860', '8400', '4930'];
const entryArbitrary: fc.Arbitrary<RandomEntry> = fc
  .record({
    date: fc.constantFrom('2025-01-02', '2025-07-15', '2025-12-31', '2026-01-01', '2026-02-10'),
    currency: fc.constantFrom('EUR' as const, 'USD' as const),
    debit: fc.constantFrom(...accounts),
    credit: fc.constantFrom(...accounts),
    cents: fc.integer({ min: 1, max: 10_000_000 }),
  })
  .filter((entry) => entry.debit !== entry.credit);

/** "-1234.56" → -123456n (EUR and USD have two decimals). */
const minor = (amount: string): bigint => BigInt(amount.replace('.', ''));

describe.each(stores)('carry-forward over %s', (store) => {
  let app: TestApp;
  let accountant: string;
  let position = 0;
  const clock = new ManualClock(new Date('2026-12-03T10:00:00.000Z'));

  beforeAll(async () => {
    app = await startTestApp({ store, clock });
    accountant = await app.createKey('Erika Accountant', ['accountant']);
  });

  afterAll(async () => {
    await app?.close();
  });

  async function openBook(): Promise<string> {
    const id = `cf-${randomUUID().slice(0, 8)}`;
    const opened = await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: { id, name: 'ACME GmbH', baseCurrency: 'EUR', chart: 'skr03' },
    });
    expect(opened.status).toBe(201);
    return id;
  }

  async function send(method: string, path: string, body?: unknown) {
    const response = await app.request(method, path, {
      key: accountant,
      ...(body === undefined ? {} : { body }),
    });
    if (typeof response.body?.position === 'number')
      position = Math.max(position, response.body.position);
    return response;
  }

  const get = async (path: string) =>
    (
      await app.request(
        'GET',
        `${path}${path.includes('?') ? '&' : '?'}consistentWith=${position}`,
        {
          key: accountant,
        },
      )
    ).body;

  async function post(book: string, entry: RandomEntry) {
    const amount = (entry.cents / 100).toFixed(2);
    const posted = await send('POST', `/v1/books/${book}/journal-entries`, {
      effectiveDate: entry.date,
      description: 'Buchung',
      lines: [
        { account: entry.debit, debit: amount, currency: entry.currency },
        { account: entry.credit, credit: amount, currency: entry.currency },
      ],
    });
    expect(posted.status).toBe(201);
  }

  const reports = async (book: string) => ({
    sheet: await get(`/v1/books/${book}/balance-sheet?asOf=2026-01-01`),
    trial: await get(`/v1/books/${book}/trial-balance?asOf=2026-06-30`),
    income2025: await get(`/v1/books/${book}/income-statement?from=2025-01-01&to=2025-12-31`),
    income2026: await get(`/v1/books/${book}/income-statement?from=2026-01-01&to=2026-06-30`),
    firstDay: await get(`/v1/books/${book}/income-statement?from=2026-01-01&to=2026-01-01`),
    bank: await get(`/v1/books/${book}/accounts/1200/balance?asOf=2026-06-30`),
  });

  it('keeps the balance sheet, the trial balance and the income statements on random books', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entryArbitrary, { maxLength: 8 }), async (entries) => {
        const book = await openBook();
        const capital = { date: '2025-01-02', currency: 'EUR', debit: '1200', credit: '0800' };
        for (const entry of [{ ...capital, cents: 100_000 } as RandomEntry, ...entries])
          await post(book, entry);
        const before = await reports(book);
        expect((await send('POST', `/v1/books/${book}/periods/2025-12/close`)).status).toBe(200);
        const carried = await send('POST', `/v1/books/${book}/fiscal-years/2025/carry-forward`, {});
        expect(carried.status).toBe(201);
        expect(carried.body).toMatchObject({ effectiveDate: '2026-01-01', carryForwardOf: 2025 });
        const after = await reports(book);

        expect(after.income2025).toEqual(before.income2025);
        expect(after.income2026).toEqual(before.income2026);
        // The balance is the same; its debit and credit sums now start from the opening entry.
        const balances = (report: any) => report.balances.map((b: any) => [b.currency, b.balance]);
        expect(balances(after.bank)).toEqual(balances(before.bank));
        expect(after.sheet.balanced).toBe(true);
        for (const sheet of after.sheet.currencies) {
          const old = before.sheet.currencies.find((c: any) => c.currency === sheet.currency);
          expect(sheet.assets).toEqual(old.assets);
          expect(sheet.liabilities).toEqual(old.liabilities);
          expect(sheet.liabilitiesAndEquity).toEqual(old.liabilitiesAndEquity);
          const equity = (s: any, code: string) =>
            minor(s.equity.lines.find((l: any) => l.account === code)?.amount ?? '0.00');
          expect(equity(sheet, '0800')).toBe(equity(old, '0800'));
          // The result up to the year's end moved into 0860; only the first day's result is left.
          const result2025 = before.income2025.currencies?.find(
            (c: any) => c.currency === sheet.currency,
          );
          const moved = minor(result2025?.netIncome ?? '0.00');
          expect(equity(sheet, '0860') - equity(old, '0860')).toBe(moved);
          expect(minor(sheet.result)).toBe(minor(old.result) - moved);
        }
        for (const currency of after.trial.currencies) {
          expect(currency.totals.debit).toBe(currency.totals.credit);
          const income = after.income2026.currencies?.find(
            (c: any) => c.currency === currency.currency,
          );
          const profitAndLoss = currency.lines.filter((l: any) =>
            ['revenue', 'expense'].includes(l.type),
          );
          const expected = [...(income?.revenue.lines ?? []), ...(income?.expenses.lines ?? [])];
          expect(profitAndLoss.map((l: any) => l.account).sort()).toEqual(
            expected.map((l: any) => l.account).sort(),
          );
        }
      }),
      // Fewer runs on PostgreSQL (slower per request); the same SQL runs on both.
      { numRuns: store === 'sqlite' ? 5 : 2 },
    );
  });

  it('refuses an open year, a second carry-forward and a reopen while it stands; reversal frees the year', async () => {
    const book = await openBook();
    await post(book, {
      date: '2025-05-05',
      currency: 'EUR',
      debit: '1200',
      credit: '8400',
      cents: 11900,
    });
    const path = `/v1/books/${book}/fiscal-years/2025/carry-forward`;
    const open = await send('POST', path, {});
    expect(open.status).toBe(409);
    expect(open.body.detail).toContain('close 2025-12 first');
    await send('POST', `/v1/books/${book}/periods/2025-12/close`);
    const headers = { 'idempotency-key': `year-end-${book}` };
    const first = await app.request('POST', path, { key: accountant, body: {}, headers });
    const retry = await app.request('POST', path, { key: accountant, body: {}, headers });
    expect(first.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    position = Math.max(position, first.body.position);
    expect((await send('POST', path, {})).status).toBe(409);
    const reopen = await send('POST', `/v1/books/${book}/periods/2025-12/reopen`, {
      reason: 'Prüfung',
    });
    expect(reopen.status).toBe(409);
    expect(reopen.body.detail).toContain(`journal-entries/${first.body.id}/reverse`);
    const reversed = await send(
      'POST',
      `/v1/books/${book}/journal-entries/${first.body.id}/reverse`,
      {
        reason: 'Abschlussbuchungen 2025',
      },
    );
    expect(reversed.status).toBe(201);
    const revenue = [{ currency: 'EUR', debit: '0.00', credit: '119.00', balance: '-119.00' }];
    expect((await get(`/v1/books/${book}/accounts/8400/balance?asOf=2026-01-31`)).balances).toEqual(
      revenue,
    );
    // As the log stood: before the carry-forward, while it stood (revenue starts afresh), now.
    const knownAt = async (at: number) =>
      (await get(`/v1/books/${book}/accounts/8400/balance?asOf=2026-01-31&knownAtPosition=${at}`))
        .balances;
    expect(await knownAt(first.body.position - 1)).toEqual(revenue);
    expect(await knownAt(first.body.position)).not.toEqual(revenue);
    expect(await knownAt(reversed.body.position)).toEqual(revenue);
    expect(
      (await send('POST', `/v1/books/${book}/periods/2025-12/reopen`, { reason: 'Prüfung' }))
        .status,
    ).toBe(200);
  });

  it('shows the opening entry in the register, leaves it out of the VAT return and exports it to DATEV as EB-Werte against 9000', async () => {
    const book = await openBook();
    const sale = await send('POST', `/v1/books/${book}/journal-entries`, {
      effectiveDate: '2025-05-05',
      description: 'Verkauf',
      tax: 'auto',
      lines: [
        { account: '1200', debit: '119.00' },
        { account: '8400', credit: '100.00', taxCode: 'USt19' },
      ],
    });
    expect(sale.status).toBe(201);
    await post(book, {
      date: '2026-01-10',
      currency: 'EUR',
      debit: '4930',
      credit: '1200',
      cents: 1900,
    });
    await send('POST', `/v1/books/${book}/periods/2025-12/close`);
    const carried = await send('POST', `/v1/books/${book}/fiscal-years/2025/carry-forward`, {});
    expect(carried.body.lines).toEqual([
      { account: '1200', debit: '119.00', currency: 'EUR' },
      { account: '1776', credit: '19.00', currency: 'EUR' },
      {
        account: '0860',
        credit: '100.00',
        currency: 'EUR',
        memo: 'Ergebnis der Erfolgskonten zum 2025-12-31',
      },
    ]);
    // The output VAT carried into January is no movement of January: the return still reconciles.
    const vat = await get(`/v1/books/${book}/reports/vat-return?period=2026-01`);
    expect(vat.reconciliation.agrees).toBe(true);
    const register = await get(`/v1/books/${book}/accounts/1200/ledger`);
    expect(register.items.map((item: any) => [item.effectiveDate, item.balance])).toEqual([
      ['2025-05-05', '119.00'],
      ['2026-01-01', '119.00'],
      ['2026-01-10', '100.00'],
    ]);
    const fromJanuary = await get(`/v1/books/${book}/accounts/1200/ledger?from=2026-01-01`);
    expect(fromJanuary.openingBalances).toEqual([]);
    expect((await get(`/v1/books/${book}/journal-entries/${carried.body.id}`)).carryForwardOf).toBe(
      2025,
    );

    await app.request('PUT', `/v1/books/${book}/settings/datev`, {
      key: app.adminKey,
      body: { consultantNumber: 1234567, clientNumber: 12345, accountLength: 4 },
    });
    const datev = await app.request(
      'GET',
      `/v1/books/${book}/exports/datev?from=2026-01-01&to=2026-01-31&consistentWith=${position}`,
      { key: accountant },
    );
    // The first ten columns are ASCII: Umsatz … Belegdatum (the Windows-1252 texts come after).
    const rows = (datev.body as string)
      .split('\r\n')
      .slice(2, -1)
      .map((row) => row.split(';').slice(0, 10));
    expect(datev.status).toBe(200);
    expect(rows).toEqual([
      ['119,00', '"S"', '"EUR"', '', '', '""', '1200', '9000', '""', '0101'],
      ['19,00', '"H"', '"EUR"', '', '', '""', '1776', '9000', '""', '0101'],
      ['100,00', '"H"', '"EUR"', '', '', '""', '0860', '9000', '""', '0101'],
      ['19,00', '"S"', '"EUR"', '', '', '""', '4930', '1200', '""', '1001'],
    ]);
  });
});
