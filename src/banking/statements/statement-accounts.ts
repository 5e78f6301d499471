import { Injectable } from '@nestjs/common';
import { normalizeIban, NotFoundError } from '../../event-sourcing/index.js';
import { AccountsReadModel, AccountView } from '../../ledger/ledger-read.module.js';
import { BusinessRuleError } from '../domain/payment.js';
import type { Statement } from './camt053.js';

/**
 * The ledger account of each statement of a file: the asset account whose IBAN is the
 * statement's (`Acct/Id/IBAN`), or `?account=`; when both name one, they must agree. All are
 * found before anything is posted, so a file for an unknown account changes nothing.
 */
@Injectable()
export class StatementAccounts {
  constructor(private readonly accounts: AccountsReadModel) {}

  async resolve(
    bookId: string,
    statements: readonly Statement[],
    account: string | undefined,
  ): Promise<string[]> {
    const given = account === undefined ? undefined : await this.bankAccount(bookId, account);
    const codes: string[] = [];
    for (const statement of statements) {
      const iban = statement.iban === undefined ? undefined : normalizeIban(statement.iban);
      const byIban =
        iban === undefined ? undefined : await this.accounts.accountByIban(bookId, iban);
      if (given === undefined) {
        if (byIban === undefined) throw unknownIban(bookId, statement, iban);
        codes.push(byIban.code);
        continue;
      }
      if (byIban !== undefined && byIban.code !== given.code)
        throw disagreement(
          `Statement ${statement.id} is for IBAN ${iban}, the IBAN of account ${byIban.code}, not of ${given.code}`,
        );
      if (iban !== undefined && given.iban !== null && given.iban !== iban)
        throw disagreement(
          `Account ${given.code} has the IBAN ${given.iban}, statement ${statement.id} is for ${iban}`,
        );
      codes.push(given.code);
    }
    return codes;
  }

  private async bankAccount(bookId: string, code: string): Promise<AccountView> {
    const found = await this.accounts.getAccount(bookId, code).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    if (found === undefined || found.type !== 'asset')
      throw new BusinessRuleError(`Account ${code} is no asset account of book ${bookId}`, [
        { field: 'account', message: 'an asset (bank) account of this book' },
      ]);
    return found;
  }
}

function unknownIban(bookId: string, statement: Statement, iban: string | undefined) {
  return new BusinessRuleError(
    `No account of book ${bookId} has the IBAN ${iban ?? '(none)'} of statement ${statement.id}: open the bank account with its "iban", or give ?account= (the bank account code)`,
    [{ field: 'account', message: 'the ledger account of the bank account, e.g. 1200' }],
  );
}

function disagreement(message: string) {
  return new BusinessRuleError(`${message}; leave out ?account= or import the right file`, [
    { field: 'account', message: 'the account whose IBAN is the statement’s' },
  ]);
}
