import { ApprovalPolicy } from './approval-policy.events.js';
import { GatedActionSummary } from './gated-action.js';
import { conditionHolds, matchPolicies } from './policy-matching.js';

const policy = (overrides: Partial<ApprovalPolicy>): ApprovalPolicy => ({
  policyId: 'p',
  book: 'acme',
  name: 'policy',
  action: 'journal-entry.post',
  steps: [{ role: 'approver', approvals: 1 }],
  ...overrides,
});

const entry = (overrides: Partial<GatedActionSummary> = {}): GatedActionSummary => ({
  action: 'journal-entry.post',
  book: 'acme',
  debitTotalsMinor: { EUR: 1_000_000n },
  accounts: ['6310', '1200'],
  ...overrides,
});

const now = '2026-03-31T10:00:00.000Z';

describe('conditionHolds', () => {
  it('matches everything without a condition', () => {
    expect(conditionHolds(undefined, entry())).toBe(true);
  });

  it('compares the total debits in the condition currency with the minimum (inclusive)', () => {
    const condition = { minAmountMinor: '1000000', currency: 'EUR' };
    expect(conditionHolds(condition, entry())).toBe(true);
    expect(conditionHolds(condition, entry({ debitTotalsMinor: { EUR: 999_999n } }))).toBe(false);
    expect(conditionHolds(condition, entry({ debitTotalsMinor: { USD: 5_000_000n } }))).toBe(false);
  });

  it('with a currency alone, matches entries that debit that currency', () => {
    expect(conditionHolds({ currency: 'USD' }, entry())).toBe(false);
    expect(conditionHolds({ currency: 'EUR' }, entry())).toBe(true);
  });

  it('matches accounts on any line', () => {
    expect(conditionHolds({ accounts: ['1200'] }, entry())).toBe(true);
    expect(conditionHolds({ accounts: ['9999'] }, entry())).toBe(false);
  });

  it('needs every part of a condition to hold', () => {
    expect(
      conditionHolds({ minAmountMinor: '100', currency: 'EUR', accounts: ['9999'] }, entry()),
    ).toBe(false);
    expect(
      conditionHolds({ minAmountMinor: '100', currency: 'EUR', accounts: ['6310'] }, entry()),
    ).toBe(true);
  });
});

describe('matchPolicies', () => {
  it('matches nothing when no policy covers the action', () => {
    const match = matchPolicies([policy({ action: 'period.reopen' })], entry(), now);
    expect(match).toEqual({ policies: [], policyIds: [], steps: [] });
  });

  it('concatenates the steps of every matching policy in definition order', () => {
    const policies = [
      policy({
        policyId: 'large',
        condition: { minAmountMinor: '500000', currency: 'EUR' },
        steps: [{ role: 'approver', approvals: 1 }],
      }),
      policy({ policyId: 'other-book-action', action: 'account.close' }),
      policy({
        policyId: 'cash',
        condition: { accounts: ['1200'] },
        steps: [
          { role: 'compliance', approvals: 1 },
          { role: 'approver', approvals: 2 },
        ],
      }),
      policy({ policyId: 'huge', condition: { minAmountMinor: '99900000', currency: 'EUR' } }),
    ];
    const match = matchPolicies(policies, entry(), now);
    expect(match.policyIds).toEqual(['large', 'cash']);
    expect(match.steps).toEqual([
      { role: 'approver', approvals: 1 },
      { role: 'compliance', approvals: 1 },
      { role: 'approver', approvals: 2 },
    ]);
    expect(match.expiresAt).toBeUndefined();
  });

  it('takes the expiry that ends first from now', () => {
    const policies = [
      policy({ policyId: 'month', expiresAfter: 'P1M' }),
      policy({ policyId: 'days', expiresAfter: 'P30D' }),
      policy({ policyId: 'none' }),
    ];
    // February has 28 days: P1M ends first from 1 February, P30D first from 1 March.
    const february = matchPolicies(policies, entry(), '2026-02-01T00:00:00.000Z');
    expect(february).toMatchObject({ expiresAfter: 'P1M', expiresAt: '2026-03-01T00:00:00.000Z' });
    const march = matchPolicies(policies, entry(), '2026-03-01T00:00:00.000Z');
    expect(march).toMatchObject({ expiresAfter: 'P30D', expiresAt: '2026-03-31T00:00:00.000Z' });
  });

  it('matches account.close on the closed account', () => {
    const close = policy({ action: 'account.close', condition: { accounts: ['1200'] } });
    expect(
      matchPolicies(
        [close],
        { action: 'account.close', book: 'acme', debitTotalsMinor: {}, accounts: ['1200'] },
        now,
      ).policyIds,
    ).toEqual(['p']);
    expect(
      matchPolicies(
        [close],
        { action: 'account.close', book: 'acme', debitTotalsMinor: {}, accounts: ['1000'] },
        now,
      ).policyIds,
    ).toEqual([]);
  });
});
