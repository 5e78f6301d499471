import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  jsonEvent,
  KurrentDBClient,
  RecordedEvent as KurrentRecordedEvent,
  ReadPosition,
  START,
  streamNameFilter,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import {
  AppendOptions,
  AppendResult,
  checkDistinctEventIds,
  checkExpectedRevision,
  Clock,
  Digest,
  EventStore,
  ExpectedRevision,
  genesisHash,
  idempotentRetryResult,
  NewEvent,
  readBatchSizeMax,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  Snapshot,
  StoredEventLocation,
  systemClock,
  VerifyOptions,
  VerifyResult,
} from '../../event-sourcing/index.js';
import { KurrentClient } from './kurrentdb-client.js';
import {
  commitPosition,
  isAccessDenied,
  isKontorEnvelope,
  isStreamNotFound,
  isWrongExpectedVersion,
  StreamNaming,
  streamStateAfter,
  toRecordedEvent,
  toWrongExpectedRevision,
} from './kurrentdb-mapping.js';
import { LiveAppendNotifier } from './live-append-notifier.js';
import {
  emptyTail,
  planStreamAppend,
  PlannedEvent,
  PreparedEvent,
  prepareNewEvent,
  retryWindowStart,
  StreamTail,
} from './stream-append-plan.js';
import { streamChainHash } from './stream-hash-chain.js';

export type { KurrentClient };

export interface KurrentDbEventStoreOptions {
  clock?: Clock;
  /**
   * Keeps this store's streams apart from others on the same database: stream `s` is stored as
   * `<namespace>:s` and the log is those streams only (test isolation, several installations).
   */
  namespace?: string;
}

/** With `any`/`stream_exists`, an idempotent retry is recognised among this many last events of the stream. */
export const idempotencyTailEvents = 100;
/** Re-reads after losing the race for the exact revision this adapter appends with (its own retry, below any command's) before giving up with a conflict. */
const exactRevisionAttemptsMax = 25;
/** Events per backward read while looking for the head of the log. */
const headScanEvents = 32;
/** verify() reports progress every this many checked events. */
const verifyProgressEvents = 5000;
/** Snapshots kept per stream (KurrentDB `$maxCount` of the snapshot stream). */
const snapshotsKeptMax = 1;
const snapshotEventType = 'KontorSnapshot';
const tombstoneEventType = '$streamDeleted';

/**
 * The event store on KurrentDB (docs/kurrentdb.md). Streams are KurrentDB streams; the global
 * log is `$all` filtered to Kontor's streams, positions are commit positions (increasing, not
 * dense), and the hash chain runs per stream. Reading `$all` needs admin credentials.
 */
export class KurrentDbEventStore implements EventStore {
  readonly kind = 'kurrentdb' as const;
  private readonly notifier: LiveAppendNotifier;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  private constructor(
    private readonly client: KurrentClient,
    private readonly naming: StreamNaming,
    private readonly clock: Clock,
  ) {
    this.notifier = new LiveAppendNotifier(client, this.logFilter());
  }

