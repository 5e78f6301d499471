import { NewEvent, RecordedEvent } from './event.js';

/**
 * `any`: no check; `no_stream`: the stream must not exist; `stream_exists`: it must;
 * a number: the stream's last revision must be exactly that.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  streamId: string;
  /** Revision of the last event now in the stream (after this append). */
  lastRevision: number;
  /** Global position of each appended event, in the order given. */
  positions: bigint[];
  /** Global position of the last appended event. */
  lastPosition: bigint;
}

export interface ReadStreamOptions {
  fromRevision?: number;
  limit?: number;
}

export interface ReadAllOptions {
  /**
   * Exclusive: events with a position greater than this. 0n reads from the start. Positions are
   * opaque: on KurrentDB they are byte offsets with gaps, and `after` must be 0n or the position
   * of an event of the log (else InvalidPositionError). Never compute one (`position - 1n`).
   */
  after?: bigint;
  /** Inclusive, instead of `after`: the events from the event at this position on (e.g. to read one event again). */
  from?: bigint;
  /** Inclusive upper bound. */
  until?: bigint;
  limit?: number;
}

export interface Snapshot<State = unknown> {
  streamId: string;
  revision: number;
  state: State;
}

export interface VerifyResult {
  ok: boolean;
  checkedEvents: number;
  headPosition: bigint;
  headHash: string;
  firstBrokenPosition?: bigint;
  reason?: string;
}

export interface VerifyOptions {
  /** Stop after this position (inclusive). */
  until?: bigint;
  /** Called every few thousand events with the position reached (progress bars). */
  onProgress?: (position: bigint) => void;
}

export interface Digest {
  position: bigint;
  hash: string;
}

/** Bounded batch size for global reads; callers page with `after`. */
export const readBatchSizeMax = 1000;

/** The genesis value of the hash chain. */
export const genesisHash = '0'.repeat(64);

/**
 * The event store port. Every adapter passes the contract suite in
 * test/integration/event-store.contract.ts.
 */
export interface EventStore {
  readonly kind: 'memory' | 'sqlite' | 'postgres' | 'kurrentdb';
  /**
   * Appends atomically. Throws WrongExpectedRevision on a mismatch. Events whose `eventId` is
   * already stored are not appended again: if every event of the call is already stored, the
   * original result is returned (idempotent retry).
   */
  append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The global log in position order, at most `limit` (≤ readBatchSizeMax) events. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Position of the last committed event, 0n when empty. */
  headPosition(): Promise<bigint>;
  /** Current digest: the last position and its hash. */
  digest(): Promise<Digest>;
  /** Recomputes the hash chain from the start. */
  verify(options?: VerifyOptions): Promise<VerifyResult>;
  /** Registers a listener called (without arguments) after events are committed. Returns an unsubscribe function. */
  onAppended(listener: () => void): () => void;
  saveSnapshot(snapshot: Snapshot): Promise<void>;
  loadSnapshot<State>(streamId: string): Promise<Snapshot<State> | undefined>;
  close(): Promise<void>;
}

/** The exclusive lower bound of a read: `from` (inclusive) becomes `from - 1n` for stores whose positions are integers where any number is valid (SQLite, PostgreSQL, memory). */
export function exclusiveAfter(options: ReadAllOptions): bigint {
  return options.from !== undefined ? options.from - 1n : (options.after ?? 0n);
}
