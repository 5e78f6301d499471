import { Module } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DocumentsModule, DOCUMENT_VAULT, DocumentVault } from '../documents/documents.module.js';
import { EventStore } from '../event-sourcing/index.js';
import { EVENT_STORE } from '../infrastructure/tokens.js';
import { LedgerLookup, LedgerModule } from '../ledger/ledger.module.js';
import { BankingCoreModule, OpenItemsReadModel } from '../banking/banking-core.module.js';
import { itemAsOf } from '../banking/index.js';
import { PartiesModule, PartiesService } from '../parties/parties.module.js';
import { IncomingInvoicesController } from './api/incoming-invoices.controller.js';
import { IncomingInvoices } from './application/incoming-invoices.js';
// Importing the schemas registers IncomingInvoiceBooked with the ledger.
import './domain/payables.schemas.js';

export { IncomingInvoices } from './application/incoming-invoices.js';

/** Payables (Kreditoren): incoming e-invoices and their booking. docs/payables.md. */
@Module({
  imports: [LedgerModule, PartiesModule, DocumentsModule, BankingCoreModule],
  controllers: [IncomingInvoicesController],
  providers: [
    {
      provide: IncomingInvoices,
      inject: [
        EVENT_STORE,
        DOCUMENT_VAULT,
        PartiesService,
        LedgerLookup,
        CommandBus,
        OpenItemsReadModel,
      ],
      useFactory: (
        store: EventStore,
        vault: DocumentVault,
        parties: PartiesService,
        ledger: LedgerLookup,
        bus: CommandBus,
        openItems: OpenItemsReadModel,
      ) =>
        new IncomingInvoices(store, vault, parties, ledger, bus, async (book, invoiceId) => {
          const item = await openItems.item(book, invoiceId);
          // Paid: the item's open amount is 0 with every movement counted (no end date).
          return item !== undefined && itemAsOf(item, '9999-12-31')?.openMinor === 0n;
        }),
    },
  ],
  exports: [IncomingInvoices],
})
export class PayablesModule {}
