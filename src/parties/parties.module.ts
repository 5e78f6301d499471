import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { EventStore } from '../event-sourcing/index.js';
import { ProjectionsService } from '../infrastructure/projections/index.js';
import { SqlDatabase } from '../infrastructure/sql/index.js';
import { EVENT_STORE, READ_MODEL_DB } from '../infrastructure/tokens.js';
import { CompanySettingsController } from './api/company.controller.js';
import { PartiesController } from './api/parties.controller.js';
import { PartiesService } from './application/parties.service.js';
import { PartiesReadModel } from './projections/parties-read-model.js';
import { partiesProjection } from './projections/parties.projection.js';

export { PartiesService } from './application/parties.service.js';
export type {
  CompanyRecord,
  PartyHistoryEntry,
  PartyRecord,
} from './application/parties.service.js';
export { PartiesReadModel } from './projections/parties-read-model.js';
export { partiesProjectionName } from './projections/parties.projection.js';

/**
 * The Nest provider token of the `PartiesLookup` read port (src/parties/index.ts):
 * `@Inject(PARTIES_LOOKUP) private readonly parties: PartiesLookup` in a module that imports
 * PartiesModule.
 */
export const PARTIES_LOOKUP = 'PARTIES_LOOKUP';

@Injectable()
class PartiesProjectionRegistration implements OnModuleInit {
  constructor(private readonly projections: ProjectionsService) {}

  onModuleInit(): void {
    this.projections.register(partiesProjection);
  }
}

/**
 * Parties (Debitoren, Kreditoren) and the book's company data: the write endpoints, the
 * `parties` read model for lists, and the PartiesLookup for other modules. docs/billing.md.
 */
@Module({
  controllers: [PartiesController, CompanySettingsController],
  providers: [
    {
      provide: PartiesService,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore) => new PartiesService(store),
    },
    { provide: PARTIES_LOOKUP, useExisting: PartiesService },
    {
      provide: PartiesReadModel,
      inject: [READ_MODEL_DB],
      useFactory: (db: SqlDatabase) => new PartiesReadModel(db),
    },
    PartiesProjectionRegistration,
  ],
  exports: [PartiesService, PARTIES_LOOKUP, PartiesReadModel],
})
export class PartiesModule {}
