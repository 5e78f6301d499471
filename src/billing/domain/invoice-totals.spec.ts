import fc from 'fast-check';
import {
  lineNetAmount,
  scaledToDecimal,
  vatBreakdownOf,
  decimalToScaled,
} from '../../einvoice/index.js';
import {
  invoiceTotals,
  lineNetMinor,
  parseScaled,
  roundHalfAwayFromZero,
} from './invoice-totals.js';

const s = (text: string) => parseScaled(text, 18)!;

describe('EN 16931 totals in minor units', () => {
  it('rounds a line net half away from zero to the cent', () => {
    expect(lineNetMinor(s('3.1234'), s('22.375'), 2)).toBe(6989n); // 69.886075
    expect(lineNetMinor(s('1'), s('0.005'), 2)).toBe(1n);
    expect(lineNetMinor(s('1'), s('0.0049'), 2)).toBe(0n);
    expect(lineNetMinor(s('2.5'), s('10'), 0)).toBe(25n); // JPY
    expect(roundHalfAwayFromZero(-25n, 1)).toBe(-3n);
  });

  it('computes tax per rate on the sum of line nets, not per line', () => {
    // Per line 0.19 × 0.03 rounds to 0.01 each (0.03 in all); on the sum 0.09 × 0.19 = 0.0171 → 0.02.
    const totals = invoiceTotals(
      [1, 2, 3].map(() => ({
        quantity: '1',
        unitPrice: '0.03',
        taxCode: 'USt19',
        ratePercent: '19',
      })),
      2,
    );
    expect(totals.taxes).toEqual([
      { taxCode: 'USt19', ratePercent: '19', baseMinor: 9n, amountMinor: 2n },
    ]);
    expect(totals.grossMinor).toBe(11n);
  });

  it('gives the sample invoice its hand-computed totals (two rates, four-decimal quantity)', () => {
    const totals = invoiceTotals(
      [
        { quantity: '12.5', unitPrice: '95', taxCode: 'USt19', ratePercent: '19' },
        { quantity: '3.1234', unitPrice: '22.375', taxCode: 'USt19', ratePercent: '19' },
        { quantity: '2', unitPrice: '30.25', taxCode: 'USt7', ratePercent: '7' },
      ],
      2,
    );
    expect(totals.netMinor).toBe(131789n);
    expect(totals.taxes.map((t) => [t.taxCode, t.baseMinor, t.amountMinor])).toEqual([
      ['USt19', 125739n, 23890n],
      ['USt7', 6050n, 424n],
    ]);
    expect(totals.grossMinor).toBe(156103n);
  });
});

const decimal = (maxScale: number, maxUnits: bigint) =>
  fc
    .tuple(fc.bigInt({ min: 0n, max: maxUnits }), fc.integer({ min: 0, max: maxScale }))
    .map(([units, scale]) => scaledToDecimal(units, scale));
const line = fc.record({
  quantity: decimal(4, 10n ** 8n).filter((q) => q !== '0'),
  unitPrice: decimal(4, 10n ** 10n),
  taxCode: fc.constantFrom('USt19', 'USt7', 'USt0'),
});
const rates: Record<string, string> = { USt19: '19', USt7: '7', USt0: '0' };

describe('totals (properties)', () => {
  it('agree with the EN 16931 model decimal arithmetic of src/einvoice, line by line and per rate', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 30 }), (lines) => {
        const withRates = lines.map((l) => ({ ...l, ratePercent: rates[l.taxCode]! }));
        const totals = invoiceTotals(withRates, 2);
        const nets = withRates.map((l) =>
          lineNetAmount({ quantity: l.quantity, netPrice: l.unitPrice }),
        );
        expect(totals.lineNetsMinor).toEqual(nets.map((n) => decimalToScaled(n, 2)));
        const breakdown = vatBreakdownOf(
          withRates.map((l, i) => ({
            netAmount: nets[i]!,
            vatCategoryCode: 'S' as const,
            vatRate: l.ratePercent,
          })),
        );
        expect(totals.taxes.map((t) => [t.baseMinor, t.amountMinor])).toEqual(
          breakdown.map((b) => [
            decimalToScaled(b.taxableAmount, 2),
            decimalToScaled(b.taxAmount, 2),
          ]),
        );
      }),
    );
  });

  it('net is the sum of line nets and of tax bases; gross is net plus every tax', () => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 30 }),
        fc.constantFrom(0, 2, 3),
        (lines, digits) => {
          const totals = invoiceTotals(
            lines.map((l) => ({ ...l, ratePercent: rates[l.taxCode]! })),
            digits,
          );
          const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);
          expect(totals.netMinor).toBe(sum(totals.lineNetsMinor));
          expect(sum(totals.taxes.map((t) => t.baseMinor))).toBe(totals.netMinor);
          expect(totals.grossMinor).toBe(
            totals.netMinor + sum(totals.taxes.map((t) => t.amountMinor)),
          );
          expect(new Set(totals.taxes.map((t) => t.taxCode)).size).toBe(totals.taxes.length);
        },
      ),
    );
  });

  it('a line net is the exact product within half a minor unit', () => {
    fc.assert(
      fc.property(line, fc.constantFrom(0, 2, 3), ({ quantity, unitPrice }, digits) => {
        const q = s(quantity);
        const p = s(unitPrice);
        const net = lineNetMinor(q, p, digits);
        const exactScale = q.scale + p.scale;
        const exact = q.units * p.units * 10n ** BigInt(Math.max(0, digits - exactScale));
        const scale = Math.max(exactScale, digits);
        const netScaled = net * 10n ** BigInt(scale - digits);
        const difference = netScaled - exact;
        const half = 10n ** BigInt(scale - digits) / 2n;
        expect(difference <= half && difference > -half - (scale === digits ? 1n : 0n)).toBe(true);
      }),
    );
  });
});
