import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { ProjectionsService } from '../infrastructure/projections/index.js';
import { READ_MODEL_DB } from '../infrastructure/tokens.js';
import { LedgerQueriesController } from './api/ledger-queries.controller.js';
import { AccountsReadModel } from './projections/accounts.read-model.js';
import { BalancesReadModel } from './projections/balances.read-model.js';
import { JournalReadModel } from './projections/journal.read-model.js';
import { LedgerReadModels, ledgerReadModels } from './projections/ledger-read-models.js';
import { RegisterReadModel } from './projections/register.read-model.js';
import { LedgerReports } from './projections/ledger-reports.js';
import { ledgerProjection } from './projections/ledger.projection.js';

const LEDGER_READ_MODELS = 'LEDGER_READ_MODELS';

/** Each read model (and the reports) as its own provider, made once by `ledgerReadModels`. */
const readModelProviders = (
  [
    [AccountsReadModel, 'accounts'],
    [JournalReadModel, 'journal'],
    [RegisterReadModel, 'registers'],
    [BalancesReadModel, 'balances'],
    [LedgerReports, 'reports'],
  ] as const
).map(([token, name]) => ({
  provide: token,
  inject: [LEDGER_READ_MODELS],
  useFactory: (models: LedgerReadModels) => models[name],
}));

@Injectable()
class LedgerProjectionRegistration implements OnModuleInit {
  constructor(private readonly projections: ProjectionsService) {}

  onModuleInit(): void {
    this.projections.register(ledgerProjection);
  }
}

/**
 * The ledger's read side: the `ledger` projection (registered with ProjectionsService), its
 * queries and reports, and the GET endpoints under /v1/books. Needs the global ProjectionsModule.
 */
@Module({
  controllers: [LedgerQueriesController],
  providers: [
    LedgerProjectionRegistration,
    { provide: LEDGER_READ_MODELS, inject: [READ_MODEL_DB], useFactory: ledgerReadModels },
    ...readModelProviders,
  ],
  exports: [LedgerReports, AccountsReadModel, JournalReadModel],
})
export class LedgerReadModule {}

// Read models other modules' application code may query (banking: books, reconciliation).
export { AccountsReadModel } from './projections/accounts.read-model.js';
export type { AccountView } from './projections/accounts.read-model.js';
export { LedgerReports } from './projections/ledger-reports.js';
export { JournalReadModel } from './projections/journal.read-model.js';
// The paging and list-query vocabulary other modules' read routes share (controls: late bookings).
export { decodeCursor, encodeCursor, listLimitDefault } from './projections/ledger-page.js';
export type { Page } from './projections/ledger-page.js';
export { IsCalendarDate, ListQuery } from './api/ledger-lists.query.dto.js';
