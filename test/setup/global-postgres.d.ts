/** Set by postgres-global-setup.ts when it started an embedded PostgreSQL; read by the teardown. */
declare var kontorEmbeddedPostgres: { stop(): Promise<void>; dataRoot: string } | undefined;
