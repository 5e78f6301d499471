import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { ProjectionsService } from '../infrastructure/projections/index.js';
import { SqlDatabase } from '../infrastructure/sql/index.js';
import { READ_MODEL_DB } from '../infrastructure/tokens.js';
import { LedgerQueriesController } from './api/ledger-queries.controller.js';
import { LedgerReadModel } from './projections/ledger-read-model.js';
import { LedgerReports } from './projections/ledger-reports.js';
import { ledgerProjection } from './projections/ledger.projection.js';

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
    {
      provide: LedgerReadModel,
      inject: [READ_MODEL_DB],
      useFactory: (db: SqlDatabase) => new LedgerReadModel(db),
    },
    {
      provide: LedgerReports,
      inject: [LedgerReadModel],
      useFactory: (readModel: LedgerReadModel) => new LedgerReports(readModel),
    },
  ],
  exports: [LedgerReadModel, LedgerReports],
})
export class LedgerReadModule {}
