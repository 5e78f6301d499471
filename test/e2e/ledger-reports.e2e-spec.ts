/**
 * The ledger's read endpoints over HTTP on SQLite and PostgreSQL: entries written through the
 * POST endpoints, read back with `?consistentWith=` (no sleeping): books, accounts, entries with
 * reversal links, lists with cursors, bitemporal balances, trial balance, register, statements;
 * 400 for bad dates and cursors, 404 for unknown things, permissions and book restrictions.
 */
import { startTestApp, TestApp, TestStore } from '../support/app.js';

const book = 'acme-reports';

describe.each<TestStore>(['sqlite', 'postgres'])('ledger reports over HTTP on %s', (store) => {
  let app: TestApp;
  let accountant: string;
  let head = 0;
  let knownBeforeReversal = '';

  async function write(path: string, body: unknown, expected = 201): Promise<any> {
    const response = await app.request('POST', path, { key: app.adminKey, body });
    if (response.status !== expected)
      throw new Error(`POST ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    head = Math.max(head, Number(response.body.position));
    return response.body;
  }

  async function read(path: string, key = accountant): Promise<any> {
    const separator = path.includes('?') ? '&' : '?';
    return app.request('GET', `${path}${separator}consistentWith=${head}`, { key });
  }

  beforeAll(async () => {
    app = await startTestApp({ store });
    accountant = await app.createKey('Ada', ['accountant']);
    await write('/v1/books', { id: book, name: 'ACME Reports GmbH', baseCurrency: 'EUR' });
    await write('/v1/books', { id: `${book}-other`, name: 'Other', baseCurrency: 'EUR' });
    const accounts = [
      { code: '0800', name: 'Gezeichnetes Kapital', type: 'equity' },
      { code: '1200', name: 'Bank', type: 'asset' },
      { code: '1010', name: 'Kasse JPY', type: 'asset', currency: 'JPY' },
      { code: '1220', name: 'Bank BHD', type: 'asset', currency: 'BHD' },
      { code: '1600', name: 'Verbindlichkeiten', type: 'liability' },
      { code: '4930', name: 'Bürobedarf', type: 'expense' },
      { code: '8400', name: 'Erlöse 19 % USt', type: 'revenue' },
    ];
    for (const account of accounts) await write(`/v1/books/${book}/accounts`, account);
    const entries = [
      {
        id: 'cap',
        effectiveDate: '2026-01-02',
        lines: [
          { account: '1200', debit: '25000.00' },
          { account: '0800', credit: '25000.00' },
        ],
      },
      {
        id: 'paper',
        effectiveDate: '2026-01-15',
        lines: [
          { account: '4930', debit: '119.00', memo: 'Papier' },
          { account: '1600', credit: '119.00' },
        ],
      },
      {
        id: 'sale',
        effectiveDate: '2026-02-03',
        lines: [
          { account: '1200', debit: '1190.00' },
          { account: '8400', credit: '1190.00' },
        ],
      },
      {
        id: 'yen',
        effectiveDate: '2026-02-04',
        lines: [
          { account: '1010', debit: '15000', currency: 'JPY' },
          { account: '8400', credit: '15000', currency: 'JPY' },
        ],
      },
      {
        id: 'dinar',
        effectiveDate: '2026-02-05',
        lines: [
          { account: '1220', debit: '1.234', currency: 'BHD' },
          { account: '0800', credit: '1.234', currency: 'BHD' },
        ],
      },
    ];
    const ids: Record<string, string> = {};
    for (const entry of entries) {
      const posted = await write(`/v1/books/${book}/journal-entries`, {
        effectiveDate: entry.effectiveDate,
        description: `Entry ${entry.id}`,
        reference: `REF-${entry.id}`,
        lines: entry.lines,
        metadata: { source: entry.id },
      });
      ids[entry.id] = posted.id;
    }
    knownBeforeReversal = new Date().toISOString();
    await write(`/v1/books/${book}/journal-entries/${ids.sale}/reverse`, {
      reason: 'Wrong customer',
    });
    await write(`/v1/books/${book}/periods/2026-01/close`, {}, 200);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('lists books and shows one with its closed periods', async () => {
    const books = await read('/v1/books');
    expect(books.status).toBe(200);
    expect(books.body.items.map((item: { id: string }) => item.id)).toEqual([
      book,
      `${book}-other`,
    ]);
    const paged = await read('/v1/books?limit=1');
    expect(paged.body.items).toHaveLength(1);
    expect(typeof paged.body.nextCursor).toBe('string');
    const detail = await read(`/v1/books/${book}`);
    expect(detail.body).toMatchObject({
      id: book,
      name: 'ACME Reports GmbH',
      baseCurrency: 'EUR',
      periods: [{ period: '2026-01', status: 'closed' }],
    });
  });

  it('shows accounts, entries with decimal lines and reversal links, and lists entries with cursors', async () => {
    const accounts = await read(`/v1/books/${book}/accounts`);
    expect(accounts.body.items.map((account: { code: string }) => account.code)).toEqual([
      '0800',
      '1010',
      '1200',
      '1220',
      '1600',
      '4930',
      '8400',
    ]);
    expect((await read(`/v1/books/${book}/accounts/1010`)).body).toMatchObject({
      code: '1010',
      type: 'asset',
      currency: 'JPY',
      status: 'open',
    });

    const all: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await read(
        `/v1/books/${book}/journal-entries?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(all.map((entry) => entry.description)).toEqual([
      'Entry cap',
      'Entry paper',
      'Entry sale',
      'Wrong customer',
      'Entry yen',
      'Entry dinar',
    ]);
    const sale = all.find((entry) => entry.description === 'Entry sale');
    const reversal = all.find((entry) => entry.description === 'Wrong customer');
    expect(sale.reversedBy).toBe(reversal.id);
    expect(reversal.reversalOf).toBe(sale.id);
    expect(reversal.effectiveDate).toBe('2026-02-03');

    const one = await read(`/v1/books/${book}/journal-entries/${all[1].id}`);
    expect(one.body).toMatchObject({
      status: 'posted',
      effectiveDate: '2026-01-15',
      reference: 'REF-paper',
      metadata: { source: 'paper' },
      lines: [
        { lineNo: 0, account: '4930', debit: '119.00', currency: 'EUR', memo: 'Papier' },
        { lineNo: 1, account: '1600', credit: '119.00', currency: 'EUR' },
      ],
    });
    const dinar = await read(`/v1/books/${book}/journal-entries/${all[5].id}`);
    expect(dinar.body.lines[0]).toMatchObject({ debit: '1.234', currency: 'BHD' });

    const onBank = await read(
      `/v1/books/${book}/journal-entries?account=1200&from=2026-02-01&to=2026-02-28`,
    );
    expect(onBank.body.items.map((entry: any) => entry.description)).toEqual([
      'Entry sale',
      'Wrong customer',
    ]);
  });

  it('answers balances as of a date and as known at a time', async () => {
    const bank = await read(`/v1/books/${book}/accounts/1200/balance`);
    expect(bank.body).toEqual({
      account: '1200',
      asOf: null,
      knownAt: null,
      knownAtPosition: null,
      balances: [{ currency: 'EUR', debit: '26190.00', credit: '1190.00', balance: '25000.00' }],
    });
    const january = await read(`/v1/books/${book}/accounts/1200/balance?asOf=2026-01-31`);
    expect(january.body.balances).toEqual([
      { currency: 'EUR', debit: '25000.00', credit: '0.00', balance: '25000.00' },
    ]);
    const known = await read(
      `/v1/books/${book}/accounts/1200/balance?knownAt=${encodeURIComponent(knownBeforeReversal)}`,
    );
    expect(known.body.knownAt).toBe(knownBeforeReversal);
    expect(known.body.balances).toEqual([
      { currency: 'EUR', debit: '26190.00', credit: '0.00', balance: '26190.00' },
    ]);
    const never = await read(
      `/v1/books/${book}/accounts/1200/balance?knownAt=2000-01-01T00:00:00Z`,
    );
    expect(never.body).toMatchObject({ knownAt: '2000-01-01T00:00:00.000Z', balances: [] });
    const equity = await read(`/v1/books/${book}/accounts/0800/balance`);
    expect(equity.body.balances).toEqual([
      { currency: 'BHD', debit: '0.000', credit: '1.234', balance: '-1.234' },
      { currency: 'EUR', debit: '0.00', credit: '25000.00', balance: '-25000.00' },
    ]);
  });

  it('reports a trial balance, a balance sheet and an income statement per currency', async () => {
    const trial = await read(`/v1/books/${book}/trial-balance?asOf=2026-12-31`);
    expect(trial.status).toBe(200);
    expect(trial.body.asOf).toBe('2026-12-31');
    expect(
      trial.body.currencies.map((currency: any) => [currency.currency, currency.totals]),
    ).toEqual([
      ['BHD', { debit: '1.234', credit: '1.234' }],
      ['EUR', { debit: '27499.00', credit: '27499.00' }],
      ['JPY', { debit: '15000', credit: '15000' }],
    ]);
    const eur = trial.body.currencies[1];
    expect(eur.lines.find((line: any) => line.account === '4930')).toEqual({
      account: '4930',
      name: 'Bürobedarf',
      type: 'expense',
      debit: '119.00',
      credit: '0.00',
      balance: '119.00',
    });

    const sheet = await read(`/v1/books/${book}/balance-sheet?asOf=2026-02-28`);
    expect(sheet.body.balanced).toBe(true);
    const sheetEur = sheet.body.currencies.find((currency: any) => currency.currency === 'EUR');
    expect(sheetEur).toMatchObject({
      result: '-119.00',
      liabilitiesAndEquity: '25000.00',
      balanced: true,
    });
    expect(sheetEur.assets.total).toBe('25000.00');
    expect(sheetEur.liabilities.lines).toEqual([
      { account: '1600', name: 'Verbindlichkeiten', amount: '119.00' },
    ]);

    const income = await read(`/v1/books/${book}/income-statement?from=2026-02-01&to=2026-02-28`);
    expect(income.body.currencies).toEqual([
      // the sale and its reversal cancel out: the account shows, with nothing left
      {
        currency: 'EUR',
        revenue: {
          lines: [{ account: '8400', name: 'Erlöse 19 % USt', amount: '0.00' }],
          total: '0.00',
        },
        expenses: { lines: [], total: '0.00' },
        netIncome: '0.00',
      },
      {
        currency: 'JPY',
        revenue: {
          lines: [{ account: '8400', name: 'Erlöse 19 % USt', amount: '15000' }],
          total: '15000',
        },
        expenses: { lines: [], total: '0' },
        netIncome: '15000',
      },
    ]);
  });

  it('pages an account register with a running balance', async () => {
    const first = await read(`/v1/books/${book}/accounts/1200/ledger?limit=2`);
    expect(
      first.body.items.map((line: any) => [line.debit ?? `-${line.credit}`, line.balance]),
    ).toEqual([
      ['25000.00', '25000.00'],
      ['1190.00', '26190.00'],
    ]);
    const second = await read(
      `/v1/books/${book}/accounts/1200/ledger?limit=2&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.openingBalances).toEqual([{ currency: 'EUR', balance: '26190.00' }]);
    expect(
      second.body.items.map((line: any) => [line.credit, line.balance, line.description]),
    ).toEqual([['1190.00', '25000.00', 'Wrong customer']]);
    expect(second.body.nextCursor).toBeNull();
    const fromFebruary = await read(`/v1/books/${book}/accounts/1200/ledger?from=2026-02-01`);
    expect(fromFebruary.body.openingBalances).toEqual([{ currency: 'EUR', balance: '25000.00' }]);
  });

  it('refuses bad dates, times, limits and cursors with 400 validation', async () => {
    const bad = [
      `/v1/books/${book}/trial-balance?asOf=2026-02-30`,
      `/v1/books/${book}/trial-balance?asOf=31.01.2026`,
      `/v1/books/${book}/trial-balance?knownAt=yesterday`,
      `/v1/books/${book}/trial-balance?knownAt=2026-01-01T10:00:00`,
      `/v1/books/${book}/journal-entries?limit=0`,
      `/v1/books/${book}/journal-entries?limit=1001`,
      `/v1/books/${book}/journal-entries?cursor=not-a-cursor`,
      `/v1/books/${book}/journal-entries?from=2026-03-01&to=2026-02-01`,
      `/v1/books/${book}/income-statement?from=2026-13-01`,
      `/v1/books/${book}/accounts/1200/ledger?to=2026-04-31`,
      `/v1/books/${book}/trial-balance?unknown=1`,
    ];
    for (const path of bad) {
      const response = await read(path);
      expect({ path, status: response.status, type: response.body.type }).toEqual({
        path,
        status: 400,
        type: '/problems/validation',
      });
    }
  });

  it('answers 404 not-found for unknown books, accounts and entries', async () => {
    for (const path of [
      '/v1/books/nope',
      '/v1/books/nope/trial-balance',
      '/v1/books/nope/accounts',
      `/v1/books/${book}/accounts/9999`,
      `/v1/books/${book}/accounts/9999/balance`,
      `/v1/books/${book}/accounts/9999/ledger`,
      `/v1/books/${book}/journal-entries/nope`,
    ]) {
      const response = await read(path);
      expect({ path, status: response.status, type: response.body.type }).toEqual({
        path,
        status: 404,
        type: '/problems/not-found',
      });
    }
  });

  it('lets auditors read, refuses keys without ledger:read, and keeps book-restricted keys to their books', async () => {
    const auditor = await app.createKey('Audra', ['auditor']);
    expect((await read(`/v1/books/${book}/trial-balance`, auditor)).status).toBe(200);
    const subscriber = await app.createKey('Sub', ['subscriber']);
    expect((await read(`/v1/books/${book}/trial-balance`, subscriber)).status).toBe(403);
    expect((await read('/v1/books', subscriber)).status).toBe(403);
    const restricted = await app.createKey('Rita', ['accountant'], [`${book}-other`]);
    const books = await read('/v1/books', restricted);
    expect(books.body.items.map((item: { id: string }) => item.id)).toEqual([`${book}-other`]);
    expect((await read(`/v1/books/${book}/trial-balance`, restricted)).status).toBe(403);
    expect((await app.request('GET', `/v1/books/${book}/trial-balance`)).status).toBe(401);
  });
});
