/**
 * `kontor import` on a real SQLite data dir: an hledger journal round-trips (the export of the
 * imported book gives `hledger bal` the same balances as the source), a second run posts
 * nothing twice, refusals name their line, and DATEV and CSV files post their entries.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { loadConfig } from '../../src/config.js';
import { newId } from '../../src/event-sourcing/index.js';
import { openEventStore } from '../../src/infrastructure/event-store.factory.js';
import { exportBook } from '../../src/ledger/export/book-export.js';
import { LedgerCommands } from '../../src/ledger/ledger.module.js';
import { ImportOptions, runImport } from '../../src/operations/import.js';
import { ensureDebianTool } from '../support/debian-tool.js';

const journal = `; a plain hledger journal
account assets:bank  ; type:A
account Ausgaben:Büro  ; type:X, code:4930

2026-01-02 * (R-1) Opening balance
    assets:bank          1000.00 EUR
    equity:opening

2026-01-15 Office supplies  ; bought online
    Ausgaben:Büro          23.80 EUR  ; paper
    assets:bank

2026-01-20 Rent
    expenses:rent        EUR 500.00
    assets:bank          EUR -500.00

2026-01-20 Rent
    expenses:rent        EUR 500.00
    assets:bank          EUR -500.00

2026-01-25 Priced
    assets:bank          10 USD @ 0.9 EUR
    income:fx

2026-01-26 Two elided
    assets:bank
    income:misc

2026-01-27 Unbalanced
    assets:bank          10.00 EUR
    income:misc          -9.00 EUR

include other.journal
`;

/** `hledger bal` per account, `:` read as `.` (Kontor's codes), in account order. */
function hledgerBalances(file: string): string {
  const csv = execFileSync(
    'hledger',
    ['-f', file, 'bal', '--flat', '--no-total', '-O', 'csv', '--alias', '/:/=.'],
    { encoding: 'utf8' },
  );
  return csv.trim().split('\n').sort().join('\n');
}

