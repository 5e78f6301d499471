/**
 * The ledger projection's `applyBatch` (multi-row inserts, daily balances summed per batch) must
 * leave exactly the rows of `apply` on each event in turn: both run over the same generated
 * books (two books, EUR/JPY/USD, reversals, periods, an account closed) into two read-model
 * databases, and every table is compared row by row; on SQLite and on PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, newId } from '../../src/event-sourcing/index.js';
import { Projection, ProjectionRunner } from '../../src/infrastructure/projections/index.js';
import {
  PostgresDatabase,
  SqlDatabase,
  SqliteDatabase,
} from '../../src/infrastructure/sql/index.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { BookCommand, bookStreamId } from '../../src/ledger/index.js';
import { ledgerTableNames } from '../../src/ledger/projections/ledger-tables.js';
import { ledgerProjection } from '../../src/ledger/projections/ledger.projection.js';
import { BookWriter } from '../support/ledger-book.js';
import { createTestSchema } from '../support/postgres.js';

jest.setTimeout(120_000);

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
/** The same projection without `applyBatch`: the runner then calls `apply` per event. */
const perEventProjection: Projection = { ...ledgerProjection, applyBatch: undefined };

interface ReadModelDatabases {
  perEvent: SqlDatabase;
  batched: SqlDatabase;
  dispose(): Promise<void>;
}

const databases: [string, (dir: string) => Promise<ReadModelDatabases>][] = [
  [
    'sqlite',
    async (dir) => {
      const perEvent = SqliteDatabase.open(join(dir, 'per-event.db'));
      const batched = SqliteDatabase.open(join(dir, 'batched.db'));
      return {
        perEvent,
        batched,
        dispose: async () => void (await Promise.all([perEvent.close(), batched.close()])),
      };
    },
  ],
  [
    'postgres',
    async () => {
      const [perEventSchema, batchedSchema] = await Promise.all([
        createTestSchema(),
        createTestSchema(),
      ]);
      const perEvent = PostgresDatabase.connect(perEventSchema.url);
      const batched = PostgresDatabase.connect(batchedSchema.url);
      return {
        perEvent,
        batched,
        dispose: async () => {
          await Promise.all([perEvent.close(), batched.close()]);
          await Promise.all([perEventSchema.drop(), batchedSchema.drop()]);
        },
      };
    },
  ],
];

/** A small deterministic generator (LCG), so a failure always replays the same book. */
function random(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % below;
  };
}

const eurAccounts = ['1200', '1400', '1600', '4930', '8400'];

function openingCommands(bookId: string): BookCommand[] {
  return [
    { type: 'OpenBook', bookId, name: `Book ${bookId}`, baseCurrency: 'EUR' },
    ...eurAccounts.map((code): BookCommand => ({
      type: 'OpenAccount',
      bookId,
      code,
      name: `Account ${code}`,
      accountType: code < '4000' ? 'asset' : 'revenue',
    })),
    {
      type: 'OpenAccount',
      bookId,
      code: '1010',
      name: 'Kasse JPY',
      accountType: 'asset',
      currency: 'JPY',
    },
    {
      type: 'OpenAccount',
      bookId,
      code: '1020',
      name: 'Bank USD',
      accountType: 'asset',
      currency: 'USD',
    },
    { type: 'OpenAccount', bookId, code: '9999', name: 'Temporary', accountType: 'asset' },
    { type: 'OpenAccount', bookId, code: '0860', name: 'Gewinnvortrag', accountType: 'equity' },
  ];
}

