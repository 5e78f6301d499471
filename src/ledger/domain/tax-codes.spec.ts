import { ConflictError, ValidationError } from '../../event-sourcing/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { bookId, refusal, stateAfter } from '../testing/book.test-fixtures.js';
import { JournalLineInput, OpenBook, PostJournalEntry } from './book.commands.js';
import { bookDecider } from './book.decider.js';
import { BookStreamEvent, JournalLine } from './book.events.js';
import { fromBookSnapshot, toBookSnapshot } from './book.snapshot.js';
import { allCharts, controlAccountNames, latestChart } from './charts.js';
import { TaxCodeError, UnknownAccountError } from './ledger.errors.js';
import { taxAmountMinor, taxCodeOn, taxCodeProblems } from './tax-codes.js';

const spec = deciderSpec(bookDecider);

function openWith(chart: string): OpenBook {
  return { type: 'OpenBook', bookId, name: 'ACME GmbH', baseCurrency: 'EUR', chart };
}

const skr03Book: BookStreamEvent[] = bookDecider.decide(openWith('skr03'), stateAfter([]));
const skr03Codes = latestChart('skr03').taxCodes;

function post(effectiveDate: string, lines: JournalLineInput[], tax = true): PostJournalEntry {
  return {
    type: 'PostJournalEntry',
    bookId,
    entryId: 'e-1',
    effectiveDate,
    description: 'Test',
    lines,
    ...(tax ? { tax: 'auto' as const } : {}),
  };
}

function postedLines(command: PostJournalEntry): JournalLine[] {
  const [event] = bookDecider.decide(command, stateAfter(skr03Book));
  return (event!.data as { lines: JournalLine[] }).lines;
}

function taxLine(
  account: string,
  side: 'debit' | 'credit',
  amountMinor: string,
  code: string,
  rate: string,
): JournalLine {
  return { account, side, amountMinor, currency: 'EUR', memo: `${code} ${rate} %`, taxCode: code };
}

describe('taxCodeOn: effective-dated rates', () => {
  it.each([
    ['USt19', '2020-06-30', '19'],
    ['USt19', '2020-07-01', '16'],
    ['USt19', '2020-12-31', '16'],
    ['USt19', '2021-01-01', '19'],
    ['USt7', '2020-08-15', '5'],
    ['USt7', '2027-01-01', '7'],
    ['VSt19', '2020-10-01', '16'],
    ['IGL', '2026-05-01', '0'],
  ])('%s on %s is %s %%', (code, date, rate) => {
    expect(taxCodeOn(skr03Codes, code, date)?.ratePercent).toBe(rate);
  });

  it('gives the accounts and DATEV key with the rate, and nothing for unknown codes or dates', () => {
    expect(taxCodeOn(skr03Codes, 'USt19', '2027-03-01')).toEqual({
      code: 'USt19',
      name: 'Umsatzsteuer 19 %',
      kind: 'output',
      ratePercent: '19',
      validFrom: '2021-01-01',
      outputAccount: '1776',
      revenueAccount: '8400',
      datevKey: '3',
    });
    expect(taxCodeOn(latestChart('skr04').taxCodes, 'USt19', '2027-03-01')).toMatchObject({
      outputAccount: '3806',
      revenueAccount: '4400',
    });
    expect(taxCodeOn(skr03Codes, 'USt21', '2027-03-01')).toBeUndefined();
    expect(taxCodeOn(skr03Codes, 'USt19', '2006-12-31')).toBeUndefined();
  });
});

describe('taxAmountMinor: rounded half away from zero', () => {
  it.each([
    [10000n, '19', 1900n],
    [1n, '19', 0n],
    [3n, '19', 1n],
    [250n, '19', 48n],
    [-250n, '19', -48n],
    [1000n, '5.5', 55n],
    [9n, '5.5', 0n],
    [10n, '5.5', 1n],
    [123456789n, '0', 0n],
  ])('%s at %s %% is %s', (base, rate, tax) => {
    expect(taxAmountMinor(base, rate)).toBe(tax);
  });
});

