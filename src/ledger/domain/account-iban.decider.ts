import {
  ConflictError,
  NotFoundError,
  ibanProblem,
  normalizeIban,
} from '../../event-sourcing/index.js';
import { ChangeAccountIban } from './book.commands.js';
import { fieldProblem, throwFieldErrors } from './book.decide-helpers.js';
import { BookStreamEvent } from './book.events.js';
import { OpenBookState } from './book.state.js';

/** A bank account is an asset: only asset accounts carry an IBAN. */
export function accountIbanProblem(iban: string, accountType: string): string | undefined {
  if (accountType !== 'asset') return 'only an asset (bank) account carries an IBAN';
  return ibanProblem(iban);
}

/** One IBAN, one ledger account: a bank statement must find exactly one account by it. */
export function checkIbanFree(iban: string, book: OpenBookState): void {
  for (const [code, account] of book.accounts)
    if (account.iban === iban)
      throw new ConflictError(
        `IBAN ${iban} is already the IBAN of account ${code} in book ${book.bookId}; one bank account has one ledger account`,
      );
}

/**
 * An existing account gets its IBAN (e.g. a chart's 1200 Bank), another one, or none. The same
 * rules as at opening; the IBAN it already has decides no events.
 */
export function changeAccountIban(
  command: ChangeAccountIban,
  book: OpenBookState,
): BookStreamEvent[] {
  const account = book.accounts.get(command.code);
  if (account === undefined) throw new NotFoundError(`Account ${command.code} not found`);
  const iban = command.iban === null ? null : normalizeIban(command.iban);
  throwFieldErrors('Invalid IBAN', [
    fieldProblem('iban', iban === null ? undefined : accountIbanProblem(iban, account.type)),
  ]);
  if (account.status === 'closed')
    throw new ConflictError(`Account ${command.code} is closed; a closed account keeps its IBAN`);
  if ((account.iban ?? null) === iban) return [];
  if (iban !== null) checkIbanFree(iban, book);
  return [{ type: 'AccountIbanChanged', data: { code: command.code, iban } }];
}
