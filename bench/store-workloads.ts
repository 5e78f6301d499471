// The three event store workloads of `npm run bench -- store`, written once and run against every
// store (Kontor's and the peers'), each in its own fresh process: the peer scripts in
// bench/peers/* require this compiled module, so every store gets exactly the same events, the
// same warm-up and the same clock.
import { performance } from 'node:perf_hooks';
import { commandEventId, newId } from '../src/event-sourcing/ids.js';

/** An event as the workloads make it; each adapter maps it to its store's own shape. */
export interface BenchEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: {
    actor: { id: string; name: string };
    correlationId: string;
    commandId: string;
    book: string;
  };
}

/** The same three operations, on any store. Revisions are Kontor's: the first event of a stream is 0. */
export interface BenchStore {
  /** Appends to a stream that must not exist yet. */
  appendToNewStream(streamId: string, events: BenchEvent[]): Promise<void>;
  /** Appends one event with optimistic concurrency; returns the stream's new last revision. */
  appendExpecting(
    streamId: string,
    event: BenchEvent,
    expectedRevision: number | 'no_stream',
  ): Promise<number>;
  /** Reads the global log after a position (exclusive); returns how many events and the last position. */
  readAllPage(after: bigint, limit: number): Promise<{ count: number; lastPosition: bigint }>;
  close(): Promise<void>;
}

export interface WorkloadConfig {
  /** (a): events appended by one writer in batches of `batchSize` to fresh streams. */
  batchedEvents: number;
  batchSize: number;
  /** (b): events appended one per call by `writers` concurrent writers, each on its own stream. */
  concurrentEvents: number;
  writers: number;
  /** (c): page size of the read-all pass over the whole log. */
  readPageSize: number;
}

export interface WorkloadResult {
  eventsPerSecond: number;
  events: number;
  seconds: number;
  p50Milliseconds?: number;
  p99Milliseconds?: number;
}

export interface StoreBenchResult {
  store: string;
  batched: WorkloadResult;
  concurrent: WorkloadResult;
  readAll: WorkloadResult;
  notes: string[];
}

/** Warm-up before each measured workload: JIT, statement caches, pool connections. */
const warmupBatches = 10;
const warmupAppendsPerWriter = 3;
const warmupReadPages = 5;

const accountCodes = ['1000', '1200', '2000', '4000', '5000', '6100'];

/**
 * A journal-entry-like event: ~300 bytes of data, metadata with actor and correlation id. Ids as
 * in production: a UUIDv7 command id, the event id derived from it (`toNewEvents`).
 */
export function makeEvent(sequence: number): BenchEvent {
  const commandId = newId();
  const amountMinor = String(10_000 + ((sequence * 7919) % 990_000));
  const debit = accountCodes[sequence % accountCodes.length]!;
  const credit = accountCodes[(sequence + 3) % accountCodes.length]!;
  return {
    eventId: commandEventId(commandId, 0),
    type: 'JournalEntryPosted',
    data: {
      entryId: `je-${sequence.toString().padStart(9, '0')}`,
      effectiveDate: '2026-03-31',
      currency: 'EUR',
      description: `Invoice ${sequence} from supplier, March services`,
      lines: [
        { accountCode: debit, side: 'debit', amountMinor, memo: 'services' },
        { accountCode: credit, side: 'credit', amountMinor, memo: 'payable' },
      ],
      reference: `INV-2026-${(sequence % 100_000).toString().padStart(5, '0')}`,
    },
    metadata: {
      actor: { id: 'key_01HZX3M4B6Q9', name: 'Ada Lovelace' },
      correlationId: newId(),
      commandId,
      book: 'acme-gmbh',
    },
  };
}

function result(events: number, milliseconds: number): WorkloadResult {
  const seconds = milliseconds / 1000;
  return {
    eventsPerSecond: Math.round(events / seconds),
    events,
    seconds: Number(seconds.toFixed(3)),
  };
}

function percentile(sortedMilliseconds: number[], fraction: number): number {
  if (sortedMilliseconds.length === 0) return 0;
  const index = Math.min(
    sortedMilliseconds.length - 1,
    Math.ceil(fraction * sortedMilliseconds.length) - 1,
  );
  return Number(sortedMilliseconds[Math.max(0, index)]!.toFixed(2));
}

class EventCounter {
  private next = 0;
  take(): BenchEvent {
    return makeEvent(this.next++);
  }
  batch(size: number): BenchEvent[] {
    return Array.from({ length: size }, () => this.take());
  }
}

