import { EventStore, readBatchSizeMax, RecordedEvent } from '../src/event-sourcing/index.js';
import { Projection, ProjectionRunner } from '../src/infrastructure/projections/index.js';
import { SqlDatabase, SqliteDatabase } from '../src/infrastructure/sql/index.js';
import { BookCommand, JournalEntryPostedData, bookStreamId } from '../src/ledger/index.js';
import { ledgerTableNames } from '../src/ledger/projections/ledger-tables.js';
import { auditTrailTable } from '../src/audit/projections/audit-trail.projection.js';

export interface Violation {
  invariant: string;
  detail: string;
}

export interface Acknowledged {
  command: BookCommand;
  commandId: string;
  entryId: string | undefined;
  repeated: boolean;
}

/** Projection logs are not part of the trace. */
export const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Reads the log once, incrementally (only its durable prefix while the run goes on), checking
 * what must hold of every prefix: positions gap-free and in order, every entry balanced, no
 * entry (id, Idempotency-Key, reversal) twice, nothing posted into a closed period. It keeps
 * the balances per account and the command ids seen, for the end-of-run checks.
 */
export class LogChecker {
  private position = 0n;
  readonly commandIds = new Set<string>();
  readonly balances = new Map<string, bigint>();
  private readonly entries = new Set<string>();
  private readonly keys = new Set<string>();
  private readonly reversed = new Set<string>();
  private readonly closed = new Set<string>();

  async scan(store: EventStore, until: bigint): Promise<Violation | undefined> {
    while (this.position < until) {
      const batch = await store.readAll({ after: this.position, until, limit: readBatchSizeMax });
      if (batch.length === 0)
        return {
          invariant: 'positions gap-free',
          detail: `nothing after ${this.position} below ${until}`,
        };
      for (const event of batch) {
        const violation = this.check(event);
        if (violation) return violation;
      }
    }
    return undefined;
  }

  entryCount(entryId: string): number {
    return this.entries.has(entryId) ? 1 : 0;
  }

  private check(event: RecordedEvent): Violation | undefined {
    if (event.position !== this.position + 1n)
      return {
        invariant: 'positions gap-free and in commit order',
        detail: `${event.position} after ${this.position}`,
      };
    this.position = event.position;
    if (event.metadata.commandId !== undefined) this.commandIds.add(event.metadata.commandId);
    const book = event.streamId;
    const data = event.data as Record<string, unknown>;
    if (event.type === 'PeriodClosed') this.closed.add(`${book} ${String(data.period)}`);
    if (event.type === 'PeriodReopened') this.closed.delete(`${book} ${String(data.period)}`);
    if (event.type !== 'JournalEntryPosted') return undefined;
    return this.checkEntry(book, data as unknown as JournalEntryPostedData, event.position);
  }

  private checkEntry(
    book: string,
    entry: JournalEntryPostedData,
    position: bigint,
  ): Violation | undefined {
    const at = `entry ${entry.entryId} at ${position}`;
    if (this.entries.has(`${book} ${entry.entryId}`))
      return { invariant: 'no entry twice', detail: `${at} is in the log twice` };
    this.entries.add(`${book} ${entry.entryId}`);
    this.entries.add(entry.entryId);
    if (entry.idempotencyKey !== undefined) {
      if (this.keys.has(`${book} ${entry.idempotencyKey}`))
        return {
          invariant: 'no Idempotency-Key twice',
          detail: `${at} repeats key ${entry.idempotencyKey}`,
        };
      this.keys.add(`${book} ${entry.idempotencyKey}`);
    }
    if (entry.reversalOf !== undefined) {
      if (this.reversed.has(`${book} ${entry.reversalOf}`))
        return {
          invariant: 'an entry is reversed at most once',
          detail: `${at} reverses ${entry.reversalOf} again`,
        };
      this.reversed.add(`${book} ${entry.reversalOf}`);
    }
    if (this.closed.has(`${book} ${entry.effectiveDate.slice(0, 7)}`))
      return {
        invariant: 'nothing posted into a closed period',
        detail: `${at} dated ${entry.effectiveDate}`,
      };
    const sums = new Map<string, bigint>();
    for (const line of entry.lines) {
      const signed = line.side === 'debit' ? BigInt(line.amountMinor) : -BigInt(line.amountMinor);
      sums.set(line.currency, (sums.get(line.currency) ?? 0n) + signed);
      const key = `${book.slice(bookStreamId('').length)} ${line.account}`;
      this.balances.set(key, (this.balances.get(key) ?? 0n) + signed);
    }
    for (const [currency, sum] of sums)
      if (sum !== 0n)
        return { invariant: 'every entry balances', detail: `${at}: ${currency} off by ${sum}` };
    return undefined;
  }
}

/** End of run: the chain, and every acknowledged command in the log. */
export async function checkLog(
  store: EventStore,
  acknowledged: readonly Acknowledged[],
  checker: LogChecker,
): Promise<Violation | undefined> {
  const verified = await store.verify();
  if (!verified.ok)
    return {
      invariant: 'the hash chain verifies',
      detail: `broken at ${verified.firstBrokenPosition}: ${verified.reason}`,
    };
  for (const ack of acknowledged) {
    const found = ack.repeated
      ? ack.entryId === undefined || checker.entryCount(ack.entryId) === 1
      : checker.commandIds.has(ack.commandId);
    if (!found)
      return {
        invariant: 'every acknowledged command is in the log',
        detail: `${ack.command.type} ${ack.commandId} (book ${ack.command.bookId}) was acknowledged but is not in the log`,
      };
  }
  return undefined;
}

/** The read models: caught up, balances equal to the log's sums, and equal to a rebuild. */
export async function checkReadModels(
  store: EventStore,
  db: SqlDatabase,
  runners: readonly ProjectionRunner[],
  projections: readonly Projection[],
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
  const rebuilt = SqliteDatabase.open(':memory:');
  try {
    for (const projection of [...projections]) {
      const clean =
        projection.name === projections[0]!.name ? projectionOriginal(projection) : projection;
      await new ProjectionRunner(clean, store, rebuilt, { logger: silent }).catchUp();
    }
    for (const table of [...ledgerTableNames, auditTrailTable]) {
      const [live, fresh] = [await dump(db, table), await dump(rebuilt, table)];
      if (live !== fresh)
        return {
          invariant: 'read models equal a rebuild from the log',
          detail: `table ${table} differs`,
        };
    }
  } finally {
    await rebuilt.close();
  }
  return undefined;
}

/** A planted projection wrapper keeps the original it wraps. */
export function projectionOriginal(projection: Projection): Projection {
  return (projection as Projection & { original?: Projection }).original ?? projection;
}

async function dump(db: SqlDatabase, table: string): Promise<string> {
  const rows = await db.query<Record<string, unknown>>(`SELECT * FROM ${table}`);
  return rows
    .map((row) =>
      JSON.stringify(row, (_key, value: unknown) =>
        typeof value === 'bigint' ? value.toString() : value,
      ),
    )
    .sort()
    .join('\n');
}
