import { Client } from 'pg';

/** The PostgreSQL the benchmarks use: BENCH_DATABASE_URL, DATABASE_URL, or the local server. */
export function benchPostgresUrl(): string {
  return (
    process.env.BENCH_DATABASE_URL ||
    process.env.DATABASE_URL ||
    'postgres://postgres@127.0.0.1:5432/test'
  );
}

/** Runs `work` on a short-lived admin connection to the benchmark database. */
export async function postgresAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: benchPostgresUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh schema and a URL whose connections all use it; `drop` removes it. */
export async function createBenchSchema(
  name: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `bench_${name.replace(/[^a-z0-9_]/gi, '_')}_${process.pid}_${Date.now()}`;
  await postgresAdmin((client) => client.query(`CREATE SCHEMA ${schema}`));
  const parsed = new URL(benchPostgresUrl());
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: parsed.toString(),
    drop: async () => {
      await postgresAdmin((client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    },
  };
}