describe('charts SKR03 and SKR04', () => {
  it.each(allCharts().map((chart) => [`${chart.chart}-${chart.version}`, chart] as const))(
    '%s: unique accounts, control accounts and tax code accounts exist, codes are valid',
    (_name, chart) => {
      const codes = new Set(chart.accounts.map((account) => account.code));
      expect(codes.size).toBe(chart.accounts.length);
      for (const name of [
        'receivables',
        'payables',
        'bank',
        'discountGranted',
        'dunningFees',
        'interestIncome',
      ] as const)
        expect(codes).toContain(chart.controlAccounts[name]);
      for (const name of Object.keys(chart.controlAccounts))
        expect(controlAccountNames).toContain(name);
      expect(chart.taxCodes.map((code) => code.code).sort()).toEqual(
        [
          'IGE19',
          'IGL',
          'IGS',
          'RC13b',
          'RC13bEU',
          'USt0',
          'USt19',
          'USt7',
          'VSt19',
          'VSt7',
        ].sort(),
      );
      for (const code of chart.taxCodes) {
        expect(taxCodeProblems(code)).toEqual([]);
        for (const account of [
          code.outputAccount,
          code.inputAccount,
          code.revenueAccount,
          code.expenseAccount,
        ])
          if (account !== undefined) expect(codes).toContain(account);
      }
    },
  );

  it('opens a book with the chart: accounts, control accounts and tax codes in one decision', () => {
    const events = bookDecider.decide(openWith('skr04'), stateAfter([]));
    const chart = latestChart('skr04');
    expect(events[0]).toEqual({
      type: 'BookOpened',
      data: {
        bookId,
        name: 'ACME GmbH',
        baseCurrency: 'EUR',
        fiscalYearStartMonth: 1,
        chart: { id: 'skr04', version: chart.version, controlAccounts: chart.controlAccounts },
      },
    });
    expect(events).toHaveLength(1 + chart.accounts.length + chart.taxCodes.length);
    const state = stateAfter(events);
    if (state.status !== 'open') throw new Error('not open');
    expect(state.controlAccounts).toMatchObject({
      receivables: '1200',
      payables: '3300',
      bank: '1800',
    });
    expect(state.accounts.get('3806')?.type).toBe('liability');
    expect(state.taxCodes.get('VSt7')?.inputAccount).toBe('1401');
    expect(fromBookSnapshot(toBookSnapshot(state))).toEqual(state);
  });

  it('refuses an unknown chart (400, field chart)', () => {
    const error = refusal([], openWith('skr99'));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors?.[0]?.field).toBe('chart');
  });
});

describe('DefineTaxCode', () => {
  const own = {
    code: 'USt19-Gastro',
    name: 'Umsatzsteuer 19 % Gastronomie',
    kind: 'output' as const,
    rates: [{ validFrom: '2024-01-01', ratePercent: '19' }],
    outputAccount: '1776',
  };

  it("adds the book's own code", () => {
    spec
      .given(skr03Book)
      .when({ type: 'DefineTaxCode', bookId, taxCode: own })
      .then([{ type: 'TaxCodeDefined', data: own }]);
  });

  it('refuses a known code (409), an unknown account (422) and malformed rates (400)', () => {
    spec
      .given(skr03Book)
      .when({ type: 'DefineTaxCode', bookId, taxCode: { ...own, code: 'USt19' } })
      .thenThrows(ConflictError);
    spec
      .given(skr03Book)
      .when({ type: 'DefineTaxCode', bookId, taxCode: { ...own, outputAccount: '9999' } })
      .thenThrows(UnknownAccountError);
    const error = refusal(skr03Book, {
      type: 'DefineTaxCode',
      bookId,
      taxCode: {
        ...own,
        outputAccount: undefined,
        rates: [
          { validFrom: '2024-01-01', validTo: '2024-12-31', ratePercent: '19' },
          { validFrom: '2024-06-01', ratePercent: '19,5' },
        ],
      },
    });
    expect((error as ValidationError).fieldErrors?.map((e) => e.field)).toEqual([
      'rates[1].ratePercent',
      'rates[1].validFrom',
      'outputAccount',
    ]);
  });
});

