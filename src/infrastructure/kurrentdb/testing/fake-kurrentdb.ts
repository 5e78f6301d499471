import { randomUUID } from 'node:crypto';
import {
  AppendResult,
  AppendStreamState,
  EventData,
  DeadlineExceededError,
  MaxAppendSizeExceededError,
  Position,
  StreamDeletedError,
  StreamNotFoundError,
  UnknownError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import type { KurrentClient } from '../kurrentdb-client.js';
import {
  FakeKurrentBackend,
  FakeKurrentClient,
  type FakeSubscription,
  type StoredRecord,
} from './fake-kurrentdb-client.js';

/**
 * An in-process stand-in for a KurrentDB server, for unit specs of the adapter. It models what
 * the adapter relies on, as the server does it (no kinder): expected-version checks with
 * de-duplication of a retry only at an expected revision behind the current one, commit positions
 * that grow by the record's size (NOT dense) and a read of `$all` from a number that is not an
 * event's position failing (InvalidPosition), the 1 MiB limit per append (MaxAppendSizeExceeded),
 * system events in `$all`, `$maxCount`/`$tb` stream metadata (soft delete, truncation: events
 * vanish from stream reads, new appends continue the old numbering), a read from a position that
 * includes the event at it, stream-name/event-type regex filters, tombstones, live
 * subscriptions that announce nothing before their (asynchronous) confirmation, and an append
 * that commits but answers DeadlineExceeded. It is no proof that a real server behaves the same: the contract suite against
 * a real KurrentDB (test/integration/kurrentdb-event-store.int-spec.ts) is.
 */

interface StreamState {
  records: StoredRecord[];
  tombstoned: boolean;
  maxCount?: number;
  /** `$tb`: stream reads start at this revision (soft delete sets it past the last event). */
  truncateBefore?: bigint;
}

/** Bytes a record takes besides its data and metadata (positions are byte offsets). */
const recordOverheadBytes = 87;
/** KurrentDB's default `MaxAppendSize`: the bytes of one append's events (data + metadata). */
export const fakeMaxAppendBytes = 1024 * 1024;

export class FakeKurrentServer implements FakeKurrentBackend {
  private readonly log: StoredRecord[] = [];
  private readonly streams = new Map<string, StreamState>();
  private readonly subscriptions = new Set<FakeSubscription>();
  private nextPosition = 0n;
  private readonly positions = new Set<bigint>();
  /** The stream state of every append, so specs can see what the adapter sent. */
  readonly appendedWith: AppendStreamState[] = [];
  /** `requiresLeader` of every read, so specs can see what the adapter asked for. */
  readonly readsRequiringLeader: boolean[] = [];
  /** Subscriptions are confirmed after this resolves (a spec may hold it to append before). */
  confirmationGate: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve));
  /** The next N appends commit and then answer DeadlineExceeded (a timeout after the commit). */
  deadlineAfterCommit = 0;

  constructor() {
    // A fresh database already has system events in $all.
    this.write('$stats-127.0.0.1:2113', '$statsCollected', '{}', '{}', 'no');
    this.write('$scavenges', '$scavengeStarted', '{}', '{}', 'no');
  }

  client(): KurrentClient & { disposed: boolean } {
    return new FakeKurrentClient(this) as unknown as KurrentClient & { disposed: boolean };
  }

  append(streamName: string, events: EventData[], expected: AppendStreamState): AppendResult {
    this.appendedWith.push(expected);
    const stream = this.streams.get(streamName);
    if (stream?.tombstoned) throw StreamDeletedError.fromStreamName(streamName);
    const size = events.reduce(
      (sum, event) =>
        sum +
        Buffer.byteLength(JSON.stringify(event.data)) +
        Buffer.byteLength(JSON.stringify(event.metadata ?? {})),
      0,
    );
    if (size > fakeMaxAppendBytes)
      throw MaxAppendSizeExceededError.fromMaxAppendSize(fakeMaxAppendBytes);
    const last = stream && stream.records.length > 0 ? stream.records.at(-1)!.revision : -1n;
    // A soft-deleted stream (every event before $tb) reads as no stream and accepts no_stream.
    const softDeleted = stream?.truncateBefore !== undefined && stream.truncateBefore > last;
    const current = softDeleted ? -1n : last;
    const expectedRevision = expected === 'no_stream' ? -1n : expected;
    const wrong = () =>
      new WrongExpectedVersionError(undefined, {
        streamName,
        expected,
        current: current === -1n ? 'no_stream' : current,
      });
    if (expectedRevision === 'stream_exists') {
      if (current === -1n) throw wrong();
    } else if (expectedRevision !== 'any' && expectedRevision !== current) {
      // KurrentDB's de-duplication: the same events at the place the same expectation put them.
      const already =
        stream?.records.slice(
          Number(expectedRevision + 1n),
          Number(expectedRevision + 1n) + events.length,
        ) ?? [];
      const isRetry =
        expectedRevision < current &&
        already.length === events.length &&
        already.every((record, index) => record.id === events[index]!.id);
      if (!isRetry) throw wrong();
      return { success: true, nextExpectedRevision: already.at(-1)!.revision, position: undefined };
    }
    let written: StoredRecord | undefined;
    for (const event of events) {
      if (event.contentType !== 'application/json')
        throw new Error('the fake stores JSON events only');
      written = this.write(
        streamName,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata ?? {}),
        event.id,
      );
    }
    const position: Position | undefined = written
      ? { commit: written.position, prepare: written.position }
      : undefined;
    if (this.deadlineAfterCommit > 0) {
      this.deadlineAfterCommit -= 1;
      throw new DeadlineExceededError(undefined, 'Deadline Exceeded');
    }
    return { success: true, nextExpectedRevision: written?.revision ?? current, position };
  }

  /** A read of `$all` from `position`: 0, the end, or an event's position; else InvalidPosition. */
  checkPosition(position: bigint): void {
    if (position === 0n || position === this.nextPosition || this.positions.has(position)) return;
    throw new UnknownError(undefined, `Invalid position: ${position}`);
  }

  setMaxCount(streamName: string, maxCount: number): AppendResult {
    this.stream(streamName).maxCount = maxCount;
    const record = this.write(
      `$$${streamName}`,
      '$metadata',
      JSON.stringify({ $maxCount: maxCount }),
      '{}',
      'meta',
    );
    return {
      success: true,
      nextExpectedRevision: record.revision,
      position: { commit: record.position, prepare: record.position },
    };
  }

  streamRecords(streamName: string): StoredRecord[] {
    const stream = this.streams.get(streamName);
    if (stream?.tombstoned) throw StreamDeletedError.fromStreamName(streamName);
    const truncateBefore = stream?.truncateBefore ?? 0n;
    const visible = (stream?.records ?? []).filter(
      (record) => !record.scavenged && record.revision >= truncateBefore,
    );
    if (visible.length === 0) throw new StreamNotFoundError(undefined, streamName);
    return stream?.maxCount === undefined ? visible : visible.slice(-stream.maxCount);
  }

  allRecords(): StoredRecord[] {
    return this.log.filter((record) => !record.scavenged);
  }

  addSubscription(subscription: FakeSubscription): void {
    this.subscriptions.add(subscription);
  }

  /** The server drops every live subscription (a restart, a leader change). */
  dropSubscriptions(): void {
    for (const subscription of [...this.subscriptions]) {
      this.subscriptions.delete(subscription);
      subscription.emit('error', new Error('subscription dropped'));
    }
  }

  removeSubscription(subscription: FakeSubscription): void {
    this.subscriptions.delete(subscription);
  }

  // Tampering, as an operator with admin rights (or disk access) could.

  /** Changes the stored data of an event (impossible through KurrentDB's API: disk access). */
  tamper(streamName: string, revision: number, data: unknown): void {
    this.stream(streamName).records[revision]!.dataJson = JSON.stringify(data);
  }

  /** Truncation (`$tb` metadata) followed by a scavenge: the events before `revision` are gone. */
  truncateAndScavenge(streamName: string, beforeRevision: number): void {
    for (const record of this.stream(streamName).records.slice(0, beforeRevision))
      record.scavenged = true;
    this.write(
      `$$${streamName}`,
      '$metadata',
      JSON.stringify({ $tb: beforeRevision }),
      '{}',
      'meta',
    );
  }

  /** `$tb` metadata without a scavenge: stream reads start at `beforeRevision`, `$all` still has the events. */
  truncateBefore(streamName: string, beforeRevision: number): void {
    this.stream(streamName).truncateBefore = BigInt(beforeRevision);
    this.write(
      `$$${streamName}`,
      '$metadata',
      JSON.stringify({ $tb: beforeRevision }),
      '{}',
      'meta',
    );
  }

  /** A soft delete: `$tb` past the last event; reads say no stream, new appends continue the numbering. */
  softDelete(streamName: string): void {
    this.truncateBefore(streamName, this.stream(streamName).records.length);
  }

  metadataOf(streamName: string): { truncateBefore?: number; maxCount?: number } {
    const stream = this.streams.get(streamName);
    return {
      ...(stream?.truncateBefore !== undefined
        ? { truncateBefore: Number(stream.truncateBefore) }
        : {}),
      ...(stream?.maxCount !== undefined ? { maxCount: stream.maxCount } : {}),
    };
  }

  /** A hard delete: the stream is tombstoned, a `$streamDeleted` event stays in `$all`. */
  tombstone(streamName: string): void {
    const stream = this.stream(streamName);
    this.write(streamName, '$streamDeleted', '{}', '{}', 'tomb');
    stream.tombstoned = true;
  }

  /** An event written by another tool, without Kontor's envelope. */
  writeForeign(streamName: string): void {
    this.write(streamName, 'SomethingElse', '{"foreign":true}', '{}', 'foreign');
  }

  private stream(streamName: string): StreamState {
    let stream = this.streams.get(streamName);
    if (!stream) {
      stream = { records: [], tombstoned: false };
      this.streams.set(streamName, stream);
    }
    return stream;
  }

  private write(
    streamName: string,
    type: string,
    dataJson: string,
    metadataJson: string,
    id: string,
  ): StoredRecord {
    const stream = this.stream(streamName);
    const record: StoredRecord = {
      streamId: streamName,
      id: id.length === 36 ? id : randomUUID(),
      revision: BigInt(stream.records.length),
      type,
      created: new Date(),
      dataJson,
      metadataJson,
      position: this.nextPosition,
      scavenged: false,
    };
    this.positions.add(record.position);
    this.nextPosition += BigInt(
      recordOverheadBytes + Buffer.byteLength(dataJson) + Buffer.byteLength(metadataJson),
    );
    stream.records.push(record);
    this.log.push(record);
    for (const subscription of this.subscriptions) subscription.offer(record);
    return record;
  }
}
