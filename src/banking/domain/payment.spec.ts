import { ValidationError } from '../../event-sourcing/index.js';
import {
  BusinessRuleError,
  discountShares,
  OpenInvoice,
  PaymentContext,
  PaymentRequest,
  planPayment,
  taxInGross,
} from './payment.js';

const invoices: Record<string, OpenInvoice> = {
  i1: {
    invoiceId: 'i1',
    party: 'p1',
    currency: 'EUR',
    openMinor: 11_900n,
    number: 'RE-2027-00001',
    taxes: [{ taxCode: 'USt19', ratePercent: '19', baseMinor: 10_000n, amountMinor: 1_900n }],
  },
  i2: { invoiceId: 'i2', party: 'p1', currency: 'EUR', openMinor: 5_000n, number: 'RE-2027-00002' },
  usd: { invoiceId: 'usd', party: 'p1', currency: 'USD', openMinor: 5_000n },
};
const context: PaymentContext = {
  controlAccount: '1400',
  discountAccount: '8735',
  invoice: (id) => invoices[id],
  taxAccount: (code) => (code === 'USt19' ? '1776' : undefined),
};
const request = (overrides: Partial<PaymentRequest> = {}): PaymentRequest => ({
  paymentId: 'pay1',
  partyId: 'p1',
  date: '2027-02-01',
  amountMinor: 11_900n,
  currency: 'EUR',
  bankAccount: '1200',
  allocations: [{ invoiceId: 'i1', amountMinor: 11_900n }],
  discountMinor: 0n,
  ...overrides,
});

describe('planning a received payment', () => {
  it('given an open invoice, when paid in full, then bank to receivables with the party', () => {
    const plan = planPayment(request(), context);
    expect(plan.lines).toEqual([
      { account: '1200', debit: '119.00', currency: 'EUR' },
      { account: '1400', credit: '119.00', currency: 'EUR', party: 'p1' },
    ]);
    expect(plan.data.allocations).toEqual([
      { invoiceId: 'i1', amountMinor: '11900', discountMinor: '0' },
    ]);
  });
  it('when paid with 2 % Skonto, then the discount net on 8735 and its VAT on 1776, receivables credited in full', () => {
    const plan = planPayment(
      request({
        amountMinor: 11_662n,
        allocations: [{ invoiceId: 'i1', amountMinor: 11_662n }],
        discountMinor: 238n,
      }),
      context,
    );
    expect(plan.lines).toEqual([
      { account: '1200', debit: '116.62', currency: 'EUR' },
      { account: '8735', debit: '2.00', currency: 'EUR', memo: 'Skonto', taxCode: 'USt19' },
      { account: '1776', debit: '0.38', currency: 'EUR', memo: 'Skonto', taxCode: 'USt19' },
      { account: '1400', credit: '119.00', currency: 'EUR', party: 'p1' },
    ]);
  });
  it('when paid over several invoices and more than they hold, then the rest stays unallocated', () => {
    const plan = planPayment(
      request({
        amountMinor: 20_000n,
        allocations: [
          { invoiceId: 'i1', amountMinor: 11_900n },
          { invoiceId: 'i2', amountMinor: 5_000n },
        ],
      }),
      context,
    );
    expect(plan.lines.at(-1)).toEqual({
      account: '1400',
      credit: '200.00',
      currency: 'EUR',
      party: 'p1',
    });
    expect(plan.description).toBe('Payment RE-2027-00001, RE-2027-00002');
  });
  it.each([
    [
      'an unknown invoice',
      { allocations: [{ invoiceId: 'nope', amountMinor: 1n }] },
      ValidationError,
    ],
    ["another party's invoice", { partyId: 'p2' }, ValidationError],
    [
      'another currency',
      { currency: 'USD', allocations: [{ invoiceId: 'i1', amountMinor: 1n }] },
      ValidationError,
    ],
    [
      'more than the open amount',
      { amountMinor: 20_000n, allocations: [{ invoiceId: 'i1', amountMinor: 11_901n }] },
      BusinessRuleError,
    ],
    ['allocations above the amount', { amountMinor: 100n }, BusinessRuleError],
    [
      'a discount above what stays open',
      {
        amountMinor: 11_000n,
        allocations: [{ invoiceId: 'i1', amountMinor: 11_000n }],
        discountMinor: 901n,
      },
      BusinessRuleError,
    ],
    ['a discount without allocations', { allocations: [], discountMinor: 1n }, ValidationError],
    [
      'the same invoice twice',
      {
        amountMinor: 20_000n,
        allocations: [
          { invoiceId: 'i2', amountMinor: 1n },
          { invoiceId: 'i2', amountMinor: 1n },
        ],
      },
      ValidationError,
    ],
    ['a zero amount', { amountMinor: 0n, allocations: [] }, ValidationError],
  ])('refuses %s', (_name, overrides, error) => {
    expect(() => planPayment(request(overrides as Partial<PaymentRequest>), context)).toThrow(
      error,
    );
  });
});

