/**
 * The ledger read model suites' shared setup: fresh stores with the book ACME GmbH and its
 * accounts (the projection runner not started), and the standard entries posted into it.
 */
import { ManualClock } from '../../src/event-sourcing/index.js';
import { ProjectionRunner } from '../../src/infrastructure/projections/index.js';
import { BookCommand, JournalLineInput } from '../../src/ledger/index.js';
import {
  ledgerReadModels,
  LedgerReadModels,
} from '../../src/ledger/projections/ledger-read-models.js';
import { LedgerReports } from '../../src/ledger/projections/ledger-reports.js';
import { ledgerProjection } from '../../src/ledger/projections/ledger.projection.js';
import { BookWriter } from './ledger-book.js';
import { openStores, StoreBackend, TestStores } from './stores.js';

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

export const book = 'acme';
export const receipt = `sha256:${'ab'.repeat(32)}`;

function post(
  entryId: string,
  effectiveDate: string,
  lines: JournalLineInput[],
  extra: Partial<Extract<BookCommand, { type: 'PostJournalEntry' }>> = {},
): BookCommand {
  return {
    type: 'PostJournalEntry',
    bookId: book,
    entryId,
    effectiveDate,
    description: `Entry ${entryId}`,
    lines,
    ...extra,
  };
}

export interface LedgerFixture {
  setup: TestStores;
  clock: ManualClock;
  runner: ProjectionRunner;
  readModels: LedgerReadModels;
  reports: LedgerReports;
  writer: BookWriter;
}

export async function openLedgerFixture(backend: StoreBackend): Promise<LedgerFixture> {
  const clock = new ManualClock(new Date('2026-01-10T09:00:00.000Z'));
  const setup = await openStores(backend, { clock });
  const runner = new ProjectionRunner(ledgerProjection, setup.store, setup.db, {
    logger: silent,
    batchSize: 7,
  });
  const readModels = ledgerReadModels(setup.db);
  const writer = new BookWriter(setup.store, book);
  await writer.execute([
    { type: 'OpenBook', bookId: book, name: 'ACME GmbH', baseCurrency: 'EUR' },
    {
      type: 'OpenAccount',
      bookId: book,
      code: '0800',
      name: 'Gezeichnetes Kapital',
      accountType: 'equity',
    },
    { type: 'OpenAccount', bookId: book, code: '1200', name: 'Bank', accountType: 'asset' },
    {
      type: 'OpenAccount',
      bookId: book,
      code: '1010',
      name: 'Kasse JPY',
      accountType: 'asset',
      currency: 'JPY',
    },
    {
      type: 'OpenAccount',
      bookId: book,
      code: '4930',
      name: 'Bürobedarf',
      accountType: 'expense',
    },
    {
      type: 'OpenAccount',
      bookId: book,
      code: '8000',
      name: 'Erlöse (Gruppe)',
      accountType: 'revenue',
    },
    {
      type: 'OpenAccount',
      bookId: book,
      code: '8400',
      name: 'Erlöse',
      accountType: 'revenue',
      parent: '8000',
    },
  ]);
  return { setup, clock, runner, readModels, reports: readModels.reports, writer };
}

/** e1 to e4 (EUR and JPY) over three recording days, e3 reversed, periods closed and reopened; caught up. */
export async function postStandardLedgerEntries({
  writer,
  clock,
  runner,
}: LedgerFixture): Promise<void> {
  await writer.execute([
    post('e1', '2026-01-05', [
      { account: '1200', debit: '10000.00' },
      { account: '0800', credit: '10000.00' },
    ]),
  ]);
  clock.set('2026-02-01T12:00:00.000Z');
  await writer.execute([
    post(
      'e2',
      '2026-01-20',
      [
        { account: '4930', debit: '119.00', memo: 'Papier' },
        { account: '1200', credit: '119.00' },
      ],
      {
        reference: 'R-1',
        metadata: { costCenter: 'HQ' },
        documents: [receipt],
      },
    ),
    post('e3', '2026-02-03', [
      { account: '1200', debit: '500.00' },
      { account: '8400', credit: '500.00' },
    ]),
    post('e4', '2026-02-04', [
      { account: '1010', debit: '15000', currency: 'JPY' },
      { account: '8400', credit: '15000', currency: 'JPY' },
    ]),
  ]);
  clock.set('2026-03-01T08:00:00.000Z');
  await writer.execute([
    {
      type: 'ReverseJournalEntry',
      bookId: book,
      entryId: 'e3',
      newEntryId: 'e3-rev',
      reason: 'Wrong customer',
      effectiveDate: '2026-02-10',
    },
    { type: 'ClosePeriod', bookId: book, period: '2025-12', today: '2026-02-01' },
    { type: 'ReopenPeriod', bookId: book, period: '2025-12', reason: 'Late invoice' },
    { type: 'ClosePeriod', bookId: book, period: '2026-01', today: '2026-02-01' },
  ]);
  await runner.catchUp();
}
