import fc from 'fast-check';
import { isCalendarDate, isPeriod, periodOf } from './calendar.js';

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
});
