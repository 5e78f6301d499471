import { SqlDatabase, toBigInt } from '../sql/index.js';
import { checkpointErrorLengthMax } from './checkpoint-store.js';

/** A partition (e.g. a book) whose events a projection stopped applying after one failed. */
export interface QuarantinedPartition {
  partition: string;
  /** The position of the event that failed; later events of the partition are skipped. */
  position: bigint;
  error: string;
}

interface QuarantineRow {
  partition_key: string;
  position: unknown;
  error: string;
}

/**
 * `projection_quarantine`: the partitions of one projection that are set aside (Projection
 * `partitionOf`), in the read-model database, written in the transaction that moves the
 * checkpoint past the failed event. An event that fails for one book thus stops only that book's
 * rows (and its reads answer 503); every other book's go on. A rebuild clears the quarantine.
 */
export class PartitionQuarantine {
  private readonly partitions = new Map<string, QuarantinedPartition>();

  constructor(
    private readonly db: SqlDatabase,
    private readonly projection: string,
  ) {}

  async load(): Promise<void> {
    await this.db.withSchemaLock((tx) =>
      tx.execute(
        `CREATE TABLE IF NOT EXISTS projection_quarantine (
          projection TEXT NOT NULL,
          partition_key TEXT NOT NULL,
          position BIGINT NOT NULL,
          error TEXT NOT NULL,
          quarantined_at TEXT NOT NULL,
          PRIMARY KEY (projection, partition_key)
        )`,
      ),
    );
    const rows = await this.db.query<QuarantineRow>(
      'SELECT partition_key, position, error FROM projection_quarantine WHERE projection = ?',
      [this.projection],
    );
    this.partitions.clear();
    for (const row of rows)
      this.remember({
        partition: row.partition_key,
        position: toBigInt(row.position),
        error: row.error,
      });
  }

  has(partition: string): boolean {
    return this.partitions.has(partition);
  }

  get(partition: string): QuarantinedPartition | undefined {
    return this.partitions.get(partition);
  }

  list(): QuarantinedPartition[] {
    return [...this.partitions.values()];
  }

  /** Inside the transaction that moves the checkpoint past the failed event; `remember` after it commits. */
  async add(tx: SqlDatabase, entry: QuarantinedPartition, at: Date): Promise<void> {
    await tx.execute(
      `INSERT INTO projection_quarantine (projection, partition_key, position, error, quarantined_at)
       VALUES (?, ?, ?, ?, ?)`,
      [
        this.projection,
        entry.partition,
        entry.position,
        entry.error.slice(0, checkpointErrorLengthMax),
        at.toISOString(),
      ],
    );
  }

  remember(entry: QuarantinedPartition): void {
    this.partitions.set(entry.partition, entry);
  }

  /** Inside a reset's transaction; `forget` after it commits. */
  async clear(tx: SqlDatabase): Promise<void> {
    await tx.execute('DELETE FROM projection_quarantine WHERE projection = ?', [this.projection]);
  }

  forget(): void {
    this.partitions.clear();
  }
}
