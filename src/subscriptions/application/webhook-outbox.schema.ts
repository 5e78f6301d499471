/** The outbox's tables (WebhookOutbox.setup), in the read-model/ops database. */
export const webhookOutboxSchema = [
  `CREATE TABLE IF NOT EXISTS webhook_secrets (
    webhook_id TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS webhook_targets (
    webhook_id TEXT PRIMARY KEY,
    url TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS webhook_dispatch_checkpoints (
    name TEXT PRIMARY KEY,
    position BIGINT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS webhook_subscriptions (
    webhook_id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    types TEXT,
    books TEXT,
    status TEXT NOT NULL,
    registered_position BIGINT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS webhook_deliveries (
    delivery_id TEXT PRIMARY KEY,
    webhook_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TEXT,
    first_attempt_at TEXT,
    enqueued_at TEXT NOT NULL,
    completed_at TEXT,
    last_status_code INTEGER,
    last_error TEXT,
    UNIQUE (webhook_id, position)
  )`,
  `CREATE INDEX IF NOT EXISTS webhook_deliveries_pending ON webhook_deliveries (status, webhook_id, position)`,
  `CREATE TABLE IF NOT EXISTS webhook_delivery_attempts (
    delivery_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    started_at TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    status_code INTEGER,
    error TEXT,
    PRIMARY KEY (delivery_id, attempt)
  )`,
];
