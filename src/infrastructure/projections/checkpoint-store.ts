import { SqlDatabase, toBigInt } from '../sql/index.js';
import { ProjectionStatus } from './projection.js';

export interface Checkpoint {
  name: string;
  version: number;
  position: bigint;
  status: ProjectionStatus;
  lastError: string | null;
}

/** Error messages are cut to this length in the checkpoint row. */
export const checkpointErrorLengthMax = 2_000;

/**
 * PostgreSQL: every checkpoint write sends `NOTIFY kontor_checkpoints, '<schema>:<name>'` (delivered
 * at commit), so instances that do not run the projections (followers) learn at once that the
 * shared read models moved.
 */
export const checkpointChannel = 'kontor_checkpoints';

interface CheckpointRow {
  name: string;
  version: unknown;
  position: unknown;
  status: ProjectionStatus;
  last_error: string | null;
}

/** `projection_checkpoints`, in the read-model database next to the rows it vouches for. */
export class CheckpointStore {
  constructor(private readonly db: SqlDatabase) {}

  /** Creates the table, under the schema lock (runners and instances starting together). */
  async setup(): Promise<void> {
    await this.db.withSchemaLock((tx) => this.createTable(tx));
  }

  private async createTable(db: SqlDatabase): Promise<void> {
    await db.execute(
      `CREATE TABLE IF NOT EXISTS projection_checkpoints (
        name TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        position BIGINT NOT NULL,
        status TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        last_error TEXT
      )`,
    );
  }

  /** Every checkpoint; none while the table does not exist yet (no instance has run projections). */
  async loadAll(): Promise<Checkpoint[]> {
    const [table] = await this.db.query<{ found: unknown }>(
      this.db.dialect === 'postgres'
        ? `SELECT to_regclass('projection_checkpoints') IS NOT NULL AS found`
        : `SELECT count(*) AS found FROM sqlite_master WHERE type = 'table' AND name = 'projection_checkpoints'`,
    );
    if (!table?.found) return [];
    const rows = await this.db.query<CheckpointRow>(
      'SELECT name, version, position, status, last_error FROM projection_checkpoints',
    );
    return rows.map(toCheckpoint);
  }

  /**
   * Inside a batch's transaction: the committed position, with the row locked until commit
   * (PostgreSQL), so two instances that both believe they run a projection can never apply the
   * same batch twice — the second sees the position moved.
   */
  async lockPosition(tx: SqlDatabase, name: string): Promise<bigint | undefined> {
    const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : '';
    const [row] = await tx.query<{ position: unknown }>(
      `SELECT position FROM projection_checkpoints WHERE name = ?${lock}`,
      [name],
    );
    return row ? toBigInt(row.position) : undefined;
  }

  async load(name: string): Promise<Checkpoint | undefined> {
    const [row] = await this.db.query<CheckpointRow>(
      'SELECT name, version, position, status, last_error FROM projection_checkpoints WHERE name = ?',
      [name],
    );
    return row ? toCheckpoint(row) : undefined;
  }

  /** Upserts through `db`, which is the batch's transaction when rows move with it. */
  async save(db: SqlDatabase, checkpoint: Checkpoint, updatedAt: Date): Promise<void> {
    await db.execute(
      `INSERT INTO projection_checkpoints (name, version, position, status, updated_at, last_error)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position,
         status = excluded.status, updated_at = excluded.updated_at, last_error = excluded.last_error`,
      [
        checkpoint.name,
        checkpoint.version,
        checkpoint.position,
        checkpoint.status,
        updatedAt.toISOString(),
        checkpoint.lastError?.slice(0, checkpointErrorLengthMax) ?? null,
      ],
    );
    await notifyCheckpointMoved(db, checkpoint.name);
  }

  async saveStatus(name: string, status: ProjectionStatus, updatedAt: Date): Promise<void> {
    await this.db.execute(
      'UPDATE projection_checkpoints SET status = ?, updated_at = ? WHERE name = ?',
      [status, updatedAt.toISOString(), name],
    );
    await notifyCheckpointMoved(this.db, name);
  }

  /** Records a failure without touching the position (the failed batch rolled back). */
  async saveFailure(name: string, message: string, updatedAt: Date): Promise<void> {
    await this.db.execute(
      `UPDATE projection_checkpoints SET status = 'failed', last_error = ?, updated_at = ? WHERE name = ?`,
      [message.slice(0, checkpointErrorLengthMax), updatedAt.toISOString(), name],
    );
    await notifyCheckpointMoved(this.db, name);
  }
}

function toCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    name: row.name,
    version: Number(row.version),
    position: toBigInt(row.position),
    status: row.status,
    lastError: row.last_error,
  };
}

async function notifyCheckpointMoved(db: SqlDatabase, name: string): Promise<void> {
  if (db.dialect !== 'postgres') return;
  await db.query(`SELECT pg_notify(?, current_schema() || ':' || CAST(? AS text))`, [
    checkpointChannel,
    name,
  ]);
}
