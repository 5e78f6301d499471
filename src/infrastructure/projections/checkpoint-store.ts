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

  async setup(): Promise<void> {
    await this.db.execute(
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

  async load(name: string): Promise<Checkpoint | undefined> {
    const [row] = await this.db.query<CheckpointRow>(
      'SELECT name, version, position, status, last_error FROM projection_checkpoints WHERE name = ?',
      [name],
    );
    if (!row) return undefined;
    return {
      name: row.name,
      version: Number(row.version),
      position: toBigInt(row.position),
      status: row.status,
      lastError: row.last_error,
    };
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
  }

  async saveStatus(name: string, status: ProjectionStatus, updatedAt: Date): Promise<void> {
    await this.db.execute('UPDATE projection_checkpoints SET status = ?, updated_at = ? WHERE name = ?', [
      status,
      updatedAt.toISOString(),
      name,
    ]);
  }

  /** Records a failure without touching the position (the failed batch rolled back). */
  async saveFailure(name: string, message: string, updatedAt: Date): Promise<void> {
    await this.db.execute(
      `UPDATE projection_checkpoints SET status = 'failed', last_error = ?, updated_at = ? WHERE name = ?`,
      [message.slice(0, checkpointErrorLengthMax), updatedAt.toISOString(), name],
    );
  }
}
