import {
  AppendOptions,
  AppendResult,
  assert,
  checkDistinctEventIds,
  checkExpectedRevision,
  Clock,
  Digest,
  EventStore,
  genesisHash,
  idempotentRetryResult,
  NewEvent,
  ReadAllOptions,
  readBatchSizeMax,
  ReadStreamOptions,
  RecordedEvent,
  Snapshot,
  systemClock,
  VerifyOptions,
  VerifyResult,
  exclusiveAfter,
} from '../../event-sourcing/index.js';
import {
  canonicalJson,
  chainHashFromParts,
  ChainSource,
  StoredLink,
  verifyChain,
} from '../event-store/index.js';

/** Events are kept as JSON text, so reads hand out fresh copies, exactly as a database would. */
interface StoredEvent {
  recorded: Omit<RecordedEvent, 'data' | 'metadata'>;
  dataJson: string;
  metadataJson: string;
}

/** A stored event as the chain check reads it. */
function toStoredLink({ recorded, dataJson, metadataJson }: StoredEvent): StoredLink {
  const { prevHash, hash, ...fields } = recorded;
  return {
    position: recorded.position,
    prevHash,
    hash,
    parts: {
      eventId: fields.eventId,
      streamId: fields.streamId,
      revision: fields.revision,
      position: fields.position,
      type: fields.type,
      schemaVersion: fields.schemaVersion,
      dataJson,
      metadataJson,
      recordedAt: fields.recordedAt,
    },
  };
}

function toRecordedEvent(stored: StoredEvent): RecordedEvent {
  return {
    ...stored.recorded,
    data: JSON.parse(stored.dataJson),
    metadata: JSON.parse(stored.metadataJson),
  };
}

/**
 * The EventStore port in memory, for unit tests: the same rules as the database stores
 * (expected revision, idempotent event ids, gap-free positions, hash chain, snapshots), passing
 * the same contract suite. Each append is atomic because it never awaits in the middle.
 */
export class InMemoryEventStore implements EventStore {
  readonly kind = 'memory';

  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly byEventId = new Map<string, StoredEvent>();
  private readonly snapshots = new Map<string, { revision: number; stateJson: string }>();
  private readonly listeners = new Set<() => void>();
  private closed = false;

  constructor(private readonly clock: Clock = systemClock) {}

  async append(
    streamId: string,
    events: NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    this.assertOpen();
    checkDistinctEventIds(events);
    const prepared = events.map((event) => ({
      event,
      dataJson: canonicalJson(event.data, 'data'),
      metadataJson: canonicalJson(event.metadata, 'metadata'),
    }));
    const stored = events.map((event) => this.byEventId.get(event.eventId)?.recorded);
    const retry = idempotentRetryResult(streamId, events, stored);
    if (retry !== undefined) return retry;
    const stream = this.streams.get(streamId) ?? [];
    const lastRevision = stream.length === 0 ? undefined : stream.length - 1;
    checkExpectedRevision(streamId, options.expectedRevision ?? 'any', lastRevision);

    const recordedAt = this.clock.now().toISOString();
    const positions: bigint[] = [];
    for (const { event, dataJson, metadataJson } of prepared) {
      const previous = this.log[this.log.length - 1]?.recorded;
      const fields = {
        eventId: event.eventId,
        streamId,
        revision: stream.length,
        position: BigInt(this.log.length + 1),
        type: event.type,
        schemaVersion: event.schemaVersion ?? 1,
        recordedAt,
      };
      const prevHash = previous?.hash ?? genesisHash;
      const hash = chainHashFromParts(prevHash, { ...fields, dataJson, metadataJson });
      const storedEvent: StoredEvent = {
        recorded: { ...fields, prevHash, hash },
        dataJson,
        metadataJson,
      };
      this.log.push(storedEvent);
      stream.push(storedEvent);
      this.byEventId.set(event.eventId, storedEvent);
      positions.push(fields.position);
    }
    this.streams.set(streamId, stream);
    const result: AppendResult = {
      streamId,
      lastRevision: stream.length - 1,
      positions,
      lastPosition: BigInt(this.log.length),
    };
    if (positions.length > 0) this.notifyListeners();
    return result;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const from = Math.max(0, options.fromRevision ?? 0);
    const stream = this.streams.get(streamId) ?? [];
    const end = options.limit === undefined ? undefined : from + Math.max(0, options.limit);
    return stream.slice(from, end).map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const after = exclusiveAfter(options);
    const until = options.until ?? BigInt(this.log.length);
    const limit = Math.max(0, Math.min(options.limit ?? readBatchSizeMax, readBatchSizeMax));
    const start = after < 0n ? 0 : Number(after);
    const end = Math.min(this.log.length, Number(until < 0n ? 0n : until), start + limit);
    return start >= end ? [] : this.log.slice(start, end).map(toRecordedEvent);
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return BigInt(this.log.length);
  }

  async digest(): Promise<Digest> {
    this.assertOpen();
    const head = this.log[this.log.length - 1]?.recorded;
    return { position: head?.position ?? 0n, hash: head?.hash ?? genesisHash };
  }

  async verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    this.assertOpen();
    const headIndex =
      options.until === undefined
        ? this.log.length
        : Math.min(this.log.length, Number(options.until));
    const source: ChainSource = {
      target: { position: BigInt(headIndex), hash: this.hashAt(headIndex) },
      batchSize: readBatchSizeMax,
      readBatch: (after, until) =>
        this.log
          .slice(Number(after), Math.min(Number(until), Number(after) + readBatchSizeMax))
          .map(toStoredLink),
    };
    return verifyChain(source, options);
  }

  onAppended(listener: () => void): () => void {
    const wrapped = () => listener();
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    this.assertOpen();
    assert(
      Number.isInteger(snapshot.revision) && snapshot.revision >= 0,
      'snapshot revision is a non-negative integer',
    );
    const stateJson = canonicalJson(snapshot.state, 'state');
    const current = this.snapshots.get(snapshot.streamId);
    // Latest revision wins, as in the database stores.
    if (current === undefined || snapshot.revision >= current.revision) {
      this.snapshots.set(snapshot.streamId, { revision: snapshot.revision, stateJson });
    }
  }

  async loadSnapshot<State>(streamId: string): Promise<Snapshot<State> | undefined> {
    this.assertOpen();
    const snapshot = this.snapshots.get(streamId);
    if (snapshot === undefined) return undefined;
    return {
      streamId,
      revision: snapshot.revision,
      state: JSON.parse(snapshot.stateJson) as State,
    };
  }

  /**
   * Drops every event after `position`, and snapshots past what is left: a crash losing the
   * unsynced tail of the log (the simulator's fault layer; never used by the running service).
   */
  discardAfter(position: bigint): void {
    while (this.log.length > Number(position)) {
      const dropped = this.log.pop()!;
      this.byEventId.delete(dropped.recorded.eventId);
      const stream = this.streams.get(dropped.recorded.streamId)!;
      stream.pop();
      if (stream.length === 0) this.streams.delete(dropped.recorded.streamId);
    }
    for (const [streamId, snapshot] of this.snapshots)
      if (snapshot.revision >= (this.streams.get(streamId)?.length ?? 0))
        this.snapshots.delete(streamId);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }

  private hashAt(position: number): string {
    return position === 0 ? genesisHash : this.log[position - 1]!.recorded.hash;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store is closed');
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
