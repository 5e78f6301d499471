import { TaxCodeDefinition } from '../../ledger/index.js';
import { TaxedLineSums, vatPeriodRange, vatReturnFigures } from './vat-return.js';

const ust19: TaxCodeDefinition = {
  code: 'USt19',
  name: 'Umsatzsteuer 19 %',
  kind: 'output',
  outputAccount: '1776',
  rates: [
    { validFrom: '2007-01-01', validTo: '2020-06-30', ratePercent: '19' },
    { validFrom: '2020-07-01', validTo: '2020-12-31', ratePercent: '16' },
    { validFrom: '2021-01-01', ratePercent: '19' },
  ],
};

function line(partial: Partial<TaxedLineSums>): TaxedLineSums {
  return {
    taxCode: 'USt19',
    account: '8400',
    accountType: 'revenue',
    effectiveDate: '2026-01-15',
    debitMinor: 0n,
    creditMinor: 0n,
    ...partial,
  };
}

describe('vatReturnFigures', () => {
  it('given a 19 % sale, reports base and tax in field 81 and the balance in 83', () => {
    const figures = vatReturnFigures(
      [
        line({ creditMinor: 100_00n }),
        line({ account: '1776', accountType: 'liability', creditMinor: 19_00n }),
      ],
      [ust19],
    );
    expect(Object.fromEntries(figures.fields)).toEqual({
      '81': { baseMinor: 100_00n, taxMinor: 19_00n },
      '83': { taxMinor: 19_00n },
    });
  });

  it('given the 16 % of the second half of 2020, reports fields 35 and 36 (other rates)', () => {
    const date = { effectiveDate: '2020-09-01' };
    const figures = vatReturnFigures(
      [
        line({ ...date, creditMinor: 100_00n }),
        line({ ...date, account: '1776', accountType: 'liability', creditMinor: 16_00n }),
      ],
      [ust19],
    );
    expect(figures.fields.get('35')).toEqual({ baseMinor: 100_00n });
    expect(figures.fields.get('36')).toEqual({ taxMinor: 16_00n });
  });

  it('given a code the book does not know on that date, counts nothing and names it', () => {
    const figures = vatReturnFigures([line({ taxCode: 'USt5', creditMinor: 1n })], [ust19]);
    expect(figures.fields.size).toBe(0);
    expect(figures.unknownCodes).toEqual(['USt5']);
  });

  it('given an asset disposal under an output code, reports its base with the sales (a supply wherever posted)', () => {
    const figures = vatReturnFigures(
      [
        line({ account: '0420', accountType: 'asset', creditMinor: 500_00n }),
        line({ account: '1776', accountType: 'liability', creditMinor: 95_00n }),
      ],
      [ust19],
    );
    expect(figures.fields.get('81')).toEqual({ baseMinor: 500_00n, taxMinor: 95_00n });
  });
});

describe('vatPeriodRange', () => {
  it.each([
    ['2026-01', '2026-01-01', '2026-01-31'],
    ['2024-02', '2024-02-01', '2024-02-29'],
    ['2026-Q1', '2026-01-01', '2026-03-31'],
    ['2026-Q4', '2026-10-01', '2026-12-31'],
  ])('%s is %s to %s', (period, from, to) => {
    expect(vatPeriodRange(period)).toEqual({ from, to });
  });

  it.each(['2026', '2026-00', '2026-13', '2026-Q0', '2026-Q5', '26-01', '2026-1'])(
    'refuses %s',
    (period) => {
      expect(vatPeriodRange(period)).toBeUndefined();
    },
  );
});
