import fc from 'fast-check';
import { fiscalYearDates, fiscalYearOf, isCalendarDate, isPeriod, periodOf } from './calendar.js';

describe('calendar', () => {
  it('knows real dates, leap years included', () => {
    expect(
      ['2026-01-31', '2024-02-29', '2000-02-29', '2026-04-30'].filter(isCalendarDate),
    ).toHaveLength(4);
    expect(
      [
        '2026-02-30',
        '2026-02-29',
        '1900-02-29',
        '2026-04-31',
        '2026-00-10',
        '2026-01-00',
        '2026-1-01',
        '0000-01-01',
        ' 2026-01-01',
      ].filter(isCalendarDate),
    ).toEqual([]);
    expect(isCalendarDate(20260101)).toBe(false);
  });

  it('agrees with the Gregorian calendar of Date for every day of years 1600–2400', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1600, max: 2400 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, day) => {
          const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const date = new Date(Date.UTC(year, month - 1, day));
          expect(isCalendarDate(text)).toBe(date.getUTCMonth() === month - 1);
        },
      ),
    );
  });

  it('knows periods and the period of a date', () => {
    expect(['2026-01', '2026-12'].every(isPeriod)).toBe(true);
    expect(['2026-13', '2026-00', '2026-1', '2026-01-01'].some(isPeriod)).toBe(false);
    expect(periodOf('2026-03-31')).toBe('2026-03');
  });

  it('knows the fiscal year of a date and its first and last day', () => {
    expect(fiscalYearOf('2027-06-30', 7)).toBe(2026);
    expect(fiscalYearOf('2027-07-01', 7)).toBe(2027);
    expect(fiscalYearOf('2026-12-31', 1)).toBe(2026);
    expect(fiscalYearDates(2026, 7)).toEqual({ from: '2026-07-01', to: '2027-06-30' });
    expect(fiscalYearDates(2027, 3)).toEqual({ from: '2027-03-01', to: '2028-02-29' });
    expect(fiscalYearDates(2026, 1)).toEqual({ from: '2026-01-01', to: '2026-12-31' });
  });
});
