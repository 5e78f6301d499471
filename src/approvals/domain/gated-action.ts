import { Role } from '../../access/index.js';

export { personOf, samePerson } from '../../access/index.js';
import { MinorUnits } from '../../event-sourcing/index.js';

/** The commands a policy can hold back until it is approved. */
export const gatedActions = [
  'journal-entry.post',
  'period.reopen',
  'account.close',
  'invoice.issue',
  'credit-note.issue',
  'incoming-invoice.book',
  'payment-run.execute',
] as const;
export type GatedAction = (typeof gatedActions)[number];

export function isGatedAction(value: unknown): value is GatedAction {
  return typeof value === 'string' && (gatedActions as readonly string[]).includes(value);
}

/**
 * What policies look at when a gated command arrives; built by the application layer from the
 * command (the ledger is not a dependency of this domain). For `account.close`, `accounts` is
 * the closed account; for `period.reopen` both are empty; for `invoice.issue` and
 * `credit-note.issue` those of the document's journal entry; for `payment-run.execute` the
 * run's total and its bank account.
 */
export interface GatedActionSummary {
  action: GatedAction;
  book: string;
  /** Sum of the entry's debit lines per currency. */
  debitTotalsMinor: Readonly<Record<string, MinorUnits>>;
  /** Every account code the action touches (each line's account, or the closed account). */
  accounts: readonly string[];
}

/** A person acting through one API key. The person is the key's `name`, never the key. */
export interface KeyHolder {
  keyId: string;
  name: string;
}

/** A key holder with the roles their key holds at the moment of the command. */
export interface KeyHolderWithRoles extends KeyHolder {
  roles: readonly Role[];
}
