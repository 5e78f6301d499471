#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { ConfigError, loadConfig } from './config.js';
import { parsePosition, positionMax } from './event-sourcing/index.js';
import { openEventStore } from './infrastructure/event-store.factory.js';

/** `kontor <command>`: every command reads the same store settings as the server. */
const program = new Command('kontor').description('Kontor: event-sourced accounting and approvals');

program
  .command('serve')
  .description('start the HTTP server (what npm start runs)')
  .action(async () => {
    const { startServer } = await import('./main.js');
    await startServer(loadConfig());
  });

program
  .command('verify')
  .description('check the hash chain of the whole store; exit 0 intact, 1 broken')
  .option(
    '--digest <hash@position>',
    'prove that the log up to a kept digest (GET /v1/audit/digest) is unchanged',
  )
  .action(async (options: { digest?: string }) => {
    const [{ parseDigest, formatDigest, verifyDigest }, { progressBar }] = await Promise.all([
      import('./audit/index.js'),
      import('./operations/progress-bar.js'),
    ]);
    const digest = options.digest === undefined ? undefined : parseDigest(options.digest);
    if (options.digest !== undefined && !digest)
      throw new ConfigError(
        '--digest must be <64 hex digits>@<position>, as GET /v1/audit/digest gives it',
      );
    const store = await openEventStore(loadConfig());
    const progress = progressBar();
    try {
      progress.start('verify', digest?.position ?? (await store.headPosition()));
      const onProgress = (position: bigint) => progress.update(position);
      if (digest) {
        const checked = await verifyDigest(store, digest, { onProgress });
        progress.stop();
        if (checked.matches) {
          console.log(
            `ok: the log up to ${formatDigest(digest)} is unchanged (${checked.verify.checkedEvents} events recomputed)`,
          );
        } else {
          console.log(`MISMATCH for ${formatDigest(digest)}: ${checked.reason}`);
          process.exitCode = 1;
        }
        return;
      }
      const result = await store.verify({ onProgress });
      progress.stop();
      if (result.ok) {
        console.log(
          `ok: ${result.checkedEvents} events, head ${result.headPosition} ${result.headHash}`,
        );
      } else {
        console.log(
          `BROKEN at position ${result.firstBrokenPosition}: ${result.reason ?? 'hash mismatch'}`,
        );
        process.exitCode = 1;
      }
      // The Belege outside the log: each blob against the sha256 id its DocumentStored names.
      const { verifyDocumentBlobs } = await import('./documents/documents.module.js');
      const documents = await verifyDocumentBlobs(loadConfig());
      for (const line of documents.lines) console.log(line);
      if (!documents.ok) process.exitCode = 1;
    } finally {
      progress.stop();
      await store.close();
    }
  });

program
  .command('replay')
  .description(
    'rebuild read models from the log (progress on stderr); with --until-… --out DIR: a self-contained read-only copy as of then',
  )
  .option(
    '--projection <name>',
    'rebuild only this read model (repeat for several)',
    (value: string, previous: string[] = []) => [...previous, value],
  )
  .option('--until-position <position>', 'copy the log up to this position (inclusive)')
  .option(
    '--until-time <time>',
    'copy the log up to the last event recorded at or before this ISO 8601 time',
  )
  .option('--out <dir>', 'an empty directory for the copy (SQLite data dir)')
  .action(
    async (options: {
      projection?: string[];
      untilPosition?: string;
      untilTime?: string;
      out?: string;
    }) => {
      const [{ rebuildReadModels, replayInto }, { progressBar }] = await Promise.all([
        import('./operations/replay.js'),
        import('./operations/progress-bar.js'),
      ]);
      const config = loadConfig();
      const copying =
        options.untilPosition !== undefined ||
        options.untilTime !== undefined ||
        options.out !== undefined;
      if (!copying) {
        if (config.readOnly)
          throw new ConfigError(
            'KONTOR_READ_ONLY=true: rebuild the read models of a copy with its own replay, not in place',
          );
        const store = await openEventStore(config);
        const rebuilt = await rebuildReadModels(config, store, options.projection, progressBar());
        console.log(`rebuilt ${rebuilt.join(', ')} up to position ${await headOf(config)}`);
        return;
      }
      if (options.out === undefined)
        throw new ConfigError('--until-position / --until-time need --out DIR');
      if ((options.untilPosition === undefined) === (options.untilTime === undefined))
        throw new ConfigError('give exactly one of --until-position and --until-time with --out');
      if (options.projection)
        throw new ConfigError(
          '--projection rebuilds in place; a copy (--out) gets every read model',
        );
      const until =
        options.untilPosition !== undefined
          ? { position: positionOption(options.untilPosition) }
          : { time: timeOption(options.untilTime!) };
      const source = await openEventStore(config);
      const { openReadModelDatabase } = await import('./infrastructure/sql/index.js');
      const sourceOpsDb = openReadModelDatabase(config);
      const { keyStoreDatabase } = await import('./parties/parties.module.js');
      const sourceKeys = keyStoreDatabase(config, sourceOpsDb);
      try {
        const copied = await replayInto(
          source,
          sourceOpsDb,
          options.out,
          until,
          progressBar(),
          sourceKeys.db,
        );
        if (!copied.verify.ok) {
          console.log(
            `the copy does not verify: ${copied.verify.reason} at ${copied.verify.firstBrokenPosition}`,
          );
          process.exitCode = 1;
          return;
        }
        console.log(
          `copied the log up to position ${copied.digest.position} into ${options.out} (digest ${copied.digest.hash}@${copied.digest.position})`,
        );
        console.log(
          `read models: ${copied.projections.join(', ')}; serve it with KONTOR_DATA_DIR=${options.out} KONTOR_READ_ONLY=true npm start`,
        );
      } finally {
        if (sourceKeys.owned) await sourceKeys.db.close();
        await sourceOpsDb.close();
        await source.close();
      }
    },
  );

