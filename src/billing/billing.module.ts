import { Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AccessModule } from '../access/access.module.js';
import { Clock, EventStore } from '../event-sourcing/index.js';
import { ProjectionsService } from '../infrastructure/projections/index.js';
import { SqlDatabase } from '../infrastructure/sql/index.js';
import { CLOCK, EVENT_STORE, READ_MODEL_DB } from '../infrastructure/tokens.js';
import { LedgerLookup, LedgerModule } from '../ledger/ledger.module.js';
import type { PartiesLookup } from '../parties/index.js';
import {
  PARTIES_LOOKUP,
  PERSONAL_DATA_CIPHER,
  PartiesModule,
  PersonalDataCipher,
} from '../parties/parties.module.js';
import { CustomerSealing } from './application/customer-sealing.js';
import { CreditNotesController } from './api/credit-notes.controller.js';
import { InvoicesController } from './api/invoices.controller.js';
import { BILLING_LOOKUPS } from './application/billing-lookups.js';
import { BillingLookupsSlot } from './application/billing-lookups.adapter.js';
import { CreditNotes } from './application/credit-notes.js';
import { InvoiceDrafts } from './application/invoice-drafts.js';
import { InvoiceIssuing } from './application/invoice-issuing.js';
import { ledgerSource } from './application/ledger-source.js';
import { partiesSource } from './application/parties-source.js';
import { invoicesProjection } from './projections/invoices.projection.js';
import {
  INVOICES_CAUGHT_UP,
  InvoicesCaughtUp,
  InvoicesReadModel,
} from './projections/invoices.read-model.js';

export { BILLING_LOOKUPS } from './application/billing-lookups.js';
export { BillingLookupsSlot } from './application/billing-lookups.adapter.js';
export { InvoicesReadModel } from './projections/invoices.read-model.js';
export { InvoiceDrafts } from './application/invoice-drafts.js';
export { InvoiceIssuing } from './application/invoice-issuing.js';
export { CreditNotes } from './application/credit-notes.js';

/** Read-your-writes before a write that depends on the invoices read model (credit notes, 409s). */
const consistencyTimeoutMilliseconds = 10_000;

@Injectable()
class BillingWiring implements OnModuleInit {
  constructor(
    private readonly projections: ProjectionsService,
    @Inject(BILLING_LOOKUPS) private readonly lookups: BillingLookupsSlot,
    @Inject(PARTIES_LOOKUP) private readonly parties: PartiesLookup,
    private readonly ledger: LedgerLookup,
  ) {}

  onModuleInit(): void {
    this.projections.register(invoicesProjection);
    this.lookups.install({ ...partiesSource(this.parties), ...ledgerSource(this.ledger) });
  }
}

/**
 * Billing (Abrechnungen): invoice drafts, issue through the book's PostDocument, credit notes,
 * the `billing-invoices` read model and the e-invoice renderings. docs/billing.md.
 */
@Module({
  imports: [LedgerModule, AccessModule, PartiesModule],
  controllers: [InvoicesController, CreditNotesController],
  providers: [
    {
      provide: BILLING_LOOKUPS,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore) => new BillingLookupsSlot(store),
    },
    {
      provide: CustomerSealing,
      inject: [PERSONAL_DATA_CIPHER, PARTIES_LOOKUP],
      useFactory: (cipher: PersonalDataCipher, parties: PartiesLookup) =>
        new CustomerSealing(cipher, parties),
    },
    {
      provide: InvoicesReadModel,
      inject: [READ_MODEL_DB, CustomerSealing],
      useFactory: (db: SqlDatabase, sealing: CustomerSealing) => new InvoicesReadModel(db, sealing),
    },
    {
      provide: InvoiceDrafts,
      inject: [EVENT_STORE, BILLING_LOOKUPS, CLOCK],
      useFactory: (store: EventStore, lookups: BillingLookupsSlot, clock: Clock) =>
        new InvoiceDrafts(store, lookups, clock),
    },
    {
      provide: InvoiceIssuing,
      inject: [InvoiceDrafts, BILLING_LOOKUPS, CommandBus, CLOCK, CustomerSealing],
      useFactory: (
        drafts: InvoiceDrafts,
        lookups: BillingLookupsSlot,
        bus: CommandBus,
        clock: Clock,
        sealing: CustomerSealing,
      ) => new InvoiceIssuing(drafts, lookups, bus, clock, sealing),
    },
    {
      provide: INVOICES_CAUGHT_UP,
      inject: [ProjectionsService, EVENT_STORE],
      useFactory:
        (projections: ProjectionsService, store: EventStore): InvoicesCaughtUp =>
        async () =>
          projections.waitForAll(await store.headPosition(), consistencyTimeoutMilliseconds),
    },
    {
      provide: CreditNotes,
      inject: [InvoicesReadModel, INVOICES_CAUGHT_UP, BILLING_LOOKUPS, CommandBus, CLOCK],
      useFactory: (
        invoices: InvoicesReadModel,
        caughtUp: InvoicesCaughtUp,
        lookups: BillingLookupsSlot,
        bus: CommandBus,
        clock: Clock,
      ) => new CreditNotes(invoices, caughtUp, lookups, bus, clock),
    },
    BillingWiring,
  ],
  exports: [BILLING_LOOKUPS, InvoicesReadModel, InvoiceDrafts, InvoiceIssuing, CreditNotes],
})
export class BillingModule {}
