import { randomUUID } from 'node:crypto';
import { LedgerLookup } from '../../src/ledger/ledger.module.js';
import { taxCodeOn } from '../../src/ledger/index.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';

/** Charts, tax codes and `"tax": "auto"` over HTTP, on both stores. */
const stores: TestStore[] = ['sqlite', 'postgres'];

describe.each(stores)('charts and tax codes over %s', (store) => {
  let app: TestApp;
  let accountant: string;

  beforeAll(async () => {
    app = await startTestApp({ store });
    accountant = await app.createKey('Erika Accountant', ['accountant']);
  });

  afterAll(async () => {
    await app?.close();
  });

  async function openBook(chart?: string) {
    const id = `tax-${randomUUID().slice(0, 8)}`;
    const response = await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: { id, name: 'ACME GmbH', baseCurrency: 'EUR', ...(chart ? { chart } : {}) },
    });
    return { id, response };
  }

  async function bookStreamLength(book: string): Promise<number> {
    return (await app.store.readStream(`book-${book}`, { fromRevision: 0, limit: 10_000 })).length;
  }

  it('opens a book with SKR03: accounts with German names, tax codes per rate period, control accounts', async () => {
    const { id, response } = await openBook('skr03');
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ id, chart: 'skr03', chartVersion: '2026' });
    const accounts = await app.request(
      'GET',
      `/v1/books/${id}/accounts?consistentWith=${response.body.position}&limit=500`,
      { key: accountant },
    );
    expect(accounts.status).toBe(200);
    const items = accounts.body.items ?? accounts.body;
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: '1400',
          name: 'Forderungen aus Lieferungen und Leistungen',
        }),
        expect.objectContaining({ code: '1776', name: 'Umsatzsteuer 19 %', type: 'liability' }),
        expect.objectContaining({ code: '8400', name: 'Erlöse 19 % USt', type: 'revenue' }),
      ]),
    );

    const codes = await app.request('GET', `/v1/books/${id}/tax-codes`, { key: accountant });
    expect(codes.status).toBe(200);
    const ust19 = codes.body.filter((row: { code: string }) => row.code === 'USt19');
    expect(ust19).toEqual([
      {
        code: 'USt19',
        name: 'Umsatzsteuer 19 %',
        rate: '19',
        kind: 'output',
        validFrom: '2007-01-01',
        validTo: '2020-06-30',
        outputAccount: '1776',
        revenueAccount: '8400',
        datevKey: '3',
      },
      {
        code: 'USt19',
        name: 'Umsatzsteuer 19 %',
        rate: '16',
        kind: 'output',
        validFrom: '2020-07-01',
        validTo: '2020-12-31',
        outputAccount: '1776',
        revenueAccount: '8400',
        datevKey: '3',
      },
      {
        code: 'USt19',
        name: 'Umsatzsteuer 19 %',
        rate: '19',
        kind: 'output',
        validFrom: '2021-01-01',
        outputAccount: '1776',
        revenueAccount: '8400',
        datevKey: '3',
      },
    ]);
    const onDate = await app.request('GET', `/v1/books/${id}/tax-codes?on=2020-09-01`, {
      key: accountant,
    });
    expect(
      Object.fromEntries(
        onDate.body.map((row: { code: string; rate: string }) => [row.code, row.rate]),
      ),
    ).toEqual({
      IGE19: '16',
      IGL: '0',
      IGS: '0',
      RC13b: '16',
      RC13bEU: '16',
      USt0: '0',
      USt19: '16',
      USt7: '5',
      VSt19: '16',
      VSt7: '5',
    });

    const lookup = app.app.get(LedgerLookup);
    expect(await lookup.bookControlAccounts(id)).toMatchObject({
      receivables: '1400',
      payables: '1600',
      bank: '1200',
      discountGranted: '8736',
    });
    expect(taxCodeOn(await lookup.taxCodesOf(id), 'VSt7', '2027-01-01')).toMatchObject({
      ratePercent: '7',
      inputAccount: '1571',
    });
  });

  it('opens SKR04 with its numbers, and an empty book without a chart', async () => {
    const skr04 = await openBook('skr04');
    expect(skr04.response.status).toBe(201);
    const lookup = app.app.get(LedgerLookup);
    expect(await lookup.bookControlAccounts(skr04.id)).toMatchObject({
      receivables: '1200',
      payables: '3300',
      bank: '1800',
    });
    const codes = await app.request('GET', `/v1/books/${skr04.id}/tax-codes?on=2027-01-01`, {
      key: accountant,
    });
    expect(codes.body.find((row: { code: string }) => row.code === 'USt7')).toMatchObject({
      outputAccount: '3801',
      revenueAccount: '4300',
    });
    const empty = await openBook();
    expect(empty.response.status).toBe(201);
    expect(
      (await app.request('GET', `/v1/books/${empty.id}/tax-codes`, { key: accountant })).body,
    ).toEqual([]);
    expect(await lookup.bookControlAccounts(empty.id)).toEqual({});
  });

  it('refuses an unknown chart (400) and records nothing', async () => {
    const { id, response } = await openBook('skr99');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/problem\+json/);
    expect(await bookStreamLength(id)).toBe(0);
    const unknownBook = await app.request(
      'GET',
      `/v1/books/nope-${randomUUID().slice(0, 6)}/tax-codes`,
      { key: accountant },
    );
    expect(unknownBook.status).toBe(404);
  });

  it("adds a book's own tax code (admin only), refuses a known code and bad rates", async () => {
    const { id } = await openBook('skr03');
    const body = {
      code: 'USt19-Filiale',
      name: 'Umsatzsteuer 19 % Filiale',
      kind: 'output',
      rates: [{ validFrom: '2027-01-01', rate: '19' }],
      outputAccount: '1776',
    };
    const forbidden = await app.request('POST', `/v1/books/${id}/tax-codes`, {
      key: accountant,
      body,
    });
    expect(forbidden.status).toBe(403);
    const created = await app.request('POST', `/v1/books/${id}/tax-codes`, {
      key: app.adminKey,
      body,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      code: 'USt19-Filiale',
      rates: [
        {
          code: 'USt19-Filiale',
          rate: '19',
          kind: 'output',
          validFrom: '2027-01-01',
          outputAccount: '1776',
        },
      ],
      position: expect.any(Number),
    });
    const before = await bookStreamLength(id);
    const again = await app.request('POST', `/v1/books/${id}/tax-codes`, {
      key: app.adminKey,
      body,
    });
    expect(again.status).toBe(409);
    const badRate = await app.request('POST', `/v1/books/${id}/tax-codes`, {
      key: app.adminKey,
      body: { ...body, code: 'X1', rates: [{ validFrom: '2027-01-01', rate: '19%' }] },
    });
    expect(badRate.status).toBe(400);
    expect(badRate.body.errors).toEqual([
      expect.objectContaining({ field: 'rates[0].ratePercent' }),
    ]);
    const unknownAccount = await app.request('POST', `/v1/books/${id}/tax-codes`, {
      key: app.adminKey,
      body: { ...body, code: 'X2', outputAccount: '9999' },
    });
    expect(unknownAccount.status).toBe(422);
    expect(await bookStreamLength(id)).toBe(before);
  });

  it('posts "tax": "auto" entries: net bases, Kontor adds the VAT lines; GET shows codes and parties', async () => {
    const { id } = await openBook('skr03');
    const posted = await app.request('POST', `/v1/books/${id}/journal-entries`, {
      key: accountant,
      body: {
        effectiveDate: '2020-09-15',
        description: 'Sale at the 2020 rate',
        tax: 'auto',
        lines: [
          { account: '1400', debit: '116.00', party: 'c-1' },
          { account: '8400', credit: '100.00', taxCode: 'USt19' },
        ],
      },
    });
    expect(posted.status).toBe(201);
    const shown = await app.request(
      'GET',
      `/v1/books/${id}/journal-entries/${posted.body.id}?consistentWith=${posted.body.position}`,
      { key: accountant },
    );
    expect(shown.body.lines).toEqual([
      { lineNo: 0, account: '1400', debit: '116.00', currency: 'EUR', party: 'c-1' },
      { lineNo: 1, account: '8400', credit: '100.00', currency: 'EUR', taxCode: 'USt19' },
      {
        lineNo: 2,
        account: '1776',
        credit: '16.00',
        currency: 'EUR',
        memo: 'USt19 16 %',
        taxCode: 'USt19',
      },
    ]);
  });

  it('refuses a tax code the book lacks or one not valid on the date (422, line named), nothing recorded', async () => {
    const { id } = await openBook('skr03');
    const before = await bookStreamLength(id);
    const unknown = await app.request('POST', `/v1/books/${id}/journal-entries`, {
      key: accountant,
      body: {
        effectiveDate: '2027-01-10',
        description: 'Sale',
        tax: 'auto',
        lines: [
          { account: '1400', debit: '121.00' },
          { account: '8400', credit: '100.00', taxCode: 'USt21' },
        ],
      },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([expect.objectContaining({ field: 'lines[1].taxCode' })]);
    expect(unknown.body.detail).toContain('USt21 is not defined');
    const { id: own } = { id };
    await app.request('POST', `/v1/books/${own}/tax-codes`, {
      key: app.adminKey,
      body: {
        code: 'USt19-Neu',
        name: 'Neu',
        kind: 'output',
        rates: [{ validFrom: '2027-06-01', rate: '19' }],
        outputAccount: '1776',
      },
    });
    const early = await app.request('POST', `/v1/books/${id}/journal-entries`, {
      key: accountant,
      body: {
        effectiveDate: '2027-05-31',
        description: 'Sale',
        lines: [
          { account: '1400', debit: '100.00' },
          { account: '8400', credit: '100.00', taxCode: 'USt19-Neu' },
        ],
      },
    });
    expect(early.status).toBe(422);
    expect(early.body.detail).toContain('not valid on 2027-05-31');
    const badTax = await app.request('POST', `/v1/books/${id}/journal-entries`, {
      key: accountant,
      body: {
        effectiveDate: '2027-05-31',
        description: 'Sale',
        tax: 'manual',
        lines: [
          { account: '1400', debit: '100.00' },
          { account: '8400', credit: '100.00' },
        ],
      },
    });
    expect(badTax.status).toBe(400);
    expect(await bookStreamLength(id)).toBe(before + 1);
  });
});
