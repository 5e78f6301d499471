import { createHash } from 'node:crypto';
import { AccountType } from '../domain/book.events.js';

/** One line of an imported entry, as the posting body has it (amounts as decimal strings). */
export interface ImportedLine {
  account: string;
  debit?: string;
  credit?: string;
  currency: string;
  memo?: string;
}

/** One entry of a file: the body the batch route takes, where it came from, and its key. */
export interface ImportedEntry {
  /** 1-based line of the file where the entry starts. */
  line: number;
  /** `<format>:<sha256 of the entry's text>:<ordinal among entries with the same text>`. */
  idempotencyKey: string;
  entry: {
    effectiveDate: string;
    description: string;
    reference?: string;
    lines: ImportedLine[];
  };
}

/** A part of the file that is not imported, and why (nothing of it is posted). */
export interface ImportRefusal {
  line: number;
  reason: string;
}

/** An account the file uses that the book may not have yet (hledger: opened by the import). */
export interface ImportedAccount {
  code: string;
  name: string;
  type: AccountType;
}

export interface ParsedImport {
  entries: ImportedEntry[];
  refusals: ImportRefusal[];
  accounts: ImportedAccount[];
}

/**
 * Keys that do not depend on where the file lies or what else it holds: the same transaction
 * text gets the same key in every run (a second run posts nothing twice), and identical texts
 * are told apart by their ordinal.
 */
export class IdempotencyKeys {
  private readonly seen = new Map<string, number>();

  constructor(private readonly format: string) {}

  keyOf(text: string): string {
    const hash = createHash('sha256').update(text).digest('hex');
    const ordinal = this.seen.get(hash) ?? 0;
    this.seen.set(hash, ordinal + 1);
    return `${this.format}:${hash}:${ordinal}`;
  }
}

/** A debit for a positive amount, a credit for a negative one (`-12.30` → credit `12.30`). */
export function signedLine(
  account: string,
  amount: string,
  currency: string,
  memo?: string,
): ImportedLine {
  const negative = amount.startsWith('-');
  const magnitude = negative ? amount.slice(1) : amount.replace(/^\+/, '');
  return {
    account,
    ...(negative ? { credit: magnitude } : { debit: magnitude }),
    currency,
    ...(memo ? { memo } : {}),
  };
}
