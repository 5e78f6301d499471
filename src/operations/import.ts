import { readFile } from 'node:fs/promises';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { AppModule } from '../app.module.js';
import { ConfigError, KontorConfig } from '../config.js';
import { NotReadyError, ProjectionsService } from '../infrastructure/projections/index.js';
import { deterministicId, newId } from '../event-sourcing/index.js';
import {
  BatchRequester,
  ImportFormat,
  ImportRefusal,
  LedgerCommands,
  ParsedImport,
  RunBookCommand,
  parseImportFile,
  postJournalEntriesBatch,
} from '../ledger/ledger.module.js';
import { openStore } from '../main.js';
import { progressBar } from './progress-bar.js';

/** Entries per batch: the batch route's bound, one append of the book's worker each. */
const entriesPerBatch = 1000;
const importActor = { id: 'import', name: 'kontor import' };
/** How long the import waits for the read models to take in what it posted (then says so). */
const readModelsCatchUpMilliseconds = 10 * 60_000;

export interface ImportOptions {
  book: string;
  format: ImportFormat;
  file: string;
}

export interface ImportReport {
  posted: number;
  /** Already posted by an earlier run (same key, same entry): nothing posted twice. */
  repeated: number;
  /** Held back by an approval policy (202): posted once approved. */
  held: number;
  accountsOpened: string[];
  refusals: ImportRefusal[];
  position: bigint;
}

/**
 * `kontor import`: boots the app without HTTP (like `kontor demo`) and posts the file's entries
 * through the batch path (RunBookCommands: validation, approval gate, one append per 1,000).
 */
export async function runImport(
  config: KontorConfig,
  options: ImportOptions,
): Promise<ImportReport> {
  const bytes = await readFile(options.file);
  const eventStore = await openStore(config);
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config, eventStore }),
    { logger: ['error', 'warn'] },
  );
  try {
    const ledger = app.get(LedgerCommands);
    const book = await ledger.inspect(options.book, (state) =>
      state.status === 'open'
        ? { baseCurrency: state.baseCurrency, accounts: new Set(state.accounts.keys()) }
        : undefined,
    );
    if (book === undefined)
      throw new ConfigError(`book ${options.book} not found: open it first (POST /v1/books)`);
    const parsed = parseImportFile(options.format, bytes, book.baseCurrency);
    const commandBus = app.get(CommandBus);
    const context = { actor: importActor, correlationId: newId(), roles: ['admin' as const] };
    const report: ImportReport = {
      posted: 0,
      repeated: 0,
      held: 0,
      accountsOpened: [],
      refusals: [...parsed.refusals],
      position: 0n,
    };
    for (const account of parsed.accounts.filter((account) => !book.accounts.has(account.code))) {
      const command = {
        type: 'OpenAccount' as const,
        bookId: options.book,
        code: account.code,
        name: account.name,
        accountType: account.type,
      };
      const metadata = {
        actor: importActor,
        correlationId: context.correlationId,
        commandId: deterministicId('kontor-import-account', options.book, account.code),
      };
      await commandBus.execute(
        new RunBookCommand(command, metadata, { ...importActor, roles: ['admin'] }),
      );
      report.accountsOpened.push(account.code);
    }
    const resumeReadModels = await pauseReadModels(app.get(ProjectionsService));
    await ledger.deferringSnapshots(options.book, () =>
      postInBatches(commandBus, options.book, parsed.entries, context, report),
    );
    await resumeReadModels(report.position);
    report.refusals.sort((a, b) => a.line - b.line);
    return report;
  } finally {
    await app.close();
  }
}

/** Posts the entries through the batch path, 1,000 per batch, counting the results into `report`. */
async function postInBatches(
  commandBus: CommandBus,
  book: string,
  entries: ParsedImport['entries'],
  context: BatchRequester,
  report: ImportReport,
): Promise<void> {
  const progress = progressBar(process.stderr, 'entries');
  progress.start('import', BigInt(entries.length));
  try {
    for (let start = 0; start < entries.length; start += entriesPerBatch) {
      const chunk = entries.slice(start, start + entriesPerBatch);
      const { results, position } = await postJournalEntriesBatch(
        commandBus,
        book,
        chunk.map(({ entry, idempotencyKey }) => ({ ...entry, idempotencyKey })),
        context,
      );
      if (position > report.position) report.position = position;
      results.forEach((result, index) => {
        if (result.status === 201) report[result.repeated ? 'repeated' : 'posted'] += 1;
        else if (result.status === 202) report.held += 1;
        else
          report.refusals.push({
            line: chunk[index]!.line,
            reason: String(result.problem?.detail ?? `refused (${result.status})`),
          });
      });
      progress.update(BigInt(start + chunk.length));
    }
  } finally {
    progress.stop();
  }
}

/**
 * The read models catch up once, in bulk, after the posting (not batch by batch beside it): stops
 * the projections of the process; the function returned starts them and waits until they hold
 * `position`.
 */
async function pauseReadModels(
  projections: ProjectionsService,
): Promise<(position: bigint) => Promise<void>> {
  if (!projections.isStarted) return async () => {};
  await projections.stop();
  return async (position) => {
    projections.start();
    await projections
      .waitForAll(position, readModelsCatchUpMilliseconds)
      .catch((error: unknown) => {
        // Everything is posted; the read models go on catching up wherever projections run next.
        if (!(error instanceof NotReadyError)) throw error;
        process.stderr.write(`the read models are still catching up: ${error.message}\n`);
      });
  };
}
