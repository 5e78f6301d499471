import { RecordedEvent } from '../../event-sourcing/index.js';
import { SqlDatabase, toBigInt, toSafeNumber } from '../../infrastructure/sql/index.js';
import { webhookWants } from '../domain/webhook-filter.js';
import { WebhookEvent } from '../domain/webhook.events.js';
import { deliveryIdOf } from './webhook-ids.js';
import { webhookOutboxSchema } from './webhook-outbox.schema.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

/** Error texts kept per attempt are cut to this length. */
export const deliveryErrorLengthMax = 1_000;
/** Attempts shown per delivery in GET /v1/webhooks/:id/deliveries (the newest ones). */
export const attemptsShownMax = 50;

export interface Subscription {
  webhookId: string;
  url: string;
  types?: string[];
  books?: string[];
}

/** The head of one webhook's queue: the pending delivery with the lowest position. */
export interface DueDelivery {
  deliveryId: string;
  webhookId: string;
  url: string;
  position: bigint;
  eventId: string;
  attempts: number;
  nextAttemptAt: string;
  firstAttemptAt: string | null;
}

export interface AttemptRecord {
  attempt: number;
  at: string;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
}

export interface DeliveryView {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  position: bigint;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  enqueuedAt: string;
  completedAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  attemptLog: AttemptRecord[];
}

export interface AttemptOutcome {
  delivery: DueDelivery;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  /** delivered: 2xx. retry: try again at `nextAttemptAt`. failed: the retry window is over. */
  result: { kind: 'delivered' } | { kind: 'retry'; nextAttemptAt: Date } | { kind: 'failed' };
}

const checkpointName = 'webhook-dispatcher';

async function deleteSecrets(tx: SqlDatabase, webhookId: string): Promise<void> {
  await tx.execute('DELETE FROM webhook_secrets WHERE webhook_id = ?', [webhookId]);
  await tx.execute('DELETE FROM webhook_targets WHERE webhook_id = ?', [webhookId]);
}

function jsonList(value: unknown): string[] | undefined {
  return typeof value === 'string' ? (JSON.parse(value) as string[]) : undefined;
}

function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : toSafeNumber(value);
}

/**
 * The delivery outbox, in the read-model/ops database: which webhooks exist (as the dispatcher
 * has seen them in the log), one row per (webhook, event) to deliver, every attempt, the
 * dispatcher's checkpoint, and the secret parts (mutable, deletable: never in the log): the
 * signing secrets and the full target URLs (the events keep them with the query string masked).
 */
export class WebhookOutbox {
  constructor(private readonly db: SqlDatabase) {}

  /** Creates the tables, under the schema lock: every instance runs this on boot. */
  async setup(): Promise<void> {
    await this.db.withSchemaLock(async (tx) => {
      for (const statement of webhookOutboxSchema) await tx.execute(statement);
    });
  }

