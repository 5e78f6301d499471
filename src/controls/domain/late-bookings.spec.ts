import { BookedEntry, daysBetween, lateBookingOf } from './late-bookings.js';

const entry = (overrides: Partial<BookedEntry> = {}): BookedEntry => ({
  entryId: 'e-1',
  effectiveDate: '2026-02-27',
  recordedAt: '2026-03-10T23:59:59.999Z',
  description: 'Büromaterial',
  reference: null,
  reversalOf: null,
  position: 7n,
  cash: false,
  ...overrides,
});

describe('late bookings', () => {
  it('counts calendar days across month ends and leap years', () => {
    expect(daysBetween('2026-02-27', '2026-03-10')).toBe(11);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2026-03-10', '2026-03-09')).toBe(-1);
  });

  it('is late only beyond `days` (the boundary day is in time)', () => {
    expect(lateBookingOf(entry(), 11)).toBeUndefined();
    expect(lateBookingOf(entry(), 10)).toMatchObject({
      recordedDate: '2026-03-10',
      delayDays: 11,
      reasons: ['late'],
    });
  });

  it('wants cash entries on their own day, also when booked ahead', () => {
    const sameDay = { cash: true, effectiveDate: '2026-03-10' };
    expect(lateBookingOf(entry(sameDay), 10)).toBeUndefined();
    expect(lateBookingOf(entry({ cash: true, effectiveDate: '2026-03-11' }), 10)).toMatchObject({
      delayDays: -1,
      reasons: ['cash-not-same-day'],
    });
    expect(lateBookingOf(entry({ cash: true }), 0)).toMatchObject({
      reasons: ['late', 'cash-not-same-day'],
    });
  });
});
