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
import { commitPosition, isStreamNotFound, StreamNaming } from './kurrentdb-mapping.js';

/** Events per backward read while looking for the head of the log. */
const headScanEvents = 32;
/** The event type KurrentDB writes when a stream is deleted (tombstoned). */
export const tombstoneEventType = '$streamDeleted';

/** Reads one store's part of a KurrentDB: its streams, and `$all` filtered to them. */
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
  async *logRecords(after: bigint, pageSize: number): AsyncGenerator<KurrentRecordedEvent> {
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
