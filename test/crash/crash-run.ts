/**
 * One crash-consistency run (docs/reliability.md): a real `kontor serve` process on a fresh
 * SQLite data dir or PostgreSQL schema, `clients` concurrent clients posting entries with
 * Idempotency-Keys, and a killer that SIGKILLs the server `kills` times at seeded random moments
 * (while requests are in flight, and some during a boot) and restarts it. Then the end checks
 * (checks.ts) and `kontor verify` / `kontor replay` with the server stopped.
 *
 *   const report = await runCrashTrial({ store: 'sqlite', kills: 5, clients: 32, seed: 1, cliPath: builtCli() });
 *   expect(report.mismatches).toEqual([]);
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { pathEnv, repositoryRoot, runCli } from '../support/cli.js';
import { createTestSchema } from '../support/postgres.js';
import { SeededRandom } from '../support/seeded-random.js';
import {
  Api,
  canonicalRow,
  checkLog,
  checkTrialBalance,
  checkVerify,
  compareAnswers,
  compareTables,
  CurrencyTotals,
  Mismatches,
  readModelAnswers,
  TableDump,
} from './checks.js';
import { freePort, ServerProcess } from './server-process.js';
import { crashAccounts, crashBookId, Workload, WorkloadCounts } from './workload.js';

/** The killer fires after a random number of requests sent since the last restart, up to this many per client. */
const killAfterRequestsPerClientMax = 10;
/**
 * …plus up to this long: requests are answered in batches, so a kill right after a send tends to
 * fall just after a commit; a random delay spreads the kills over append, answer and projection.
 * (It picks a moment; nothing waits on it for a condition.)
 */
const killJitterMillisecondsMax = 40;
/** Share of restarts that are killed again while booting. */
const bootKillShare = 0.2;
/** Keys acknowledged after the last restart, per client, before the clients stop. */
const finalAcknowledgmentsPerClient = 2;
/**
 * Tables of the read-model database that no projection owns (the event store's own tables in the
 * shared PostgreSQL schema, migrations, checkpoints with their timestamps, webhook delivery
 * state); every other table is a read model and must equal its rebuild row for row.
 */
const tablesNotRebuilt = new Set([
  'events',
  'snapshots',
  'schema_migrations',
  'kontor_migrations',
  'projection_checkpoints',
]);
const tablePrefixesNotRebuilt = ['webhook_'];

export type CrashStore = 'sqlite' | 'postgres';

export interface CrashRunSettings {
  store: CrashStore;
  kills: number;
  clients: number;
  seed: number;
  cliPath: string;
}

export interface CrashReport extends WorkloadCounts {
  store: CrashStore;
  seed: number;
  clients: number;
  kills: number;
  bootKills: number;
  boots: number;
  acknowledged: number;
  recoveredByReplay: number;
  postedEvents: number;
  headPosition: string;
  totals: CurrencyTotals[];
  readModelTables: number;
  readModelRows: number;
  /** Median spawn-to-listening time of a boot. */
  bootMillisecondsMedian: number;
  seconds: number;
  /** Everything that went wrong; [] is a pass. */
  mismatches: string[];
  mismatchCount: number;
}

interface StoreUnderTest {
  env: Record<string, string>;
  dumpTables(): Promise<TableDump>;
  remove(): Promise<void>;
}

export async function runCrashTrial(settings: CrashRunSettings): Promise<CrashReport> {
  const startedAt = Date.now();
  const random = new SeededRandom(settings.seed);
  const adminKey = `kontor_crash_admin_${randomBytes(24).toString('base64url')}`;
  const store = await storeUnderTest(settings.store);
  const env = { ...pathEnv(), ...store.env, KONTOR_ADMIN_KEY: adminKey };
  const server = new ServerProcess({
    cliPath: settings.cliPath,
    cwd: repositoryRoot,
    env,
    port: await freePort(),
  });
  const mismatches = new Mismatches();
  try {
    await server.start();
    const admin = new Api(server.baseUrl, adminKey);
    const accountantKey = await setUpBook(admin);

    const workload = new Workload(server, accountantKey, `k${randomBytes(3).toString('hex')}`);
    const clients = Array.from({ length: settings.clients }, (_, index) =>
      workload.runClient(index, random.fork()),
    );
    const killAfterRequestsMax = killAfterRequestsPerClientMax * settings.clients;
    while (
      server.kills < settings.kills &&
      workload.failures.length === 0 &&
      server.unexpectedExits.length === 0
    ) {
      await workload.afterRequests(random.integer(1, killAfterRequestsMax));
      await new Promise((resolve) =>
        setTimeout(resolve, random.integer(0, killJitterMillisecondsMax)),
      );
      await server.kill();
      if (server.kills < settings.kills && random.chance(bootKillShare))
        await server.start(random.integer(1, server.bootLineCount));
      if (!server.isUp && !server.isStarting) await server.start();
    }
    await workload.afterAcknowledgments(finalAcknowledgmentsPerClient * settings.clients);
    workload.stop();
    await Promise.all(clients);
    for (const failure of workload.failures)
      mismatches.add(`client: ${failure.key}: ${failure.detail}`);

    const verification = await checkVerify(admin, mismatches);
    const head = String(verification.headPosition);
    const log = await checkLog(admin, workload.acknowledged, mismatches);
    const totals = await checkTrialBalance(admin, workload.acknowledged, head, mismatches);
    const answersBefore = await readModelAnswers(admin, head);
    await server.stop();

    const verified = await runKontor(settings.cliPath, ['verify'], env);
    if (verified.status !== 0)
      mismatches.add(`kontor verify: exit ${verified.status}: ${verified.output.slice(-500)}`);
    const tablesBefore = await store.dumpTables();
    const replayed = await runKontor(settings.cliPath, ['replay'], env);
    if (replayed.status !== 0)
      mismatches.add(`kontor replay: exit ${replayed.status}: ${replayed.output.slice(-500)}`);
    const tablesAfter = await store.dumpTables();
    compareTables(tablesBefore, tablesAfter, mismatches);

    await server.start();
    compareAnswers(answersBefore, await readModelAnswers(admin, head), mismatches);
    await server.stop();

    for (const exit of server.unexpectedExits)
      mismatches.add(`the server exited unasked: ${exit.slice(0, 2_000)}`);
    return {
      store: settings.store,
      seed: settings.seed,
      clients: settings.clients,
      kills: server.kills,
      bootKills: server.bootKills,
      boots: server.boots,
      ...workload.counts,
      acknowledged: workload.acknowledged.size,
      recoveredByReplay: log.recoveredByReplay,
      postedEvents: log.postedEvents,
      headPosition: head,
      totals,
      readModelTables: tablesBefore.size,
      readModelRows: [...tablesBefore.values()].reduce((sum, rows) => sum + rows.length, 0),
      bootMillisecondsMedian: median(server.bootMilliseconds),
      seconds: Math.round((Date.now() - startedAt) / 100) / 10,
      mismatches: mismatches.listed,
      mismatchCount: mismatches.count,
    };
  } catch (error) {
    throw new Error(
      `${error instanceof Error ? error.message : String(error)}\n--- server output ---\n${server.outputTail()}`,
    );
  } finally {
    await server.kill();
    await store.remove();
  }
}

