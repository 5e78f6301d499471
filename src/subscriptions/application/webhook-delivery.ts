import { Webhook } from 'standardwebhooks';
import { Agent, fetch } from 'undici';
import { Clock, EventStore, RecordedEvent, systemClock } from '../../event-sourcing/index.js';
import { nextAttemptAt, RetryPolicy } from '../domain/retry-schedule.js';
import { cloudEventsContentType, toCloudEvent } from './cloud-event.js';
import { assertTargetAllowed, createOutboundAgent } from './outbound-address.guard.js';
import { AttemptOutcome, DueDelivery, Subscription, WebhookOutbox } from './webhook-outbox.js';

/** Events the dispatcher reads and enqueues per transaction. */
export const dispatchBatchSize = 500;
/** Even without a wake-up, pending work is looked at this often (retries set by another instance). */
export const sweepIntervalMilliseconds = 30_000;
/** The longest single timer; a retry due later is re-planned when it fires. */
const timerMillisecondsMax = 2_147_000_000;
export const userAgent = 'Kontor-Webhooks/1';

export interface WebhookDeliveryOptions {
  retry: RetryPolicy;
  timeoutMilliseconds: number;
  concurrency: number;
  allowPrivate: boolean;
  clock?: Clock;
  random?: () => number;
  logger?: { warn(message: string): void; error(message: string): void };
  /** Called after each attempt is recorded (metrics; tests await it instead of sleeping). */
  onAttempt?: (outcome: AttemptOutcome) => void;
  /** Called after each dispatched batch with the checkpoint reached. */
  onDispatched?: (position: bigint) => void;
}

/**
 * Webhook delivery, run only where projections run (the leader): `start()` / `stop()`.
 *
 * The dispatcher follows the log from its checkpoint and, in the same transaction, enqueues one
 * delivery per (matching webhook, event): nothing is lost across restarts, nothing enqueued
 * twice. The sender sends the head of each webhook's queue — the next event of a webhook waits
 * until the previous one was delivered or finally failed — with up to `concurrency` webhooks at
 * once. Woken by appends, by its own enqueues, and by a timer for the next due retry.
 */
