import { Pool } from 'pg';
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
  systemClock,
  VerifyOptions,
  VerifyResult,
  exclusiveAfter,
} from '../../event-sourcing/index.js';
import {
  ChainSource,
  GroupCommitStats,
  positionMax,
  snapshotStateJson,
  takeGroupCommitBatch,
  verifyChain,
} from '../event-store/index.js';
import { PendingAppend, planBatch } from './append-batch.js';
import { keepPoolErrorsInside } from './pool-errors.js';
import { AppendNotifier } from './append-notifier.js';
import { dbConnectTimeoutMillisecondsDefault } from '../../config.js';
import { migrate } from './postgres-schema.js';
import {
  checkStorableText,
  eventColumns,
  EventRecordRow,
  insertRows,
  lockAndReadLogState,
  prepareStorableEvent,
  storedTextColumns,
  StoredTextRow,
  toRecordedEvent,
  toStoredLink,
} from './postgres-statements.js';

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
    const prepared = events.map(prepareStorableEvent);
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
      const batch = takeGroupCommitBatch(this.queue, {
        appendsMax: batchAppendsMax,
        eventsMax: batchEventsMax,
      });
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
      [exclusiveAfter(options).toString(), (options.until ?? positionMax).toString(), limit],
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

  /** Recomputes the hash chain in bounded batches (constant memory). */
  async verify(options: VerifyOptions = {}): Promise<VerifyResult> {
    const head = await this.digest();
    const until =
      options.until !== undefined && options.until < head.position ? options.until : head.position;
    const source: ChainSource = {
      target: until === head.position ? head : await this.digestAt(until),
      batchSize: verifyBatchSize,
      readBatch: async (after, last) => {
        // data and metadata as their stored text (json keeps it verbatim): the canonical JSON hashed.
        const batch = await this.pool.query<StoredTextRow>(
          `SELECT ${storedTextColumns} FROM events WHERE position > $1 AND position <= $2 ORDER BY position LIMIT $3`,
          [after.toString(), last.toString(), verifyBatchSize],
        );
        return batch.rows.map(toStoredLink);
      },
    };
    return verifyChain(source, options);
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
