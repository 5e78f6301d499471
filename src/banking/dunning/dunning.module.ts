import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { ProjectionsService } from '../../infrastructure/projections/index.js';
import { SqlDatabase } from '../../infrastructure/sql/index.js';
import { READ_MODEL_DB } from '../../infrastructure/tokens.js';
import { LedgerReadModule } from '../../ledger/ledger-read.module.js';
import { BankingCoreModule } from '../banking-core.module.js';
import { DunningController } from './api/dunning.controller.js';
import { DunningService } from './application/dunning.service.js';
import { DunningReadModel, dunningProjection } from './projections/dunning.projection.js';

@Injectable()
class DunningRegistration implements OnModuleInit {
  constructor(private readonly projections: ProjectionsService) {}

  onModuleInit(): void {
    this.projections.register(dunningProjection);
  }
}

/**
 * Dunning (docs/billing.md, "Dunning"): runs, their projection, the book's dunning settings.
 * A capability of banking: it reads the open items and the parties port of BankingCoreModule;
 * BankingModule imports it.
 */
@Module({
  imports: [LedgerReadModule, BankingCoreModule],
  controllers: [DunningController],
  providers: [
    DunningRegistration,
    {
      provide: DunningReadModel,
      inject: [READ_MODEL_DB],
      useFactory: (db: SqlDatabase) => new DunningReadModel(db),
    },
    DunningService,
  ],
})
export class DunningModule {}
