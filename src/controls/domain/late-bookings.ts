/**
 * GoBD Zeitgerechtheit (timeliness): an entry recorded more than `days` after its effective date
 * is late; a cash entry (Kasse) must be booked the same day (GoBD Rz. 48: cash receipts and
 * payments daily). The day an entry was recorded is the UTC day of its event's timestamp — the
 * same calendar Kontor uses for "today" elsewhere (docs/audit.md "Timeliness").
 */
export const lateBookingDaysDefault = 10;
export const lateBookingDaysMax = 3650;

export type LateBookingReason = 'late' | 'cash-not-same-day';

export interface BookedEntry {
  entryId: string;
  effectiveDate: string;
  recordedAt: string;
  description: string;
  reference: string | null;
  reversalOf: string | null;
  position: bigint;
  /** The entry has a line on a cash account. */
  cash: boolean;
}

export interface LateBooking extends BookedEntry {
  recordedDate: string;
  /** Days from the effective date to the day it was recorded (negative: booked ahead). */
  delayDays: number;
  reasons: LateBookingReason[];
}

const dayMs = 86_400_000;

export function daysBetween(fromDate: string, toDate: string): number {
  return Math.round(
    (Date.parse(`${toDate}T00:00:00Z`) - Date.parse(`${fromDate}T00:00:00Z`)) / dayMs,
  );
}

/** The entry as a late booking, or undefined when it was booked in time. */
export function lateBookingOf(entry: BookedEntry, days: number): LateBooking | undefined {
  const recordedDate = entry.recordedAt.slice(0, 'YYYY-MM-DD'.length);
  const delayDays = daysBetween(entry.effectiveDate, recordedDate);
  const reasons: LateBookingReason[] = [];
  if (delayDays > days) reasons.push('late');
  if (entry.cash && delayDays !== 0) reasons.push('cash-not-same-day');
  return reasons.length === 0 ? undefined : { ...entry, recordedDate, delayDays, reasons };
}
