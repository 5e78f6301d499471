import { Pool, PoolClient, QueryResult } from 'pg';
import {
  AppendOptions,
  AppendResult,
  assert,
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
  StoredEventLocation,
  systemClock,
  ValidationError,
  VerifyOptions,
  VerifyResult,
} from '../../event-sourcing/index.js';
import {
  canonicalJson,
  snapshotStateJson,
  storedEventHashMismatch,
} from '../sqlite/canonical-event.js';
import { EventRow, LogState, PendingAppend, planBatch, PreparedEvent } from './append-batch.js';
import { keepPoolErrorsInside } from './pool-errors.js';
import { AppendNotifier } from './append-notifier.js';
import { dbConnectTimeoutMillisecondsDefault } from '../../config.js';
import { migrate } from './postgres-schema.js';

export interface GroupCommitStats {
  transactions: number;
  appends: number;
  events: number;
}

export interface PostgresEventStoreOptions {
  clock?: Clock;
  /** Connections of the pool (the writer takes one per batch, reads share the rest). */
  poolSize?: number;
  /** Opening a connection fails after this long (an unreachable server must not hang the caller). */
  connectTimeoutMilliseconds?: number;
}

const poolSizeDefault = 10;
/** A group commit takes at most this many append() calls ... */
const batchAppendsMax = 500;
/** ... and at most this many events (a single larger append still goes alone). */
const batchEventsMax = 5000;
/** Events per query while verifying: memory stays constant whatever the log size. */
const verifyBatchSize = 5000;
/** verify() reports progress every this many events. */
export const verifyProgressInterval = 5000;
/** Classid of the append lock (pg_advisory_xact_lock(int, int)): "KoAp". */
const appendLockClass = 0x4b6f4170;
const positionMax = 2n ** 63n - 1n;

interface EventRecordRow {
  position: string;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: RecordedEvent['metadata'];
  recorded_at: Date;
  prev_hash: string;
  hash: string;
}

const eventColumns =
  'position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at, prev_hash, hash';

/** An events row with `data` and `metadata` as their stored text (what verify hashes). */
interface StoredTextRow extends Omit<EventRecordRow, 'data' | 'metadata'> {
  data: string;
  metadata: string;
}
const storedTextColumns =
  'position, event_id, stream_id, revision, type, schema_version, data::text AS data, metadata::text AS metadata, recorded_at, prev_hash, hash';

/**
 * The event store on PostgreSQL (ARCHITECTURE §3).
 *
 * Gap-free global order: every append transaction first takes one advisory lock (per schema),
 * then reads the head and numbers its events head + 1, ... — so positions are assigned in commit
 * order and no reader ever sees N+1 before N, even with several Kontor instances on one
 * database; the same lock makes the hash chain possible. Throughput comes from group commit:
 * concurrent append() calls of one instance queue up and one writer loop commits them together,
 * deciding each one on its own (a failing append rejects only its own promise).
 */