  /** Connects and checks at once that `$all` can be read (admin credentials). */
  static async connect(
    url: string,
    options: KurrentDbEventStoreOptions = {},
  ): Promise<KurrentDbEventStore> {
    const client = KurrentDBClient.connectionString(url);
    const store = KurrentDbEventStore.withClient(client, options);
    try {
      await store.headPosition();
    } catch (error) {
      await client.dispose();
      if (isAccessDenied(error)) {
        throw new Error(
          'KurrentDB refused to read $all: Kontor needs a user in $admins, e.g. KURRENTDB_URL=kurrentdb://admin:changeit@localhost:2113?tls=false',
          { cause: error },
        );
      }
      throw new Error(
        `KurrentDB is not reachable through KURRENTDB_URL: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return store;
  }

  /** A store over a client the caller made (unit specs use a fake); close() disposes it. */
  static withClient(
    client: KurrentClient,
    options: KurrentDbEventStoreOptions = {},
  ): KurrentDbEventStore {
    return new KurrentDbEventStore(
      client,
      new StreamNaming(options.namespace),
      options.clock ?? systemClock,
    );
  }

  append(streamId: string, events: NewEvent[], options: AppendOptions = {}): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('the event store is closed'));
    try {
      const streamName = this.naming.domainStream(streamId);
      checkDistinctEventIds(events);
      const prepared = events.map(prepareNewEvent);
      return this.track(
        this.appendPrepared(
          streamId,
          streamName,
          events,
          prepared,
          options.expectedRevision ?? 'any',
        ),
      );
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Reads the stream's tail, recognises a retry, checks the caller's expectation, then appends
   * with the EXACT revision it read (never `any`). Losing a race to another writer
   * (WrongExpectedVersion) means: read again and decide again.
   */
  private async appendPrepared(
    streamId: string,
    streamName: string,
    events: readonly NewEvent[],
    prepared: readonly PreparedEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    let lastConflict: WrongExpectedVersionError | undefined;
    for (let attempt = 1; attempt <= exactRevisionAttemptsMax; attempt += 1) {
      const tailCount =
        expected === 'any' || expected === 'stream_exists' ? idempotencyTailEvents : 1;
      const recent = await this.readStreamRecords(streamName, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: tailCount,
      });
      const tail = tailOf(recent, this.naming);
      const retry = await this.idempotentRetry(
        streamId,
        streamName,
        events,
        prepared,
        expected,
        tail,
        recent,
      );
      if (retry !== undefined) return retry;
      checkExpectedRevision(streamId, expected, tail.lastRevision);
      if (prepared.length === 0) {
        return {
          streamId,
          lastRevision: tail.lastRevision ?? -1,
          positions: [],
          lastPosition: await this.headPosition(),
        };
      }
      const planned = planStreamAppend(streamId, prepared, tail, this.clock.now().toISOString());
      try {
        await this.client.appendToStream(
          streamName,
          planned.map((event) => event.eventData),
          { streamState: streamStateAfter(tail.lastRevision) },
        );
      } catch (error) {
        if (!isWrongExpectedVersion(error)) throw error;
        lastConflict = error;
        continue;
      }
      const result = await this.appendedResult(streamId, streamName, planned);
      this.notifier.committed(result.lastPosition);
      return result;
    }
    throw toWrongExpectedRevision(streamId, expected, lastConflict!);
  }

  /**
   * The original result when every event of the append is already stored in the stream. Looked
   * for where a same-expectation retry would find them (any distance) and in the tail read.
   * Event ids stored in OTHER streams are not found: KurrentDB has no index by event id.
   */
  private async idempotentRetry(
    streamId: string,
    streamName: string,
    events: readonly NewEvent[],
    prepared: readonly PreparedEvent[],
    expected: ExpectedRevision,
    tail: StreamTail,
    recent: readonly KurrentRecordedEvent[],
  ): Promise<AppendResult | undefined> {
    if (prepared.length === 0) return undefined;
    const candidates = [...recent];
    const windowStart = retryWindowStart(expected, tail.lastRevision);
    const oldestRead = recent.at(-1)?.revision;
    if (
      windowStart !== undefined &&
      (oldestRead === undefined || BigInt(windowStart) < oldestRead)
    ) {
      candidates.push(
        ...(await this.readStreamRecords(streamName, {
          direction: FORWARDS,
          fromRevision: BigInt(windowStart),
          maxCount: prepared.length,
        })),
      );
    }
    const stored = new Map<string, StoredEventLocation>();
    for (const event of candidates) {
      stored.set(event.id.toLowerCase(), {
        streamId,
        revision: Number(event.revision),
        position: commitPosition(event),
      });
    }
    return idempotentRetryResult(
      streamId,
      events,
      prepared.map((event) => stored.get(event.kurrentId)),
    );
  }

  /** Positions of the events just appended, read back from the stream (exact, also when KurrentDB de-duplicated them). */
  private async appendedResult(
    streamId: string,
    streamName: string,
    planned: readonly PlannedEvent[],
  ): Promise<AppendResult> {
    const first = planned[0]!;
    const stored = await this.readStreamRecords(streamName, {
      direction: FORWARDS,
      fromRevision: BigInt(first.revision),
      maxCount: planned.length,
    });
    const matches =
      stored.length === planned.length &&
      stored.every((event, index) => event.id.toLowerCase() === planned[index]!.kurrentId);
    if (!matches)
      throw new Error(
        `KurrentDB stream ${streamName}: the appended events are not where the append put them`,
      );
    const positions = stored.map(commitPosition);
    return {
      streamId,
      lastRevision: planned.at(-1)!.revision,
      positions,
      lastPosition: positions.at(-1)!,
    };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const streamName = this.naming.domainStream(streamId);
    if (options.limit !== undefined && options.limit <= 0) return [];
    const records = await this.readStreamRecords(streamName, {
      direction: FORWARDS,
      fromRevision: BigInt(Math.max(0, options.fromRevision ?? 0)),
      maxCount: options.limit ?? Number.MAX_SAFE_INTEGER,
    });
    return records.map((record) => toRecordedEvent(record, this.naming));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = Math.max(0, Math.min(options.limit ?? readBatchSizeMax, readBatchSizeMax));
    const events: RecordedEvent[] = [];
    if (limit === 0) return events;
    for await (const record of this.logRecords(options.after ?? 0n, limit)) {
      if (options.until !== undefined && commitPosition(record) > options.until) break;
      if (!this.isKontorRecord(record)) continue;
      events.push(toRecordedEvent(record, this.naming));
      if (events.length === limit) break;
    }
    return events;
  }

  async headPosition(): Promise<bigint> {
    const head = await this.headRecord();
    return head === undefined ? 0n : commitPosition(head);
  }

  async digest(): Promise<Digest> {
    const head = await this.headRecord();
    if (head === undefined) return { position: 0n, hash: genesisHash };
    const event = toRecordedEvent(head, this.naming);
    return { position: event.position, hash: event.hash };
  }

  /**
   * Walks the whole log once, keeping the last revision and hash of every stream (memory grows
   * with the number of streams), and checks each stream's chain: revisions without a gap from 0,
   * prevHash = the previous hash, hash = its content. A tombstoned stream, a truncated one (its
   * first visible revision is not 0) and an event not written by Kontor are breaks too.
   */
  async verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    const streams = new Map<string, { revision: number; hash: string }>();
    let checkedEvents = 0;
    let headPosition = 0n;
    let headHash = genesisHash;
    for await (const record of this.logRecords(0n, readBatchSizeMax)) {
      const position = commitPosition(record);
      if (options.until !== undefined && position > options.until) break;
      if (record.type.startsWith('$') && record.type !== tombstoneEventType) continue;
      const problem = this.chainProblem(record, streams);
      if (problem !== undefined) {
        return {
          ok: false,
          checkedEvents,
          headPosition,
          headHash,
          firstBrokenPosition: position,
          reason: problem,
        };
      }
      const event = toRecordedEvent(record, this.naming);
      streams.set(event.streamId, { revision: event.revision, hash: event.hash });
      checkedEvents += 1;
      headPosition = position;
      headHash = event.hash;
      if (checkedEvents % verifyProgressEvents === 0) options.onProgress?.(headPosition);
    }
    if (checkedEvents > 0 && checkedEvents % verifyProgressEvents !== 0)
      options.onProgress?.(headPosition);
    return { ok: true, checkedEvents, headPosition, headHash };
  }

  private chainProblem(
    record: KurrentRecordedEvent,
    streams: ReadonlyMap<string, { revision: number; hash: string }>,
  ): string | undefined {
    const position = commitPosition(record);
    if (record.type === tombstoneEventType)
      return `stream ${record.streamId} was deleted (tombstoned) at position ${position}`;
    if (!record.isJson || !isKontorEnvelope(record.metadata)) {
      return `event ${record.id} at position ${position} (stream ${record.streamId}) was not written by Kontor`;
    }
    const event = toRecordedEvent(record, this.naming);
    const previous = streams.get(event.streamId);
    const expectedRevision = (previous?.revision ?? -1) + 1;
    if (event.revision !== expectedRevision) {
      return `stream ${event.streamId}: revision ${expectedRevision} is missing (deleted or truncated) before position ${position}`;
    }
    const prevHash = previous?.hash ?? genesisHash;
    if (event.prevHash !== prevHash)
      return `prevHash of position ${position} does not match the hash before it in stream ${event.streamId}`;
    if (streamChainHash(prevHash, event) !== event.hash)
      return `hash of position ${position} does not match its content`;
    return undefined;
  }

  onAppended(listener: () => void): () => void {
    return this.notifier.add(listener);
  }

  /** Appends to the stream's snapshot stream (KurrentDB keeps only the last one); an older revision than the stored one is ignored. */
  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    const current = await this.loadSnapshot(snapshot.streamId);
    if (current !== undefined && current.revision > snapshot.revision) return;
    const streamName = this.naming.snapshotStream(snapshot.streamId);
    const event = jsonEvent({
      type: snapshotEventType,
      data: { revision: snapshot.revision, state: snapshot.state },
    });
    const result = await this.track(
      this.client.appendToStream(streamName, event, { streamState: ANY }),
    );
    if (result.nextExpectedRevision === 0n) {
      await this.track(this.client.setStreamMetadata(streamName, { maxCount: snapshotsKeptMax }));
    }
  }

  async loadSnapshot<State>(streamId: string): Promise<Snapshot<State> | undefined> {
    const [latest] = await this.readStreamRecords(this.naming.snapshotStream(streamId), {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    if (latest === undefined) return undefined;
    const data = latest.data as { revision: number; state: State };
    return { streamId, revision: data.revision, state: data.state };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    await this.notifier.close();
    await this.client.dispose();
  }

  private track<T>(operation: Promise<T>): Promise<T> {
    this.inFlight.add(operation);
    const forget = () => this.inFlight.delete(operation);
    operation.then(forget, forget);
    return operation;
  }

  private logFilter() {
    return streamNameFilter({ regex: this.naming.logFilterRegex });
  }

  /** A Kontor event of this store's log (not a tombstone or another `$` event KurrentDB put in the stream). */
  private isKontorRecord(record: KurrentRecordedEvent): boolean {
    return !record.type.startsWith('$') && this.naming.isDomainStream(record.streamId);
  }

  /** A stream's events; none when the stream does not exist. */
  private async readStreamRecords(
    streamName: string,
    options: {
      direction: typeof FORWARDS | typeof BACKWARDS;
      fromRevision: bigint | typeof END;
      maxCount: number;
    },
  ): Promise<KurrentRecordedEvent[]> {
    const records: KurrentRecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamName, options)) {
        if (resolved.event !== undefined && !resolved.event.type.startsWith('$'))
          records.push(resolved.event);
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
    return records;
  }

  /**
   * The log after `after` in position order, server-side filtered to this store's streams, in
   * pages of `pageSize`. A read from a position may or may not include the event at it, so each
   * page asks for one more and drops what is not after the cursor.
   */
  private async *logRecords(after: bigint, pageSize: number): AsyncGenerator<KurrentRecordedEvent> {
    const filter = this.logFilter();
    let cursor = after;
    for (;;) {
      const maxCount = pageSize + 1;
      const fromPosition: ReadPosition =
        cursor === 0n ? START : { commit: cursor, prepare: cursor };
      let returned = 0;
      for await (const resolved of this.client.readAll({
        direction: FORWARDS,
        fromPosition,
        maxCount,
        filter,
      })) {
        returned += 1;
        const record = resolved.event;
        if (record === undefined) continue;
        const position = commitPosition(record);
        if (position <= cursor) continue;
        cursor = position;
        if (this.naming.isDomainStream(record.streamId)) yield record;
      }
      if (returned < maxCount) return;
    }
  }

  /** The last Kontor event of the log, read backwards (skipping tombstones at the head). */
  private async headRecord(): Promise<KurrentRecordedEvent | undefined> {
    const filter = this.logFilter();
    let cursor: bigint | undefined;
    for (;;) {
      const fromPosition: ReadPosition =
        cursor === undefined ? END : { commit: cursor, prepare: cursor };
      const previousCursor = cursor;
      let returned = 0;
      for await (const resolved of this.client.readAll({
        direction: BACKWARDS,
        fromPosition,
        maxCount: headScanEvents,
        filter,
      })) {
        returned += 1;
        const record = resolved.event;
        if (record === undefined) continue;
        const position = commitPosition(record);
        if (cursor !== undefined && position >= cursor) continue;
        if (this.isKontorRecord(record)) return record;
        cursor = position;
      }
      if (returned < headScanEvents || cursor === previousCursor) return undefined;
    }
  }
}

function tailOf(recent: readonly KurrentRecordedEvent[], naming: StreamNaming): StreamTail {
  const last = recent[0];
  if (last === undefined) return emptyTail;
  return { lastRevision: Number(last.revision), lastHash: toRecordedEvent(last, naming).hash };
}
