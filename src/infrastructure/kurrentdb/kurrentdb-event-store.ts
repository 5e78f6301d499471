import { ANY, BACKWARDS, END, jsonEvent, KurrentDBClient } from '@kurrent/kurrentdb-client';
import {
  AppendOptions,
  AppendResult,
  checkDistinctEventIds,
  Clock,
  Digest,
  EventStore,
  genesisHash,
  NewEvent,
  readBatchSizeMax,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  Snapshot,
  systemClock,
  VerifyOptions,
  VerifyResult,
} from '../../event-sourcing/index.js';
import { KurrentStreamAppender } from './kurrentdb-append.js';
import { KurrentClient } from './kurrentdb-client.js';
import {
  commitPosition,
  isAccessDenied,
  StreamNaming,
  toRecordedEvent,
  KurrentStreamTruncatedError,
} from './kurrentdb-mapping.js';
import { KurrentLog } from './kurrentdb-log.js';
import { verifyStreamChains } from './kurrentdb-verify.js';
import { LiveAppendNotifier } from './live-append-notifier.js';
import { prepareNewEvent } from './stream-append-plan.js';
import { fromSnapshotData, toSnapshotData } from './kurrentdb-snapshot-data.js';

export { idempotencyTailEvents } from './kurrentdb-append.js';
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
  private readonly appender: KurrentStreamAppender;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  private constructor(
    private readonly client: KurrentClient,
    private readonly naming: StreamNaming,
    clock: Clock,
  ) {
    this.log = new KurrentLog(client, naming);
    this.notifier = new LiveAppendNotifier(client, this.log.logFilter());
    this.appender = new KurrentStreamAppender(client, this.log, naming, clock, this.notifier, () =>
      this.headPosition(),
    );
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
        this.appender.append(
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
