import type { Database } from 'better-sqlite3';
import { assert } from '../../event-sourcing/index.js';

/** One schema step of a component; versions of a component start at 1 and never change once shipped. */
export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Applies the component's pending migrations in one IMMEDIATE transaction, so two processes
 * opening the same file at once cannot both apply a step. Several components (event store,
 * read models, …) share the `schema_migrations` table of one file.
 */
export function migrateSqlite(
  db: Database,
  component: string,
  migrations: readonly SqliteMigration[],
): void {
  migrations.forEach((migration, index) =>
    assert(migration.version === index + 1, `${component} migrations are numbered 1..n`),
  );
  const apply = db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      component TEXT NOT NULL,
      version INTEGER NOT NULL,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL,
      PRIMARY KEY (component, version)
    ) STRICT`);
    const applied = db
      .prepare<[string], { version: number }>(
        'SELECT version FROM schema_migrations WHERE component = ?',
      )
      .all(component)
      .map((row) => row.version);
    const insert = db.prepare(
      'INSERT INTO schema_migrations (component, version, name, applied_at) VALUES (?, ?, ?, ?)',
    );
    for (const migration of migrations) {
      if (applied.includes(migration.version)) continue;
      db.exec(migration.sql);
      insert.run(component, migration.version, migration.name, new Date().toISOString());
    }
  });
  apply.immediate();
}

/** The versions of a component already applied (for read-only opens, which must not migrate). */
export function appliedSqliteMigrations(db: Database, component: string): number[] {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (table === undefined) return [];
  return db
    .prepare<[string], { version: number }>(
      'SELECT version FROM schema_migrations WHERE component = ? ORDER BY version',
    )
    .all(component)
    .map((row) => row.version);
}
