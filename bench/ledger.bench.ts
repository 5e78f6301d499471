// `npm run bench -- ledger [--quick] [--only sqlite|postgres] [--skip-http] [--skip-rebuild]`
//
// 1. Postings over HTTP: 2-line journal entries POSTed by autocannon at 64 connections against the
//    real server (SQLite, then PostgreSQL), postings/s with p50/p99, beside the same server's
//    GET /health rate in the same run (autocannon in a worker thread, off the server's event loop);
//    then the batch route (1,000 entries per request, 4 connections), entries/s and its ratio to
//    the single postings (issue #17's targets).
// 2. Rebuild: the ledger read models rebuilt from 1,000,000 events (SQLite), events/s and the
//    child process's peak RSS; then trial-balance timings over the 1,000,000 lines.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { createApp } from '../src/main.js';
import {
  ProjectionRunner,
  rebuildBatchSizeDefault,
} from '../src/infrastructure/projections/index.js';
import { SqliteDatabase } from '../src/infrastructure/sql/index.js';
import { SqliteEventStore } from '../src/infrastructure/sqlite/sqlite-event-store.js';
import { ledgerReadModels } from '../src/ledger/projections/ledger-read-models.js';
import { ledgerProjection } from '../src/ledger/projections/ledger.projection.js';
import { generateLog } from './ledger-log.js';
import { createBenchSchema } from './postgres-schema.js';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

const connections = 64;
/** autocannon runs in a worker thread, so the load generator does not share the server's event loop. */
const loadWorkers = 1;
const warmupSeconds = 3;
/** Entries per batch request (the route's bound) and batch requests in flight. */
const batchEntries = 1_000;
const batchConnections = 4;
const targets = {
  sqlitePostingsPerSecond: 3_000,
  sqliteP99Milliseconds: 50,
  postgresPostingsPerSecond: 1_500,
  // Issue #17: single postings at ≥ half the same server's /health rate, p99 < 25 ms (both
  // engines); the batch route ≥ 20,000 entries/s on SQLite and ≥ 10× the single postings.
  postingsPerHealth: 0.5,
  p99Milliseconds: 25,
  sqliteBatchEntriesPerSecond: 20_000,
  batchPerSingle: 10,
  rebuildEventsPerSecond: 100_000,
  rebuildRssMegabytes: 500,
  trialBalanceMilliseconds: 200,
};

type Engine = 'sqlite' | 'postgres';

interface PostingResult {
  engine: Engine;
  postingsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  healthPerSecond: number;
  batchEntriesPerSecond: number;
  batchErrors: number;
}

async function postingBench(engine: Engine, durationSeconds: number): Promise<PostingResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kontor-bench-ledger-'));
  const schema = engine === 'postgres' ? await createBenchSchema('ledger') : undefined;
  const adminKey = `bench_admin_${randomBytes(24).toString('hex')}`;
  const config = loadConfig({
    KONTOR_STORE: engine,
    KONTOR_DATA_DIR: dataDir,
    KONTOR_ADMIN_KEY: adminKey,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ...(schema ? { DATABASE_URL: schema.url } : {}),
  });
  const app = await createApp(config);
  try {
    await app.listen(0, '127.0.0.1');
    const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
    await openBenchBook(baseUrl, headers);
    const { postings, health, batches } = await postingLoads(baseUrl, headers, durationSeconds);
    return {
      batchEntriesPerSecond: batches.requests.average * batchEntries,
      batchErrors: batches.non2xx + batches.errors,
      engine,
      postingsPerSecond: postings.requests.average,
      p50: postings.latency.p50,
      p99: postings.latency.p99,
      errors: postings.non2xx + postings.errors,
      healthPerSecond: health.requests.average,
    };
  } finally {
    await app.close();
    await schema?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The book `bench` with the two accounts the postings use, over HTTP. */
async function openBenchBook(baseUrl: string, headers: Record<string, string>): Promise<void> {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    if (response.status !== 201)
      throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  };
  await post('/v1/books', { id: 'bench', name: 'Bench GmbH', baseCurrency: 'EUR' });
  await post('/v1/books/bench/accounts', { code: '1200', name: 'Bank', type: 'asset' });
  await post('/v1/books/bench/accounts', { code: '8400', name: 'Erlöse', type: 'revenue' });
}

