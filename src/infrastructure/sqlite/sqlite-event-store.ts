import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase, Statement, Transaction } from 'better-sqlite3';
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
} from '../../event-sourcing/index.js';
import {
  canonicalJson,
  chainHashFromParts,
  snapshotStateJson,
  storedEventHashMismatch,
} from './canonical-event.js';
import { eventStoreMigrationComponent, eventStoreMigrations } from './event-store.migrations.js';
import { appliedSqliteMigrations, migrateSqlite } from './migrations.js';

export interface SqliteEventStoreOptions {
  readOnly?: boolean;
  clock?: Clock;
}

/** At most this many appends share one group-commit transaction (and its one fsync). */
export const groupCommitAppendsMax = 1_000;
/** At most this many events per group-commit transaction; a single append is never split. */
export const groupCommitEventsMax = 50_000;
/** How long a connection waits for another process's write lock before failing. */
export const sqliteBusyTimeoutMilliseconds = 10_000;
/**
 * WAL pages between automatic checkpoints (SQLite's default is 1,000). Random event ids dirty
 * about one index page per event; a longer WAL lets a checkpoint write each page once for many
 * commits instead of once per few commits.
 */
export const walAutocheckpointPages = 10_000;
/** After a checkpoint the WAL file is truncated to at most this size. */
export const walSizeLimitBytes = 64 * 1024 * 1024;
/** verify() reports progress every this many events. */
export const verifyProgressInterval = 5_000;

const positionMax = 2n ** 63n - 1n;

interface EventRow {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  schema_version: number;
  data: string;
  metadata: string;
  recorded_at: string;
  prev_hash: string;
  hash: string;
}

/** An events row as verify reads it: the EventRow columns in that order. */
type VerifyRow = [
  position: number,
  eventId: string,
  streamId: string,
  revision: number,
  type: string,
  schemaVersion: number,
  data: string,
  metadata: string,
  recordedAt: string,
  prevHash: string,
  hash: string,
];

/** An event with its JSON already canonical, ready to be hashed and inserted. */
interface PreparedEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  dataJson: string;
  metadataJson: string;
}

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

interface ChainHead {
  position: bigint;
  hash: string;
}

export interface GroupCommitStats {
  transactions: number;
  appends: number;
  events: number;
}

/** Instances of this process per database file, so an append through one wakes the listeners of all. */
const storesByFile = new Map<string, Set<SqliteEventStore>>();

