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

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`kontor: configuration error: ${error.message}`);
  } else {
    console.error(`kontor: ${error instanceof Error ? error.message : String(error)}`);
  }
  process.exit(1);
});