export function summaryLine(report: CrashReport): string {
  const totals = report.totals.map((total) => `${total.currency} ${total.debit}`).join(', ');
  return (
    `crash[${report.store}]: kills=${report.kills} (during boot ${report.bootKills}) clients=${report.clients} ` +
    `requests=${report.requests} acknowledged=${report.acknowledged} retries=${report.retries} ` +
    `recoveredByReplay=${report.recoveredByReplay} duplicates=${report.duplicates} networkErrors=${report.networkErrors} ` +
    `serverErrors=${report.serverErrors} events=${report.headPosition} readModelRows=${report.readModelRows} ` +
    `debits=[${totals}] boot=${report.bootMillisecondsMedian}ms seconds=${report.seconds} seed=${report.seed} mismatches=${report.mismatchCount}`
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Opens the book with one account per currency and three that take any; returns an accountant's key. */
async function setUpBook(admin: Api): Promise<string> {
  await admin.post(
    '/v1/books',
    { id: crashBookId, name: 'Crash consistency', baseCurrency: 'EUR' },
    201,
  );
  for (const account of crashAccounts)
    await admin.post(`/v1/books/${crashBookId}/accounts`, account, 201);
  const issued = await admin.post<{ key: string }>(
    '/v1/api-keys',
    { name: 'crash clients', roles: ['accountant'] },
    201,
  );
  return issued.key;
}

async function storeUnderTest(store: CrashStore): Promise<StoreUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kontor-crash-'));
  const removeDir = async () => rmSync(dataDir, { recursive: true, force: true });
  if (store === 'sqlite') {
    return {
      env: { KONTOR_STORE: 'sqlite', KONTOR_DATA_DIR: dataDir },
      dumpTables: async () => dumpSqlite(join(dataDir, 'readmodels.db')),
      remove: removeDir,
    };
  }
  const schema = await createTestSchema();
  return {
    env: { KONTOR_STORE: 'postgres', DATABASE_URL: schema.url, KONTOR_DATA_DIR: dataDir },
    dumpTables: () => dumpPostgres(schema.url),
    remove: async () => {
      await schema.drop();
      await removeDir();
    },
  };
}

function isReadModelTable(table: string): boolean {
  return (
    !tablesNotRebuilt.has(table) &&
    !tablePrefixesNotRebuilt.some((prefix) => table.startsWith(prefix))
  );
}

function dumpSqlite(file: string): TableDump {
  const db = new Database(file, { readonly: true });
  try {
    db.defaultSafeIntegers(true);
    const tables = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
      )
      .all() as { name: string }[];
    const dump: TableDump = new Map();
    for (const { name } of tables.filter((table) => isReadModelTable(table.name))) {
      const rows = db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[];
      dump.set(name, rows.map(canonicalRow).sort());
    }
    return dump;
  } finally {
    db.close();
  }
}

async function dumpPostgres(url: string): Promise<TableDump> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    const dump: TableDump = new Map();
    for (const { table_name: name } of tables.rows.filter((table) =>
      isReadModelTable(table.table_name),
    )) {
      const rows = await client.query<Record<string, unknown>>(`SELECT * FROM "${name}"`);
      dump.set(name, rows.rows.map(canonicalRow).sort());
    }
    return dump;
  } finally {
    await client.end();
  }
}

/** The CLI with the server stopped; it gets only the store's environment, like the server. */
async function runKontor(
  cliPath: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; output: string }> {
  const run = await runCli(args, env, { cliPath, inheritEnv: false });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}