/** Appends `appends` random groups of commands to each book, the clock moving between them. */
async function generateBooks(
  store: SqliteEventStore,
  clock: ManualClock,
  appends: number,
): Promise<void> {
  const next = random(20_260_331);
  const writers = ['alpha', 'beta'].map((bookId) => ({
    bookId,
    writer: new BookWriter(store, bookId),
    posted: [] as string[],
    reversed: new Set<string>(),
  }));
  for (const { bookId, writer } of writers) await writer.execute(openingCommands(bookId));
  let entry = 0;
  for (let append = 0; append < appends; append++) {
    const book = writers[next(writers.length)]!;
    const commands: BookCommand[] = [];
    const size = 1 + next(12);
    for (let index = 0; index < size; index++) {
      const entryId = `${book.bookId}-${entry++}`;
      const effectiveDate = `2026-0${1 + next(6)}-${String(1 + next(28)).padStart(2, '0')}`;
      const choice = next(20);
      const unreversed = book.posted.filter((id) => !book.reversed.has(id));
      if (choice === 0 && unreversed.length > 0) {
        const original = unreversed[next(unreversed.length)]!;
        book.reversed.add(original);
        book.reversed.add(entryId);
        commands.push({
          type: 'ReverseJournalEntry',
          bookId: book.bookId,
          entryId: original,
          newEntryId: entryId,
          reason: `Storno ${original}`,
        });
      } else if (choice === 1) {
        const currency = next(2) === 0 ? 'JPY' : 'USD';
        const amount =
          currency === 'JPY'
            ? String(1 + next(90_000))
            : `${1 + next(900)}.${String(next(100)).padStart(2, '0')}`;
        commands.push({
          type: 'PostJournalEntry',
          bookId: book.bookId,
          entryId,
          effectiveDate,
          description: `Foreign ${entryId}`,
          lines: [
            { account: currency === 'JPY' ? '1010' : '1020', debit: amount, currency },
            { account: '8400', credit: amount, currency },
          ],
        });
        book.posted.push(entryId);
      } else if (choice === 2) {
        commands.push(
          { type: 'ClosePeriod', bookId: book.bookId, period: '2025-11', today: '2026-01-01' },
          { type: 'ReopenPeriod', bookId: book.bookId, period: '2025-11', reason: 'late invoice' },
        );
      } else {
        const amount = `${1 + next(5000)}.${String(next(100)).padStart(2, '0')}`;
        const debit = eurAccounts[next(eurAccounts.length)]!;
        const credit = eurAccounts.filter((code) => code !== debit)[next(eurAccounts.length - 1)]!;
        commands.push({
          type: 'PostJournalEntry',
          bookId: book.bookId,
          entryId,
          effectiveDate,
          description: `Entry ${entryId}`,
          ...(next(3) === 0
            ? { reference: `R-${entry}`, metadata: { costCenter: 'HQ', n: entry } }
            : {}),
          lines: [
            { account: debit, debit: amount, ...(next(2) === 0 ? { memo: 'memo' } : {}) },
            { account: credit, credit: amount },
          ],
        });
        book.posted.push(entryId);
      }
    }
    await book.writer.execute(commands);
    clock.advance(1 + next(90_000));
  }
  // Year-end: both books carried forward (ledger_openings); alpha's opening entry reversed again.
  for (const { writer, bookId } of writers)
    await writer.execute([
      { type: 'CloseAccount', bookId, code: '9999' },
      { type: 'ClosePeriod', bookId, period: '2026-12', today: '2026-12-31' },
      {
        type: 'CarryForwardFiscalYear',
        bookId,
        fiscalYear: 2026,
        entryId: `${bookId}-opening`,
        resultAccount: '0860',
      },
      ...(bookId === 'alpha'
        ? [
            {
              type: 'ReverseJournalEntry' as const,
              bookId,
              entryId: 'alpha-opening',
              newEntryId: 'alpha-opening-reversed',
              reason: 'Nachbuchung',
            },
          ]
        : []),
    ]);
}

async function tableRows(db: SqlDatabase, table: string): Promise<unknown[]> {
  const columns = await db.query<Record<string, unknown>>(`SELECT * FROM ${table} LIMIT 1`);
  const order = Object.keys(columns[0] ?? { 1: 1 }).join(', ');
  return db.query(`SELECT * FROM ${table} ORDER BY ${order}`);
}

/** Built after a rebuild filled the tables (setupForRebuild leaves them out). */
async function secondaryIndexes(db: SqlDatabase): Promise<string[]> {
  const sql =
    db.dialect === 'sqlite'
      ? "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ledger%by%' ORDER BY name"
      : "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE 'ledger%by%' ORDER BY indexname";
  return (await db.query<{ name: string }>(sql)).map((row) => row.name);
}

