import { OpenItemKind } from './open-items.js';

/** One account and currency: what its open items sum to against the ledger's balance. */
export interface ReconciliationLine {
  account: string;
  currency: string;
  /** Signed debit − credit, like the ledger's balance. */
  openItemsMinor: bigint;
  ledgerMinor: bigint;
  differenceMinor: bigint;
}

export interface Reconciliation {
  kind: OpenItemKind;
  asOf: string;
  ok: boolean;
  lines: ReconciliationLine[];
}

/**
 * Compares the open items of each control account with its ledger balance. A difference means
 * lines on the control account without a party (or a bug): the check names account and currency.
 */
export function reconcile(
  kind: OpenItemKind,
  asOf: string,
  accounts: readonly string[],
  openItems: readonly { account: string; currency: string; minor: bigint }[],
  ledger: readonly { account: string; currency: string; minor: bigint }[],
): Reconciliation {
  const key = (account: string, currency: string) => `${account}\u0000${currency}`;
  const lines = new Map<string, ReconciliationLine>();
  const line = (account: string, currency: string) => {
    const existing = lines.get(key(account, currency));
    if (existing) return existing;
    const created = { account, currency, openItemsMinor: 0n, ledgerMinor: 0n, differenceMinor: 0n };
    lines.set(key(account, currency), created);
    return created;
  };
  for (const row of openItems)
    if (accounts.includes(row.account)) line(row.account, row.currency).openItemsMinor += row.minor;
  for (const row of ledger)
    if (accounts.includes(row.account)) line(row.account, row.currency).ledgerMinor += row.minor;
  const result = [...lines.values()].sort((a, b) =>
    key(a.account, a.currency).localeCompare(key(b.account, b.currency)),
  );
  for (const row of result) row.differenceMinor = row.openItemsMinor - row.ledgerMinor;
  return { kind, asOf, ok: result.every((row) => row.differenceMinor === 0n), lines: result };
}
