import { EventEmitter } from 'node:events';
import {
  AppendResult,
  AppendStreamState,
  BACKWARDS,
  END,
  EventData,
  Filter,
  ReadPosition,
  ReadRevision,
  START,
} from '@kurrent/kurrentdb-client';

export interface StoredRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  created: Date;
  dataJson: string;
  metadataJson: string;
  position: bigint;
  /** removed by truncation + scavenge */
  scavenged: boolean;
}

/** What the client asks of the fake server (FakeKurrentServer implements it). */
export interface FakeKurrentBackend {
  readonly readsRequiringLeader: boolean[];
  confirmationGate(): Promise<void>;
  append(streamName: string, events: EventData[], expected: AppendStreamState): AppendResult;
  checkPosition(position: bigint): void;
  setMaxCount(streamName: string, maxCount: number): AppendResult;
  metadataOf(streamName: string): { truncateBefore?: number; maxCount?: number };
  streamRecords(streamName: string): StoredRecord[];
  allRecords(): StoredRecord[];
  addSubscription(subscription: FakeSubscription): void;
  removeSubscription(subscription: FakeSubscription): void;
}

export function toKurrentRecord(record: StoredRecord) {
  return {
    streamId: record.streamId,
    id: record.id,
    isJson: true as const,
    revision: record.revision,
    type: record.type,
    created: record.created,
    data: JSON.parse(record.dataJson) as unknown,
    metadata: JSON.parse(record.metadataJson) as unknown,
    position: { commit: record.position, prepare: record.position },
  };
}

function matches(filter: Filter | undefined, record: StoredRecord): boolean {
  if (filter === undefined) return true;
  const subject = filter.filterOn === 'streamName' ? record.streamId : record.type;
  if ('regex' in filter) return new RegExp(filter.regex).test(subject);
  return filter.prefixes.some((prefix) => subject.startsWith(prefix));
}

/** Live once the server confirms it (asynchronously): nothing appended before is announced. */
export class FakeSubscription extends EventEmitter {
  private stopped = false;

  constructor(
    private readonly server: FakeKurrentBackend,
    private readonly filter: Filter | undefined,
  ) {
    super();
    void server.confirmationGate().then(() => {
      if (this.stopped) return;
      server.addSubscription(this);
      this.emit('confirmation');
    });
  }

  offer(record: StoredRecord): void {
    if (!matches(this.filter, record)) return;
    const resolved = { event: toKurrentRecord(record), commitPosition: record.position };
    queueMicrotask(() => this.emit('data', resolved));
  }

  async unsubscribe(): Promise<void> {
    this.stopped = true;
    this.server.removeSubscription(this);
  }
}

export class FakeKurrentClient {
  disposed = false;
  private readonly subscriptions = new Set<FakeSubscription>();

  constructor(private readonly server: FakeKurrentBackend) {}

  async appendToStream(
    streamName: string,
    events: EventData | EventData[],
    options: { streamState?: AppendStreamState } = {},
  ): Promise<AppendResult> {
    this.checkOpen();
    await Promise.resolve();
    return this.server.append(
      streamName,
      Array.isArray(events) ? events : [events],
      options.streamState ?? 'any',
    );
  }

  async setStreamMetadata(
    streamName: string,
    metadata: { maxCount?: number },
  ): Promise<AppendResult> {
    this.checkOpen();
    return this.server.setMaxCount(streamName, metadata.maxCount ?? Number.MAX_SAFE_INTEGER);
  }

  async getStreamMetadata(streamName: string) {
    this.checkOpen();
    await Promise.resolve();
    return { streamName, metadata: this.server.metadataOf(streamName) };
  }

  async *readStream(
    streamName: string,
    options: {
      fromRevision?: ReadRevision;
      maxCount?: number | bigint;
      direction?: string;
      requiresLeader?: boolean;
    } = {},
  ): AsyncGenerator<{ event: ReturnType<typeof toKurrentRecord> }> {
    this.checkOpen();
    this.server.readsRequiringLeader.push(options.requiresLeader === true);
    await Promise.resolve();
    const backwards = options.direction === BACKWARDS;
    let records = this.server.streamRecords(streamName);
    const from = options.fromRevision ?? (backwards ? END : START);
    if (typeof from === 'bigint')
      records = records.filter((record) =>
        backwards ? record.revision <= from : record.revision >= from,
      );
    if (backwards) records = [...records].reverse();
    for (const record of records.slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER)))
      yield { event: toKurrentRecord(record) };
  }

  async *readAll(
    options: {
      fromPosition?: ReadPosition;
      maxCount?: number | bigint;
      direction?: string;
      filter?: Filter;
      requiresLeader?: boolean;
    } = {},
  ): AsyncGenerator<{ event: ReturnType<typeof toKurrentRecord>; commitPosition: bigint }> {
    this.checkOpen();
    this.server.readsRequiringLeader.push(options.requiresLeader === true);
    await Promise.resolve();
    const backwards = options.direction === BACKWARDS;
    const from = options.fromPosition ?? (backwards ? END : START);
    let records = this.server.allRecords();
    if (typeof from === 'object') {
      this.server.checkPosition(from.commit);
      records = records.filter((record) =>
        backwards ? record.position < from.commit : record.position >= from.commit,
      );
    }
    if (backwards) records = [...records].reverse();
    const selected = records
      .filter((record) => matches(options.filter, record))
      .slice(0, Number(options.maxCount ?? Number.MAX_SAFE_INTEGER));
    for (const record of selected)
      yield { event: toKurrentRecord(record), commitPosition: record.position };
  }

  subscribeToAll(options: { fromPosition?: ReadPosition; filter?: Filter } = {}): FakeSubscription {
    this.checkOpen();
    if (options.fromPosition !== END) throw new Error('the fake subscribes from END only');
    const subscription = new FakeSubscription(this.server, options.filter);
    this.subscriptions.add(subscription);
    return subscription;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const subscription of this.subscriptions) await subscription.unsubscribe();
  }

  private checkOpen(): void {
    if (this.disposed) throw new Error('the client is disposed');
  }
}
