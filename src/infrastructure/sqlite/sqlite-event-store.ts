import { resolve as resolvePath } from 'node:path';
import type { Database as SqliteDatabase, Transaction } from 'better-sqlite3';
import {
  AppendOptions,
  AppendResult,
  assert,
  checkDistinctEventIds,
  checkExpectedRevision,
  Clock,
  Digest,
  DomainError,
  EventStore,
  ExpectedRevision,
  ForbiddenError,
  genesisHash,
  idempotentRetryResult,
  NewEvent,
  ReadAllOptions,
  readBatchSizeMax,
  ReadStreamOptions,
  RecordedEvent,
  Snapshot,
  StoredEventLocation,
  systemClock,
  VerifyOptions,
  VerifyResult,
  exclusiveAfter,
} from '../../event-sourcing/index.js';
import {
  ChainSource,
  chainHashFromParts,
  GroupCommitStats,
  positionMax,
  PreparedEvent,
  prepareEvent,
  takeGroupCommitBatch,
  snapshotStateJson,
  verifyChain,
} from '../event-store/index.js';
import { importChained, openSqliteEventsFile } from './sqlite-file.js';
import {
  prepareReadStatements,
  prepareWriteStatements,
  toRecordedEvent,
  toStoredLink,
} from './sqlite-statements.js';

export interface SqliteEventStoreOptions {
  readOnly?: boolean;
  clock?: Clock;
}

/** At most this many appends share one group-commit transaction (and its one fsync). */
export const groupCommitAppendsMax = 1_000;
/** At most this many events per group-commit transaction; a single append is never split. */
export const groupCommitEventsMax = 50_000;

interface PendingAppend {
  streamId: string;
  events: PreparedEvent[];
  expectedRevision: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type AppendOutcome = { result: AppendResult } | { error: unknown };

interface BatchOutcome {
  outcomes: AppendOutcome[];
  insertedEvents: number;
}

/** Instances of this process per database file, so an append through one wakes the listeners of all. */
const storesByFile = new Map<string, Set<SqliteEventStore>>();

function clampLimit(limit: number | undefined, max: number): number {
  return Math.max(0, Math.min(limit ?? max, max));
}

/**
 * The embedded default store: one SQLite file in WAL mode with synchronous=FULL. Concurrent
 * appends are coalesced (group commit) into one IMMEDIATE transaction, so they share one fsync;
 * inside it each append is decided on its own, in call order, and seeing the ones before it.
 * The chain head is read inside that transaction, so another process writing the same file
 * (the CLI while the server runs) keeps the global order and the hash chain intact.
 */
export class SqliteEventStore implements EventStore {
  readonly kind = 'sqlite';

  private readonly queue: PendingAppend[] = [];
  private drainScheduled = false;
  private closed = false;
  private readonly listeners = new Set<() => void>();
  private readonly stats: GroupCommitStats = { transactions: 0, appends: 0, events: 0 };
  private readonly statements: ReturnType<typeof prepareReadStatements>;
  private readonly writes: ReturnType<typeof prepareWriteStatements> | undefined;
  private readonly writeBatch: Transaction<(batch: PendingAppend[]) => BatchOutcome>;

  private constructor(
    private readonly db: SqliteDatabase,
    private readonly file: string,
    private readonly readOnly: boolean,
    private readonly clock: Clock,
  ) {
    this.statements = prepareReadStatements(db);
    this.writes = readOnly ? undefined : prepareWriteStatements(db);
    this.writeBatch = db.transaction((batch: PendingAppend[]) =>
      this.writeBatchInTransaction(batch),
    );
    let stores = storesByFile.get(file);
    if (stores === undefined) storesByFile.set(file, (stores = new Set()));
    stores.add(this);
  }

