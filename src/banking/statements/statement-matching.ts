import type { OpenItemKind } from '../domain/open-items.js';
import type { StatementLine } from './camt053.js';

/** An open item as the matching sees it: open amount positive, in the item's currency. */
export interface MatchCandidate {
  itemId: string;
  kind: OpenItemKind;
  party: string;
  currency: string;
  openMinor: bigint;
  number?: string;
  dueDate: string;
}

export type MatchRule = 'invoice-number' | 'iban-amount';

export interface LineMatch {
  rule: MatchRule;
  item: MatchCandidate;
  /** What the line pays on the item (at most its open amount; the rest stays on the party). */
  allocatedMinor: bigint;
}

/** A credit pays a receivable (a customer paid us), a debit a payable (we paid a supplier). */
export function kindOfDirection(direction: StatementLine['direction']): OpenItemKind {
  return direction === 'credit' ? 'receivable' : 'payable';
}

function normalized(value: string): string {
  return value.toUpperCase().replace(/\s+/g, ' ');
}

/** Whether the remittance text names the number as a whole token (RE-1 does not match RE-10). */
function names(remittance: string, number: string): boolean {
  const text = normalized(remittance);
  const wanted = normalized(number);
  if (wanted.length < 3) return false;
  let at = text.indexOf(wanted);
  while (at >= 0) {
    const before = text[at - 1];
    const after = text[at + wanted.length];
    if (!isWordChar(before) && !isWordChar(after)) return true;
    at = text.indexOf(wanted, at + 1);
  }
  return false;
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[A-Z0-9]/.test(char);
}

/**
 * The rules, in order: the invoice number in the remittance text (Ustrd), then the party's IBAN
 * together with exactly the open amount (the oldest due such item). Only items of the kind the
 * line's direction pays, in its currency, with something open; `ibanParty` maps a counterparty
 * IBAN to its party. Undefined: the line waits to be assigned by hand.
 */
export function matchLine(
  line: StatementLine,
  candidates: readonly MatchCandidate[],
  ibanParty: (iban: string) => string | undefined,
): LineMatch | undefined {
  const kind = kindOfDirection(line.direction);
  const open = candidates.filter(
    (c) => c.kind === kind && c.currency === line.currency && c.openMinor > 0n,
  );
  const remittance = line.remittance;
  if (remittance !== undefined) {
    const byNumber = open.find((c) => c.number !== undefined && names(remittance, c.number));
    if (byNumber !== undefined)
      return {
        rule: 'invoice-number',
        item: byNumber,
        allocatedMinor:
          byNumber.openMinor < line.amountMinor ? byNumber.openMinor : line.amountMinor,
      };
  }
  const party = line.counterpartyIban === undefined ? undefined : ibanParty(line.counterpartyIban);
  if (party === undefined) return undefined;
  const exact = open
    .filter((c) => c.party === party && c.openMinor === line.amountMinor)
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  return exact[0] === undefined
    ? undefined
    : { rule: 'iban-amount', item: exact[0], allocatedMinor: line.amountMinor };
}
