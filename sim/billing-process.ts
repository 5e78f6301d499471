import { CommandBus } from '@nestjs/cqrs';
import { Clock, EventStore } from '../src/event-sourcing/index.js';
import type { PartiesLookup } from '../src/parties/index.js';
import type { PersonalDataCipher } from '../src/parties/parties.module.js';
import { BillingLookupsSlot } from '../src/billing/application/billing-lookups.adapter.js';
import { CreditNotes } from '../src/billing/application/credit-notes.js';
import { CustomerSealing } from '../src/billing/application/customer-sealing.js';
import { InvoiceDrafts } from '../src/billing/application/invoice-drafts.js';
import { InvoiceIssuing } from '../src/billing/application/invoice-issuing.js';
import { ledgerSource } from '../src/billing/application/ledger-source.js';
import { InvoicesReadModel } from '../src/billing/projections/invoices.read-model.js';
import { domesticCustomer, seller } from '../src/billing/testing/billing.fixtures.js';
import { SqlDatabase } from '../src/infrastructure/sql/index.js';
import { BookStateLedgerLookup } from '../src/ledger/application/book-state-ledger-lookup.js';
import { LedgerCommandGateSlot } from '../src/ledger/application/ledger-command-gate.js';
import { RunBookCommand } from '../src/ledger/application/ledger-bus.commands.js';
import { RunBookCommandHandler } from '../src/ledger/application/ledger-command.handlers.js';
import { LedgerCommands } from '../src/ledger/application/ledger-commands.js';

/** The customer every simulated invoice goes to (a company: nothing of it is sealed). */
export const simCustomer = domesticCustomer;

/** Billing as `BillingModule` wires it on one process: drafts, issuing, credit notes. */
export interface BillingServices {
  drafts: InvoiceDrafts;
  issuing: InvoiceIssuing;
  creditNotes: CreditNotes;
}

export interface BillingEnvironment {
  store: EventStore;
  clock: Clock;
  ledger: LedgerCommands;
  gate: LedgerCommandGateSlot;
  readModels: SqlDatabase;
}

/**
 * The real billing services on a process's ledger. The parties module is not simulated: the
 * lookups answer one company customer and the seller from fixtures; tax codes and the
 * receivables account come from the book's state (the real ledger source). The command bus is
 * the process's RunBookCommand handler, gate and all, as the CQRS bus dispatches it.
 */
export function bootBilling(env: BillingEnvironment): BillingServices {
  const { store, clock, ledger, gate, readModels } = env;
  const lookups = new BillingLookupsSlot(store);
  lookups.install({
    ...ledgerSource(new BookStateLedgerLookup(ledger)),
    customer: (_bookId, idOrNumber) =>
      Promise.resolve(
        idOrNumber === simCustomer.partyId || idOrNumber === simCustomer.number
          ? simCustomer
          : undefined,
      ),
    company: () => Promise.resolve(seller),
  });
  const runBook = new RunBookCommandHandler(ledger, gate);
  const bus = { execute: (command: RunBookCommand) => runBook.execute(command) } as CommandBus;
  // Only a natural person's data is sealed; the simulated customer is a company.
  const sealing = new CustomerSealing(
    undefined as unknown as PersonalDataCipher,
    undefined as unknown as PartiesLookup,
  );
  const drafts = new InvoiceDrafts(store, lookups, clock);
  // A credit note reads the invoices read model as the leader has written it so far: the wait
  // for the projection (a real-time timeout in the app) is left out to keep the run seeded;
  // a stale view is refused by the book (`refersTo` must be open, `closes` not yet closed).
  const caughtUp = () => Promise.resolve();
  return {
    drafts,
    issuing: new InvoiceIssuing(drafts, lookups, bus, clock, sealing),
    creditNotes: new CreditNotes(
      new InvoicesReadModel(readModels, sealing),
      caughtUp,
      lookups,
      bus,
      clock,
    ),
  };
}
