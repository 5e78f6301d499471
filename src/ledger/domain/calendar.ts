/** Accounting dates (`YYYY-MM-DD`) and periods (`YYYY-MM`): plain strings, compared as text. */

const datePattern = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const periodPattern = /^([0-9]{4})-([0-9]{2})$/;
const monthsPerYear = 12;

/** A real calendar date in the proleptic Gregorian calendar (2026-02-30 is not one). */
export function isCalendarDate(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const match = datePattern.exec(text);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return (
    year >= 1 && month >= 1 && month <= monthsPerYear && day >= 1 && day <= daysInMonth(year, month)
  );
}

export function isPeriod(text: unknown): text is string {
  if (typeof text !== 'string') return false;
  const match = periodPattern.exec(text);
  if (!match) return false;
  const month = Number(match[2]);
  return Number(match[1]) >= 1 && month >= 1 && month <= monthsPerYear;
}

/** The calendar day (UTC) of a moment, YYYY-MM-DD. */
export function calendarDayOf(moment: Date): string {
  return moment.toISOString().slice(0, 'YYYY-MM-DD'.length);
}

/** The period (`YYYY-MM`) a calendar date falls in. */
export function periodOf(date: string): string {
  return date.slice(0, 'YYYY-MM'.length);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The fiscal year of a date: the calendar year its fiscal year starts in (start month 1–12). */
export function fiscalYearOf(date: string, startMonth: number): number {
  const year = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= startMonth ? year : year - 1;
}

/** The first and the last day of fiscal year `year` (2026 with start month 7: 2026-07-01–2027-06-30). */
export function fiscalYearDates(year: number, startMonth: number): { from: string; to: string } {
  return {
    from: calendarDayOf(new Date(Date.UTC(year, startMonth - 1, 1))),
    to: calendarDayOf(new Date(Date.UTC(year + 1, startMonth - 1, 0))),
  };
}
