import { Clock, EventStore, RecordedEvent, systemClock } from '../../event-sourcing/index.js';
import { CheckpointStore } from '../../infrastructure/projections/index.js';
import { SqlDatabase } from '../../infrastructure/sql/index.js';
import { relaySubject } from '../domain/relay-subject.js';
import { WebhookFilter, webhookWants } from '../domain/webhook-filter.js';
import { BrokerPublisher, RelayMessage } from './broker-publisher.js';
import { toCloudEvent } from './cloud-event.js';

/** The relay's checkpoint (in `projection_checkpoints`) and its name in `GET /v1/projections`. */
export const relayName = 'broker-relay';
const checkpointVersion = 1;

export interface RelayLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface BrokerRelayOptions {
  /** Which events are published (types, books), as a webhook's filter; the others only move the checkpoint. */
  filter: WebhookFilter;
  subjectPrefix: string;
  /** Published and not yet confirmed, at most: the back-pressure on the broker. */
  windowSize: number;
  /** Events read per checkpoint (≤ readBatchSizeMax). */
  batchSize: number;
  retryInitialMilliseconds: number;
  retryMaxMilliseconds: number;
  logger: RelayLogger;
  clock?: Clock;
  /** After each confirmed and checkpointed batch: the events it published. */
  onPublished?: (count: number) => void;
}

export type RelayStatus = 'stopped' | 'running' | 'failed';

/**
 * The broker relay, a leader-only worker: reads the log in order from its checkpoint and
 * publishes every wanted event as a CloudEvent, keeping at most `windowSize` unconfirmed. The
 * checkpoint moves (per batch) only once the broker confirmed every message of the batch, so a
 * crash re-publishes at most one batch, which the broker (JetStream, by `Nats-Msg-Id`) or the
 * consumer (by event id) drops. A failure — the broker down, slow or refusing — closes the
 * connection, waits with backoff and starts again from the checkpoint; it is logged once when
 * the relay starts failing and once when it works again. Nothing of it touches the rest of the
 * app: the relay only falls behind (its lag in `GET /v1/projections`).
 */
export class BrokerRelay {
  private readonly checkpoints: CheckpointStore;
  private readonly clock: Clock;
  private position = 0n;
  private status: RelayStatus = 'stopped';
  private lastError: string | undefined;
  private running = false;
  private dirty = true;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private endPause: (() => void) | undefined;
  private readonly waiters = new Set<{ target: bigint; resolve(): void }>();

  constructor(
    private readonly store: EventStore,
    private readonly db: SqlDatabase,
    private readonly publisher: BrokerPublisher,
    private readonly options: BrokerRelayOptions,
  ) {
    this.checkpoints = new CheckpointStore(db);
    this.clock = options.clock ?? systemClock;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The last position whose event (if wanted) the broker confirmed and the checkpoint holds. */
  get checkpointPosition(): bigint {
    return this.position;
  }

  /** Where the relay stands; on an instance that does not run it, as the leader last committed it. */
  async progress(): Promise<{ position: bigint; status: RelayStatus; lastError?: string }> {
    if (!this.running) {
      const stored = (await this.checkpoints.loadAll()).find((row) => row.name === relayName);
      if (stored) this.position = stored.position;
    }
    return {
      position: this.position,
      status: this.status,
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.checkpoints.setup();
    this.position = (await this.checkpoints.load(relayName))?.position ?? 0n;
    this.running = true;
    this.status = 'running';
    this.dirty = true;
    this.unsubscribe = this.store.onAppended(() => this.signal());
    this.loop = this.runLoop();
  }

  /** Stops after the batch in flight (each confirmation bounded by the publisher's timeout). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.signal();
    this.endPause?.();
    await this.loop;
    await this.publisher.close();
    this.status = 'stopped';
  }

  /** Resolves once the checkpoint is at or past `target` (tests and benchmarks; no timeout). */
  reached(target: bigint): Promise<void> {
    if (this.position >= target) return Promise.resolve();
    return new Promise((resolve) => this.waiters.add({ target, resolve }));
  }

  private signal(): void {
    this.dirty = true;
    this.wake?.();
  }

  private async runLoop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      if (!this.dirty) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      this.dirty = false;
      try {
        await this.publisher.connect();
        await this.relayPending();
        if (failures > 0)
          this.options.logger.log(
            `${this.publisher.description} works again: relayed up to position ${this.position}`,
          );
        failures = 0;
        this.status = 'running';
        this.lastError = undefined;
      } catch (error) {
        failures++;
        this.dirty = true;
        this.lastError = error instanceof Error ? error.message : String(error);
        if (failures === 1) {
          this.status = 'failed';
          this.options.logger.warn(
            `${this.publisher.description} failed: ${this.lastError}; holding at position ${this.position}, retrying with backoff`,
          );
        }
        await this.publisher.close();
        await this.pause(failures);
      }
    }
  }

  /** Publishes and checkpoints batch after batch up to the head (or until stopped). */
  private async relayPending(): Promise<void> {
    while (this.running) {
      const batch = await this.store.readAll({
        after: this.position,
        limit: this.options.batchSize,
      });
      if (batch.length === 0) return;
      const messages = batch
        .filter((event) => webhookWants(this.options.filter, event))
        .map((event) => this.toMessage(event));
      if (!(await this.publishAll(messages))) return;
      const last = batch[batch.length - 1]!.position;
      await this.checkpoints.save(
        this.db,
        {
          name: relayName,
          version: checkpointVersion,
          position: last,
          status: 'running',
          lastError: null,
        },
        this.clock.now(),
      );
      this.position = last;
      this.options.onPublished?.(messages.length);
      this.resolveWaiters();
      if (batch.length < this.options.batchSize) return;
    }
  }

  /**
   * In order, at most `windowSize` unconfirmed; after a failure nothing more is sent, and it
   * throws. False when stopped before all were sent.
   */
  private async publishAll(messages: RelayMessage[]): Promise<boolean> {
    const inFlight = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    for (const message of messages) {
      while (inFlight.size >= this.options.windowSize && !failure) await Promise.race(inFlight);
      if (failure || !this.running) break;
      const confirmed: Promise<void> = this.publisher
        .publish(message)
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => inFlight.delete(confirmed));
      inFlight.add(confirmed);
    }
    await Promise.all(inFlight);
    if (failure) throw failure.error;
    return this.running;
  }

  private toMessage(event: RecordedEvent): RelayMessage {
    return {
      subject: relaySubject(this.options.subjectPrefix, event),
      id: event.eventId,
      body: Buffer.from(JSON.stringify(toCloudEvent(event))),
    };
  }

  /** Backoff; appends do not end it (the broker is what failed), stop() does. */
  private pause(failures: number): Promise<void> {
    const delay = Math.min(
      this.options.retryInitialMilliseconds * 2 ** Math.min(failures - 1, 30),
      this.options.retryMaxMilliseconds,
    );
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.endPause = undefined;
        resolve();
      };
      const timer = setTimeout(done, delay);
      timer.unref();
      this.endPause = done;
    });
  }

  private resolveWaiters(): void {
    for (const waiter of this.waiters) {
      if (this.position < waiter.target) continue;
      this.waiters.delete(waiter);
      waiter.resolve();
    }
  }
}
