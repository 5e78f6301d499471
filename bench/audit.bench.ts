// `npm run bench -- audit [--events N] [--runs R] [--dir DIR]`: on SQLite, with N events (default
// 1,000,000): the speed of `verify` (events/s, whole log, constant memory), the audit-trail
// rebuild, and the p50/p95 latency of filtered audit queries (actor, type, stream, correlation
// id, book + time range; first pages and pages deep in the log). Figures: docs/benchmarks.md.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditTrailProjection } from '../src/audit/projections/audit-trail.projection.js';
import { readAuditPage } from '../src/audit/projections/audit-trail.queries.js';
import { AuditFilter } from '../src/audit/domain/audit-entry.js';
import { ManualClock, NewEvent } from '../src/event-sourcing/index.js';
import { ProjectionRunner } from '../src/infrastructure/projections/index.js';
import { SqliteDatabase } from '../src/infrastructure/sql/index.js';
import { SqliteEventStore } from '../src/infrastructure/sqlite/sqlite-event-store.js';

const booksCount = 20;
const actorsCount = 50;
const appendsPerRound = 500;
const eventsPerAppend = 2;
/** The log spans one year, whatever its size, so time filters select days and months. */
const logSpanSeconds = 365 * 86_400;

interface Options {
  events: number;
  runs: number;
  dir?: string;
}

function parseOptions(args: string[]): Options {
  const value = (name: string) => {
    const index = args.indexOf(`--${name}`);
    return index === -1 ? undefined : args[index + 1];
  };
  return {
    events: Number(value('events') ?? 1_000_000),
    runs: Number(value('runs') ?? 200),
    ...(value('dir') ? { dir: value('dir')! } : {}),
  };
}

function journalEntry(
  round: number,
  append: number,
  index: number,
  book: number,
  actor: number,
): NewEvent {
  const amountMinor = String(1 + ((round * 7919 + append * 104729 + index) % 10_000_000));
  return {
    eventId: `e-${round}-${append}-${index}`,
    type:
      index === 0
        ? 'JournalEntryPosted'
        : append % 10 === 0
          ? 'ApprovalRequested'
          : 'JournalEntryPosted',
    data: {
      entryId: `JE-${round}-${append}-${index}`,
      effectiveDate: '2026-02-01',
      description: `Rent February ${round}`,
      lines: [
        { account: '6310', side: 'debit', amountMinor, currency: 'EUR' },
        { account: '1200', side: 'credit', amountMinor, currency: 'EUR' },
      ],
    },
    metadata: {
      actor: { id: `key-${actor}`, name: `person-${actor}` },
      correlationId: `corr-${round}-${append}`,
      book: `book-${book}`,
      commandId: `cmd-${round}-${append}`,
    },
  };
}

async function fillLog(store: SqliteEventStore, clock: ManualClock, events: number): Promise<void> {
  const rounds = Math.ceil(events / (appendsPerRound * eventsPerAppend));
  const secondsPerRound = logSpanSeconds / rounds;
  const startedAt = performance.now();
  for (let round = 0; round < rounds; round++) {
    const appends: Promise<unknown>[] = [];
    for (let append = 0; append < appendsPerRound; append++) {
      const book = (round + append) % booksCount;
      const actor = (round * 31 + append) % actorsCount;
      const batch = Array.from({ length: eventsPerAppend }, (_, index) =>
        journalEntry(round, append, index, book, actor),
      );
      appends.push(store.append(`book-${book}`, batch));
    }
    await Promise.all(appends);
    clock.advance(Math.round(secondsPerRound * 1000));
    if (round % 100 === 0)
      process.stderr.write(
        `\rfilling the log: ${(round * appendsPerRound * eventsPerAppend).toLocaleString()} events`,
      );
  }
  const seconds = (performance.now() - startedAt) / 1000;
  process.stderr.write(`\rfilled ${events.toLocaleString()} events in ${seconds.toFixed(1)} s\n`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(
  db: SqliteDatabase,
  name: string,
  runs: number,
  makeQuery: (run: number) => { filter: AuditFilter; after: bigint },
) {
  const times: number[] = [];
  let rows = 0;
  for (let run = 0; run < runs; run++) {
    const { filter, after } = makeQuery(run);
    const startedAt = performance.now();
    const page = await readAuditPage(db, filter, after, 100);
    times.push(performance.now() - startedAt);
    rows += page.items.length;
  }
  times.sort((a, b) => a - b);
  console.log(
    `| ${name.padEnd(44)} | ${percentile(times, 50).toFixed(2).padStart(7)} | ${percentile(times, 95).toFixed(2).padStart(7)} | ${percentile(times, 100).toFixed(2).padStart(7)} | ${(rows / runs).toFixed(0).padStart(5)} |`,
  );
}

export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'kontor-bench-audit-'));
  mkdirSync(dir, { recursive: true });
  const clock = new ManualClock(new Date('2026-01-01T00:00:00.000Z'));
  const store = await SqliteEventStore.open(join(dir, 'events.db'), { clock });
  const db = SqliteDatabase.open(join(dir, 'readmodels.db'));
  try {
    if ((await store.headPosition()) === 0n) await fillLog(store, clock, options.events);
    const head = await store.headPosition();
    await timeVerify(store);
    await timeAuditTrailCatchUp(store, db, head);
    await db.execute('ANALYZE');
    await measureQueries(db, head, options.runs);
  } finally {
    await db.close();
    await store.close();
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  }
}