/** Single postings, GET /health and batch postings, each warmed up unmeasured first. */
async function postingLoads(
  baseUrl: string,
  headers: Record<string, string>,
  durationSeconds: number,
): Promise<{ postings: AutocannonResult; health: AutocannonResult; batches: AutocannonResult }> {
  const body = JSON.stringify({
    effectiveDate: '2026-03-31',
    description: 'Bench posting',
    lines: [
      { account: '1200', debit: '119.00' },
      { account: '8400', credit: '119.00' },
    ],
  });
  const postingLoad = {
    url: `${baseUrl}/v1/books/bench/journal-entries`,
    method: 'POST',
    headers,
    body,
    connections,
    workers: loadWorkers,
  };
  const healthLoad = { url: `${baseUrl}/health`, connections, workers: loadWorkers };
  // Unmeasured warm-up (JIT, statement caches, the first snapshots): the figures are the steady state.
  await autocannon({ ...postingLoad, duration: warmupSeconds });
  const postings = await autocannon({ ...postingLoad, duration: durationSeconds });
  await autocannon({ ...healthLoad, duration: warmupSeconds });
  const health = await autocannon({ ...healthLoad, duration: durationSeconds });
  const entry = JSON.parse(body) as object;
  const batchLoad = {
    url: `${baseUrl}/v1/books/bench/journal-entries/batch`,
    method: 'POST',
    headers,
    body: JSON.stringify({ entries: Array.from({ length: batchEntries }, () => entry) }),
    connections: batchConnections,
    workers: loadWorkers,
  };
  await autocannon({ ...batchLoad, duration: warmupSeconds });
  const batches = await autocannon({ ...batchLoad, duration: durationSeconds });
  return { postings, health, batches };
}

interface RebuildResult extends BalanceReadTimings {
  events: number;
  seconds: number;
  /** The rebuild's user + system CPU: comparable across runs on a loaded machine, unlike `seconds`. */
  cpuSeconds: number;
  eventsPerSecond: number;
  peakRssMegabytes: number;
}

interface BalanceReadTimings {
  trialBalanceMilliseconds: number;
  trialBalanceKnownAtMilliseconds: number;
  trialBalanceKnownAtMiddleMilliseconds: number;
  accountBalanceKnownAtMilliseconds: number;
  trialBalanceKnownAtPositionMilliseconds: number;
  trialBalanceKnownAtPositionMiddleMilliseconds: number;
}

/** In a child process, so its peak RSS is the rebuild's alone. */
async function rebuildChild(dir: string): Promise<void> {
  const store = await SqliteEventStore.open(join(dir, 'events.db'), { readOnly: true });
  const db = SqliteDatabase.open(join(dir, 'readmodels.db'));
  const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const runner = new ProjectionRunner(ledgerProjection, store, db, {
    batchSize: 1_000,
    rebuildBatchSize: rebuildBatchSizeDefault,
    logger: silent,
  });
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  await runner.rebuild();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  const events = Number(runner.checkpointPosition);
  const peakRssMegabytes = process.resourceUsage().maxRSS / 1024;
  const result: RebuildResult = {
    events,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    eventsPerSecond: events / seconds,
    peakRssMegabytes,
    ...(await timeBalanceReads(db)),
  };
  await db.close();
  await store.close();
  process.send!(result);
}

/** The second of two calls, in milliseconds: the first warms the statement caches. */
async function timeWarm(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Trial balances and an account balance, as of and known at, over the rebuilt read models. */
async function timeBalanceReads(db: SqliteDatabase): Promise<BalanceReadTimings> {
  const { reports, balances } = ledgerReadModels(db);
  // knownAt where 90 % of the lines were recorded (the documented case), and at half of them: the
  // worst case, as the balance reads the smaller side of knownAt.
  const [{ count: lineCount }] = (await db.query<{ count: number }>(
    'SELECT COUNT(*) AS count FROM ledger_lines',
  )) as [{ count: number }];
  const recordedAtShare = async (share: number) => {
    const [line] = await db.query<{ recorded_at: string }>(
      'SELECT recorded_at FROM ledger_lines ORDER BY position LIMIT 1 OFFSET ?',
      [Math.floor(lineCount * share)],
    );
    return line?.recorded_at ?? new Date().toISOString();
  };
  const knownAt = await recordedAtShare(0.9);
  const knownAtMiddle = await recordedAtShare(0.5);
  const positionAtShare = async (share: number) => {
    const [line] = await db.query<{ position: unknown }>(
      'SELECT position FROM ledger_lines ORDER BY position LIMIT 1 OFFSET ?',
      [Math.floor(lineCount * share)],
    );
    return BigInt(String(line?.position ?? 0));
  };
  const knownAtPosition = await positionAtShare(0.9);
  const knownAtPositionMiddle = await positionAtShare(0.5);
  return {
    trialBalanceMilliseconds: await timeWarm(() =>
      reports.trialBalance('bench', { asOf: '2025-09-30' }),
    ),
    trialBalanceKnownAtMilliseconds: await timeWarm(() =>
      reports.trialBalance('bench', { asOf: '2025-09-30', knownAt }),
    ),
    trialBalanceKnownAtMiddleMilliseconds: await timeWarm(() =>
      reports.trialBalance('bench', { asOf: '2025-09-30', knownAt: knownAtMiddle }),
    ),
    accountBalanceKnownAtMilliseconds: await timeWarm(() =>
      balances.sums('bench', { account: '1200', knownAt }),
    ),
    trialBalanceKnownAtPositionMilliseconds: await timeWarm(() =>
      reports.trialBalance('bench', { asOf: '2025-09-30', knownAtPosition }),
    ),
    trialBalanceKnownAtPositionMiddleMilliseconds: await timeWarm(() =>
      reports.trialBalance('bench', { asOf: '2025-09-30', knownAtPosition: knownAtPositionMiddle }),
    ),
  };
}

function runRebuildChild(dir: string): Promise<RebuildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--rebuild-child', dir], { stdio: 'inherit' });
    child.once('message', (message) => resolve(message as RebuildResult));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? undefined : reject(new Error(`rebuild child exited with ${code}`)),
    );
  });
}

