import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { TestApp, TestStore, startTestApp } from '../support/app.js';

/**
 * The VAT return (UStVA) over HTTP: a quarter with every kind of tax code gives the Kennzahlen of
 * form USt 1 A 2026; on random books field 83 equals the movement of the VAT accounts in the
 * trial balance over the same period (read independently: two trial balances).
 */
const stores: TestStore[] = ['sqlite', 'postgres'];

interface Line {
  account: string;
  debit?: string;
  credit?: string;
  taxCode?: string;
}

describe.each(stores)('VAT return over %s', (store) => {
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
    const id = `vat-${randomUUID().slice(0, 8)}`;
    const opened = await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: { id, name: 'ACME GmbH', baseCurrency: 'EUR', chart: 'skr03' },
    });
    expect(opened.status).toBe(201);
    return id;
  }

  async function post(
    book: string,
    effectiveDate: string,
    lines: Line[],
    tax?: 'auto',
  ): Promise<number> {
    const response = await app.request('POST', `/v1/books/${book}/journal-entries`, {
      key: accountant,
      body: { effectiveDate, description: 'Buchung', lines, ...(tax ? { tax } : {}) },
    });
    expect(response.status).toBe(201);
    return response.body.position;
  }

  async function vatReturn(book: string, period: string, position: number) {
    return app.request(
      'GET',
      `/v1/books/${book}/reports/vat-return?period=${period}&consistentWith=${position}`,
      { key: accountant },
    );
  }

  it('reports every Kennzahl of a quarter and reconciles field 83 with the VAT accounts', async () => {
    const book = await openBook();
    // Sales: 19 %, 7 %, intra-EU supply, service to an EU business (§ 18b), § 13b Abs. 5 sale.
    await post(
      book,
      '2026-01-10',
      [
        { account: '1400', debit: '1190.00' },
        { account: '8400', credit: '1000.00', taxCode: 'USt19' },
      ],
      'auto',
    );
    await post(
      book,
      '2026-01-11',
      [
        { account: '1400', debit: '214.00' },
        { account: '8300', credit: '200.00', taxCode: 'USt7' },
      ],
      'auto',
    );
    await post(
      book,
      '2026-02-01',
      [
        { account: '1400', debit: '5000.00' },
        { account: '8125', credit: '5000.00', taxCode: 'IGL' },
      ],
      'auto',
    );
    await post(
      book,
      '2026-02-02',
      [
        { account: '1400', debit: '700.00' },
        { account: '8338', credit: '700.00', taxCode: 'IGS' },
      ],
      'auto',
    );
    await post(
      book,
      '2026-02-03',
      [
        { account: '1400', debit: '300.00' },
        { account: '8337', credit: '300.00', taxCode: 'RC13b' },
      ],
      'auto',
    );
    // A credit note on the 19 % sale lowers base and tax.
    await post(
      book,
      '2026-02-10',
      [
        { account: '8400', debit: '100.00', taxCode: 'USt19' },
        { account: '1400', credit: '119.00' },
      ],
      'auto',
    );
    // Purchases: input tax 19 %, § 13b construction, § 13b EU service, intra-EU acquisition.
    await post(
      book,
      '2026-03-01',
      [
        { account: '3400', debit: '400.00', taxCode: 'VSt19' },
        { account: '1600', credit: '476.00' },
      ],
      'auto',
    );
    await post(
      book,
      '2026-03-02',
      [
        { account: '3120', debit: '1000.00', taxCode: 'RC13b' },
        { account: '1600', credit: '1000.00' },
      ],
      'auto',
    );
    await post(
      book,
      '2026-03-03',
      [
        { account: '4900', debit: '500.00', taxCode: 'RC13bEU' },
        { account: '1600', credit: '500.00' },
      ],
      'auto',
    );
    const last = await post(
      book,
      '2026-03-04',
      [
        { account: '3425', debit: '2000.00', taxCode: 'IGE19' },
        { account: '1600', credit: '2000.00' },
      ],
      'auto',
    );
    // Outside the quarter: not counted.
    await post(
      book,
      '2026-04-01',
      [
        { account: '1400', debit: '119.00' },
        { account: '8400', credit: '100.00', taxCode: 'USt19' },
      ],
      'auto',
    );

    const response = await vatReturn(book, '2026-Q1', last);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      period: '2026-Q1',
      from: '2026-01-01',
      to: '2026-03-31',
      currency: 'EUR',
      unknownTaxCodes: [],
    });
    expect(response.body.fields).toEqual({
      '21': { base: '700.00' },
      '41': { base: '5000.00' },
      '46': { base: '500.00' },
      '47': { tax: '95.00' },
      '60': { base: '300.00' },
      '61': { tax: '380.00' },
      '66': { tax: '76.00' },
      '67': { tax: '285.00' },
      '81': { base: '900.00', tax: '171.00' },
      '84': { base: '1000.00' },
      '85': { tax: '190.00' },
      '86': { base: '200.00', tax: '14.00' },
      '89': { base: '2000.00', tax: '380.00' },
      // 171 + 14 + 95 + 190 + 380 − (76 + 380 + 285)
      '83': { tax: '109.00' },
    });
    expect(response.body.reconciliation).toMatchObject({
      booked: '109.00',
      declared: '109.00',
      difference: '0.00',
      agrees: true,
    });

    const march = await vatReturn(book, '2026-03', last);
    expect(march.body.fields['81']).toBeUndefined();
    expect(march.body.fields['66']).toEqual({ tax: '76.00' });
  });

  it('shows tax posted to a VAT account without its code as a difference', async () => {
    const book = await openBook();
    const position = await post(book, '2026-05-05', [
      { account: '1776', credit: '19.00' },
      { account: '1200', debit: '19.00' },
    ]);
    const response = await vatReturn(book, '2026-05', position);
    expect(response.status).toBe(200);
    expect(response.body.fields).toEqual({});
    expect(response.body.reconciliation).toMatchObject({
      booked: '19.00',
      declared: '0.00',
      difference: '19.00',
      agrees: false,
    });
  });

  it('refuses a period that is not a month or a quarter, and an unknown book', async () => {
    const book = await openBook();
    for (const period of ['', '2026', '2026-13', '2026-Q5', '2026-1', 'x']) {
      const response = await app.request(
        'GET',
        `/v1/books/${book}/reports/vat-return?period=${encodeURIComponent(period)}`,
        { key: accountant },
      );
      expect(response.status).toBe(400);
      expect(response.body.errors[0]).toMatchObject({ field: 'period' });
    }
    const unknown = await app.request(
      'GET',
      '/v1/books/no-such-book/reports/vat-return?period=2026-01',
      {
        key: accountant,
      },
    );
    expect(unknown.status).toBe(404);
  });

  it('field 83 equals the VAT accounts in the trial balance of the same period, on random books', async () => {
    // [code, base account, output tax account?, input tax account?, a sale?, and the Kennzahlen
    // of form USt 1 A the base, the output tax and the input tax belong to] of the SKR03 chart.
    const codes = [
      ['USt19', '8400', '1776', undefined, true, { base: '81', tax: '81' }],
      ['USt7', '8300', '1771', undefined, true, { base: '86', tax: '86' }],
      ['IGL', '8125', undefined, undefined, true, { base: '41' }],
      ['RC13b', '8337', undefined, undefined, true, { base: '60' }],
      ['VSt19', '3400', undefined, '1576', false, { input: '66' }],
      ['VSt7', '3300', undefined, '1571', false, { input: '66' }],
      ['RC13b', '3120', '1787', '1577', false, { base: '84', tax: '85', input: '67' }],
      ['RC13bEU', '4900', '1787', '1577', false, { base: '46', tax: '47', input: '67' }],
      ['IGE19', '3425', '1774', '1574', false, { base: '89', tax: '89', input: '61' }],
    ] as const;
    const posting = fc.record({
      code: fc.constantFrom(...codes),
      baseCents: fc.integer({ min: 1, max: 50_000_000 }),
      taxCents: fc.integer({ min: 0, max: 9_000_000 }),
      /** A credit note or a return: every side turned. */
      turned: fc.boolean(),
      date: fc.date({
        min: new Date('2026-03-01'),
        max: new Date('2026-07-31'),
        noInvalidDate: true,
      }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(posting, { minLength: 1, maxLength: 10 }), async (postings) => {
        const book = await openBook();
        let position = 0;
        // The independent model: per Kennzahl and part, the sum of what each posting puts there.
        const expected = new Map<string, bigint>();
        const expect_ = (field: string | undefined, part: string, cents: number, sign: number) => {
          if (field === undefined) return;
          const key = `${field}.${part}`;
          expected.set(key, (expected.get(key) ?? 0n) + BigInt(cents * sign));
        };
        for (const { code, baseCents, taxCents, turned, date } of postings) {
          const [taxCode, baseAccount, output, input, isSale, fields] = code;
          const day = date.toISOString().slice(0, 10);
          if (day >= '2026-04-01' && day <= '2026-06-30') {
            const sign = turned ? -1 : 1;
            const kz = fields as { base?: string; tax?: string; input?: string };
            expect_(kz.base, 'base', baseCents, sign);
            if (output !== undefined) expect_(kz.tax, 'tax', taxCents, sign);
            if (input !== undefined) expect_(kz.input, 'tax', taxCents, sign);
          }
          const lines: Line[] = [];
          const add = (account: string, cents: number, credit: boolean, withCode = true) => {
            if (cents === 0) return;
            const amount = (cents / 100).toFixed(2);
            lines.push({
              account,
              ...(credit !== turned ? { credit: amount } : { debit: amount }),
              ...(withCode ? { taxCode } : {}),
            });
          };
          add(baseAccount, baseCents, isSale);
          if (output !== undefined) add(output, taxCents, true);
          if (input !== undefined) add(input, taxCents, false);
          const taxOnBank = (output === undefined) !== (input === undefined) ? taxCents : 0;
          add('1200', baseCents + taxOnBank, !isSale, false);
          position = await post(book, date.toISOString().slice(0, 10), lines);
        }
        const figures = await vatReturn(book, '2026-Q2', position);
        expect(figures.status).toBe(200);
        const vatAccounts: string[] = [
          ...figures.body.reconciliation.outputAccounts,
          ...figures.body.reconciliation.inputAccounts,
        ];
        const vatBalance = async (asOf: string): Promise<bigint> => {
          const trial = await app.request(
            'GET',
            `/v1/books/${book}/trial-balance?asOf=${asOf}&consistentWith=${position}`,
            { key: accountant },
          );
          expect(trial.status).toBe(200);
          const rows: { account: string; debit: string; credit: string }[] =
            trial.body.currencies[0]?.lines ?? [];
          return rows
            .filter((row) => vatAccounts.includes(row.account))
            .reduce((sum, row) => sum + cents100(row.credit) - cents100(row.debit), 0n);
        };
        const booked = (await vatBalance('2026-06-30')) - (await vatBalance('2026-03-31'));
        expect(cents100(figures.body.fields['83']?.tax ?? '0.00')).toBe(booked);
        const actual = new Map<string, bigint>();
        for (const [field, parts] of Object.entries(
          figures.body.fields as Record<string, { base?: string; tax?: string }>,
        ))
          for (const [part, amount] of Object.entries(parts))
            if (field !== '83' && amount !== undefined)
              actual.set(`${field}.${part}`, cents100(amount));
        const nonZero = (map: Map<string, bigint>) =>
          Object.fromEntries([...map].filter(([, cents]) => cents !== 0n).sort());
        expect(nonZero(actual)).toEqual(nonZero(expected));
        expect(figures.body.reconciliation.agrees).toBe(true);
      }),
      { numRuns: 8 },
    );
  }, 120_000);
});

function cents100(amount: string): bigint {
  const negative = amount.startsWith('-');
  const [whole, fraction = ''] = amount.replace('-', '').split('.');
  const value = BigInt(whole!) * 100n + BigInt(fraction.padEnd(2, '0'));
  return negative ? -value : value;
}
