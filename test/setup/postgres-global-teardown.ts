/**
 * jest globalTeardown: stops the embedded PostgreSQL that postgres-global-setup.ts started, if any
 * (both run in jest's parent process; the handle is in global-postgres.d.ts).
 */
export default async function globalTeardown(): Promise<void> {
  const embedded = globalThis.kontorEmbeddedPostgres;
  if (!embedded) return;
  globalThis.kontorEmbeddedPostgres = undefined;
  delete process.env.TEST_DATABASE_URL;
  await embedded.stop();
}
