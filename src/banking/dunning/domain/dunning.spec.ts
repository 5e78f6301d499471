import { ConflictError } from '../../../event-sourcing/index.js';
import { deciderSpec } from '../../../event-sourcing/testing/decider-spec.js';
import {
  defaultInterest,
  DunnedCustomer,
  dunningSettingsDefault,
  proposeNotice,
  proposeRun,
} from './dunning.js';
import { dunningRunDecider } from './dunning.events.js';

const rates = [
  { validFrom: '2025-01-01', ratePercent: '2.27' },
  { validFrom: '2025-07-01', ratePercent: '1.27' },
];

describe('§288 BGB default interest', () => {
  it('is open × (base + 9) % × days / 365 for a business, rounded half up once', () => {
    // 1,000.00 EUR, 30 days in the first half of 2025 at 2.27 + 9 = 11.27 %: 100000 × 0.1127 × 30 / 365 = 926.30…
    expect(defaultInterest(100_000n, '2025-03-01', '2025-03-31', 9, rates)).toBe(926n);
  });
  it('takes +5 points for a consumer', () => {
    // 100000 × 0.0727 × 30 / 365 = 597.53…
    expect(defaultInterest(100_000n, '2025-03-01', '2025-03-31', 5, rates)).toBe(598n);
  });
  it('splits the days at a base rate change', () => {
    // 10 days at 11.27 % (June 21–30) + 10 days at 10.27 % (July 1–10): 100000 × (1.127 + 1.027) / 365 = 590.13…
    expect(defaultInterest(100_000n, '2025-06-20', '2025-07-10', 9, rates)).toBe(590n);
  });
  it('is nothing before the due date has passed', () => {
    expect(defaultInterest(100_000n, '2025-03-01', '2025-03-01', 9, rates)).toBe(0n);
  });
});

const customer = (overrides: Partial<DunnedCustomer> = {}): DunnedCustomer => ({
  partyId: 'c1',
  naturalPerson: false,
  currency: 'EUR',
  items: [{ invoiceId: 'i1', dueDate: '2025-03-01', openMinor: 100_000n, daysOverdue: 30 }],
  ...overrides,
});
const settings = { ...dunningSettingsDefault, baseRates: rates };

describe('dunning notices', () => {
  it('given no previous notice, when a run is proposed, then level 1 with the level-1 fee', () => {
    const notice = proposeNotice(customer(), '2025-03-31', settings)!;
    expect(notice).toMatchObject({
      level: 1,
      feeMinor: 0n,
      interestMinor: 926n,
      interestPoints: 9,
    });
  });
  it('given a confirmed level-1 notice 14 days ago, then level 2 with its fee', () => {
    const notice = proposeNotice(
      customer({ previous: { level: 1, date: '2025-03-17' } }),
      '2025-03-31',
      settings,
    )!;
    expect(notice).toMatchObject({ level: 2, feeMinor: 500n });
  });
  it('given a notice 13 days ago, then no notice (the interval has not passed)', () => {
    expect(
      proposeNotice(
        customer({ previous: { level: 1, date: '2025-03-18' } }),
        '2025-03-31',
        settings,
      ),
    ).toBeUndefined();
  });
  it('given a level-3 notice, then level 3 again (the last level)', () => {
    expect(
      proposeNotice(
        customer({ previous: { level: 3, date: '2025-01-01' } }),
        '2025-03-31',
        settings,
      )?.level,
    ).toBe(3);
  });
  it('given nothing overdue, then no notice', () => {
    const items = [{ invoiceId: 'i1', dueDate: '2025-04-01', openMinor: 100n, daysOverdue: 0 }];
    expect(proposeNotice(customer({ items }), '2025-03-31', settings)).toBeUndefined();
  });
  it('a run holds one notice per customer with something overdue, in party order', () => {
    const notices = proposeRun(
      [customer({ partyId: 'c2' }), customer({ partyId: 'c1', naturalPerson: true })],
      '2025-03-31',
      settings,
    );
    expect(notices.map((n) => [n.partyId, n.interestPoints])).toEqual([
      ['c1', 5],
      ['c2', 9],
    ]);
  });
});

describe('dunning run decider', () => {
  const spec = deciderSpec(dunningRunDecider);
  const command = {
    type: 'ProposeDunningRun' as const,
    runId: 'r1',
    bookId: 'b',
    asOf: '2025-03-31',
    notices: [],
  };
  it('given nothing, when proposed, then DunningRunProposed', () => {
    spec
      .given([])
      .when(command)
      .then([
        {
          type: 'DunningRunProposed',
          data: { runId: 'r1', bookId: 'b', asOf: '2025-03-31', notices: [] },
        },
      ]);
  });
  it('given a proposed run, when proposed again, then a conflict', () => {
    spec
      .given([
        {
          type: 'DunningRunProposed',
          data: { runId: 'r1', bookId: 'b', asOf: '2025-03-31', notices: [] },
        },
      ])
      .when(command)
      .thenThrows(ConflictError);
  });
});