const audit = program.command('audit').description('the audit trail');
audit
  .command('export')
  .description(
    'write the audit trail (from the log) to stdout as csv or jsonl (header and data lines only); the export id and sha256 go to stderr and into the log',
  )
  .requiredOption('--format <format>', 'csv or jsonl')
  .option(
    '--dialect <dialect>',
    'csv: standard (",", decimal point) or de (";", decimal comma, BOM)',
  )
  .option('--book <book>')
  .option('--actor <actor>', 'API key id or name')
  .option('--type <type>')
  .option('--stream <stream>')
  .option('--correlation-id <id>')
  .option('--from <time>', 'recorded at or after (ISO 8601 time or YYYY-MM-DD)')
  .option('--to <time>', 'recorded before (a date includes that day)')
  .action(async (options: Record<string, string | undefined>) => {
    const { exportAuditFromCli } = await import('./audit/audit.module.js');
    const config = loadConfig();
    const store = await openEventStore(config);
    try {
      const outcome = await exportAuditFromCli(store, config, options, process.stdout);
      console.error(
        `export ${outcome.exportId}: ${outcome.rowCount} rows, sha256 ${outcome.sha256}`,
      );
    } finally {
      await store.close();
    }
  });

async function headOf(config: ReturnType<typeof loadConfig>): Promise<bigint> {
  const store = await openEventStore({ ...config, readOnly: config.store === 'sqlite' });
  try {
    return await store.headPosition();
  } finally {
    await store.close();
  }
}

function positionOption(value: string): bigint {
  const position = parsePosition(value);
  if (position === undefined || position < 1n)
    throw new ConfigError(
      `--until-position must be a position (1 to ${positionMax}), got ${JSON.stringify(value)}`,
    );
  return position;
}

function timeOption(value: string): string {
  const time = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(time.getTime()))
    throw new ConfigError(`--until-time must be an ISO 8601 time, got ${JSON.stringify(value)}`);
  return time.toISOString();
}

const keys = program.command('keys').description('manage API keys');
const collect = (value: string, previous: string[] = []) => [...previous, value];
keys
  .command('create')
  .description('issue an API key offline against the configured store; prints it once')
  .requiredOption('--name <name>', 'who or what uses the key')
  .requiredOption(
    '--role <role>',
    'a role (repeat for several): admin, accountant, approver, auditor, compliance, subscriber',
    collect,
    [],
  )
  .option('--book <book>', 'restrict the key to a book (repeat for several)', collect)
  .action(async (options: { name: string; role: string[]; book?: string[] }) => {
    const config = loadConfig();
    if (config.readOnly)
      throw new ConfigError('KONTOR_READ_ONLY=true: keys cannot be issued on a read-only store');
    const [{ openStore }, { issueKeyOffline }, { openReadModelDatabase }] = await Promise.all([
      import('./main.js'),
      import('./access/access.module.js'),
      import('./infrastructure/sql/index.js'),
    ]);
    const store = await openStore(config);
    const opsDb = openReadModelDatabase(config);
    try {
      const issued = await issueKeyOffline(store, opsDb, {
        name: options.name,
        roles: options.role,
        ...(options.book ? { books: options.book } : {}),
      });
      console.error(
        `issued ${issued.id} "${issued.name}" (${issued.roles.join(', ')}${issued.books ? `; books ${issued.books.join(', ')}` : ''}); the key is shown only now:`,
      );
      console.log(issued.key);
    } finally {
      await opsDb.close();
      await store.close();
    }
  });

