import {
  BACKWARDS,
  END,
  FORWARDS,
  RecordedEvent as KurrentRecordedEvent,
  ReadPosition,
  START,
  streamNameFilter,
} from '@kurrent/kurrentdb-client';
import { KurrentClient } from './kurrentdb-client.js';
import { InvalidPositionError } from '../../event-sourcing/index.js';
import {
  commitPosition,
  isInvalidPosition,
  isStreamNotFound,
  KurrentStreamTruncatedError,
  StreamNaming,
} from './kurrentdb-mapping.js';

/** Events per backward read while looking for the head of the log. */
const headScanEvents = 32;
/** The event type KurrentDB writes when a stream is deleted (tombstoned). */
export const tombstoneEventType = '$streamDeleted';

/**
 * Reads one store's part of a KurrentDB: its streams, and `$all` filtered to them. Every read
 * goes with `requiresLeader: true`: a follower may not have an append this instance was just
 * told is committed (read-your-write, the tail read an append plans on).
 */
export class KurrentLog {
  constructor(
    private readonly client: KurrentClient,
    private readonly naming: StreamNaming,
  ) {}

  logFilter() {
    return streamNameFilter({ regex: this.naming.logFilterRegex });
  }

  /** A Kontor event of this store's log (not a tombstone or another `$` event KurrentDB put in the stream). */
  isKontorRecord(record: KurrentRecordedEvent): boolean {
    return !record.type.startsWith('$') && this.naming.isDomainStream(record.streamId);
  }

  /** A stream's events; none when the stream does not exist. */
  async readStreamRecords(
    streamName: string,
    options: {
      direction: typeof FORWARDS | typeof BACKWARDS;
      fromRevision: bigint | typeof END;
      maxCount: number;
    },
  ): Promise<KurrentRecordedEvent[]> {
    const records: KurrentRecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamName, {
        ...options,
        requiresLeader: true,
      })) {
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
   * A stream's events from `fromRevision` on, refusing a stream KurrentDB truncated or
   * soft-deleted: the revisions read must start at the one asked for, without a gap.
   */
  async readWholeStream(
    streamName: string,
    fromRevision: number,
    maxCount: number,
  ): Promise<KurrentRecordedEvent[]> {
    const records = await this.readStreamRecords(streamName, {
      direction: FORWARDS,
      fromRevision: BigInt(fromRevision),
      maxCount,
    });
    const gapAt = records.findIndex(
      (record, index) => Number(record.revision) !== fromRevision + index,
    );
    if (gapAt >= 0)
      throw new KurrentStreamTruncatedError(
        streamName,
        `revision ${fromRevision + gapAt} asked for, ${records[gapAt]!.revision} read`,
      );
    if (records.length === 0 && fromRevision === 0) await this.refuseTruncated(streamName);
    return records;
  }

  /** A stream that reads as empty may be soft-deleted (`$tb` past its last event): refused. */
  async refuseTruncated(streamName: string): Promise<void> {
    const { metadata } = await this.client.getStreamMetadata(streamName, { requiresLeader: true });
    const truncateBefore = metadata?.truncateBefore;
    if (truncateBefore !== undefined && truncateBefore !== 0)
      throw new KurrentStreamTruncatedError(streamName, `$tb ${String(truncateBefore)}`);
  }

  /**
   * The log after `after` (or from it, `inclusive`) in position order, server-side filtered to
   * this store's streams, in pages of `pageSize`. A read from a position may or may not include
   * the event at it, so each page asks for one more and drops what is before the cursor. The
   * server refuses a number that is not an event's position: InvalidPositionError.
   */
  async *logRecords(
    after: bigint,
    pageSize: number,
    inclusive = false,
  ): AsyncGenerator<KurrentRecordedEvent> {
    const filter = this.logFilter();
    let cursor = after;
    let includeCursor = inclusive && after !== 0n;
    for (;;) {
      const maxCount = pageSize + 1;
      const fromPosition: ReadPosition =
        cursor === 0n ? START : { commit: cursor, prepare: cursor };
      let returned = 0;
      const records = this.client.readAll({
        direction: FORWARDS,
        fromPosition,
        maxCount,
        filter,
        requiresLeader: true,
      });
      try {
        for await (const resolved of records) {
          returned += 1;
          const record = resolved.event;
          if (record === undefined) continue;
          const position = commitPosition(record);
          if (position < cursor || (position === cursor && !includeCursor)) continue;
          cursor = position;
          includeCursor = false;
          if (this.naming.isDomainStream(record.streamId)) yield record;
        }
      } catch (error) {
        if (isInvalidPosition(error)) throw new InvalidPositionError(cursor);
        throw error;
      }
      if (returned < maxCount) return;
    }
  }

  /** The last Kontor event of the log, read backwards (skipping tombstones at the head). */
  async headRecord(): Promise<KurrentRecordedEvent | undefined> {
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
        requiresLeader: true,
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
