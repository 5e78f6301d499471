import { DomainError } from '../../../event-sourcing/index.js';

/** Dunning levels: 1 (Zahlungserinnerung) to `dunningLevelMax` (letzte Mahnung). */
export const dunningLevelMax = 3;
/** §288 Abs. 1 BGB: base rate + 5 points when a consumer (natural person) is in default. */
export const consumerInterestPoints = 5;
/** §288 Abs. 2 BGB: base rate + 9 points when no consumer is involved. */
export const businessInterestPoints = 9;
/** Interest is computed per calendar day on a 365-day year (act/365, the German courts' usual). */
export const interestDaysPerYear = 365;
/** At most this many notices in one run. */
export const dunningNoticesMax = 1000;

/** The Basiszinssatz (§247 BGB), effective from `validFrom` until the next entry. */
export interface BaseRate {
  validFrom: string;
  /** Percent as a decimal string ("1.27", "-0.88"). */
  ratePercent: string;
}

export interface DunningSettings {
  /** Fee per level (index 0 = level 1), minor units of the book's currency. */
  feesMinor: readonly bigint[];
  baseRates: readonly BaseRate[];
  /** A customer is dunned again only this many days after the previous notice. */
  intervalDays: number;
  /** Items fewer days overdue than this are not dunned. */
  graceDays: number;
}

/**
 * The published Basiszinssatz of the Deutsche Bundesbank since 2023 (a book setting overrides
 * and extends the list; keep it current each 1 January and 1 July).
 */
export const baseRatesDefault: readonly BaseRate[] = [
  { validFrom: '2023-01-01', ratePercent: '1.62' },
  { validFrom: '2023-07-01', ratePercent: '3.12' },
  { validFrom: '2024-01-01', ratePercent: '3.62' },
  { validFrom: '2024-07-01', ratePercent: '3.37' },
  { validFrom: '2025-01-01', ratePercent: '2.27' },
  { validFrom: '2025-07-01', ratePercent: '1.27' },
];

export const dunningSettingsDefault: DunningSettings = {
  feesMinor: [0n, 500n, 1000n],
  baseRates: baseRatesDefault,
  intervalDays: 14,
  graceDays: 0,
};

/** An overdue open item of a customer as of the run's date. */
export interface OverdueItem {
  invoiceId: string;
  number?: string;
  dueDate: string;
  openMinor: bigint;
  daysOverdue: number;
}

export interface DunnedCustomer {
  partyId: string;
  naturalPerson: boolean;
  currency: string;
  items: readonly OverdueItem[];
  /** The last confirmed notice to this customer, if any. */
  previous?: { level: number; date: string };
}

export interface NoticeItem extends OverdueItem {
  interestMinor: bigint;
}

export interface DunningNotice {
  partyId: string;
  level: number;
  currency: string;
  items: NoticeItem[];
  openMinor: bigint;
  feeMinor: bigint;
  interestMinor: bigint;
  interestPoints: number;
}

const dayMs = 86_400_000;

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);
}

function daysFrom(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);
}

/** Percent string → hundred-thousandths of a percent (5 decimals), e.g. "1.27" → 127000n. */
function percentScaled(text: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d{1,5}))?$/.exec(text);
  if (match === null) throw new DomainError('validation', `Invalid rate ${JSON.stringify(text)}`);
  const value = BigInt(match[2]! + (match[3] ?? '').padEnd(5, '0'));
  return match[1] === '-' ? -value : value;
}

const percentScale = 100_000n;

/**
 * §288 BGB default interest on `openMinor` for the days after `dueDate` up to and including
 * `asOf`: each day at the base rate in force that day + `points`, summed exactly over the
 * base-rate periods and rounded once, half away from zero, to the minor unit. A negative sum
 * (a negative base rate outweighing the points) is zero.
 */
export function defaultInterest(
  openMinor: bigint,
  dueDate: string,
  asOf: string,
  points: number,
  baseRates: readonly BaseRate[],
): bigint {
  if (openMinor <= 0n || asOf <= dueDate) return 0n;
  const rates = [...baseRates].sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
  let numerator = 0n; // minor × percent × percentScale × days
  let day = addDays(dueDate, 1);
  while (day <= asOf) {
    const index = rates.findLastIndex((rate) => rate.validFrom <= day);
    const next = rates[index + 1]?.validFrom;
    const end = next !== undefined && next <= asOf ? addDays(next, -1) : asOf;
    const days = BigInt(daysFrom(day, end) + 1);
    const base = index >= 0 ? percentScaled(rates[index]!.ratePercent) : 0n;
    numerator += openMinor * (base + BigInt(points) * percentScale) * days;
    day = addDays(end, 1);
  }
  if (numerator <= 0n) return 0n;
  const denominator = 100n * percentScale * BigInt(interestDaysPerYear);
  return (2n * numerator + denominator) / (2n * denominator);
}

/**
 * The notice a customer gets in a run as of `asOf`, or undefined: no item overdue past the grace
 * days, the last notice too recent, or the customer already at the last level and dunned within
 * the interval. The level is one above the previous confirmed notice (at most `dunningLevelMax`);
 * a first notice starts at 1.
 */
export function proposeNotice(
  customer: DunnedCustomer,
  asOf: string,
  settings: DunningSettings,
): DunningNotice | undefined {
  const overdue = customer.items.filter(
    (item) => item.openMinor > 0n && item.daysOverdue > settings.graceDays,
  );
  if (overdue.length === 0) return undefined;
  const previous = customer.previous;
  if (previous !== undefined && daysFrom(previous.date, asOf) < settings.intervalDays)
    return undefined;
  const level = Math.min(dunningLevelMax, (previous?.level ?? 0) + 1);
  const points = customer.naturalPerson ? consumerInterestPoints : businessInterestPoints;
  const items = overdue.map((item) => ({
    ...item,
    interestMinor: defaultInterest(item.openMinor, item.dueDate, asOf, points, settings.baseRates),
  }));
  return {
    partyId: customer.partyId,
    level,
    currency: customer.currency,
    items,
    openMinor: items.reduce((sum, item) => sum + item.openMinor, 0n),
    feeMinor: settings.feesMinor[level - 1] ?? 0n,
    interestMinor: items.reduce((sum, item) => sum + item.interestMinor, 0n),
    interestPoints: points,
  };
}

/** The run's notices, one per customer with something to dun, in party order. */
export function proposeRun(
  customers: readonly DunnedCustomer[],
  asOf: string,
  settings: DunningSettings,
): DunningNotice[] {
  const notices = customers
    .map((customer) => proposeNotice(customer, asOf, settings))
    .filter((notice): notice is DunningNotice => notice !== undefined)
    .sort((a, b) => (a.partyId < b.partyId ? -1 : a.partyId > b.partyId ? 1 : 0));
  if (notices.length > dunningNoticesMax)
    throw new DomainError(
      'business-rule',
      `A run holds at most ${dunningNoticesMax} notices (dunningNoticesMax); this one would have ${notices.length}`,
    );
  return notices;
}