describe('"tax": "auto" on journal entries (net bases, Kontor adds the tax lines)', () => {
  it('adds output VAT for a sale at the rate of the effective date (19 %, 16 % in 2020-H2)', () => {
    const sale = (date: string, gross: string) =>
      post(date, [
        { account: '1400', debit: gross, party: 'c-1' },
        { account: '8400', credit: '100.00', taxCode: 'USt19' },
      ]);
    expect(postedLines(sale('2027-02-01', '119.00')).slice(2)).toEqual([
      taxLine('1776', 'credit', '1900', 'USt19', '19'),
    ]);
    expect(postedLines(sale('2020-08-01', '116.00')).slice(2)).toEqual([
      taxLine('1776', 'credit', '1600', 'USt19', '16'),
    ]);
  });

  it('rounds the tax on the sum of the bases per code, not per line', () => {
    const lines = postedLines(
      post('2027-02-01', [
        { account: '1400', debit: '0.11' },
        { account: '8400', credit: '0.03', taxCode: 'USt19' },
        { account: '8400', credit: '0.03', taxCode: 'USt19' },
        { account: '8400', credit: '0.03', taxCode: 'USt19' },
      ]),
    );
    expect(lines.slice(4)).toEqual([taxLine('1776', 'credit', '2', 'USt19', '19')]);
  });

  it('adds input VAT for a purchase, both taxes for § 13b and intra-EU purchases, none for exempt sales', () => {
    expect(
      postedLines(
        post('2027-02-01', [
          { account: '4930', debit: '100.00', taxCode: 'VSt19' },
          { account: '3300', debit: '10.00', taxCode: 'VSt7' },
          { account: '1600', credit: '129.70' },
        ]),
      ).slice(3),
    ).toEqual([
      taxLine('1576', 'debit', '1900', 'VSt19', '19'),
      taxLine('1571', 'debit', '70', 'VSt7', '7'),
    ]);
    expect(
      postedLines(
        post('2027-02-01', [
          { account: '3120', debit: '1000.00', taxCode: 'RC13b' },
          { account: '1600', credit: '1000.00' },
        ]),
      ).slice(2),
    ).toEqual([
      taxLine('1577', 'debit', '19000', 'RC13b', '19'),
      taxLine('1787', 'credit', '19000', 'RC13b', '19'),
    ]);
    for (const [account, code] of [
      ['8337', 'RC13b'],
      ['8125', 'IGL'],
      ['8100', 'USt0'],
    ])
      expect(
        postedLines(
          post('2027-02-01', [
            { account: '1400', debit: '500.00' },
            { account: account!, credit: '500.00', taxCode: code },
          ]),
        ),
      ).toHaveLength(2);
  });

  it('refuses a tax code the book does not have, or one not valid on the date (422, line named), nothing decided', () => {
    const unknown = refusal(
      skr03Book,
      post('2027-02-01', [
        { account: '1400', debit: '119.00' },
        { account: '8400', credit: '100.00', taxCode: 'USt21' },
      ]),
    );
    expect(unknown).toBeInstanceOf(TaxCodeError);
    expect((unknown as TaxCodeError).fieldErrors?.[0]?.field).toBe('lines[1].taxCode');
    const tooEarly = refusal(
      skr03Book,
      post(
        '2006-12-31',
        [
          { account: '1400', debit: '100.00' },
          { account: '8400', credit: '100.00', taxCode: 'USt19' },
        ],
        false,
      ),
    );
    expect(tooEarly).toBeInstanceOf(TaxCodeError);
    expect((tooEarly as Error).message).toContain('not valid on 2006-12-31');
  });

  it('refuses an unbalanced gross entry after the tax lines are added', () => {
    const error = refusal(
      skr03Book,
      post('2027-02-01', [
        { account: '1400', debit: '100.00' },
        { account: '8400', credit: '100.00', taxCode: 'USt19' },
      ]),
    );
    expect((error as Error).message).toContain('difference -19.00');
  });

  it('keeps taxCode and party on the lines of a reversal', () => {
    const sale = post('2027-02-01', [
      { account: '1400', debit: '119.00', party: 'c-1' },
      { account: '8400', credit: '100.00', taxCode: 'USt19' },
    ]);
    const posted = bookDecider.decide(sale, stateAfter(skr03Book));
    const [reversal] = bookDecider.decide(
      { type: 'ReverseJournalEntry', bookId, entryId: 'e-1', newEntryId: 'e-2', reason: 'Wrong' },
      stateAfter([...skr03Book, ...posted]),
    );
    expect((reversal!.data as { lines: JournalLine[] }).lines).toEqual([
      { account: '1400', side: 'credit', amountMinor: '11900', currency: 'EUR', party: 'c-1' },
      { account: '8400', side: 'debit', amountMinor: '10000', currency: 'EUR', taxCode: 'USt19' },
      { account: '1776', side: 'debit', amountMinor: '1900', currency: 'EUR', taxCode: 'USt19' },
    ]);
  });
});
