import { DomainError, FieldError, formatAmount } from '../../event-sourcing/index.js';

/** Debits and credits of one currency that differ. */
export interface CurrencyImbalance {
  currency: string;
  debitMinor: bigint;
  creditMinor: bigint;
}

/** 422: debits differ from credits in at least one currency. */
export class UnbalancedEntryError extends DomainError {
  constructor(readonly imbalances: readonly CurrencyImbalance[]) {
    const parts = imbalances.map(describeImbalance);
    super(
      'unbalanced-entry',
      `Debits must equal credits per currency: ${parts.join('; ')}`,
      parts.map((message) => ({ field: 'lines', message })),
    );
  }
}

function describeImbalance({ currency, debitMinor, creditMinor }: CurrencyImbalance): string {
  const difference = formatAmount(debitMinor - creditMinor, currency);
  return `${currency} debits ${formatAmount(debitMinor, currency)} ≠ credits ${formatAmount(creditMinor, currency)} (difference ${difference})`;
}

/** 422: a line (or a parent) names an account the book does not have. */
export class UnknownAccountError extends DomainError {
  constructor(fieldErrors: FieldError[]) {
    super(
      'unknown-account',
      `Unknown account: ${fieldErrors.map((error) => error.message).join('; ')}`,
      fieldErrors,
    );
  }
}

/** 422: a closed account takes no postings. */
export class AccountClosedError extends DomainError {
  constructor(fieldErrors: FieldError[]) {
    super(
      'account-closed',
      `Account closed: ${fieldErrors.map((error) => error.message).join('; ')}`,
      fieldErrors,
    );
  }
}

/** 422: the effective date lies in a closed period. */
export class PeriodClosedError extends DomainError {
  constructor(
    readonly period: string,
    readonly lockedBy: string = period,
  ) {
    const reason =
      lockedBy === period
        ? `Period ${period} is closed`
        : `Period ${period} is locked: the later period ${lockedBy} is closed (closing a period locks every earlier one)`;
    super('period-closed', reason, [
      {
        field: 'effectiveDate',
        message:
          lockedBy === period
            ? `period ${period} is closed`
            : `period ${period} is locked by the closed period ${lockedBy}`,
      },
    ]);
  }
}

/** 422: same Idempotency-Key, different request body. */
export class IdempotencyMismatchError extends DomainError {
  constructor(key: string) {
    super(
      'idempotency-mismatch',
      `Idempotency-Key ${JSON.stringify(key)} was used with a different request body`,
    );
  }
}

/** 422 (`business-rule`): an account with a fixed currency takes no other currency. */
export class CurrencyNotAcceptedError extends DomainError {
  constructor(fieldErrors: FieldError[]) {
    super(
      'business-rule',
      `Currency not accepted: ${fieldErrors.map((error) => error.message).join('; ')}`,
      fieldErrors,
    );
  }
}

/** 422 (`business-rule`): an account's debits or credits in a currency would pass accountTotalMinorMax. */
export class AccountTotalLimitError extends DomainError {
  constructor(fieldErrors: FieldError[]) {
    super(
      'business-rule',
      `Account total limit: ${fieldErrors.map((error) => error.message).join('; ')}. Post the excess to another account (e.g. carry the balance forward to a new account)`,
      fieldErrors,
    );
  }
}

/** 422 (`business-rule`): an account is closed only when every currency's balance is zero. */
export class NonZeroBalanceError extends DomainError {
  constructor(code: string, balances: readonly string[]) {
    super(
      'business-rule',
      `Account ${code} cannot be closed with a non-zero balance (${balances.join(', ')})`,
    );
  }
}

/** 422 (`business-rule`): a reversal is never reversed; post a new entry instead. */
export class ReversalOfReversalError extends DomainError {
  constructor(entryId: string, originalId: string) {
    super(
      'business-rule',
      `Entry ${entryId} reverses ${originalId} and cannot itself be reversed; post a new entry instead`,
    );
  }
}

/** 422 (`business-rule`): a line's tax code is not defined in the book, or not valid on the entry's date. */
export class TaxCodeError extends DomainError {
  constructor(fieldErrors: FieldError[]) {
    super(
      'business-rule',
      `Tax code: ${fieldErrors.map((error) => error.message).join('; ')}`,
      fieldErrors,
    );
  }
}
