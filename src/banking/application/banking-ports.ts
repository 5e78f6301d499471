/**
 * What banking needs from other modules, as ports: the book's control accounts (the ledger's
 * chart, wip/tax) and its parties (src/parties). banking.module.ts binds them.
 */
export interface ControlAccounts {
  receivables?: string;
  payables?: string;
  bank?: string;
  discountGranted?: string;
  discountReceived?: string;
  dunningFees?: string;
  interestIncome?: string;
}

export interface ControlAccountsSource {
  of(bookId: string): Promise<ControlAccounts>;
}

export interface BankingParty {
  id: string;
  naturalPerson: boolean;
  name?: string;
  /** Electronic format (no spaces), for matching bank statement lines. */
  iban?: string;
}

export interface BankingPartiesSource {
  find(bookId: string, idOrNumber: string): Promise<BankingParty | undefined>;
}

export interface TaxAccountsSource {
  /** The output VAT account of a tax code on a date, undefined when unknown. */
  outputAccount(bookId: string, taxCode: string, date: string): Promise<string | undefined>;
  /** The input VAT account of a tax code on a date, undefined when unknown. */
  inputAccount(bookId: string, taxCode: string, date: string): Promise<string | undefined>;
}

export const CONTROL_ACCOUNTS = 'BANKING_CONTROL_ACCOUNTS';
export const BANKING_PARTIES = 'BANKING_PARTIES';
export const TAX_ACCOUNTS = 'BANKING_TAX_ACCOUNTS';

/**
 * The open item a payment Kontor sent paid under an end-to-end id (a payment run's pain.001
 * `EndToEndId`): the first matching rule for a statement line. Bound to the payment runs' read
 * model (src/banking/payment-runs).
 */
export interface PaymentEndToEndIds {
  /** The open item id, or undefined when Kontor sent no payment under that id. */
  itemOf(book: string, endToEndId: string): Promise<string | undefined>;
}

export const PAYMENT_END_TO_END_IDS = 'BANKING_PAYMENT_END_TO_END_IDS';