function prepareEvent(event: NewEvent): PreparedEvent {
  return {
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    dataJson: canonicalJson(event.data, 'data'),
    metadataJson: canonicalJson(event.metadata, 'metadata'),
  };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    revision: row.revision,
    position: BigInt(row.position),
    type: row.type,
    schemaVersion: row.schema_version,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: row.recorded_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

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
    if (readOnly && !existsSync(file))
      throw new Error(`no event store at ${file}: a read-only store must already exist`);
    const db = new Database(file, readOnly ? { readonly: true, fileMustExist: true } : {});
    try {
      db.pragma(`busy_timeout = ${sqliteBusyTimeoutMilliseconds}`);
      if (readOnly) {
        const applied = appliedSqliteMigrations(db, eventStoreMigrationComponent);
        if (applied.length !== eventStoreMigrations.length) {
          throw new Error(
            `${file} has event store schema version ${applied.length}, expected ${eventStoreMigrations.length}; open it writable once to migrate`,
          );
        }
      } else {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
        db.pragma(`wal_autocheckpoint = ${walAutocheckpointPages}`);
        db.pragma(`journal_size_limit = ${walSizeLimitBytes}`);
        migrateSqlite(db, eventStoreMigrationComponent, eventStoreMigrations);
      }
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
      options.after ?? 0n,
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

  /**
   * Streams the log in bounded batches (constant memory), yielding to the event loop between
   * them. `headPosition`/`headHash` describe the end of the checked range; when the chain is
   * broken, `checkedEvents` counts the intact events before `firstBrokenPosition`.
   */
  async verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    this.assertOpen();
    const head = this.readHead();
    const until =
      options.until !== undefined && options.until < head.position ? options.until : head.position;
    const target = until === head.position ? head : this.readEventHead(until);
    let previous: ChainHead = { position: 0n, hash: genesisHash };
    let checkedEvents = 0;
    for (;;) {
      const rows = this.statements.verifyRows.all(previous.position, until, readBatchSizeMax);
      for (const row of rows) {
        const position = BigInt(row[0]);
        const reason = brokenLinkReason(row, position, previous);
        if (reason !== undefined) {
          const firstBrokenPosition = reason.missing ? previous.position + 1n : position;
          return {
            ok: false,
            checkedEvents,
            headPosition: target.position,
            headHash: target.hash,
            firstBrokenPosition,
            reason: reason.text,
          };
        }
        previous = { position, hash: row[10] };
        checkedEvents += 1;
        if (checkedEvents % verifyProgressInterval === 0) options.onProgress?.(previous.position);
      }
      if (rows.length < readBatchSizeMax) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.assertOpen();
    }
    if (previous.position !== until) {
      return {
        ok: false,
        checkedEvents,
        headPosition: target.position,
        headHash: target.hash,
        firstBrokenPosition: previous.position + 1n,
        reason: `position ${previous.position + 1n} is missing`,
      };
    }
    options.onProgress?.(previous.position);
    return { ok: true, checkedEvents, headPosition: target.position, headHash: target.hash };
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
    const importAll = this.db.transaction(() => {
      let head = this.readHead();
      for (const event of events) {
        const parts = {
          ...event,
          dataJson: canonicalJson(event.data, 'data'),
          metadataJson: canonicalJson(event.metadata, 'metadata'),
        };
        if (event.position !== head.position + 1n)
          throw new Error(
            `import: position ${event.position} does not follow the head ${head.position}`,
          );
        if (event.prevHash !== head.hash)
          throw new Error(
            `import: prevHash of position ${event.position} is not the hash of position ${head.position}`,
          );
        if (chainHashFromParts(event.prevHash, parts) !== event.hash)
          throw new Error(`import: the hash of position ${event.position} does not recompute`);
        this.writes!.insertEvent.run(
          event.position,
          event.eventId,
          event.streamId,
          event.revision,
          event.type,
          event.schemaVersion,
          parts.dataJson,
          parts.metadataJson,
          event.recordedAt,
          event.prevHash,
          event.hash,
        );
        head = { position: event.position, hash: event.hash };
      }
    });
    importAll.immediate();
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
    const batch = this.takeBatch();
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

  private takeBatch(): PendingAppend[] {
    let count = 0;
    let events = 0;
    while (count < this.queue.length && count < groupCommitAppendsMax) {
      events += this.queue[count]!.events.length;
      if (count > 0 && events > groupCommitEventsMax) break;
      count += 1;
    }
    return this.queue.splice(0, count);
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
    head: ChainHead,
    recordedAt: string,
  ): { result: AppendResult; head: ChainHead } {
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

  private readHead(): ChainHead {
    const row = this.statements.selectHead.get();
    return row === undefined
      ? { position: 0n, hash: genesisHash }
      : { position: BigInt(row.position), hash: row.hash };
  }

  private readEventHead(position: bigint): ChainHead {
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

/** Why a row does not continue the chain from `previous`, if it does not. */
function brokenLinkReason(
  row: VerifyRow,
  position: bigint,
  previous: ChainHead,
): { text: string; missing?: boolean } | undefined {
  const [
    ,
    eventId,
    streamId,
    revision,
    type,
    schemaVersion,
    data,
    metadata,
    recordedAt,
    prevHash,
    hash,
  ] = row;
  if (position !== previous.position + 1n)
    return { text: `position ${previous.position + 1n} is missing`, missing: true };
  if (prevHash !== previous.hash)
    return { text: `prev_hash does not match the hash of position ${previous.position}` };
  const parts = {
    eventId,
    streamId,
    revision,
    position,
    type,
    schemaVersion,
    dataJson: data,
    metadataJson: metadata,
    recordedAt,
  };
  const mismatch = storedEventHashMismatch(prevHash, parts, hash);
  return mismatch === undefined ? undefined : { text: mismatch };
}

function prepareReadStatements(db: SqliteDatabase) {
  const columns =
    'position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at, prev_hash, hash';
  return {
    readStream: db.prepare<[string, number, number], EventRow>(
      `SELECT ${columns} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
    ),
    readAll: db.prepare<[bigint, bigint, number], EventRow>(
      `SELECT ${columns} FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`,
    ),
    // Rows as arrays: verify reads every row of the log, and arrays cost less to build than objects.
    verifyRows: db
      .prepare<[bigint, bigint, number], VerifyRow>(
        `SELECT ${columns} FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`,
      )
      .raw(true),
    selectHead: db.prepare<[], { position: number; hash: string }>(
      'SELECT position, hash FROM events ORDER BY position DESC LIMIT 1',
    ),
    selectHashAt: db.prepare<[bigint], { hash: string }>(
      'SELECT hash FROM events WHERE position = ?',
    ),
    selectLastRevision: db.prepare<[string], { revision: number }>(
      'SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
    ),
    selectEventLocation: db.prepare<
      [string],
      { stream_id: string; revision: number; position: number }
    >('SELECT stream_id, revision, position FROM events WHERE event_id = ?'),
    selectSnapshot: db.prepare<[string], { revision: number; state: string }>(
      'SELECT revision, state FROM snapshots WHERE stream_id = ?',
    ),
  };
}

function prepareWriteStatements(db: SqliteDatabase) {
  return {
    insertEvent: db.prepare(
      `INSERT INTO events (position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ) as Statement<
      [bigint, string, string, number, string, number, string, string, string, string, string]
    >,
    // Latest revision wins: an older snapshot saved late never replaces a newer one.
    upsertSnapshot: db.prepare<[string, number, string, string]>(
      `INSERT INTO snapshots (stream_id, revision, state, saved_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, state = excluded.state, saved_at = excluded.saved_at
       WHERE excluded.revision >= snapshots.revision`,
    ),
  };
}
