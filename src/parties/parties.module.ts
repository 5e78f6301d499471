import { Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { KontorConfig } from '../config.js';
import { Clock, EventStore } from '../event-sourcing/index.js';
import { ProjectionsService } from '../infrastructure/projections/index.js';
import { SqlDatabase } from '../infrastructure/sql/index.js';
import { CLOCK, EVENT_STORE, KONTOR_CONFIG, READ_MODEL_DB } from '../infrastructure/tokens.js';
import { CompanySettingsController } from './api/company.controller.js';
import { PartiesController } from './api/parties.controller.js';
import { PartyErasureController } from './api/party-erasure.controller.js';
import {
  PartyErasureScheduler,
  erasureIntervalFromEnv,
} from './application/party-erasure.scheduler.js';
import { PartyErasures } from './application/party-erasures.js';
import { PartiesService } from './application/parties.service.js';
import {
  RETENTION_RECORDS,
  ReadModelRetentionRecords,
  RetentionRecords,
} from './application/retention-records.js';
import { keyStoreDatabase } from './personal-data/key-store.factory.js';
import {
  PartyKeyStore,
  SqlPartyKeyStore,
  keyStoreMasterKeyFromEnv,
} from './personal-data/party-key-store.js';
import { PersonalDataCipher } from './personal-data/personal-data-cipher.js';
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
export { PartyErasureScheduler } from './application/party-erasure.scheduler.js';
export { PersonalDataCipher } from './personal-data/personal-data-cipher.js';
export type { PartyKeyStore } from './personal-data/party-key-store.js';
export { copyPartyKeys } from './personal-data/party-key-store.js';
export { keyStoreDatabase, keyStoreFileName } from './personal-data/key-store.factory.js';

/**
 * The Nest provider token of the `PartiesLookup` read port (src/parties/index.ts):
 * `@Inject(PARTIES_LOOKUP) private readonly parties: PartiesLookup` in a module that imports
 * PartiesModule.
 */
export const PARTIES_LOOKUP = 'PARTIES_LOOKUP';
/**
 * `PersonalDataCipher`: seals a party's personal fields under that party's keys, for modules
 * whose own events must carry them (`@Inject(PERSONAL_DATA_CIPHER)`; docs/adr/0015).
 */
export const PERSONAL_DATA_CIPHER = 'PERSONAL_DATA_CIPHER';
/** The `PartyKeyStore` (docs/security.md "Personal data"). */
export const PARTY_KEY_STORE = 'PARTY_KEY_STORE';
const KEY_STORE_DB = 'PARTY_KEY_STORE_DB';

@Injectable()
class PartiesProjectionRegistration implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly projections: ProjectionsService,
    @Inject(KEY_STORE_DB) private readonly keyStore: { db: SqlDatabase; owned: boolean },
  ) {}

  onModuleInit(): void {
    this.projections.register(partiesProjection);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.keyStore.owned) await this.keyStore.db.close();
  }
}

/**
 * Parties (Debitoren, Kreditoren) and the book's company data: the write endpoints, the
 * `parties` read model for lists, the PartiesLookup for other modules, and a natural person's
 * data sealed under keys outside the log, with erasure (docs/adr/0015). docs/billing.md.
 */
@Module({
  controllers: [PartiesController, CompanySettingsController, PartyErasureController],
  providers: [
    {
      provide: KEY_STORE_DB,
      inject: [KONTOR_CONFIG, READ_MODEL_DB],
      useFactory: (config: KontorConfig, db: SqlDatabase) => keyStoreDatabase(config, db),
    },
    {
      provide: PARTY_KEY_STORE,
      inject: [KEY_STORE_DB],
      useFactory: (keyStore: { db: SqlDatabase }) =>
        new SqlPartyKeyStore(keyStore.db, keyStoreMasterKeyFromEnv()),
    },
    {
      provide: PERSONAL_DATA_CIPHER,
      inject: [PARTY_KEY_STORE],
      useFactory: (keys: PartyKeyStore) => new PersonalDataCipher(keys),
    },
    {
      provide: PartiesService,
      inject: [EVENT_STORE, PERSONAL_DATA_CIPHER],
      useFactory: (store: EventStore, cipher: PersonalDataCipher) =>
        new PartiesService(store, cipher),
    },
    { provide: PARTIES_LOOKUP, useExisting: PartiesService },
    {
      provide: PartiesReadModel,
      inject: [READ_MODEL_DB, PartiesService],
      useFactory: (db: SqlDatabase, parties: PartiesService) => new PartiesReadModel(db, parties),
    },
    {
      provide: RETENTION_RECORDS,
      inject: [READ_MODEL_DB, EVENT_STORE, ProjectionsService],
      useFactory: (db: SqlDatabase, store: EventStore, projections: ProjectionsService) =>
        new ReadModelRetentionRecords(db, store, projections),
    },
    {
      provide: PartyErasures,
      inject: [PartiesService, PARTY_KEY_STORE, RETENTION_RECORDS, CLOCK],
      useFactory: (
        parties: PartiesService,
        keys: PartyKeyStore,
        records: RetentionRecords,
        clock: Clock,
      ) => new PartyErasures(parties, keys, records, clock),
    },
    {
      provide: PartyErasureScheduler,
      inject: [PartiesReadModel, PartyErasures, CLOCK, ProjectionsService, KONTOR_CONFIG],
      useFactory: (
        readModel: PartiesReadModel,
        erasures: PartyErasures,
        clock: Clock,
        projections: ProjectionsService,
        config: KontorConfig,
      ) =>
        new PartyErasureScheduler(readModel, erasures, clock, projections, {
          intervalMilliseconds: erasureIntervalFromEnv(),
          readOnly: config.readOnly,
        }),
    },
    PartiesProjectionRegistration,
  ],
  exports: [
    PartiesService,
    PARTIES_LOOKUP,
    PartiesReadModel,
    PERSONAL_DATA_CIPHER,
    PartyErasureScheduler,
  ],
})
export class PartiesModule {}
