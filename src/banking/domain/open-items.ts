/**
 * Open items (offene Posten) derived from the journal: every line that carries a party on an
 * asset account (a receivable) or a liability account (a payable) moves that party's open
 * items. The document the entry was posted for (its metadata `documentType` / `documentId`)
 * decides which item the movement belongs to; the amounts always come from the lines, so the
 * open items of an account sum to that account's party lines by construction.
 */

export type OpenItemKind = 'receivable' | 'payable';

export const openItemKinds: readonly OpenItemKind[] = ['receivable', 'payable'];

/** A line of a posted entry, as the ledger records it (`party` is opaque to the ledger). */
export interface PartyLine {
  account: string;
  side: 'debit' | 'credit';
  amountMinor: string;
  currency: string;
  party?: string;
}

export interface PostedEntry {
  entryId: string;
  effectiveDate: string;
  reference?: string;
  lines: readonly PartyLine[];
  reversalOf?: string;
  documentType?: string;
  documentId?: string;
}

/** The parts of a document event the open items need (InvoiceIssued, CreditNoteIssued, PaymentReceived/Made). */
export interface DocumentFacts {
  type: string;
  documentId: string;
  number?: string;
  issueDate?: string;
  dueDate?: string;
  /** CreditNoteIssued: the invoice it credits. */
  invoiceId?: string;
  /** PaymentReceived: the cash and discount settled per invoice. */
  allocations?: readonly { invoiceId: string; amountMinor: string; discountMinor?: string }[];
}

/** A new open item; `amountMinor` is signed debit − credit (a receivable > 0, a payable < 0). */
export interface NewOpenItem {
  itemId: string;
  account: string;
  party: string;
  currency: string;
  documentType: string;
  number?: string;
  issueDate: string;
  dueDate: string;
  amountMinor: bigint;
  entryId: string;
}

/** A movement on an existing item (payment, credit note, reversal), signed debit − credit. */
export interface Settlement {
  itemId: string;
  account: string;
  party: string;
  currency: string;
  effectiveDate: string;
  amountMinor: bigint;
  entryId: string;
  source: string;
}

export interface OpenItemEffects {
  items: NewOpenItem[];
  settlements: Settlement[];
}

/** What an entry of the original created, for undoing it when the entry is reversed. */
export interface OriginalEffects {
  items: readonly {
    itemId: string;
    account: string;
    party: string;
    currency: string;
    amountMinor: bigint;
  }[];
  settlements: readonly Settlement[];
}

export type AccountKindOf = (account: string) => OpenItemKind | undefined;

export function signedAmount(line: PartyLine): bigint {
  const amount = BigInt(line.amountMinor);
  return line.side === 'debit' ? amount : -amount;
}

interface Group {
  account: string;
  party: string;
  currency: string;
  amountMinor: bigint;
}

/** The entry's party lines on receivable/payable accounts, netted per (account, party, currency). */
export function partyGroups(entry: PostedEntry, kindOf: AccountKindOf): Group[] {
  const groups = new Map<string, Group>();
  for (const line of entry.lines) {
    if (line.party === undefined || kindOf(line.account) === undefined) continue;
    const key = `${line.account}\u0000${line.party}\u0000${line.currency}`;
    const group = groups.get(key) ?? {
      account: line.account,
      party: line.party,
      currency: line.currency,
      amountMinor: 0n,
    };
    group.amountMinor += signedAmount(line);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * The open-item effects of one posted entry. `document` is the document event of the same
 * append (when the entry was posted for one); `original` what the reversed entry did.
 */
export function openItemEffects(
  entry: PostedEntry,
  kindOf: AccountKindOf,
  document?: DocumentFacts,
  original?: OriginalEffects,
): OpenItemEffects {
  const groups = partyGroups(entry, kindOf);
  if (groups.length === 0) return { items: [], settlements: [] };
  if (entry.reversalOf !== undefined && original !== undefined)
    return { items: [], settlements: reversalSettlements(entry, original) };
  const effects: OpenItemEffects = { items: [], settlements: [] };
  groups.forEach((group, index) => {
    const suffix = groups.length > 1 ? `:${index + 1}` : '';
    if (document?.type === 'CreditNoteIssued' && document.invoiceId !== undefined) {
      effects.settlements.push(settlement(entry, group, document.invoiceId, group.amountMinor));
    } else if (isPayment(document) && index === 0) {
      effects.settlements.push(...paymentSettlements(entry, group, document));
      const settled = effects.settlements.reduce((sum, s) => sum + s.amountMinor, 0n);
      const rest = group.amountMinor - settled;
      if (rest !== 0n) effects.items.push(item(entry, group, document.documentId, rest, document));
    } else {
      const itemId = (document?.documentId ?? entry.entryId) + suffix;
      effects.items.push(item(entry, group, itemId, group.amountMinor, document));
    }
  });
  return effects;
}

function isPayment(document: DocumentFacts | undefined): document is DocumentFacts {
  return document?.type === 'PaymentReceived' || document?.type === 'PaymentMade';
}

function paymentSettlements(
  entry: PostedEntry,
  group: Group,
  document: DocumentFacts,
): Settlement[] {
  return (document.allocations ?? []).map((allocation) => {
    const settled = BigInt(allocation.amountMinor) + BigInt(allocation.discountMinor ?? '0');
    // A receipt credits the receivable; a payment of a payable debits it.
    const sign = group.amountMinor < 0n ? -1n : 1n;
    return settlement(entry, group, allocation.invoiceId, sign * settled);
  });
}

function reversalSettlements(entry: PostedEntry, original: OriginalEffects): Settlement[] {
  const undo = (s: Omit<Settlement, 'effectiveDate' | 'entryId' | 'source'>): Settlement => ({
    ...s,
    amountMinor: -s.amountMinor,
    effectiveDate: entry.effectiveDate,
    entryId: entry.entryId,
    source: entry.entryId,
  });
  return [...original.items.map(undo), ...original.settlements.map(undo)];
}

function settlement(
  entry: PostedEntry,
  group: Group,
  itemId: string,
  amountMinor: bigint,
): Settlement {
  return {
    itemId,
    account: group.account,
    party: group.party,
    currency: group.currency,
    effectiveDate: entry.effectiveDate,
    amountMinor,
    entryId: entry.entryId,
    source: entry.documentId ?? entry.entryId,
  };
}

function item(
  entry: PostedEntry,
  group: Group,
  itemId: string,
  amountMinor: bigint,
  document?: DocumentFacts,
): NewOpenItem {
  const issueDate = document?.issueDate ?? entry.effectiveDate;
  return {
    itemId,
    account: group.account,
    party: group.party,
    currency: group.currency,
    documentType: document?.type ?? 'JournalEntry',
    number: document?.number ?? entry.reference,
    issueDate,
    dueDate: document?.dueDate ?? issueDate,
    amountMinor,
    entryId: entry.entryId,
  };
}