program
  .command('export')
  .description(
    'write a book to stdout, read from the event log: jsonl (its events, parties and company data too), csv (journal lines) or hledger (journal); datev (DATEV EXTF) or gobd (GoBD Z3 ZIP), the bytes of GET /v1/books/:book/exports/datev|gobd',
  )
  .requiredOption('--book <book>', 'book id')
  .requiredOption('--format <format>', 'jsonl | csv | hledger | datev | gobd')
  .option(
    '--dialect <dialect>',
    'csv: standard (",", decimal point) or de (";", decimal comma, BOM)',
  )
  .option(
    '--until-position <position>',
    'only events up to this log position: the book as it stood then',
  )
  .option('--from <date>', 'datev bookings: first effective date (YYYY-MM-DD)')
  .option('--to <date>', 'datev bookings: last effective date (within the same fiscal year)')
  .option('--kind <kind>', 'datev: bookings (default) or parties')
  .option('--fiscal-year <year>', 'gobd: the fiscal year (YYYY)')
  .option('--out <file>', 'datev/gobd: write to this file instead of stdout')
  .action(
    async (options: {
      book: string;
      format: string;
      dialect?: string;
      untilPosition?: string;
      from?: string;
      to?: string;
      kind?: string;
      fiscalYear?: string;
      out?: string;
    }) => {
      if (options.format === 'datev' || options.format === 'gobd') {
        const { runComplianceExport } = await import('./operations/compliance-export.js');
        await runComplianceExport(loadConfig(), { ...options, format: options.format });
        return;
      }
      const [{ runExport }, { partyCompanionStreams }, { dunningSettingsStreamId }] =
        await Promise.all([
          import('./ledger/ledger.module.js'),
          import('./parties/index.js'),
          import('./banking/index.js'),
        ]);
      await runExport(loadConfig(), {
        book: options.book,
        format: options.format,
        ...(options.dialect === undefined ? {} : { dialect: options.dialect }),
        ...(options.untilPosition === undefined ? {} : { untilPosition: options.untilPosition }),
        companionStreams: [
          ...partyCompanionStreams(options.book),
          dunningSettingsStreamId(options.book),
        ],
      });
    },
  );

const docs = program.command('docs').description('documents generated from the running config');
docs
  .command('procedure')
  .description(
    'write the skeleton of a GoBD Verfahrensdokumentation (Markdown): system, controls with their tests, retention, access roles of the live key set',
  )
  .option('--out <file>', 'write to this file instead of stdout')
  .action(async (options: { out?: string }) => {
    const { writeProcedure } = await import('./controls/controls.module.js');
    await writeProcedure(loadConfig(), options.out);
  });

program
  .command('demo')
  .description(
    'seed a sample book (German chart, three months of entries, a reversal, a closed period)',
  )
  .option('--book <book>', 'id of the demo book (default: demo-<random>)')
  .action(async (options: { book?: string }) => {
    const { runDemo } = await import('./operations/demo.js');
    const book = await runDemo(loadConfig(), options);
    console.log(book);
    console.error(
      `demo book ${book} is ready; its trial balance: GET /v1/books/${book}/trial-balance (with an API key)`,
    );
  });

program
  .command('import')
  .description(
    'post the entries of a file into a book (hledger journal, DATEV EXTF Buchungsstapel, CSV; docs/import.md); a second run posts nothing twice',
  )
  .requiredOption('--book <book>', 'book id (the book must exist)')
  .requiredOption('--format <format>', 'hledger | datev | csv')
  .argument('<file>', 'the file to import')
  .action(async (file: string, options: { book: string; format: string }) => {
    const [{ runImport }, { isImportFormat }] = await Promise.all([
      import('./operations/import.js'),
      import('./ledger/ledger.module.js'),
    ]);
    if (!isImportFormat(options.format))
      throw new ConfigError(`--format must be hledger, datev or csv, got ${options.format}`);
    const report = await runImport(loadConfig(), { ...options, format: options.format, file });
    for (const refusal of report.refusals)
      console.log(`refused line ${refusal.line}: ${refusal.reason}`);
    console.log(
      `posted ${report.posted}, already posted ${report.repeated}, held for approval ${report.held}, refused ${report.refusals.length}; accounts opened: ${report.accountsOpened.join(', ') || 'none'}; position ${report.position}`,
    );
    if (report.refusals.length > 0) process.exitCode = 2;
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`kontor: configuration error: ${error.message}`);
  } else {
    console.error(`kontor: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