  static async open(
    file: string,
    options: SqliteEventStoreOptions = {},
  ): Promise<SqliteEventStore> {
    const readOnly = options.readOnly ?? false;
    const db = openSqliteEventsFile(file, readOnly);
    try {
      return new SqliteEventStore(db, resolvePath(file), readOnly, options.clock ?? systemClock);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async append(
    streamId: string,
    events: NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    this.assertWritable();
    checkDistinctEventIds(events);
    const prepared = events.map(prepareEvent);
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({
        streamId,
        events: prepared,
        expectedRevision: options.expectedRevision ?? 'any',
        resolve,
        reject,
      });
      this.scheduleDrain();
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const fromRevision = Math.max(0, options.fromRevision ?? 0);
    const limit = options.limit === undefined ? -1 : Math.max(0, options.limit);
    return this.statements.readStream.all(streamId, fromRevision, limit).map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readAllNow(
      exclusiveAfter(options),
      options.until ?? positionMax,
      clampLimit(options.limit, readBatchSizeMax),
    );
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return this.readHead().position;
  }

  async digest(): Promise<Digest> {
    this.assertOpen();
    const head = this.readHead();
    return { position: head.position, hash: head.hash };
  }

  /** Recomputes the hash chain in bounded batches, yielding to the event loop between them. */
  async verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    this.assertOpen();
    const head = this.readHead();
    const until =
      options.until !== undefined && options.until < head.position ? options.until : head.position;
    const source: ChainSource = {
      target: until === head.position ? head : this.readEventHead(until),
      batchSize: readBatchSizeMax,
      readBatch: (after, last) =>
        this.statements.readAll.all(after, last, readBatchSizeMax).map(toStoredLink),
      betweenBatches: async () => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        this.assertOpen();
      },
    };
    return verifyChain(source, options);
  }

  /**
   * Stores events recorded elsewhere exactly as they are — positions, revisions, times and
   * hashes — to copy a log (`kontor replay --out`). All of them in one transaction, and only if
   * each continues the chain: position head + 1, prevHash the head's hash, and its hash
   * recomputes. The copy therefore verifies on its own.
   */
  async importRecorded(events: readonly RecordedEvent[]): Promise<void> {
    this.assertWritable();
    assert(this.queue.length === 0, 'importRecorded while appends are queued');
    if (events.length === 0) return;
    importChained(this.db, this.writes!.insertEvent, () => this.readHead(), events);
    for (const store of storesByFile.get(this.file) ?? []) store.notifyListeners();
  }

  onAppended(listener: () => void): () => void {
    const wrapped = () => listener();
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    this.assertWritable();
    assert(
      Number.isInteger(snapshot.revision) && snapshot.revision >= 0,
      'snapshot revision is a non-negative integer',
    );
    const stateJson = snapshotStateJson(snapshot.state);
    this.writes!.upsertSnapshot.run(
      snapshot.streamId,
      snapshot.revision,
      stateJson,
      this.clock.now().toISOString(),
    );
  }

  async loadSnapshot<State>(streamId: string): Promise<Snapshot<State> | undefined> {
    this.assertOpen();
    const row = this.statements.selectSnapshot.get(streamId);
    if (row === undefined) return undefined;
    return { streamId, revision: row.revision, state: JSON.parse(row.state) as State };
  }

  /** Commits what is queued, then closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.queue.length > 0) this.drain();
    this.closed = true;
    const stores = storesByFile.get(this.file);
    stores?.delete(this);
    if (stores?.size === 0) storesByFile.delete(this.file);
    this.listeners.clear();
    this.db.close();
  }

  /** How well group commit coalesces (tests, metrics). */
  groupCommitStats(): GroupCommitStats {
    return { ...this.stats };
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store is closed');
  }