/** (a) One writer, batches of `batchSize` to fresh streams with expected revision `no_stream`. */
async function batchedAppends(
  store: BenchStore,
  config: WorkloadConfig,
  events: EventCounter,
): Promise<WorkloadResult> {
  for (let i = 0; i < warmupBatches; i++)
    await store.appendToNewStream(`warmup-batch-${i}`, events.batch(config.batchSize));
  const batches = Math.ceil(config.batchedEvents / config.batchSize);
  const prepared = Array.from({ length: batches }, () => events.batch(config.batchSize));
  const started = performance.now();
  for (const [i, batch] of prepared.entries()) await store.appendToNewStream(`batch-${i}`, batch);
  return result(batches * config.batchSize, performance.now() - started);
}

/** (b) `writers` concurrent writers, one event per call, each expecting its own last revision. */
async function concurrentAppends(
  store: BenchStore,
  config: WorkloadConfig,
  events: EventCounter,
): Promise<WorkloadResult> {
  const perWriter = Math.ceil(config.concurrentEvents / config.writers);
  const lastRevisions = await Promise.all(
    Array.from({ length: config.writers }, async (_, writer) => {
      let revision: number | 'no_stream' = 'no_stream';
      for (let i = 0; i < warmupAppendsPerWriter; i++) {
        revision = await store.appendExpecting(`writer-${writer}`, events.take(), revision);
      }
      return revision;
    }),
  );
  const prepared = Array.from({ length: config.writers }, () => events.batch(perWriter));
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    prepared.map(async (writerEvents, writer) => {
      let revision = lastRevisions[writer]!;
      for (const event of writerEvents) {
        const callStarted = performance.now();
        revision = await store.appendExpecting(`writer-${writer}`, event, revision);
        latencies.push(performance.now() - callStarted);
      }
    }),
  );
  const measured = result(perWriter * config.writers, performance.now() - started);
  latencies.sort((x, y) => x - y);
  return {
    ...measured,
    p50Milliseconds: percentile(latencies, 0.5),
    p99Milliseconds: percentile(latencies, 0.99),
  };
}

/** (c) The whole global log, page by page. */
async function readAll(store: BenchStore, config: WorkloadConfig): Promise<WorkloadResult> {
  let after = 0n;
  for (let i = 0; i < warmupReadPages; i++)
    after = (await store.readAllPage(after, config.readPageSize)).lastPosition;
  let total = 0;
  after = 0n;
  const started = performance.now();
  for (;;) {
    const page = await store.readAllPage(after, config.readPageSize);
    if (page.count === 0) break;
    total += page.count;
    after = page.lastPosition;
  }
  return result(total, performance.now() - started);
}

function progress(store: string, message: string): void {
  process.stderr.write(`  ${store}: ${message}\n`);
}

export async function runWorkloads(
  name: string,
  store: BenchStore,
  config: WorkloadConfig,
): Promise<StoreBenchResult> {
  const events = new EventCounter();
  try {
    progress(
      name,
      `(a) ${config.batchedEvents} events, one writer, batches of ${config.batchSize}`,
    );
    const batched = await batchedAppends(store, config, events);
    progress(
      name,
      `(b) ${config.concurrentEvents} events, ${config.writers} concurrent writers, one event per call`,
    );
    const concurrent = await concurrentAppends(store, config, events);
    progress(name, `(c) read all, pages of ${config.readPageSize}`);
    const read = await readAll(store, config);
    return { store: name, batched, concurrent, readAll: read, notes: [] };
  } finally {
    await store.close();
  }
}

/** What a child process receives as its one argument (JSON). */
export interface ChildArguments {
  /** A SQLite file path or a PostgreSQL URL (with the bench schema in its search_path). */
  target: string;
  config: WorkloadConfig;
}

/**
 * Entry point of a child process: parses its argument, runs the workloads and prints the result
 * as the last line of stdout (progress goes to stderr). `notes` are read after the run.
 */
export async function runChild(
  name: string,
  open: (target: string) => Promise<BenchStore>,
  argument: string | undefined,
  notes: () => string[] = () => [],
): Promise<void> {
  if (argument === undefined)
    throw new Error(`${name}: expected one JSON argument {target, config}`);
  const { target, config } = JSON.parse(argument) as ChildArguments;
  const store = await open(target);
  const measured = await runWorkloads(name, store, config);
  process.stdout.write(
    `${JSON.stringify({ ...measured, notes: [...measured.notes, ...notes()] })}\n`,
  );
}