describe('kontor import (SQLite data dir)', () => {
  beforeAll(() => ensureDebianTool('hledger', 'hledger', ['--version']));

  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kontor-import-'));
    env = { KONTOR_STORE: 'sqlite', KONTOR_DATA_DIR: dir, LOG_LEVEL: 'silent' };
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function openBook(book: string, chart?: 'skr03'): Promise<void> {
    const { NestFactory } = await import('@nestjs/core');
    const { AppModule } = await import('../../src/app.module.js');
    const config = loadConfig(env);
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot({ config, eventStore: await openEventStore(config) }),
      { logger: false },
    );
    const actor = { id: 'test', name: 'Test' };
    await app.get(LedgerCommands).execute(
      {
        type: 'OpenBook',
        bookId: book,
        name: 'ACME',
        baseCurrency: 'EUR',
        ...(chart ? { chart } : {}),
      },
      { actor, correlationId: newId(), commandId: newId() },
    );
    await app.close();
  }

  const importFile = (options: ImportOptions) => runImport(loadConfig(env), options);

  async function exported(book: string, format: 'hledger' | 'csv'): Promise<string> {
    const store = await openEventStore(loadConfig(env));
    let text = '';
    for await (const chunk of exportBook(store, book, format)) text += chunk;
    await store.close();
    return text;
  }

  it('imports an hledger journal whose export hledger balances like the source; a second run posts nothing twice', async () => {
    await openBook('acme');
    const file = join(dir, 'books.journal');
    writeFileSync(file, journal);
    const first = await importFile({ book: 'acme', format: 'hledger', file });
    expect(first).toMatchObject({ posted: 4, repeated: 0, held: 0 });
    expect(first.accountsOpened.sort()).toEqual(
      // income.misc: its entry was parsed, then refused by the book (unbalanced).
      ['4930', 'assets.bank', 'equity.opening', 'expenses.rent', 'income.misc'].sort(),
    );
    expect(first.refusals).toEqual([
      { line: 21, reason: expect.stringContaining('prices (@)') },
      { line: 25, reason: 'more than one posting without an amount' },
      { line: 29, reason: expect.stringContaining('debits') },
      { line: 33, reason: expect.stringContaining('"include" is outside the supported subset') },
    ]);
    const again = await importFile({ book: 'acme', format: 'hledger', file });
    expect(again).toMatchObject({ posted: 0, repeated: 4, accountsOpened: [] });

    // The source without its refused transactions, and the export, balance alike in hledger.
    const accepted = join(dir, 'accepted.journal');
    writeFileSync(
      accepted,
      journal.split('2026-01-25 Priced')[0]!.replaceAll('Ausgaben:Büro', '4930'),
    );
    const exportFile = join(dir, 'export.journal');
    writeFileSync(exportFile, await exported('acme', 'hledger'));
    expect(hledgerBalances(exportFile)).toBe(hledgerBalances(accepted));
    expect(hledgerBalances(exportFile)).toContain('"assets.bank","-23.80 EUR"');
  });

  it('imports a DATEV EXTF Buchungsstapel (Windows-1252) and refuses rows with a BU-Schlüssel', async () => {
    await openBook('datev', 'skr03');
    const header =
      '"EXTF";700;21;"Buchungsstapel";13;20260201120000000;;"RE";"";"";1001;1;20260101;4;20260101;20261231;"Import";"";1;0;0;"EUR"';
    const columns =
      '"Umsatz (ohne Soll/Haben-Kz)";"Soll/Haben-Kennzeichen";"WKZ Umsatz";"Kurs";"Basis-Umsatz";"WKZ Basis-Umsatz";"Konto";"Gegenkonto (ohne BU-Schlüssel)";"BU-Schlüssel";"Belegdatum";"Belegfeld 1";"Belegfeld 2";"Skonto";"Buchungstext"';
    const rows = [
      '119,00;"S";"EUR";;;;"1200";"8400";"";"0501";"RE-1";"";;"Erlös Müller"',
      '50,00;"H";"EUR";;;;"1200";"4930";"";"0601";"B-2";"";;"Bürobedarf"',
      '10,00;"S";"EUR";;;;"1200";"8400";"3";"0701";"RE-2";"";;"mit Steuer"',
    ];
    const file = join(dir, 'EXTF_Buchungsstapel.csv');
    writeFileSync(file, iconv.encode([header, columns, ...rows].join('\r\n'), 'windows-1252'));
    const report = await importFile({ book: 'datev', format: 'datev', file });
    expect(report).toMatchObject({ posted: 2, held: 0 });
    expect(report.refusals).toEqual([
      { line: 5, reason: expect.stringContaining('BU-Schlüssel 3') },
    ]);
    const csv = await exported('datev', 'csv');
    expect(csv).toContain('Erlös Müller');
    expect(csv).toContain('2026-01-05');
  });

  it('imports the CSV of kontor export into another book', async () => {
    await openBook('source');
    const file = join(dir, 'books.journal');
    writeFileSync(file, journal.split('2026-01-25 Priced')[0]!);
    await importFile({ book: 'source', format: 'hledger', file });
    const csvFile = join(dir, 'source.csv');
    writeFileSync(csvFile, await exported('source', 'csv'));
    await openBook('fromcsv');
    const unknown = await importFile({ book: 'fromcsv', format: 'csv', file: csvFile });
    expect(unknown.posted).toBe(0);
    expect(unknown.refusals).toHaveLength(4);
    expect(unknown.refusals[0]!.reason).toContain('assets.bank');
    // Once the book has the accounts (an hledger import opens them), the CSV posts, once.
    await importFile({ book: 'fromcsv', format: 'hledger', file });
    expect(await importFile({ book: 'fromcsv', format: 'csv', file: csvFile })).toMatchObject({
      posted: 4,
      refusals: [],
    });
    expect(await importFile({ book: 'fromcsv', format: 'csv', file: csvFile })).toMatchObject({
      posted: 0,
      repeated: 4,
    });
  });
});
