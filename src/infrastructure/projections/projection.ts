import { DomainError, RecordedEvent } from '../../event-sourcing/index.js';
import { SqlDatabase } from '../sql/index.js';

/**
 * A read model fed from the global log. Register it with `ProjectionsService.register` (see
 * projections.service.ts); the runner does the reading, batching and checkpointing.
 *
 * `apply` is called once per relevant event, in position order, inside the transaction that
 * also moves the checkpoint: write only through `tx`, and never read the clock or the event
 * store in it (rebuilding must give the same rows).
 */
export interface Projection {
  /** Stable name: the checkpoint key and the `:name` of `POST /v1/projections/:name/rebuild`. */
  readonly name: string;
  /** Bump it when the rows' shape or meaning changes: the next start rebuilds from position 0. */
  readonly version: number;
  /** The event types it applies, or a predicate. Other events only move the checkpoint. */
  readonly handles: readonly string[] | ((event: RecordedEvent) => boolean);
  /**
   * Creates its tables and indexes; must be idempotent (CREATE … IF NOT EXISTS). The runner calls
   * `setup`, `reset` and `setupForRebuild` under `SqlDatabase.withSchemaLock`: never run DDL
   * outside it.
   */
  setup(db: SqlDatabase): Promise<void>;
  /** Drops (or empties) its tables; `setup` runs right after, in the same transaction. */
  reset(db: SqlDatabase): Promise<void>;
  /**
   * Optional: what `rebuild()` runs after `reset` instead of `setup` — e.g. the tables without
   * their secondary indexes, which are then built once, by `setup`, when the rebuild ends (or
   * stops, or fails). Reads during a rebuild may be slow meanwhile.
   */
  setupForRebuild?(db: SqlDatabase): Promise<void>;
  apply(event: RecordedEvent, tx: SqlDatabase): Promise<void>;
  /**
   * Optional: applies a batch's relevant events (in position order, in the transaction that moves
   * the checkpoint) and must leave exactly the rows that `apply` on each in turn would — e.g. with
   * multi-row inserts. The runner calls it instead of `apply` when present.
   */
  applyBatch?(events: readonly RecordedEvent[], tx: SqlDatabase): Promise<void>;
  /**
   * Optional: the partition an event belongs to (e.g. its book). With it, an event that fails to
   * apply sets aside only its partition (PartitionQuarantine): later events of that partition are
   * skipped and the other partitions go on. Without it, one failing event stops the projection.
   */
  partitionOf?(event: RecordedEvent): string | undefined;
}

export type ProjectionStatus = 'stopped' | 'running' | 'rebuilding' | 'failed';

export interface ProjectionState {
  name: string;
  /** The last log position whose effect is committed. */
  position: bigint;
  /** Events in the log after `position`. */
  lag: bigint;
  status: ProjectionStatus;
  lastError?: string;
}

/** A read model has not caught up with a position within the allowed time (503). */
export class NotReadyError extends DomainError {
  constructor(message: string) {
    super('not-ready', message);
  }
}

export function handlesEvent(projection: Projection, event: RecordedEvent): boolean {
  const { handles } = projection;
  return typeof handles === 'function' ? handles(event) : handles.includes(event.type);
}
