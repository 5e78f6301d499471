import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  jsonEvent,
  KurrentDBClient,
  RecordedEvent as KurrentRecordedEvent,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import {
  AppendOptions,
  AppendTooLargeError,
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
  isDeadlineExceeded,
  isMaxAppendSizeExceeded,
  isWrongExpectedVersion,
  StreamNaming,
  streamStateAfter,
  toRecordedEvent,
  KurrentStreamTruncatedError,
  toWrongExpectedRevision,
} from './kurrentdb-mapping.js';
import { KurrentLog } from './kurrentdb-log.js';
import { verifyStreamChains } from './kurrentdb-verify.js';
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
import { fromSnapshotData, toSnapshotData } from './kurrentdb-snapshot-data.js';

export { snapshotPlainBytesMax } from './kurrentdb-snapshot-data.js';

export type { KurrentClient };
export { KurrentStreamTruncatedError };

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
/** Snapshots kept per stream (KurrentDB `$maxCount` of the snapshot stream). */
const snapshotsKeptMax = 1;
const snapshotEventType = 'KontorSnapshot';

/**
 * The event store on KurrentDB (docs/kurrentdb.md). Streams are KurrentDB streams; the global
 * log is `$all` filtered to Kontor's streams, positions are commit positions (increasing, not
 * dense), and the hash chain runs per stream. Reading `$all` needs admin credentials.
 */
export class KurrentDbEventStore implements EventStore {
  readonly kind = 'kurrentdb' as const;
  private readonly notifier: LiveAppendNotifier;
  private readonly log: KurrentLog;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  private constructor(
    private readonly client: KurrentClient,
    private readonly naming: StreamNaming,
    private readonly clock: Clock,
  ) {
    this.log = new KurrentLog(client, naming);
    this.notifier = new LiveAppendNotifier(client, this.log.logFilter());
  }

  /** Connects and checks at once that `$all` can be read (admin credentials). */
  static async connect(
    url: string,
    options: KurrentDbEventStoreOptions = {},
  ): Promise<KurrentDbEventStore> {
    if (/[?&]throwOnAppendFailure=false(&|$)/i.test(url))
      throw new Error(
        'KURRENTDB_URL sets throwOnAppendFailure=false: Kontor needs a lost race to fail the append (WrongExpectedVersion); remove the setting',
      );
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
    let lastFailure: unknown;
    for (let attempt = 1; attempt <= exactRevisionAttemptsMax; attempt += 1) {
      const tailCount =
        expected === 'any' || expected === 'stream_exists' ? idempotencyTailEvents : 1;
      const recent = await this.log.readStreamRecords(streamName, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: tailCount,
      });
      const tail = tailOf(recent, this.naming);
      if (tail.lastRevision === undefined) await this.log.refuseTruncated(streamName);
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
        const written = await this.client.appendToStream(
          streamName,
          planned.map((event) => event.eventData),
          { streamState: streamStateAfter(tail.lastRevision) },
        );
        // throwOnAppendFailure=false (refused at connect) would answer a lost race like this.
        if (!written.success) {
          lastFailure = new Error(`KurrentDB did not append to ${streamName} (success: false)`);
          continue;
        }
      } catch (error) {
        if (isMaxAppendSizeExceeded(error))
          throw new AppendTooLargeError(streamId, error.maxAppendSize);
        // The append may have committed anyway: the next round's tail read finds it (same ids).
        if (isDeadlineExceeded(error)) {
          lastFailure = error;
          continue;
        }
        if (!isWrongExpectedVersion(error)) throw error;
        lastConflict = error;
        continue;
      }
      const result = await this.appendedResult(streamId, streamName, planned);
      this.notifier.committed(result.lastPosition);
      return result;
    }
    if (lastConflict === undefined) throw lastFailure;
    throw toWrongExpectedRevision(streamId, expected, lastConflict);
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
        ...(await this.log.readStreamRecords(streamName, {
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
    const stored = await this.log.readStreamRecords(streamName, {
      direction: FORWARDS,
      fromRevision: BigInt(first.revision),
      maxCount: planned.length,
    });
    const matches =
      stored.length === planned.length &&
      stored.every(
        (event, index) =>
          event.id.toLowerCase() === planned[index]!.kurrentId &&
          Number(event.revision) === planned[index]!.revision,
      );
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
    const records = await this.log.readWholeStream(
      streamName,
      Math.max(0, options.fromRevision ?? 0),
      options.limit ?? Number.MAX_SAFE_INTEGER,
    );
    return records.map((record) => toRecordedEvent(record, this.naming));
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = Math.max(0, Math.min(options.limit ?? readBatchSizeMax, readBatchSizeMax));
    const events: RecordedEvent[] = [];
    if (limit === 0) return events;
    const records =
      options.from !== undefined
        ? this.log.logRecords(options.from, limit, true)
        : this.log.logRecords(options.after ?? 0n, limit);
    for await (const record of records) {
      if (options.until !== undefined && commitPosition(record) > options.until) break;
      if (!this.log.isKontorRecord(record)) continue;
      events.push(toRecordedEvent(record, this.naming));
      if (events.length === limit) break;
    }
    return events;
  }

  async headPosition(): Promise<bigint> {
    const head = await this.log.headRecord();
    return head === undefined ? 0n : commitPosition(head);
  }

  async digest(): Promise<Digest> {
    const head = await this.log.headRecord();
    if (head === undefined) return { position: 0n, hash: genesisHash };
    const event = toRecordedEvent(head, this.naming);
    return { position: event.position, hash: event.hash };
  }

  /** Every stream's hash chain, walking the whole log once (`verifyStreamChains`). */
  verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    return verifyStreamChains(this.log.logRecords(0n, readBatchSizeMax), this.naming, options);
  }

  onAppended(listener: () => void): () => void {
    return this.notifier.add(listener);
  }

  /** Appends to the stream's snapshot stream (KurrentDB keeps only the last one); an older revision than the stored one is ignored. */
  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    const current = await this.loadSnapshot(snapshot.streamId);
    if (current !== undefined && current.revision > snapshot.revision) return;
    const streamName = this.naming.snapshotStream(snapshot.streamId);
    const event = jsonEvent({ type: snapshotEventType, data: toSnapshotData(snapshot) });
    const result = await this.track(
      this.client.appendToStream(streamName, event, { streamState: ANY }),
    );
    if (result.nextExpectedRevision === 0n) {
      await this.track(this.client.setStreamMetadata(streamName, { maxCount: snapshotsKeptMax }));
    }
  }

  async loadSnapshot<State>(streamId: string): Promise<Snapshot<State> | undefined> {
    const [latest] = await this.log.readStreamRecords(this.naming.snapshotStream(streamId), {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    if (latest === undefined) return undefined;
    return fromSnapshotData<State>(streamId, latest.data);
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
}

function tailOf(recent: readonly KurrentRecordedEvent[], naming: StreamNaming): StreamTail {
  const last = recent[0];
  if (last === undefined) return emptyTail;
  return { lastRevision: Number(last.revision), lastHash: toRecordedEvent(last, naming).hash };
}
