import {
  BACKWARDS,
  END,
  FORWARDS,
  RecordedEvent as KurrentRecordedEvent,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import {
  AppendResult,
  AppendTooLargeError,
  checkExpectedRevision,
  Clock,
  ExpectedRevision,
  idempotentRetryResult,
  NewEvent,
  StoredEventLocation,
} from '../../event-sourcing/index.js';
import { KurrentClient } from './kurrentdb-client.js';
import {
  commitPosition,
  isDeadlineExceeded,
  isMaxAppendSizeExceeded,
  isWrongExpectedVersion,
  StreamNaming,
  streamStateAfter,
  toRecordedEvent,
  toWrongExpectedRevision,
} from './kurrentdb-mapping.js';
import { KurrentLog } from './kurrentdb-log.js';
import { LiveAppendNotifier } from './live-append-notifier.js';
import {
  emptyTail,
  planStreamAppend,
  PlannedEvent,
  PreparedEvent,
  retryWindowStart,
  StreamTail,
} from './stream-append-plan.js';

/** With `any`/`stream_exists`, an idempotent retry is recognised among this many last events of the stream. */
export const idempotencyTailEvents = 100;
/** Re-reads after losing the race for the exact revision this adapter appends with (its own retry, below any command's) before giving up with a conflict. */
const exactRevisionAttemptsMax = 25;

/**
 * Appends to one stream: reads the stream's tail, recognises a retry, checks the caller's
 * expectation, then appends with the EXACT revision it read (never `any`). Losing a race to
 * another writer (WrongExpectedVersion) means: read again and decide again.
 */
export class KurrentStreamAppender {
  constructor(
    private readonly client: KurrentClient,
    private readonly log: KurrentLog,
    private readonly naming: StreamNaming,
    private readonly clock: Clock,
    private readonly notifier: LiveAppendNotifier,
    private readonly headPosition: () => Promise<bigint>,
  ) {}

  async append(
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
}

function tailOf(recent: readonly KurrentRecordedEvent[], naming: StreamNaming): StreamTail {
  const last = recent[0];
  if (last === undefined) return emptyTail;
  return { lastRevision: Number(last.revision), lastHash: toRecordedEvent(last, naming).hash };
}