  /** The signing secret, and the full URL when the event will carry it masked. */
  async saveSecret(webhookId: string, secret: string, now: Date, url?: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.execute(
        `INSERT INTO webhook_secrets (webhook_id, secret, created_at) VALUES (?, ?, ?)
         ON CONFLICT (webhook_id) DO UPDATE SET secret = excluded.secret`,
        [webhookId, secret, now.toISOString()],
      );
      if (url === undefined) return;
      await tx.execute(
        `INSERT INTO webhook_targets (webhook_id, url) VALUES (?, ?)
         ON CONFLICT (webhook_id) DO UPDATE SET url = excluded.url`,
        [webhookId, url],
      );
    });
  }

  async loadSecret(webhookId: string): Promise<string | undefined> {
    const [row] = await this.db.query<{ secret: string }>(
      'SELECT secret FROM webhook_secrets WHERE webhook_id = ?',
      [webhookId],
    );
    return row?.secret;
  }

  async deleteSecret(webhookId: string): Promise<void> {
    await this.db.transaction((tx) => deleteSecrets(tx, webhookId));
  }

  async checkpoint(): Promise<bigint> {
    const [row] = await this.db.query<{ position: unknown }>(
      'SELECT position FROM webhook_dispatch_checkpoints WHERE name = ?',
      [checkpointName],
    );
    return row ? toBigInt(row.position) : 0n;
  }

  async activeSubscriptions(): Promise<Subscription[]> {
    const rows = await this.db.query<{
      webhook_id: string;
      url: string;
      types: string | null;
      books: string | null;
    }>(
      `SELECT webhook_id, url, types, books FROM webhook_subscriptions WHERE status = 'active' ORDER BY registered_position`,
    );
    return rows.map((row) => ({
      webhookId: row.webhook_id,
      url: row.url,
      ...(row.types !== null ? { types: jsonList(row.types) } : {}),
      ...(row.books !== null ? { books: jsonList(row.books) } : {}),
    }));
  }

  /**
   * One transaction: registrations and deletions seen in the batch, a delivery row for every
   * (active webhook, matching event) in position order, and the checkpoint. Returns the
   * subscriptions active after the batch. Re-running a batch inserts nothing twice.
   */
  async dispatch(
    batch: RecordedEvent[],
    subscriptions: Subscription[],
    now: Date,
  ): Promise<{ subscriptions: Subscription[]; enqueued: number }> {
    const active = new Map(
      subscriptions.map((subscription) => [subscription.webhookId, subscription]),
    );
    let enqueued = 0;
    await this.db.transaction(async (tx) => {
      for (const event of batch) {
        const registration =
          event.streamId === 'webhooks' ? (event as RecordedEvent & WebhookEvent) : undefined;
        // A webhook gets the events after its registration and before its deletion, neither of the two.
        if (registration?.type === 'WebhookDeleted')
          await this.applyRegistration(tx, registration, active, now);
        for (const subscription of active.values()) {
          if (!webhookWants(subscription, event)) continue;
          const result = await tx.execute(
            `INSERT INTO webhook_deliveries (delivery_id, webhook_id, position, event_id, event_type, status, attempts, next_attempt_at, enqueued_at)
             VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT DO NOTHING`,
            [
              deliveryIdOf(subscription.webhookId, event.eventId),
              subscription.webhookId,
              event.position,
              event.eventId,
              event.type,
              now.toISOString(),
              now.toISOString(),
            ],
          );
          enqueued += result.changes;
        }
        if (registration?.type === 'WebhookRegistered')
          await this.applyRegistration(tx, registration, active, now);
      }
      await tx.execute(
        `INSERT INTO webhook_dispatch_checkpoints (name, position) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
        [checkpointName, batch[batch.length - 1]!.position],
      );
    });
    return { subscriptions: [...active.values()], enqueued };
  }

  private async applyRegistration(
    tx: SqlDatabase,
    event: RecordedEvent & WebhookEvent,
    active: Map<string, Subscription>,
    now: Date,
  ): Promise<void> {
    if (event.type === 'WebhookRegistered') {
      const { webhookId, types, books } = event.data;
      // Events before webhook_targets carry the full URL; newer ones only its masked form.
      const [target] = await tx.query<{ url: string }>(
        'SELECT url FROM webhook_targets WHERE webhook_id = ?',
        [webhookId],
      );
      const url = target?.url ?? event.data.url;
      await tx.execute(
        `INSERT INTO webhook_subscriptions (webhook_id, url, types, books, status, registered_position)
         VALUES (?, ?, ?, ?, 'active', ?) ON CONFLICT (webhook_id) DO NOTHING`,
        [
          webhookId,
          url,
          types ? JSON.stringify(types) : null,
          books ? JSON.stringify(books) : null,
          event.position,
        ],
      );
      active.set(webhookId, {
        webhookId,
        url,
        ...(types ? { types } : {}),
        ...(books ? { books } : {}),
      });
      return;
    }
    if (event.type === 'WebhookDeleted') {
      const { webhookId } = event.data;
      active.delete(webhookId);
      await tx.execute(`UPDATE webhook_subscriptions SET status = 'deleted' WHERE webhook_id = ?`, [
        webhookId,
      ]);
      await tx.execute(
        `UPDATE webhook_deliveries SET status = 'cancelled', next_attempt_at = NULL, completed_at = ? WHERE webhook_id = ? AND status = 'pending'`,
        [now.toISOString(), webhookId],
      );
      await deleteSecrets(tx, webhookId);
    }
  }

  /** The head of every webhook's queue (strict order: only the lowest pending position may go). */
  async heads(limit: number): Promise<DueDelivery[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT d.delivery_id, d.webhook_id, s.url, d.position, d.event_id, d.attempts, d.next_attempt_at, d.first_attempt_at
       FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.webhook_id = d.webhook_id
       WHERE d.status = 'pending' AND s.status = 'active'
         AND d.position = (SELECT MIN(p.position) FROM webhook_deliveries p WHERE p.webhook_id = d.webhook_id AND p.status = 'pending')
       ORDER BY d.next_attempt_at, d.webhook_id
       LIMIT ?`,
      [limit],
    );
    return rows.map((row) => ({
      deliveryId: row.delivery_id as string,
      webhookId: row.webhook_id as string,
      url: row.url as string,
      position: toBigInt(row.position),
      eventId: row.event_id as string,
      attempts: toSafeNumber(row.attempts),
      nextAttemptAt: row.next_attempt_at as string,
      firstAttemptAt: (row.first_attempt_at as string | null) ?? null,
    }));
  }

  /** Records one attempt and moves the delivery on, unless it changed meanwhile (deleted, retried by hand). */
  async recordAttempt(outcome: AttemptOutcome): Promise<void> {
    const { delivery, result } = outcome;
    const startedAt = outcome.startedAt.toISOString();
    const completedAt = new Date(outcome.startedAt.getTime() + outcome.durationMs).toISOString();
    const error = outcome.error?.slice(0, deliveryErrorLengthMax) ?? null;
    const attempt = delivery.attempts + 1;
    await this.db.transaction(async (tx) => {
      const moved = await tx.execute(
        `UPDATE webhook_deliveries SET attempts = ?, status = ?, next_attempt_at = ?, first_attempt_at = COALESCE(first_attempt_at, ?),
           completed_at = ?, last_status_code = ?, last_error = ?
         WHERE delivery_id = ? AND status = 'pending' AND attempts = ?`,
        [
          attempt,
          result.kind === 'retry' ? 'pending' : result.kind,
          result.kind === 'retry' ? result.nextAttemptAt.toISOString() : null,
          startedAt,
          result.kind === 'retry' ? null : completedAt,
          outcome.statusCode,
          error,
          delivery.deliveryId,
          delivery.attempts,
        ],
      );
      if (moved.changes === 0) return;
      await tx.execute(
        `INSERT INTO webhook_delivery_attempts (delivery_id, attempt, started_at, duration_ms, status_code, error) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
        [
          delivery.deliveryId,
          attempt,
          startedAt,
          Math.round(outcome.durationMs),
          outcome.statusCode,
          error,
        ],
      );
    });
  }

  /** A webhook whose secret is gone (deleted meanwhile): nothing of it is sent any more. */
  async cancelPending(webhookId: string, now: Date): Promise<void> {
    await this.db.execute(
      `UPDATE webhook_deliveries SET status = 'cancelled', next_attempt_at = NULL, completed_at = ? WHERE webhook_id = ? AND status = 'pending'`,
      [now.toISOString(), webhookId],
    );
  }

  /**
   * Sends a delivery again: pending now, with a fresh retry window. Attempt numbers go on, so the
   * log keeps every earlier attempt. False when there is no such delivery of that webhook.
   */
  async retry(webhookId: string, deliveryId: string, now: Date): Promise<boolean> {
    const result = await this.db.execute(
      `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?, first_attempt_at = NULL, completed_at = NULL
       WHERE delivery_id = ? AND webhook_id = ? AND status <> 'cancelled'`,
      [now.toISOString(), deliveryId, webhookId],
    );
    return result.changes > 0;
  }

  async listDeliveries(
    webhookId: string,
    options: { after: bigint; limit: number; status?: DeliveryStatus },
  ): Promise<{ items: DeliveryView[]; nextAfter: bigint | null }> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT delivery_id, webhook_id, event_id, event_type, position, status, attempts, next_attempt_at, enqueued_at, completed_at,
              last_status_code, last_error
       FROM webhook_deliveries WHERE webhook_id = ? AND position > ? ${options.status ? 'AND status = ?' : ''}
       ORDER BY position LIMIT ?`,
      [webhookId, options.after, ...(options.status ? [options.status] : []), options.limit + 1],
    );
    const page = rows.slice(0, options.limit);
    const items: DeliveryView[] = [];
    for (const row of page) {
      items.push({
        id: row.delivery_id as string,
        webhookId: row.webhook_id as string,
        eventId: row.event_id as string,
        eventType: row.event_type as string,
        position: toBigInt(row.position),
        status: row.status as DeliveryStatus,
        attempts: toSafeNumber(row.attempts),
        nextAttemptAt: (row.next_attempt_at as string | null) ?? null,
        enqueuedAt: row.enqueued_at as string,
        completedAt: (row.completed_at as string | null) ?? null,
        lastStatusCode: nullableNumber(row.last_status_code),
        lastError: (row.last_error as string | null) ?? null,
        attemptLog: await this.attempts(row.delivery_id as string),
      });
    }
    const last = page[page.length - 1];
    return {
      items,
      nextAfter: rows.length > options.limit && last ? toBigInt(last.position) : null,
    };
  }

  async hasDelivery(webhookId: string, deliveryId: string): Promise<boolean> {
    const rows = await this.db.query(
      'SELECT 1 AS found FROM webhook_deliveries WHERE delivery_id = ? AND webhook_id = ?',
      [deliveryId, webhookId],
    );
    return rows.length > 0;
  }

  private async attempts(deliveryId: string): Promise<AttemptRecord[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT attempt, started_at, duration_ms, status_code, error FROM webhook_delivery_attempts
       WHERE delivery_id = ? ORDER BY attempt DESC LIMIT ?`,
      [deliveryId, attemptsShownMax],
    );
    return rows.reverse().map((row) => ({
      attempt: toSafeNumber(row.attempt),
      at: row.started_at as string,
      durationMs: toSafeNumber(row.duration_ms),
      statusCode: nullableNumber(row.status_code),
      error: (row.error as string | null) ?? null,
    }));
  }
}
