import { OpenItemKind } from './open-items.js';

/** An item with its movements, as the read model hands it over (signed debit − credit). */
export interface ItemWithMovements {
  itemId: string;
  kind: OpenItemKind;
  account: string;
  party: string;
  currency: string;
  documentType: string;
  number?: string;
  issueDate: string;
  dueDate: string;
  /** The posting date of the entry that made the item (the ledger's as-of); defaults to issueDate. */
  effectiveDate?: string;
  amountMinor: bigint;
  movements: readonly { effectiveDate: string; amountMinor: bigint }[];
}

/** An item as of a date; amounts in the kind's own sign (what the party owes us / we owe it). */
export interface OpenItemView {
  itemId: string;
  kind: OpenItemKind;
  account: string;
  party: string;
  currency: string;
  documentType: string;
  number?: string;
  issueDate: string;
  dueDate: string;
  amountMinor: bigint;
  openMinor: bigint;
  daysOverdue: number;
}

const dayMs = 86_400_000;

/** Whole days from `from` to `to` (calendar dates, UTC), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);
}

function kindSign(kind: OpenItemKind): bigint {
  return kind === 'receivable' ? 1n : -1n;
}

/**
 * The item as it stood at the end of `asOf`: issued on or before it, with the movements dated
 * on or before it. Undefined when the item did not exist yet.
 */
export function itemAsOf(item: ItemWithMovements, asOf: string): OpenItemView | undefined {
  if ((item.effectiveDate ?? item.issueDate) > asOf) return undefined;
  let open = item.amountMinor;
  for (const movement of item.movements)
    if (movement.effectiveDate <= asOf) open += movement.amountMinor;
  const sign = kindSign(item.kind);
  const openMinor = sign * open;
  return {
    itemId: item.itemId,
    kind: item.kind,
    account: item.account,
    party: item.party,
    currency: item.currency,
    documentType: item.documentType,
    number: item.number,
    issueDate: item.issueDate,
    dueDate: item.dueDate,
    amountMinor: sign * item.amountMinor,
    openMinor,
    daysOverdue: openMinor > 0n ? Math.max(0, daysBetween(item.dueDate, asOf)) : 0,
  };
}

export interface OpenItemsFilter {
  asOf: string;
  party?: string;
  overdue?: boolean;
}

/** The items still open as of the date (a fully settled item is not open). */
export function openItemsAsOf(
  items: readonly ItemWithMovements[],
  filter: OpenItemsFilter,
): OpenItemView[] {
  const views: OpenItemView[] = [];
  for (const item of items) {
    if (filter.party !== undefined && item.party !== filter.party) continue;
    const view = itemAsOf(item, filter.asOf);
    if (view === undefined || view.openMinor === 0n) continue;
    if (filter.overdue === true && view.daysOverdue <= 0) continue;
    views.push(view);
  }
  return views;
}

export const agingBuckets = ['current', '1-30', '31-60', '61-90', 'over-90'] as const;
export type AgingBucket = (typeof agingBuckets)[number];

/** Not yet due (or credits, which are never overdue) is `current`. */
export function agingBucketOf(daysOverdue: number): AgingBucket {
  if (daysOverdue <= 0) return 'current';
  if (daysOverdue <= 30) return '1-30';
  if (daysOverdue <= 60) return '31-60';
  if (daysOverdue <= 90) return '61-90';
  return 'over-90';
}

export type AgingRow = Record<AgingBucket, bigint> & { total: bigint };

export interface Aging {
  currency: string;
  parties: { party: string; buckets: AgingRow }[];
  total: AgingRow;
}

function emptyRow(): AgingRow {
  return { current: 0n, '1-30': 0n, '31-60': 0n, '61-90': 0n, 'over-90': 0n, total: 0n };
}

/** Open amounts per party and bucket, one table per currency, parties in id order. */
export function agingOf(views: readonly OpenItemView[]): Aging[] {
  const byCurrency = new Map<string, Map<string, AgingRow>>();
  for (const view of views) {
    const parties = byCurrency.get(view.currency) ?? new Map<string, AgingRow>();
    byCurrency.set(view.currency, parties);
    const row = parties.get(view.party) ?? emptyRow();
    parties.set(view.party, row);
    row[agingBucketOf(view.daysOverdue)] += view.openMinor;
    row.total += view.openMinor;
  }
  return [...byCurrency.keys()].sort().map((currency) => {
    const parties = [...byCurrency.get(currency)!].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const total = emptyRow();
    for (const [, row] of parties)
      for (const key of [...agingBuckets, 'total'] as const) total[key] += row[key];
    return { currency, parties: parties.map(([party, buckets]) => ({ party, buckets })), total };
  });
}
