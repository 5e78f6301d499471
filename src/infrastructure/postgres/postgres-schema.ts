import { PoolClient } from 'pg';

/**
 * The event store's tables, created in the connection's current schema (the first schema of its
 * `search_path`). Migrations run in one transaction holding an advisory lock, so any number of
 * instances may start at once; each statement is also idempotent on its own.
 *
 * `data` and `metadata` hold canonical JSON (RFC 8785), the form the hash chain covers, as `json`
 * (not `jsonb`): json keeps the text exactly as written and accepts every string JSON can hold
 * (jsonb rejects `\u0000`). `recorded_at` is a timestamptz holding whole milliseconds, which
 * round-trips to the same ISO string. The snapshots table keeps the latest snapshot of each stream.
 */
const migrations: readonly string[] = [
  `
  CREATE TABLE IF NOT EXISTS events (
    position bigint PRIMARY KEY CHECK (position >= 1),
    event_id text NOT NULL UNIQUE,
    stream_id text NOT NULL,
    revision integer NOT NULL CHECK (revision >= 0),
    type text NOT NULL,
    schema_version integer NOT NULL,
    data json NOT NULL,
    metadata json NOT NULL,
    recorded_at timestamptz NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    UNIQUE (stream_id, revision)
  );
  CREATE TABLE IF NOT EXISTS snapshots (
    stream_id text PRIMARY KEY,
    revision integer NOT NULL CHECK (revision >= 0),
    state json NOT NULL,
    saved_at timestamptz NOT NULL
  );
  CREATE OR REPLACE FUNCTION kontor_reject_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'the events table is append-only: % rejected', TG_OP USING ERRCODE = 'integrity_constraint_violation';
  END
  $$;
  DROP TRIGGER IF EXISTS events_reject_update_delete ON events;
  CREATE TRIGGER events_reject_update_delete BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION kontor_reject_event_change();
  DROP TRIGGER IF EXISTS events_reject_truncate ON events;
  CREATE TRIGGER events_reject_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION kontor_reject_event_change();
  `,
];

/** Classid of the migration lock (pg_advisory_xact_lock(int, int)): "KoMi". */
const migrationLockClass = 0x4b6f4d69;

/** Brings the schema to the latest migration; safe to call from many instances at once. */
export async function migrate(client: PoolClient, schemaLockKey: number): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [migrationLockClass, schemaLockKey]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS kontor_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const applied = await client.query<{ version: number }>(
      'SELECT version FROM kontor_migrations',
    );
    const appliedVersions = new Set(applied.rows.map((row) => row.version));
    for (const [index, sql] of migrations.entries()) {
      const version = index + 1;
      if (appliedVersions.has(version)) continue;
      await client.query(sql);
      await client.query('INSERT INTO kontor_migrations (version) VALUES ($1)', [version]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