describe.each(databases)('ledger projection applyBatch on %s', (_, openDatabases) => {
  let dir: string;
  let clock: ManualClock;
  let store: SqliteEventStore;
  let dbs: ReadModelDatabases;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kontor-ledger-batch-'));
    clock = new ManualClock(new Date('2026-01-01T08:00:00.000Z'));
    store = await SqliteEventStore.open(join(dir, 'events.db'), { clock });
    dbs = await openDatabases(dir);
  });

  afterEach(async () => {
    await dbs.dispose();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves exactly the rows of apply per event, in every table (catch-up and rebuild)', async () => {
    await generateBooks(store, clock, 150);
    const perEvent = new ProjectionRunner(perEventProjection, store, dbs.perEvent, {
      logger: silent,
      batchSize: 7,
    });
    const batched = new ProjectionRunner(ledgerProjection, store, dbs.batched, {
      logger: silent,
      batchSize: 97,
    });
    await perEvent.catchUp();
    await batched.catchUp();
    const head = await store.headPosition();
    expect(perEvent.checkpointPosition).toBe(head);
    expect(batched.checkpointPosition).toBe(head);

    const [lines] = await dbs.batched.query<{ count: number }>(
      'SELECT COUNT(*) AS count FROM ledger_lines',
    );
    const [reversed] = await dbs.batched.query<{ count: number }>(
      'SELECT COUNT(*) AS count FROM ledger_entries WHERE reversed_by IS NOT NULL',
    );
    expect(Number(lines!.count)).toBeGreaterThan(1000);
    expect(Number(reversed!.count)).toBeGreaterThan(5);
    const openings = await dbs.batched.query<{ entry_id: string; reversed_at: string | null }>(
      'SELECT entry_id, reversed_at FROM ledger_openings ORDER BY entry_id',
    );
    expect(openings.map((row) => [row.entry_id, row.reversed_at !== null])).toEqual([
      ['alpha-opening', true],
      ['beta-opening', false],
    ]);
    for (const table of ledgerTableNames)
      expect({ table, rows: await tableRows(dbs.batched, table) }).toEqual({
        table,
        rows: await tableRows(dbs.perEvent, table),
      });

    await batched.rebuild();
    expect(await secondaryIndexes(dbs.batched)).toEqual([
      'ledger_entries_by_date',
      'ledger_lines_by_account',
      'ledger_lines_by_recorded',
    ]);
    for (const table of ledgerTableNames)
      expect({ table, rows: await tableRows(dbs.batched, table) }).toEqual({
        table,
        rows: await tableRows(dbs.perEvent, table),
      });
  });

  it('sets the book aside like apply per event on a reversal that comes before its original', async () => {
    const metadata = { actor: { id: 'test', name: 'Test' }, correlationId: newId() };
    const line = (side: 'debit' | 'credit') => ({
      account: '1200',
      side,
      amountMinor: '100',
      currency: 'EUR',
    });
    const entry = (entryId: string, reversalOf?: string) => ({
      eventId: newId(),
      type: 'JournalEntryPosted',
      data: {
        entryId,
        effectiveDate: '2026-01-02',
        description: entryId,
        lines: [line('debit'), line('credit')],
        ...(reversalOf ? { reversalOf } : {}),
      },
      metadata,
    });
    await store.append(bookStreamId('alpha'), [
      {
        eventId: newId(),
        type: 'BookOpened',
        data: { bookId: 'alpha', name: 'Alpha', baseCurrency: 'EUR', fiscalYearStartMonth: 1 },
        metadata,
      },
      entry('x-rev', 'x'),
      entry('x'),
    ]);
    const perEvent = new ProjectionRunner(perEventProjection, store, dbs.perEvent, {
      logger: silent,
    });
    const batched = new ProjectionRunner(ledgerProjection, store, dbs.batched, { logger: silent });
    await perEvent.catchUp();
    await batched.catchUp();
    // Both set the book aside at the reversal (BookOpened is position 1), neither applies more.
    const setAside = {
      partition: 'alpha',
      position: 2n,
      error: expect.stringContaining('reversal'),
    };
    expect(perEvent.quarantined('alpha')).toEqual(setAside);
    expect(batched.quarantined('alpha')).toEqual(setAside);
  });
});