  private assertWritable(): void {
    this.assertOpen();
    if (this.readOnly) throw new ForbiddenError('store is read-only');
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      if (!this.closed) this.drain();
    });
  }

  private drain(): void {
    const batch = takeGroupCommitBatch(this.queue, {
      appendsMax: groupCommitAppendsMax,
      eventsMax: groupCommitEventsMax,
    });
    const { outcomes, insertedEvents } = this.commit(batch);
    batch.forEach((pending, index) => {
      const outcome = outcomes[index]!;
      if ('result' in outcome) pending.resolve(outcome.result);
      else pending.reject(outcome.error);
    });
    if (this.queue.length > 0) this.scheduleDrain();
    if (insertedEvents > 0) {
      for (const store of storesByFile.get(this.file) ?? []) store.notifyListeners();
    }
  }

  private commit(batch: PendingAppend[]): BatchOutcome {
    try {
      const committed = this.writeBatch.immediate(batch);
      this.stats.transactions += 1;
      this.stats.appends += batch.length;
      this.stats.events += committed.insertedEvents;
      return committed;
    } catch (error) {
      // The transaction itself failed (disk, lock timeout): nothing of the batch is stored.
      return { outcomes: batch.map(() => ({ error })), insertedEvents: 0 };
    }
  }

  private writeBatchInTransaction(batch: PendingAppend[]): BatchOutcome {
    let head = this.readHead();
    const recordedAt = this.clock.now().toISOString();
    let insertedEvents = 0;
    const outcomes: AppendOutcome[] = [];
    for (const pending of batch) {
      try {
        const appended = this.appendInTransaction(pending, head, recordedAt);
        insertedEvents += Number(appended.head.position - head.position);
        head = appended.head;
        outcomes.push({ result: appended.result });
      } catch (error) {
        // Expected refusals happen before any insert, so they reject only their own append.
        if (!(error instanceof DomainError)) throw error;
        outcomes.push({ error });
      }
    }
    return { outcomes, insertedEvents };
  }

  private appendInTransaction(
    pending: PendingAppend,
    head: Digest,
    recordedAt: string,
  ): { result: AppendResult; head: Digest } {
    const { streamId, events } = pending;
    const stored = events.map((event) => this.findEvent(event.eventId));
    const retry = idempotentRetryResult(streamId, events, stored);
    if (retry !== undefined) return { result: retry, head };
    const lastRevision = this.statements.selectLastRevision.get(streamId)?.revision;
    checkExpectedRevision(streamId, pending.expectedRevision, lastRevision);
    let revision = lastRevision ?? -1;
    let { position, hash } = head;
    const positions: bigint[] = [];
    for (const event of events) {
      revision += 1;
      position += 1n;
      const parts = { ...event, streamId, revision, position, recordedAt };
      const eventHash = chainHashFromParts(hash, parts);
      this.writes!.insertEvent.run(
        position,
        event.eventId,
        streamId,
        revision,
        event.type,
        event.schemaVersion,
        event.dataJson,
        event.metadataJson,
        recordedAt,
        hash,
        eventHash,
      );
      hash = eventHash;
      positions.push(position);
    }
    return {
      result: { streamId, lastRevision: revision, positions, lastPosition: position },
      head: { position, hash },
    };
  }

  private findEvent(eventId: string): StoredEventLocation | undefined {
    const row = this.statements.selectEventLocation.get(eventId);
    return row === undefined
      ? undefined
      : { streamId: row.stream_id, revision: row.revision, position: BigInt(row.position) };
  }

  private readHead(): Digest {
    const row = this.statements.selectHead.get();
    return row === undefined
      ? { position: 0n, hash: genesisHash }
      : { position: BigInt(row.position), hash: row.hash };
  }

  private readEventHead(position: bigint): Digest {
    const row = this.statements.selectHashAt.get(position);
    return row === undefined ? { position, hash: genesisHash } : { position, hash: row.hash };
  }

  private readAllNow(after: bigint, until: bigint, limit: number): RecordedEvent[] {
    if (limit === 0) return [];
    return this.statements.readAll.all(after, until, limit).map(toRecordedEvent);
  }

  private notifyListeners(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        process.emitWarning(`onAppended listener failed: ${(error as Error).message}`);
      }
    }
  }
}
