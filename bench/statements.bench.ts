// `npm run bench -- statements [--lines N] [--parties P]`: a generated camt.053.001.08 of N booked
// lines (default 2,000) paying N open receivables of P customers (default 200): half name their
// invoice number in Ustrd, half only the customer's IBAN and the exact amount. Imported and
// matched in process against a fresh SQLite data dir (every line a payment posted), then the same
// file again (a no-op), reported as a ratio of the first run. Figures: docs/benchmarks.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { composeIBAN } from 'ibantools';
import { AppModule } from '../src/app.module.js';
import { BankStatementsService } from '../src/banking/statements/bank-statements.service.js';
import { loadConfig } from '../src/config.js';
import { CommandMetadata, newId } from '../src/event-sourcing/index.js';
import { openEventStore } from '../src/infrastructure/event-store.factory.js';
import { LedgerCommands } from '../src/ledger/ledger.module.js';
import { PartiesService } from '../src/parties/parties.module.js';
import { camt053, CamtEntry } from '../test/support/camt053.js';

const book = 'bench';
const ownIban = 'DE02120300000000202051';
const actor = { id: 'bench', name: 'bench' };
const metadata = (): CommandMetadata => ({ actor, correlationId: newId(), commandId: newId() });

function numberOf(arg: string, args: string[], fallback: number): number {
  const at = args.indexOf(arg);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

const customerIban = (index: number) =>
  composeIBAN({ countryCode: 'DE', bban: `37040044${String(index).padStart(10, '0')}` })!;
const amountOf = (index: number) => {
  const cents = String(10_000 + index * 7);
  return `${cents.slice(0, -2)}.${cents.slice(-2)}`;
};

async function seed(
  app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>,
  lines: number,
  parties: number,
) {
  const ledger = app.get(LedgerCommands);
  await ledger.execute(
    { type: 'OpenBook', bookId: book, name: 'Bench', baseCurrency: 'EUR', chart: 'skr03' },
    metadata(),
  );
  await ledger.execute(
    {
      type: 'OpenAccount',
      bookId: book,
      code: '1210',
      name: 'Bank',
      accountType: 'asset',
      iban: ownIban,
    },
    metadata(),
  );
  const registry = app.get(PartiesService);
  for (let p = 0; p < parties; p++)
    await registry.register(
      {
        type: 'RegisterParty',
        bookId: book,
        partyId: `c${p}`,
        kind: 'customer',
        master: {
          name: `Kunde ${p} GmbH`,
          naturalPerson: false,
          address: { street: 'Hauptstraße 5', postalCode: '50667', city: 'Köln', country: 'DE' },
          iban: customerIban(p),
        },
      },
      metadata(),
    );
  const commands = Array.from({ length: lines }, (_, index) => ({
    command: {
      type: 'PostJournalEntry' as const,
      bookId: book,
      entryId: `item-${index}`,
      effectiveDate: '2027-01-10',
      description: `Invoice RE-${index}`,
      reference: `RE-${index}`,
      lines: [
        { account: '1400', debit: amountOf(index), party: `c${index % parties}` },
        { account: '8400', credit: amountOf(index) },
      ],
    },
    metadata: metadata(),
  }));
  for (let start = 0; start < commands.length; start += 500)
    await ledger.executeAll(book, commands.slice(start, start + 500));
}

function statementOf(lines: number, parties: number): string {
  const entries: CamtEntry[] = Array.from({ length: lines }, (_, index) => ({
    reference: `E${index}`,
    amount: amountOf(index),
    direction: 'CRDT',
    date: '2027-01-20',
    transactions: [
      index % 2 === 0
        ? { amount: amountOf(index), remittance: `Rechnung RE-${index}` }
        : { amount: amountOf(index), counterpartyIban: customerIban(index % parties) },
    ],
  }));
  return camt053([{ id: 'STMT-BENCH-1', iban: ownIban, entries }]);
}

export async function run(args: string[]): Promise<void> {
  const lines = numberOf('--lines', args, 2_000);
  const parties = numberOf('--parties', args, 200);
  const dir = mkdtempSync(join(tmpdir(), 'kontor-statements-bench-'));
  const config = loadConfig({ KONTOR_STORE: 'sqlite', KONTOR_DATA_DIR: dir, LOG_LEVEL: 'silent' });
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config, eventStore: await openEventStore(config) }),
    { logger: false },
  );
  try {
    await seed(app, lines, parties);
    const statements = app.get(BankStatementsService);
    const xml = statementOf(lines, parties);
    const seconds: number[] = [];
    for (const round of ['first import', 'second import (no-op)']) {
      const started = performance.now();
      const imported = await statements.import(book, xml, undefined, metadata(), {
        ...actor,
        roles: ['admin'],
      });
      seconds.push((performance.now() - started) / 1000);
      const recorded = imported.statements.flatMap((s) => s.lines);
      const matched = recorded.filter((l) => l.status === 'matched').length;
      console.log(
        `${round}: ${lines} lines in ${seconds.at(-1)!.toFixed(2)} s = ${Math.round(lines / seconds.at(-1)!)} lines/s (matched ${matched}, new position ${imported.position}); rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`,
      );
    }
    console.log(`re-import / import time: ${(seconds[1]! / seconds[0]!).toFixed(3)}`);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
