import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { ProjectionsService } from '../infrastructure/projections/index.js';
import { READ_MODEL_DB } from '../infrastructure/tokens.js';
import { SqlDatabase } from '../infrastructure/sql/index.js';
import { taxCodeOn } from '../ledger/index.js';
import { LedgerLookup, LedgerModule } from '../ledger/ledger.module.js';
import { LedgerReadModule } from '../ledger/ledger-read.module.js';
import type { PartiesLookup } from '../parties/index.js';
import { PARTIES_LOOKUP, PartiesModule } from '../parties/parties.module.js';
import {
  BANKING_PARTIES,
  BankingPartiesSource,
  CONTROL_ACCOUNTS,
  ControlAccountsSource,
  TAX_ACCOUNTS,
  TaxAccountsSource,
} from './application/banking-ports.js';
import { OpenItemsService } from './application/open-items.service.js';
import { openItemsProjection } from './projections/open-items.projection.js';
import { OpenItemsReadModel } from './projections/open-items.read-model.js';

export { OpenItemsReadModel } from './projections/open-items.read-model.js';
export { OpenItemsService } from './application/open-items.service.js';
export {
  BANKING_PARTIES,
  CONTROL_ACCOUNTS,
  PAYMENT_END_TO_END_IDS,
  TAX_ACCOUNTS,
} from './application/banking-ports.js';
export type {
  BankingPartiesSource,
  ControlAccounts,
  ControlAccountsSource,
  PaymentEndToEndIds,
  TaxAccountsSource,
} from './application/banking-ports.js';

@Injectable()
class OpenItemsRegistration implements OnModuleInit {
  constructor(private readonly projections: ProjectionsService) {}

  onModuleInit(): void {
    this.projections.register(openItemsProjection);
  }
}

/** The chart's control accounts (a book without a chart names none: the request then does). */
function controlAccountsFromLedger(ledger: LedgerLookup): ControlAccountsSource {
  return { of: (bookId) => ledger.bookControlAccounts(bookId) };
}

/** A tax code's output and input VAT accounts on a date, from the book's tax codes. */
function taxAccountsFromLedger(ledger: LedgerLookup): TaxAccountsSource {
  return {
    outputAccount: async (bookId, taxCode, date) =>
      taxCodeOn(await ledger.taxCodesOf(bookId), taxCode, date)?.outputAccount,
    inputAccount: async (bookId, taxCode, date) =>
      taxCodeOn(await ledger.taxCodesOf(bookId), taxCode, date)?.inputAccount,
  };
}

/** The book's parties (src/parties): a payment or a notice names a registered party. */
function partiesFromLookup(parties: PartiesLookup): BankingPartiesSource {
  return {
    find: async (bookId, idOrNumber) => {
      const party = await parties.find(bookId, idOrNumber);
      return party === undefined
        ? undefined
        : {
            id: party.id,
            naturalPerson: party.naturalPerson === true,
            name: party.name,
            ...(party.iban ? { iban: party.iban } : {}),
          };
    },
  };
}

/**
 * What banking's capabilities share: the `open-items` projection and its read model, the open
 * items service (aging, reconciliation) and the ports to the chart and the parties. Imported by
 * BankingModule and DunningModule.
 */
@Module({
  imports: [LedgerModule, LedgerReadModule, PartiesModule],
  providers: [
    OpenItemsRegistration,
    {
      provide: OpenItemsReadModel,
      inject: [READ_MODEL_DB],
      useFactory: (db: SqlDatabase) => new OpenItemsReadModel(db),
    },
    { provide: CONTROL_ACCOUNTS, inject: [LedgerLookup], useFactory: controlAccountsFromLedger },
    { provide: TAX_ACCOUNTS, inject: [LedgerLookup], useFactory: taxAccountsFromLedger },
    { provide: BANKING_PARTIES, inject: [PARTIES_LOOKUP], useFactory: partiesFromLookup },
    OpenItemsService,
  ],
  exports: [OpenItemsReadModel, OpenItemsService, CONTROL_ACCOUNTS, BANKING_PARTIES, TAX_ACCOUNTS],
})
export class BankingCoreModule {}
