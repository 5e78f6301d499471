/**
 * The projection runner suites' shared helpers: a projection that counts `Counted` events per
 * stream, such events, and reads of its tables and its checkpoint.
 */
import { newId, NewEvent, RecordedEvent } from '../../src/event-sourcing/index.js';
import { Projection } from '../../src/infrastructure/projections/index.js';
import { SqlDatabase, toSafeNumber } from '../../src/infrastructure/sql/index.js';

/** Counts `Counted` events per stream; `seen` holds one row per applied event (a duplicate would fail its key). */
export class CountingProjection implements Projection {
  readonly handles = ['Counted'];
  failAtPosition: bigint | undefined;
  applied = 0;
  resets = 0;

  constructor(
    readonly version = 1,
    readonly name = 'counting',
  ) {}

  async setup(db: SqlDatabase): Promise<void> {
    await db.execute(
      `CREATE TABLE IF NOT EXISTS ${this.name}_totals (stream_id TEXT PRIMARY KEY, n INTEGER NOT NULL)`,
    );
    await db.execute(`CREATE TABLE IF NOT EXISTS ${this.name}_seen (position BIGINT PRIMARY KEY)`);
  }

  async reset(db: SqlDatabase): Promise<void> {
    this.resets++;
    await db.execute(`DROP TABLE IF EXISTS ${this.name}_totals`);
    await db.execute(`DROP TABLE IF EXISTS ${this.name}_seen`);
  }

  async apply(event: RecordedEvent, tx: SqlDatabase): Promise<void> {
    await tx.execute(`INSERT INTO ${this.name}_seen (position) VALUES (?)`, [event.position]);
    if (event.position === this.failAtPosition)
      throw new Error(`injected fault at ${event.position}`);
    await tx.execute(
      `INSERT INTO ${this.name}_totals (stream_id, n) VALUES (?, 1)
       ON CONFLICT (stream_id) DO UPDATE SET n = ${this.name}_totals.n + 1`,
      [event.streamId],
    );
    this.applied++;
  }
}

export const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

export function counted(count: number, type = 'Counted'): NewEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    eventId: newId(),
    type,
    data: { index },
    metadata: { actor: { id: 'test', name: 'Test' }, correlationId: newId() },
  }));
}

export async function totals(db: SqlDatabase, name = 'counting'): Promise<Record<string, number>> {
  const rows = await db.query<{ stream_id: string; n: unknown }>(
    `SELECT stream_id, n FROM ${name}_totals ORDER BY stream_id`,
  );
  return Object.fromEntries(rows.map((row) => [row.stream_id, toSafeNumber(row.n)]));
}

export async function seenCount(db: SqlDatabase): Promise<number> {
  const [row] = await db.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM counting_seen');
  return toSafeNumber(row!.n);
}

export async function storedCheckpoint(
  db: SqlDatabase,
): Promise<{ position: number; status: string; last_error: string | null }> {
  const [row] = await db.query<{ position: unknown; status: string; last_error: string | null }>(
    'SELECT position, status, last_error FROM projection_checkpoints WHERE name = ?',
    ['counting'],
  );
  return {
    position: toSafeNumber(row!.position),
    status: row!.status,
    last_error: row!.last_error,
  };
}
