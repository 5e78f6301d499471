import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore } from '../src/event-sourcing/index.js';
import { Projection, ProjectionRunner } from '../src/infrastructure/projections/index.js';
import { SqlDatabase, SqliteDatabase } from '../src/infrastructure/sql/index.js';
import { LogChecker, Violation } from './log-checker.js';

/** Where the read-model files go: memory-backed when the machine has it (they are rebuilt, never kept). */
export function scratchDir(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

/** Projection logs are not part of the trace. */
export const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** A projection the read-model checks compare with a rebuild, and the tables it owns. */
export interface ComparedProjection {
  projection: Projection;
  tables: readonly string[];
}

/** End of run: the chain verifies. */
export async function checkChain(store: EventStore): Promise<Violation | undefined> {
  const verified = await store.verify();
  if (verified.ok) return undefined;
  return {
    invariant: 'the hash chain verifies',
    detail: `broken at ${verified.firstBrokenPosition}: ${verified.reason}`,
  };
}

/** The read models: caught up, balances equal to the log's sums, and equal to a rebuild. */
export async function checkReadModels(
  store: EventStore,
  db: SqlDatabase,
  runners: readonly ProjectionRunner[],
  compared: readonly ComparedProjection[],
  checker: LogChecker,
): Promise<Violation | undefined> {
  const head = await store.headPosition();
  for (const runner of runners)
    if (runner.checkpointPosition !== head)
      return {
        invariant: 'read models catch up',
        detail: `${runner.name} at ${runner.checkpointPosition}, log head ${head}`,
      };
  const rows = await db.query<{ book: string; account: string; net: unknown }>(
    'SELECT book, account, SUM(debit_minor) - SUM(credit_minor) AS net FROM ledger_daily_balances GROUP BY book, account',
  );
  const projected = new Map(
    rows.map((row) => [`${row.book} ${row.account}`, BigInt(row.net as number)]),
  );
  for (const [key, net] of checker.balances)
    if ((projected.get(key) ?? 0n) !== net)
      return {
        invariant: 'balances equal the sum of the log',
        detail: `${key}: read model ${projected.get(key) ?? 0n}, log ${net}`,
      };
  return compareWithRebuild(store, db, compared);
}

/**
 * Rebuilds every projection from the log into a fresh database file, attaches it to the live
 * one and compares each table in SQL (row counts and EXCEPT both ways): no copy of a table is
 * held in JavaScript, so a run of millions of events can afford it.
 */
async function compareWithRebuild(
  store: EventStore,
  db: SqlDatabase,
  compared: readonly ComparedProjection[],
): Promise<Violation | undefined> {
  const dir = mkdtempSync(join(scratchDir(), 'kontor-sim-'));
  const path = join(dir, 'rebuilt.db');
  try {
    const rebuilt = SqliteDatabase.open(path);
    try {
      for (const { projection } of compared)
        await new ProjectionRunner(projectionOriginal(projection), store, rebuilt, {
          logger: silent,
          batchSize: 1_000,
        }).catchUp();
    } finally {
      await rebuilt.close();
    }
    await db.execute('ATTACH DATABASE ? AS rebuilt', [path]);
    try {
      for (const table of compared.flatMap((entry) => entry.tables)) {
        // In a transaction: on the writer connection, the one the rebuild is attached to.
        const differs = await db.transaction((tx) => tableDiffers(tx, table));
        if (differs)
          return {
            invariant: 'read models equal a rebuild from the log',
            detail: `table ${table}: ${differs}`,
          };
      }
    } finally {
      await db.execute('DETACH DATABASE rebuilt');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return undefined;
}

async function tableDiffers(db: SqlDatabase, table: string): Promise<string | undefined> {
  const count = async (sql: string) =>
    Number((await db.query<{ n: unknown }>(`SELECT count(*) AS n FROM (${sql})`))[0]!.n);
  const [live, fresh] = [
    await count(`SELECT * FROM main.${table}`),
    await count(`SELECT * FROM rebuilt.${table}`),
  ];
  if (live !== fresh) return `${live} rows live, ${fresh} rebuilt`;
  const onlyLive = await count(`SELECT * FROM main.${table} EXCEPT SELECT * FROM rebuilt.${table}`);
  const onlyFresh = await count(
    `SELECT * FROM rebuilt.${table} EXCEPT SELECT * FROM main.${table}`,
  );
  if (onlyLive + onlyFresh === 0) return undefined;
  return `${onlyLive} rows only live, ${onlyFresh} only in the rebuild`;
}

/** A planted projection wrapper keeps the original it wraps. */
export function projectionOriginal(projection: Projection): Projection {
  return (projection as Projection & { original?: Projection }).original ?? projection;
}
