#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { ConfigError, loadConfig } from './config.js';
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
  .action(async () => {
    const store = await openEventStore(loadConfig());
    try {
      const result = await store.verify();
      if (result.ok) {
        console.log(`ok: ${result.checkedEvents} events, head ${result.headPosition} ${result.headHash}`);
      } else {
        console.log(`BROKEN at position ${result.firstBrokenPosition}: ${result.reason ?? 'hash mismatch'}`);
        process.exitCode = 1;
      }
    } finally {
      await store.close();
    }
  });

const keys = program.command('keys').description('manage API keys');
const collect = (value: string, previous: string[] = []) => [...previous, value];
keys
  .command('create')
  .description('issue an API key offline against the configured store; prints it once')
  .requiredOption('--name <name>', 'who or what uses the key')
  .requiredOption('--role <role>', 'a role (repeat for several): admin, accountant, approver, auditor, compliance, subscriber', collect, [])
  .option('--book <book>', 'restrict the key to a book (repeat for several)', collect)
  .action(async (options: { name: string; role: string[]; book?: string[] }) => {
    const config = loadConfig();
    if (config.readOnly) throw new ConfigError('KONTOR_READ_ONLY=true: keys cannot be issued on a read-only store');
    const [{ openStore }, { issueKeyOffline }] = await Promise.all([import('./main.js'), import('./access/index.js')]);
    const store = await openStore(config);
    try {
      const issued = await issueKeyOffline(store, { name: options.name, roles: options.role, ...(options.book ? { books: options.book } : {}) });
      console.error(`issued ${issued.id} "${issued.name}" (${issued.roles.join(', ')}${issued.books ? `; books ${issued.books.join(', ')}` : ''}); the key is shown only now:`);
      console.log(issued.key);
    } finally {
      await store.close();
    }
  });

program
  .command('export')
  .description('write a book to stdout, read from the event log: jsonl (events), csv (journal lines) or hledger (journal)')
  .requiredOption('--book <book>', 'book id')
  .requiredOption('--format <format>', 'jsonl | csv | hledger')
  .option('--until-position <position>', 'only events up to this log position: the book as it stood then')
  .action(async (options: { book: string; format: string; untilPosition?: string }) => {
    const { runExport } = await import('./ledger/export/export.command.js');
    await runExport(loadConfig(), options);
  });

program
  .command('demo')
  .description('seed a sample book (German chart, three months of entries, a reversal, a closed period)')
  .option('--book <book>', 'id of the demo book (default: demo-<random>)')
  .action(async (options: { book?: string }) => {
    const { runDemo } = await import('./demo.js');
    const book = await runDemo(loadConfig(), options);
    console.log(book);
    console.error(`demo book ${book} is ready; its trial balance: GET /v1/books/${book}/trial-balance (with an API key)`);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`kontor: configuration error: ${error.message}`);
  } else {
    console.error(`kontor: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
