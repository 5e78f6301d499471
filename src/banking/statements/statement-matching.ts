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

export type MatchRule = 'end-to-end-id' | 'invoice-number' | 'iban-amount';

export const matchRules: readonly MatchRule[] = ['end-to-end-id', 'invoice-number', 'iban-amount'];

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

function allocation(rule: MatchRule, item: MatchCandidate, line: StatementLine): LineMatch {
  return {
    rule,
    item,
    allocatedMinor: item.openMinor < line.amountMinor ? item.openMinor : line.amountMinor,
  };
}

/**
 * The rules, in order: the end-to-end id of a payment Kontor sent (`endToEndItem`, the open item
 * a payment run paid under that id), the invoice number in the remittance text (Ustrd), then the
 * party's IBAN together with exactly the open amount (the oldest due such item). Only items of
 * the kind the line's direction pays, in its currency, with something open; `ibanParty` maps a
 * counterparty IBAN to its party. Undefined: the line waits to be assigned by hand.
 */
export function matchLine(
  line: StatementLine,
  candidates: readonly MatchCandidate[],
  ibanParty: (iban: string) => string | undefined,
  endToEndItem?: string,
): LineMatch | undefined {
  const kind = kindOfDirection(line.direction);
  const open = candidates.filter(
    (c) => c.kind === kind && c.currency === line.currency && c.openMinor > 0n,
  );
  const byEndToEnd =
    endToEndItem === undefined ? undefined : open.find((c) => c.itemId === endToEndItem);
  if (byEndToEnd !== undefined) return allocation('end-to-end-id', byEndToEnd, line);
  const remittance = line.remittance;
  if (remittance !== undefined) {
    const byNumber = open.find((c) => c.number !== undefined && names(remittance, c.number));
    if (byNumber !== undefined) return allocation('invoice-number', byNumber, line);
  }
  const party = line.counterpartyIban === undefined ? undefined : ibanParty(line.counterpartyIban);
  if (party === undefined) return undefined;
  const exact = open
    .filter((c) => c.party === party && c.openMinor === line.amountMinor)
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  return exact[0] === undefined ? undefined : allocation('iban-amount', exact[0], line);
}