async function timeVerify(store: SqliteEventStore): Promise<void> {
  const startedAt = performance.now();
  const verify = await store.verify();
  const seconds = (performance.now() - startedAt) / 1000;
  console.log(
    `verify: ${verify.ok ? 'ok' : 'BROKEN'}, ${verify.checkedEvents.toLocaleString()} events in ${seconds.toFixed(2)} s = ${Math.round(verify.checkedEvents / seconds).toLocaleString()} events/s; rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`,
  );
}

async function timeAuditTrailCatchUp(
  store: SqliteEventStore,
  db: SqliteDatabase,
  head: bigint,
): Promise<void> {
  const runner = new ProjectionRunner(auditTrailProjection, store, db, {
    batchSize: 1000,
    logger: { log: () => undefined, warn: console.warn, error: console.error },
  });
  const startedAt = performance.now();
  await runner.catchUp();
  const seconds = (performance.now() - startedAt) / 1000;
  console.log(`audit-trail catch-up to ${head}: ${seconds.toFixed(1)} s`);
}

/** The query table: filters on one field, then filters on a time range. */
async function measureQueries(db: SqliteDatabase, head: bigint, runs: number): Promise<void> {
  const [span] = await db.query<{ first: string; last: string }>(
    'SELECT MIN(recorded_at) AS first, MAX(recorded_at) AS last FROM audit_trail',
  );
  const { first, last } = span!;
  const firstMs = Date.parse(first);
  const spanMs = Date.parse(last) - firstMs;
  console.log(`\n${head.toLocaleString()} rows, ${runs} runs each, 100 rows per page (ms)\n`);
  console.log(
    '| query                                        |     p50 |     p95 |     max |  rows |',
  );
  console.log(
    '|----------------------------------------------|--------:|--------:|--------:|------:|',
  );
  await measureFieldQueries(db, head, runs);
  await measureTimeRangeQueries(db, runs, firstMs, spanMs);
}

/** Actor, type, stream and correlation id; first pages and pages from the middle of the log. */
async function measureFieldQueries(db: SqliteDatabase, head: bigint, runs: number): Promise<void> {
  const rounds = Number(head) / (appendsPerRound * eventsPerAppend);
  const middle = head / 2n;
  await measure(db, 'actor (name), first page', runs, (r) => ({
    filter: { actor: `person-${r % actorsCount}` },
    after: 0n,
  }));
  await measure(db, 'actor (key id), page from the middle', runs, (r) => ({
    filter: { actor: `key-${r % actorsCount}` },
    after: middle,
  }));
  await measure(db, 'type ApprovalRequested, first page', runs, () => ({
    filter: { type: 'ApprovalRequested' },
    after: 0n,
  }));
  await measure(db, 'type, page from the middle', runs, () => ({
    filter: { type: 'ApprovalRequested' },
    after: middle,
  }));
  await measure(db, 'stream, page from the middle', runs, (r) => ({
    filter: { stream: `book-${r % booksCount}` },
    after: middle,
  }));
  await measure(db, 'correlationId', runs, (r) => ({
    filter: {
      correlationId: `corr-${Math.floor((r * 7) % rounds)}-${(r * 13) % appendsPerRound}`,
    },
    after: 0n,
  }));
}

/** Time ranges, alone and with a book (and an actor); `firstMs` and `spanMs` are the log's. */
async function measureTimeRangeQueries(
  db: SqliteDatabase,
  runs: number,
  firstMs: number,
  spanMs: number,
): Promise<void> {
  await measure(db, 'book + one month (from/to)', runs, (r) => {
    const from = new Date(firstMs + ((r * 37) % 11) * (spanMs / 12));
    const to = new Date(from.getTime() + 30 * 86_400_000);
    return {
      filter: { book: `book-${r % booksCount}`, from: from.toISOString(), to: to.toISOString() },
      after: 0n,
    };
  });
  await measure(db, 'book + one day, actor (AND of three)', runs, (r) => {
    const from = new Date(firstMs + ((r * 37) % 300) * 86_400_000);
    return {
      filter: {
        book: `book-${r % booksCount}`,
        actor: `person-${(r * 3) % actorsCount}`,
        from: from.toISOString(),
        to: new Date(from.getTime() + 86_400_000).toISOString(),
      },
      after: 0n,
    };
  });
  await measure(db, 'time range only (one week)', runs, (r) => {
    const from = new Date(firstMs + ((r * 37) % 50) * 7 * 86_400_000);
    return {
      filter: {
        from: from.toISOString(),
        to: new Date(from.getTime() + 7 * 86_400_000).toISOString(),
      },
      after: 0n,
    };
  });
}
