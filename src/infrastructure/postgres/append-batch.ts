import {
  AppendResult,
  checkExpectedRevision,
  ExpectedRevision,
  idempotentRetryResult,
  StoredEventLocation,
} from '../../event-sourcing/index.js';
import { chainHashFromParts, PreparedEvent } from '../event-store/index.js';

/** One append() call waiting for the writer. */
export interface PendingAppend {
  streamId: string;
  events: PreparedEvent[];
  expectedRevision: ExpectedRevision;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/** What the writer read inside its transaction, after taking the append lock. */
export interface LogState {
  headPosition: bigint;
  headHash: string;
  /** Every already stored event whose id appears in the batch. */
  stored: Map<string, StoredEventLocation>;
  /** Last revision of every stream the batch touches; undefined when the stream is empty. */
  lastRevisions: Map<string, number | undefined>;
}

/** A row of the events table, as inserted. */
export interface EventRow extends PreparedEvent {
  streamId: string;
  revision: number;
  position: bigint;
  recordedAt: string;
  prevHash: string;
  hash: string;
}

export type AppendOutcome = { result: AppendResult } | { error: unknown };

export interface PlannedBatch {
  /** The rows to insert, in position order, hash-chained from the log head. */
  rows: EventRow[];
  /** One outcome per append, in the order given. */
  outcomes: AppendOutcome[];
}

/**
 * Decides every append of a batch in call order against the log state, each seeing the ones
 * before it: a refused append (wrong revision, event id conflict) gets its error and changes
 * nothing, so the others go on. Mutates `state` to the state after the batch.
 */
export function planBatch(
  appends: readonly PendingAppend[],
  state: LogState,
  recordedAt: string,
): PlannedBatch {
  const rows: EventRow[] = [];
  const outcomes = appends.map((append): AppendOutcome => {
    try {
      const planned = planAppend(append, state, recordedAt);
      rows.push(...planned.rows);
      return { result: planned.result };
    } catch (error) {
      return { error };
    }
  });
  return { rows, outcomes };
}

function planAppend(
  append: PendingAppend,
  state: LogState,
  recordedAt: string,
): { rows: EventRow[]; result: AppendResult } {
  const { streamId, events } = append;
  const retry = idempotentRetryResult(
    streamId,
    events,
    events.map((event) => state.stored.get(event.eventId)),
  );
  if (retry !== undefined) return { rows: [], result: retry };
  const lastRevision = state.lastRevisions.get(streamId);
  checkExpectedRevision(streamId, append.expectedRevision, lastRevision);
  let revision = lastRevision ?? -1;
  let position = state.headPosition;
  let hash = state.headHash;
  const rows = events.map((event): EventRow => {
    revision += 1;
    position += 1n;
    const placed = { ...event, streamId, revision, position, recordedAt };
    const row = { ...placed, prevHash: hash, hash: chainHashFromParts(hash, placed) };
    hash = row.hash;
    state.stored.set(event.eventId, { streamId, revision, position });
    return row;
  });
  state.headPosition = position;
  state.headHash = hash;
  if (rows.length > 0) state.lastRevisions.set(streamId, revision);
  return {
    rows,
    result: {
      streamId,
      lastRevision: revision,
      positions: rows.map((row) => row.position),
      lastPosition: position,
    },
  };
}