export class WebhookDelivery {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly agent: Agent;
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Webhooks whose call ended while `sendDue` read the heads: their rows may predate the attempt. */
  private readonly endedDuringHeadsRead = new Set<string>();
  private subscriptions: Subscription[] = [];
  private running = false;
  private dispatchDirty = true;
  private sendDirty = true;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly outbox: WebhookOutbox,
    private readonly options: WebhookDeliveryOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.agent = createOutboundAgent({
      allowPrivate: options.allowPrivate,
      connectTimeoutMilliseconds: options.timeoutMilliseconds,
    });
  }

  get isRunning(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.outbox.setup();
    this.subscriptions = await this.outbox.activeSubscriptions();
    this.running = true;
    this.dispatchDirty = true;
    this.sendDirty = true;
    this.unsubscribe = this.store.onAppended(() => {
      this.dispatchDirty = true;
      this.signal();
    });
    this.loop = this.runLoop();
  }

  /** Stops after the calls in flight (each bounded by the timeout); their outcomes are recorded. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.signal();
    await this.loop;
    await Promise.allSettled(this.inFlight.values());
  }

  async close(): Promise<void> {
    await this.stop();
    if (!this.agent.closed && !this.agent.destroyed) await this.agent.close();
  }

  /** A delivery was retried by hand, or work appeared elsewhere: look again now. */
  poke(): void {
    this.sendDirty = true;
    this.signal();
  }

  private signal(): void {
    this.wake?.();
  }

  private async runLoop(): Promise<void> {
    while (this.running) {
      try {
        if (this.dispatchDirty) {
          this.dispatchDirty = false;
          if (await this.dispatch()) this.sendDirty = true;
        }
        if (this.sendDirty) {
          this.sendDirty = false;
          await this.sendDue();
        }
      } catch (error) {
        this.options.logger?.error(
          `webhook delivery: ${error instanceof Error ? error.message : String(error)}`,
        );
        this.dispatchDirty = true;
        this.sendDirty = true;
        this.planWake(this.options.retry.baseMilliseconds);
      }
      if (!this.running || this.dispatchDirty || this.sendDirty) continue;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  /** Enqueues what the log holds after the checkpoint. True when something was enqueued. */
  private async dispatch(): Promise<boolean> {
    let after = await this.outbox.checkpoint();
    let enqueued = 0;
    for (;;) {
      const batch = await this.store.readAll({ after, limit: dispatchBatchSize });
      if (batch.length === 0) break;
      const result = await this.outbox.dispatch(batch, this.subscriptions, this.clock.now());
      this.subscriptions = result.subscriptions;
      enqueued += result.enqueued;
      after = batch[batch.length - 1]!.position;
      this.options.onDispatched?.(after);
      if (batch.length < dispatchBatchSize) break;
    }
    return enqueued > 0;
  }

  /** Starts a call for every due head whose webhook is not busy; plans the timer for the rest. */
  private async sendDue(): Promise<void> {
    this.endedDuringHeadsRead.clear();
    const heads = await this.outbox.heads(this.options.concurrency * 4 + this.inFlight.size);
    const now = this.clock.now().getTime();
    let nextDue = now + sweepIntervalMilliseconds;
    for (const head of heads) {
      // A call that ended meanwhile poked: the next round reads its head as recorded.
      if (this.inFlight.has(head.webhookId) || this.endedDuringHeadsRead.has(head.webhookId))
        continue;
      const due = Date.parse(head.nextAttemptAt);
      if (due > now) {
        nextDue = Math.min(nextDue, due);
        continue;
      }
      if (this.inFlight.size >= this.options.concurrency) break;
      const call = this.deliver(head).finally(() => {
        this.inFlight.delete(head.webhookId);
        this.endedDuringHeadsRead.add(head.webhookId);
        this.poke();
      });
      this.inFlight.set(head.webhookId, call);
    }
    this.planWake(nextDue - now);
  }

  private planWake(delayMilliseconds: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => this.poke(),
      Math.max(0, Math.min(delayMilliseconds, timerMillisecondsMax)),
    );
    this.timer.unref();
  }

  private async deliver(delivery: DueDelivery): Promise<void> {
    try {
      const secret = await this.outbox.loadSecret(delivery.webhookId);
      if (secret === undefined) {
        await this.outbox.cancelPending(delivery.webhookId, this.clock.now());
        return;
      }
      // `from`: positions are opaque (byte offsets with gaps on KurrentDB), never `position - 1n`.
      const [event] = await this.store.readAll({ from: delivery.position, limit: 1 });
      if (!event || event.eventId !== delivery.eventId)
        throw new Error(`event ${delivery.eventId} not found at position ${delivery.position}`);
      const outcome = await this.attempt(delivery, event, secret);
      await this.outbox.recordAttempt(outcome);
      this.options.onAttempt?.(outcome);
    } catch (error) {
      this.options.logger?.error(
        `webhook ${delivery.webhookId}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  private async attempt(
    delivery: DueDelivery,
    event: RecordedEvent,
    secret: string,
  ): Promise<AttemptOutcome> {
    const startedAt = this.clock.now();
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      assertTargetAllowed(delivery.url, this.options.allowPrivate);
      const body = JSON.stringify(toCloudEvent(event));
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': cloudEventsContentType,
          'user-agent': userAgent,
          ...signatureHeaders(secret, event.eventId, startedAt, body),
        },
        body,
        redirect: 'manual',
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.options.timeoutMilliseconds),
      });
      statusCode = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (statusCode < 200 || statusCode > 299) error = `HTTP ${statusCode}`;
    } catch (caught) {
      error = describeFetchError(caught);
    }
    const durationMs = performance.now() - started;
    return {
      delivery,
      startedAt,
      durationMs,
      statusCode,
      error,
      result: this.resultOf(delivery, error, startedAt),
    };
  }

  private resultOf(
    delivery: DueDelivery,
    error: string | null,
    startedAt: Date,
  ): AttemptOutcome['result'] {
    if (error === null) return { kind: 'delivered' };
    const firstAttemptAt = delivery.firstAttemptAt ? new Date(delivery.firstAttemptAt) : startedAt;
    const next = nextAttemptAt(
      delivery.attempts + 1,
      firstAttemptAt,
      this.clock.now(),
      this.options.retry,
      this.random(),
    );
    return next ? { kind: 'retry', nextAttemptAt: next } : { kind: 'failed' };
  }
}

/** Standard Webhooks headers: `webhook-id` is the event id, so a receiver de-duplicates retries. */
export function signatureHeaders(
  secret: string,
  eventId: string,
  at: Date,
  body: string,
): Record<string, string> {
  return {
    'webhook-id': eventId,
    'webhook-timestamp': Math.floor(at.getTime() / 1000).toString(),
    'webhook-signature': new Webhook(secret).sign(eventId, at, body),
  };
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}