describe('discount shares', () => {
  it('split by gross per tax code, the last share taking the rest', () => {
    const shares = discountShares(300n, [
      { taxCode: 'USt19', ratePercent: '19', baseMinor: 10_000n, amountMinor: 1_900n },
      { taxCode: 'USt7', ratePercent: '7', baseMinor: 10_000n, amountMinor: 700n },
    ]);
    expect(shares).toEqual([
      { taxCode: 'USt19', grossMinor: 157n, taxMinor: 25n },
      { taxCode: 'USt7', grossMinor: 143n, taxMinor: 9n },
    ]);
  });
  it('tax in gross rounds half away from zero', () => {
    expect(taxInGross(119n, '19')).toBe(19n);
    expect(taxInGross(107n, '7')).toBe(7n);
    expect(taxInGross(1055n, '5.5')).toBe(55n);
  });
});

describe('planning a supplier payment (kind payable)', () => {
  /** 116.62 paid on the 119.00 payable with 2.38 Skonto received. */
  const payableWithSkonto = () =>
    request({
      kind: 'payable',
      amountMinor: 11_662n,
      allocations: [{ invoiceId: 'i1', amountMinor: 11_662n }],
      discountMinor: 238n,
    });
  const payables: PaymentContext = {
    controlAccount: '1600',
    discountAccount: '3736',
    invoice: (id) => ({ ...invoices[id]!, taxes: invoices[id]!.taxes?.map((t) => ({ ...t })) }),
    taxAccount: (code) => (code === 'USt19' ? '1576' : undefined),
  };
  it('given an open payable, when paid in full, then payables (with the party) to bank as PaymentMade', () => {
    const plan = planPayment(request({ kind: 'payable' }), payables);
    expect(plan.documentType).toBe('PaymentMade');
    expect(plan.data.kind).toBe('payable');
    expect(plan.lines).toEqual([
      { account: '1200', credit: '119.00', currency: 'EUR' },
      { account: '1600', debit: '119.00', currency: 'EUR', party: 'p1' },
    ]);
  });
  it('when paid with 2 % Skonto received, then the discount net credited on 3736 and the input VAT corrected on 1576', () => {
    const plan = planPayment(payableWithSkonto(), payables);
    expect(plan.lines).toEqual([
      { account: '1200', credit: '116.62', currency: 'EUR' },
      { account: '3736', credit: '2.00', currency: 'EUR', memo: 'Skonto', taxCode: 'USt19' },
      { account: '1576', credit: '0.38', currency: 'EUR', memo: 'Skonto', taxCode: 'USt19' },
      { account: '1600', debit: '119.00', currency: 'EUR', party: 'p1' },
    ]);
  });
  it('given a share naming its output VAT account, when a payable, then the input VAT account of the tax code is used', () => {
    const withOutput: PaymentContext = {
      ...payables,
      invoice: (id) => ({
        ...invoices[id]!,
        taxes: invoices[id]!.taxes?.map((t) => ({ ...t, outputAccount: '1776' })),
      }),
    };
    const plan = planPayment(payableWithSkonto(), withOutput);
    expect(plan.lines.map((l) => l.account)).toEqual(['1200', '3736', '1576', '1600']);
  });
  it('when more is allocated than the payable has open, then a business-rule error', () => {
    expect(() =>
      planPayment(
        request({
          kind: 'payable',
          amountMinor: 20_000n,
          allocations: [{ invoiceId: 'i1', amountMinor: 20_000n }],
        }),
        payables,
      ),
    ).toThrow(BusinessRuleError);
  });
  it('given no discount received account, when a Skonto is taken, then the error names the received account', () => {
    expect(() =>
      planPayment(payableWithSkonto(), { ...payables, discountAccount: undefined }),
    ).toThrow('cash discount received');
  });
});