function mark(ok: boolean): string {
  return ok ? 'ok' : 'MISSED';
}

export async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const onlyIndex = args.indexOf('--only');
  const engines: Engine[] =
    onlyIndex >= 0 ? [args[onlyIndex + 1] as Engine] : ['sqlite', 'postgres'];
  const durationSeconds = quick ? 5 : 15;
  if (!args.includes('--skip-http')) {
    for (const engine of engines)
      reportPostings(await postingBench(engine, durationSeconds), durationSeconds);
  }
  if (!args.includes('--skip-rebuild')) await rebuildBench(quick ? 100_000 : 1_000_000);
}

/** Prints one engine's postings against their targets (this bench's and issue #17's). */
function reportPostings(result: PostingResult, durationSeconds: number): void {
  const { engine } = result;
  const target =
    engine === 'sqlite' ? targets.sqlitePostingsPerSecond : targets.postgresPostingsPerSecond;
  const p99Ok = engine !== 'sqlite' || result.p99 < targets.sqliteP99Milliseconds;
  console.log(
    `postings ${engine}: ${result.postingsPerSecond.toFixed(0)}/s (target ≥ ${target}: ${mark(result.postingsPerSecond >= target)}), ` +
      `p50 ${result.p50} ms, p99 ${result.p99} ms${engine === 'sqlite' ? ` (target < ${targets.sqliteP99Milliseconds}: ${mark(p99Ok)})` : ''}, ` +
      `errors ${result.errors}; GET /health ${result.healthPerSecond.toFixed(0)}/s (${connections} connections, ${durationSeconds} s)`,
  );
  const perHealth = result.postingsPerSecond / result.healthPerSecond;
  const perSingle = result.batchEntriesPerSecond / result.postingsPerSecond;
  const batchOk =
    perSingle >= targets.batchPerSingle &&
    (engine !== 'sqlite' || result.batchEntriesPerSecond >= targets.sqliteBatchEntriesPerSecond);
  console.log(
    `issue #17 ${engine}: postings ÷ /health ${perHealth.toFixed(2)} (target ≥ ${targets.postingsPerHealth}: ${mark(perHealth >= targets.postingsPerHealth)}), ` +
      `p99 ${result.p99} ms (target < ${targets.p99Milliseconds}: ${mark(result.p99 < targets.p99Milliseconds)}); ` +
      `batch ${result.batchEntriesPerSecond.toFixed(0)} entries/s = ${perSingle.toFixed(1)}× single ` +
      `(target ≥ ${targets.batchPerSingle}×${engine === 'sqlite' ? ` and ≥ ${targets.sqliteBatchEntriesPerSecond}/s` : ''}: ${mark(batchOk)}), ` +
      `errors ${result.batchErrors} (${batchEntries} entries per request, ${batchConnections} connections)`,
  );
}

/** Generates a log of `events` events, rebuilds the ledger read models from it and times the reads. */
async function rebuildBench(events: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kontor-bench-rebuild-'));
  try {
    const started = Date.now();
    await generateLog(join(dir, 'events.db'), events);
    console.log(`generated ${events} events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const result = await runRebuildChild(dir);
    console.log(
      `rebuild: ${result.events} events in ${result.seconds.toFixed(1)} s (${result.cpuSeconds.toFixed(1)} CPU s) = ${result.eventsPerSecond.toFixed(0)} events/s ` +
        `(target ≥ ${targets.rebuildEventsPerSecond}: ${mark(result.eventsPerSecond >= targets.rebuildEventsPerSecond)}), ` +
        `peak RSS ${result.peakRssMegabytes.toFixed(0)} MB (target < ${targets.rebuildRssMegabytes}: ${mark(result.peakRssMegabytes < targets.rebuildRssMegabytes)})`,
    );
    console.log(
      `trial balance over ${result.events} lines×2: asOf ${result.trialBalanceMilliseconds.toFixed(1)} ms, ` +
        `asOf+knownAt (90 % of the lines known) ${result.trialBalanceKnownAtMilliseconds.toFixed(1)} ms, ` +
        `asOf+knownAt (50 %, the worst case) ${result.trialBalanceKnownAtMiddleMilliseconds.toFixed(1)} ms, ` +
        `account balance knownAt (90 %) ${result.accountBalanceKnownAtMilliseconds.toFixed(1)} ms, ` +
        `asOf+knownAtPosition (90 %) ${result.trialBalanceKnownAtPositionMilliseconds.toFixed(1)} ms, ` +
        `asOf+knownAtPosition (50 %) ${result.trialBalanceKnownAtPositionMiddleMilliseconds.toFixed(1)} ms ` +
        `(target < ${targets.trialBalanceMilliseconds})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module && process.argv[2] === '--rebuild-child') {
  rebuildChild(process.argv[3]!).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
