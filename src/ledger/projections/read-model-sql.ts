/** `?, ?, …` for an IN list of `count` values. */
export function placeholders(count: number): string {
  return new Array<string>(count).fill('?').join(', ');
}

/** Byte-order comparison, the same as SQL's ORDER BY on ASCII codes. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Debit and credit sums of one account and currency, as SQL returns them. */
export interface SumsRow {
  account: string;
  currency: string;
  debit_minor: unknown;
  credit_minor: unknown;
}
