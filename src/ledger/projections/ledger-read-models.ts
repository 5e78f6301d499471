import { SqlDatabase } from '../../infrastructure/sql/index.js';
import { AccountsReadModel } from './accounts.read-model.js';
import { BalancesReadModel } from './balances.read-model.js';
import { JournalReadModel } from './journal.read-model.js';
import { LedgerReports } from './ledger-reports.js';
import { RegisterReadModel } from './register.read-model.js';

/** The ledger's read models over one read-model database, each named after what it serves. */
export interface LedgerReadModels {
  accounts: AccountsReadModel;
  journal: JournalReadModel;
  registers: RegisterReadModel;
  balances: BalancesReadModel;
  reports: LedgerReports;
}

export function ledgerReadModels(db: SqlDatabase): LedgerReadModels {
  const accounts = new AccountsReadModel(db);
  const balances = new BalancesReadModel(db);
  return {
    accounts,
    journal: new JournalReadModel(db, accounts),
    registers: new RegisterReadModel(db, accounts),
    balances,
    reports: new LedgerReports(accounts, balances),
  };
}