export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres' as const;
  private readonly queue: PendingAppend[] = [];
  private writing: Promise<void> | undefined;
  private closed = false;
  private readonly stats: GroupCommitStats = { transactions: 0, appends: 0, events: 0 };

  private constructor(
    private readonly pool: Pool,
    private readonly notifier: AppendNotifier,
    private readonly schemaLockKey: number,
    private readonly clock: Clock,
  ) {}

  static async connect(
    url: string,
    options: PostgresEventStoreOptions = {},
  ): Promise<PostgresEventStore> {
    const connectTimeoutMilliseconds =
      options.connectTimeoutMilliseconds ?? dbConnectTimeoutMillisecondsDefault;
    const pool = keepPoolErrorsInside(
      new Pool({
        connectionString: url,
        max: options.poolSize ?? poolSizeDefault,
        connectionTimeoutMillis: connectTimeoutMilliseconds,
      }),
    );
    try {
      const client = await pool.connect();
      try {
        const schema = await client.query<{ name: string | null; key: number }>(
          'SELECT current_schema() AS name, hashtext(current_schema()) AS key',
        );
        const { name, key } = schema.rows[0]!;
        if (name === null) throw new Error('PostgreSQL: no schema of the search_path exists');
        await migrate(client, key);
        return new PostgresEventStore(
          pool,
          new AppendNotifier(url, name, connectTimeoutMilliseconds),
          key,
          options.clock ?? systemClock,
        );
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  async append(
    streamId: string,
    events: NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    this.assertOpen();
    checkStorableText('streamId', streamId);
    checkDistinctEventIds(events);
    const prepared = events.map(prepareEvent);
    return new Promise((resolve, reject) => {
      this.queue.push({
        streamId,
        events: prepared,
        expectedRevision: options.expectedRevision ?? 'any',
        resolve,
        reject,
      });
      this.startWriter();
    });
  }

  /**
   * One writer loop per instance, started on the next turn of the event loop so that appends
   * issued together share the first transaction too; restarted when an append arrived just as
   * it finished.
   */
  private startWriter(): void {
    if (this.writing) return;
    this.writing = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drainQueue())
      .finally(() => {
        this.writing = undefined;
        if (this.queue.length > 0) this.startWriter();
      });
  }

  private async drainQueue(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = takeBatch(this.queue);
      try {
        await this.commitBatch(batch);
      } catch (error) {
        // The whole transaction failed (not a rule of one append): retry each append alone, so
        // one bad append (e.g. text PostgreSQL refuses) rejects only its own promise.
        if (batch.length === 1) batch[0]!.reject(error);
        else for (const append of batch) await this.commitBatch([append]).catch(append.reject);
      }
    }
  }

  private async commitBatch(batch: PendingAppend[]): Promise<void> {
    const client = await this.pool.connect();
    let planned: ReturnType<typeof planBatch>;
    let failure: Error | undefined;
    try {
      const state = await lockAndReadLogState(client, this.schemaLockKey, batch);
      planned = planBatch(batch, state, this.clock.now().toISOString());
      if (planned.rows.length > 0) {
        await insertRows(client, planned.rows);
        // Delivered to every LISTENing instance when (and only if) the transaction commits.
        const channel = client.escapeLiteral(AppendNotifier.channel);
        const payload = client.escapeLiteral(this.notifier.payload(state.headPosition));
        await client.query(`SELECT pg_notify(${channel}, ${payload}); COMMIT`);
      } else {
        await client.query('COMMIT');
      }
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (failure = rollbackError));
      throw error;
    } finally {
      // A connection that could not even roll back is broken: the pool must not reuse it.
      client.release(failure);
    }
    this.stats.transactions += 1;
    this.stats.appends += batch.length;
    this.stats.events += planned.rows.length;
    planned.outcomes.forEach((outcome, index) => {
      if ('result' in outcome) batch[index]!.resolve(outcome.result);
      else batch[index]!.reject(outcome.error);
    });
    if (planned.rows.length > 0)
      this.notifier.committed(planned.rows[planned.rows.length - 1]!.position);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const result = await this.pool.query<EventRecordRow>(
      `SELECT ${eventColumns} FROM events WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
      [
        streamId,
        Math.max(0, options.fromRevision ?? 0),
        options.limit === undefined ? null : Math.max(0, options.limit),
      ],
    );
    return result.rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = Math.max(0, Math.min(options.limit ?? readBatchSizeMax, readBatchSizeMax));
    const result = await this.pool.query<EventRecordRow>(
      `SELECT ${eventColumns} FROM events WHERE position > $1 AND position <= $2 ORDER BY position LIMIT $3`,
      [(options.after ?? 0n).toString(), (options.until ?? positionMax).toString(), limit],
    );
    return result.rows.map(toRecordedEvent);
  }

  async headPosition(): Promise<bigint> {
    return (await this.digest()).position;
  }

  async digest(): Promise<Digest> {
    this.assertOpen();
    const result = await this.pool.query<{ position: string; hash: string }>(
      'SELECT position, hash FROM events ORDER BY position DESC LIMIT 1',
    );
    const head = result.rows[0];
    return head
      ? { position: BigInt(head.position), hash: head.hash }
      : { position: 0n, hash: genesisHash };
  }

  /**
   * Streams the log in bounded batches (constant memory). `headPosition`/`headHash` describe the
   * end of the checked range; when the chain is broken, `checkedEvents` counts the intact events
   * before `firstBrokenPosition` (a missing position counts as broken).
   */
  async verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    const head = await this.digest();
    const until =
      options.until !== undefined && options.until < head.position ? options.until : head.position;
    const target = until === head.position ? head : await this.digestAt(until);
    const brokenAt = (
      checkedEvents: number,
      firstBrokenPosition: bigint,
      reason: string,
    ): VerifyResult => ({
      ok: false,
      checkedEvents,
      headPosition: target.position,
      headHash: target.hash,
      firstBrokenPosition,
      reason,
    });
    let previous: Digest = { position: 0n, hash: genesisHash };
    let checkedEvents = 0;
    while (previous.position < until) {
      // data and metadata as their stored text (json keeps it verbatim): the canonical JSON hashed.
      const batch = await this.pool.query<StoredTextRow>(
        `SELECT ${storedTextColumns} FROM events WHERE position > $1 AND position <= $2 ORDER BY position LIMIT $3`,
        [previous.position.toString(), until.toString(), verifyBatchSize],
      );
      if (batch.rows.length === 0) break;
      for (const row of batch.rows) {
        const position = BigInt(row.position);
        const reason = brokenLinkReason(row, position, previous);
        if (reason !== undefined) {
          return brokenAt(
            checkedEvents,
            reason.missing ? previous.position + 1n : position,
            reason.text,
          );
        }
        previous = { position, hash: row.hash };
        checkedEvents += 1;
        if (checkedEvents % verifyProgressInterval === 0) options.onProgress?.(previous.position);
      }
    }
    if (previous.position !== until) {
      return brokenAt(
        checkedEvents,
        previous.position + 1n,
        `position ${previous.position + 1n} is missing`,
      );
    }
    options.onProgress?.(previous.position);
    return { ok: true, checkedEvents, headPosition: target.position, headHash: target.hash };
  }

  private async digestAt(position: bigint): Promise<Digest> {
    const result = await this.pool.query<{ hash: string }>(
      'SELECT hash FROM events WHERE position = $1',
      [position.toString()],
    );
    return { position, hash: result.rows[0]?.hash ?? genesisHash };
  }

  onAppended(listener: () => void): () => void {
    return this.notifier.add(listener);
  }

  /** Keeps the latest snapshot per stream: an older one saved late never replaces a newer one. */
  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    this.assertOpen();
    assert(
      Number.isInteger(snapshot.revision) && snapshot.revision >= 0,
      'snapshot revision is a non-negative integer',
    );
    await this.pool.query(
      `INSERT INTO snapshots (stream_id, revision, state, saved_at) VALUES ($1, $2, $3::json, $4)
       ON CONFLICT (stream_id) DO UPDATE SET revision = EXCLUDED.revision, state = EXCLUDED.state, saved_at = EXCLUDED.saved_at
       WHERE EXCLUDED.revision >= snapshots.revision`,
      [
        snapshot.streamId,
        snapshot.revision,
        snapshotStateJson(snapshot.state),
        this.clock.now().toISOString(),
      ],
    );
  }

  async loadSnapshot<State>(streamId: string): Promise<Snapshot<State> | undefined> {
    this.assertOpen();
    const result = await this.pool.query<{ revision: number; state: State }>(
      'SELECT revision, state FROM snapshots WHERE stream_id = $1',
      [streamId],
    );
    const row = result.rows[0];
    return row ? { streamId, revision: row.revision, state: row.state } : undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.writing) await this.writing;
    await this.notifier.close();
    await this.pool.end();
  }

  /** How well group commit coalesces (tests, metrics). */
  groupCommitStats(): GroupCommitStats {
    return { ...this.stats };
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('event store is closed');
  }
}

/** PostgreSQL text cannot hold NUL (JSON escapes it, so data and metadata can). */
function checkStorableText(field: string, value: string): void {
  if (value.includes('\u0000')) {
    throw new ValidationError(`${field} contains a NUL character`, [
      { field, message: 'must not contain NUL' },
    ]);
  }
}

function prepareEvent(event: NewEvent): PreparedEvent {
  checkStorableText('eventId', event.eventId);
  checkStorableText('type', event.type);
  return {
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    dataJson: canonicalJson(event.data, 'data'),
    metadataJson: canonicalJson(event.metadata, 'metadata'),
  };
}

function takeBatch(queue: PendingAppend[]): PendingAppend[] {
  let count = 0;
  let events = 0;
  while (count < queue.length && count < batchAppendsMax) {
    const size = queue[count]!.events.length;
    if (count > 0 && events + size > batchEventsMax) break;
    events += size;
    count += 1;
  }
  return queue.splice(0, count);
}

interface LogStateRow {
  head: { position: string; hash: string } | null;
  stored: { event_id: string; stream_id: string; revision: number; position: string }[] | null;
  streams: { stream_id: string; revision: number | null }[];
}

/**
 * Opens the append transaction, takes the append lock, then reads the head, the stored events
 * whose ids the batch carries and the last revision of its streams — in one round trip. The
 * read is its own statement after the lock, so its snapshot sees every append committed before
 * (READ COMMITTED takes a snapshot per statement).
 */
async function lockAndReadLogState(
  client: PoolClient,
  schemaLockKey: number,
  batch: readonly PendingAppend[],
): Promise<LogState> {
  const textArray = (values: string[]) =>
    `ARRAY[${values.map((value) => client.escapeLiteral(value)).join(',')}]::text[]`;
  const eventIds = textArray(
    batch.flatMap((append) => append.events.map((event) => event.eventId)),
  );
  const streamIds = textArray([...new Set(batch.map((append) => append.streamId))]);
  const results = (await client.query(`
    BEGIN;
    SELECT pg_advisory_xact_lock(${appendLockClass}, ${schemaLockKey});
    SELECT
      (SELECT json_build_object('position', position::text, 'hash', hash)
         FROM events ORDER BY position DESC LIMIT 1) AS head,
      (SELECT json_agg(json_build_object('event_id', event_id, 'stream_id', stream_id,
                                         'revision', revision, 'position', position::text))
         FROM events WHERE event_id = ANY(${eventIds})) AS stored,
      (SELECT json_agg(json_build_object('stream_id', s.id,
                                         'revision', (SELECT max(revision) FROM events WHERE stream_id = s.id)))
         FROM unnest(${streamIds}) AS s(id)) AS streams`)) as unknown as QueryResult<LogStateRow>[];
  const row = results[2]!.rows[0]!;
  const stored = new Map<string, StoredEventLocation>();
  for (const event of row.stored ?? []) {
    stored.set(event.event_id, {
      streamId: event.stream_id,
      revision: event.revision,
      position: BigInt(event.position),
    });
  }
  const lastRevisions = new Map<string, number | undefined>();
  for (const stream of row.streams)
    lastRevisions.set(stream.stream_id, stream.revision ?? undefined);
  return {
    headPosition: row.head ? BigInt(row.head.position) : 0n,
    headHash: row.head?.hash ?? genesisHash,
    stored,
    lastRevisions,
  };
}

/** One statement for the whole batch: arrays of columns, unnested. */
async function insertRows(client: PoolClient, rows: readonly EventRow[]): Promise<void> {
  await client.query(
    `INSERT INTO events (${eventColumns})
     SELECT position, event_id, stream_id, revision, type, schema_version, data::json, metadata::json,
            recorded_at, prev_hash, hash
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::text[], $6::int[], $7::text[], $8::text[],
                   $9::timestamptz[], $10::text[], $11::text[])
         AS r(position, event_id, stream_id, revision, type, schema_version, data, metadata, recorded_at, prev_hash, hash)`,
    [
      rows.map((row) => row.position.toString()),
      rows.map((row) => row.eventId),
      rows.map((row) => row.streamId),
      rows.map((row) => row.revision),
      rows.map((row) => row.type),
      rows.map((row) => row.schemaVersion),
      rows.map((row) => row.dataJson),
      rows.map((row) => row.metadataJson),
      rows.map((row) => row.recordedAt),
      rows.map((row) => row.prevHash),
      rows.map((row) => row.hash),
    ],
  );
}

function toRecordedEvent(row: EventRecordRow): RecordedEvent {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    revision: row.revision,
    position: BigInt(row.position),
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at.toISOString(),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Why the stored row does not continue the chain after `previous`, if it does not. */
function brokenLinkReason(
  row: StoredTextRow,
  position: bigint,
  previous: Digest,
): { text: string; missing?: boolean } | undefined {
  if (position !== previous.position + 1n)
    return { text: `position ${previous.position + 1n} is missing`, missing: true };
  if (row.prev_hash !== previous.hash)
    return { text: `prev_hash does not match the hash of position ${previous.position}` };
  const mismatch = storedEventHashMismatch(
    row.prev_hash,
    {
      eventId: row.event_id,
      streamId: row.stream_id,
      revision: row.revision,
      position,
      type: row.type,
      schemaVersion: row.schema_version,
      dataJson: row.data,
      metadataJson: row.metadata,
      recordedAt: row.recorded_at.toISOString(),
    },
    row.hash,
  );
  return mismatch === undefined ? undefined : { text: mismatch };
}
