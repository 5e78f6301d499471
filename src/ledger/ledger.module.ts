import { DocumentsModule } from '../documents/documents.module.js';
import { BeforeApplicationShutdown, Injectable, Logger, Module } from '@nestjs/common';
import { KontorConfig } from '../config.js';
import { EventStore } from '../event-sourcing/index.js';
import { EVENT_STORE, KONTOR_CONFIG } from '../infrastructure/tokens.js';
import { LedgerCommandsController } from './api/ledger-commands.controller.js';
import { BookWorkerSettings, bookWorkerSettingsDefault } from './application/book-worker.js';
import { BOOK_WORKER_SETTINGS, BookWorkers } from './application/book-workers.js';
import { LEDGER_COMMAND_GATE, LedgerCommandGateSlot } from './application/ledger-command-gate.js';
import { ledgerCommandHandlers } from './application/ledger-command.handlers.js';
import { LedgerCommands } from './application/ledger-commands.js';
import { BookStateLedgerLookup } from './application/book-state-ledger-lookup.js';
import { LedgerLookup } from './application/ledger-lookup.js';
import { TaxCodesController } from './api/tax-codes.controller.js';
import { JournalBatchController } from './api/journal-batch.controller.js';
import { FiscalYearsController } from './api/fiscal-years.controller.js';

export { runExport } from './export/export.command.js';
export { importFormats, isImportFormat, parseImportFile } from './import/import-file.js';
export type { ImportFormat, ImportRefusal, ParsedImport } from './import/import-file.js';
export { postJournalEntriesBatch } from './api/journal-batch.js';
export type { BatchRequester } from './api/journal-batch.js';
export { bookParam } from './api/ledger-commands.controller.js';

export { LedgerCommands } from './application/ledger-commands.js';
export { LedgerLookup } from './application/ledger-lookup.js';
export { LEDGER_COMMAND_GATE, LedgerCommandGateSlot } from './application/ledger-command-gate.js';
export { RunBookCommand, RunBookCommands } from './application/ledger-bus.commands.js';
export type { BookBatchOutcome, BookCommandOutcome } from './application/ledger-bus.commands.js';

/** Lets every book worker answer its queue and save its snapshot before the store closes. */
@Injectable()
class BookWorkersShutdown implements BeforeApplicationShutdown {
  constructor(private readonly workers: BookWorkers) {}

  async beforeApplicationShutdown(): Promise<void> {
    await this.workers.settled();
  }
}

/**
 * The ledger's write side: book workers, the command handlers on the CommandBus, the HTTP
 * write endpoints, and `LedgerCommands` / `LEDGER_COMMAND_GATE` for other modules (approvals).
 * The read side (projections, GET endpoints) is its own module.
 */
@Module({
  imports: [DocumentsModule],
  controllers: [
    LedgerCommandsController,
    JournalBatchController,
    TaxCodesController,
    FiscalYearsController,
  ],
  providers: [
    {
      provide: BookWorkers,
      inject: [
        EVENT_STORE,
        { token: BOOK_WORKER_SETTINGS, optional: true },
        { token: KONTOR_CONFIG, optional: true },
      ],
      useFactory: (
        store: EventStore,
        settings?: Partial<BookWorkerSettings>,
        config?: KontorConfig,
      ) => {
        const logger = new Logger('BookWorker');
        const log = { error: (message: string) => logger.error(message) };
        return new BookWorkers(
          store,
          { ...bookWorkerSettingsDefault, ...settings },
          log,
          config?.booksInMemoryMax,
        );
      },
    },
    {
      provide: LedgerCommands,
      inject: [BookWorkers],
      useFactory: (workers: BookWorkers) => new LedgerCommands(workers),
    },
    {
      provide: LedgerLookup,
      inject: [LedgerCommands],
      useFactory: (ledger: LedgerCommands) => new BookStateLedgerLookup(ledger),
    },
    { provide: LEDGER_COMMAND_GATE, useFactory: () => new LedgerCommandGateSlot() },
    BookWorkersShutdown,
    ...ledgerCommandHandlers,
  ],
  exports: [LedgerCommands, LEDGER_COMMAND_GATE, LedgerLookup],
})
export class LedgerModule {}
