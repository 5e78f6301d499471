/**
 * A fresh PostgreSQL schema per test (or test file), so parallel tests never collide.
 *
 *   const pg = await createTestSchema();          // in beforeAll / beforeEach
 *   const store = await PostgresEventStore.connect(pg.url);
 *   ...
 *   await pg.drop();                              // in afterAll / afterEach, after closing pools
 *
 * `url` is TEST_DATABASE_URL plus `options=-c search_path=<schema>`: node-postgres sends it in
 * the startup packet, so EVERY connection opened with that url (pools, LISTEN clients, the CLI
 * through DATABASE_URL) works inside the schema without any code knowing about it.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface TestSchema {
  url: string;
  schema: string;
  drop(): Promise<void>;
}

export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      'TEST_DATABASE_URL is not set: run PostgreSQL tests through jest (its globalSetup provides it)',
    );
  }
  return url;
}

export async function createTestSchema(): Promise<TestSchema> {
  const baseUrl = testDatabaseUrl();
  const schema = `test_${randomBytes(8).toString('hex')}`;
  await runAsAdmin(baseUrl, `CREATE SCHEMA ${schema}`);
  const url = new URL(baseUrl);
  url.searchParams.delete('options');
  const query = url.searchParams.toString();
  url.search = `${query ? `${query}&` : ''}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    url: url.toString(),
    schema,
    drop: () => runAsAdmin(baseUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`),
  };
}

async function runAsAdmin(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Runs one statement on its own connection to `url` and returns its rows. */
export async function sql<Row>(url: string, text: string, params: unknown[] = []): Promise<Row[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

/** The `value` column of the first row, as text. */
export async function sqlValue(url: string, text: string, params: unknown[] = []): Promise<string> {
  const [row] = await sql<{ value: string }>(url, text, params);
  return String(row!.value);
}
