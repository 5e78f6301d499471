import { fold } from '../../event-sourcing/index.js';
import {
  JournalLineInput,
  PostJournalEntry,
  ReverseJournalEntry,
} from '../domain/book.commands.js';
import { bookDecider } from '../domain/book.decider.js';
import {
  AccountType,
  BookEvent,
  BookStreamEvent,
  JournalEntryPostedData,
} from '../domain/book.events.js';

/** Shared givens for the book specs (not a spec itself). */
export const bookId = 'acme-gmbh';

export const bookOpened: BookEvent = {
  type: 'BookOpened',
  data: { bookId, name: 'ACME GmbH', baseCurrency: 'EUR', fiscalYearStartMonth: 1 },
};

export function accountOpened(
  code: string,
  type: AccountType = 'asset',
  currency?: string,
): BookEvent {
  return {
    type: 'AccountOpened',
    data: { code, name: `Account ${code}`, type, ...(currency === undefined ? {} : { currency }) },
  };
}

/** An open EUR book with a bank (1200), rent expense (6310), revenue (8400), a USD-only bank (1210), a JPY cash box (1010) and a BHD bank (1220). */
export const openBookWithAccounts: BookEvent[] = [
  bookOpened,
  accountOpened('1200'),
  accountOpened('6310', 'expense'),
  accountOpened('8400', 'revenue'),
  accountOpened('1210', 'asset', 'USD'),
  accountOpened('1010', 'asset', 'JPY'),
  accountOpened('1220', 'asset', 'BHD'),
];

export const rentLines: JournalLineInput[] = [
  { account: '6310', debit: '1200.00', memo: 'March' },
  { account: '1200', credit: '1200.00' },
];

export function postEntry(overrides: Partial<PostJournalEntry> = {}): PostJournalEntry {
  return {
    type: 'PostJournalEntry',
    bookId,
    entryId: 'entry-1',
    effectiveDate: '2026-03-31',
    description: 'Office rent March',
    reference: 'INV-4711',
    lines: rentLines,
    ...overrides,
  };
}

export const rentPostedData: JournalEntryPostedData = {
  entryId: 'entry-1',
  effectiveDate: '2026-03-31',
  description: 'Office rent March',
  reference: 'INV-4711',
  lines: [
    { account: '6310', side: 'debit', amountMinor: '120000', currency: 'EUR', memo: 'March' },
    { account: '1200', side: 'credit', amountMinor: '120000', currency: 'EUR' },
  ],
};

export function entryPosted(overrides: Partial<JournalEntryPostedData> = {}): BookEvent {
  return { type: 'JournalEntryPosted', data: { ...rentPostedData, ...overrides } };
}

export function reverseEntry(overrides: Partial<ReverseJournalEntry> = {}): ReverseJournalEntry {
  return {
    type: 'ReverseJournalEntry',
    bookId,
    entryId: 'entry-1',
    newEntryId: 'entry-2',
    reason: 'Booked twice',
    ...overrides,
  };
}

export function stateAfter(events: BookStreamEvent[]) {
  return fold(bookDecider, events);
}

/** The error a command is refused with, for assertions on its details. */
export function refusal(
  events: BookStreamEvent[],
  command: Parameters<typeof bookDecider.decide>[0],
): unknown {
  try {
    bookDecider.decide(command, stateAfter(events));
  } catch (error) {
    return error;
  }
  throw new Error('expected the command to be refused');
}
