import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { KontorConfig, loadConfig } from '../config.js';
import {
  Digest,
  EventStore,
  readBatchSizeMax,
  RecordedEvent,
  ValidationError,
} from '../event-sourcing/index.js';
import {
  PROJECTIONS_SETTINGS,
  ProjectionRunner,
  ProjectionsService,
  ProjectionsSettings,
} from '../infrastructure/projections/index.js';
import { READ_MODEL_DB } from '../infrastructure/tokens.js';
import { openReadModelDatabase, SqlDatabase, SqliteDatabase } from '../infrastructure/sql/index.js';
import { copyPartyKeys, keyStoreFileName } from '../parties/parties.module.js';
import { copyKeyPepper } from '../access/access.module.js';
import { SqliteEventStore } from '../infrastructure/sqlite/sqlite-event-store.js';

/** What a progress display is told (cli-progress in the CLI, nothing in tests). */
export interface ReplayProgress {
  start(task: string, total: bigint): void;
  update(position: bigint): void;
  stop(): void;
}

export const silentProgress: ReplayProgress = {
  start: () => undefined,
  update: () => undefined,
  stop: () => undefined,
};

/** Where a copy ends: at a position, or with the last event recorded at or before a time. */
export type ReplayUntil = { position: bigint } | { time: string };

const quietLogger = {
  log: () => undefined,
  warn: (message: string) => process.stderr.write(`${message}\n`),
  error: (message: string) => process.stderr.write(`${message}\n`),
};

/**
 * Copies the log up to `until` into `<outDir>/events.db`, row by row as recorded (positions,
 * times and hashes preserved: the copy verifies on its own). With a time, the copy is the
 * longest prefix of the log whose events were all recorded at or before it.
 */
export async function copyLog(
  source: EventStore,
  outDir: string,
  until: ReplayUntil,
  progress: ReplayProgress = silentProgress,
): Promise<Digest> {
  const head = await source.headPosition();
  if ('position' in until && until.position > head) {
    throw new ValidationError(
      `--until-position ${until.position} is after the head of the log (${head})`,
      [{ field: 'until-position', message: `the log ends at ${head}` }],
    );
  }
  prepareEmptyDir(outDir);
  const target = await SqliteEventStore.open(join(outDir, 'events.db'));
  try {
    const last = 'position' in until ? until.position : head;
    progress.start('copy log', last);
    let after = 0n;
    while (after < last) {
      const batch = await source.readAll({ after, until: last, limit: readBatchSizeMax });
      if (batch.length === 0) break;
      const taken = 'time' in until ? takeWhileRecordedBy(batch, until.time) : batch;
      await target.importRecorded(taken);
      if (taken.length > 0) after = taken[taken.length - 1]!.position;
      progress.update(after);
      if (taken.length < batch.length) break;
    }
    progress.stop();
    return await target.digest();
  } finally {
    await target.close();
  }
}

function takeWhileRecordedBy(batch: RecordedEvent[], time: string): RecordedEvent[] {
  const later = batch.findIndex((event) => event.recordedAt > time);
  return later === -1 ? batch : batch.slice(0, later);
}

function prepareEmptyDir(outDir: string): void {
  if (existsSync(outDir) && readdirSync(outDir).length > 0) {
    throw new ValidationError(`--out ${outDir} is not empty: a replay writes a fresh data dir`, [
      { field: 'out', message: 'must be empty or missing' },
    ]);
  }
  mkdirSync(outDir, { recursive: true });
}

/**
 * Rebuilds read models from the log: boots the app's modules (without HTTP) so that every
 * projection the modules register is found, stops their runners, and rebuilds each (or only
 * `names`) with a runner of its own that reports progress — with the app's rebuild batch size, so
 * an offline rebuild commits as few, large batches as `POST /v1/projections/:name/rebuild` does.
 * Returns the names rebuilt.
 */
export async function rebuildReadModels(
  config: KontorConfig,
  store: EventStore,
  names: readonly string[] | undefined,
  progress: ReplayProgress = silentProgress,
): Promise<string[]> {
  const { AppModule } = await import('../app.module.js');
  const context = await NestFactory.createApplicationContext(
    AppModule.forRoot({ config, eventStore: store }),
    {
      logger: ['error', 'warn'],
      abortOnError: false,
    },
  );
  try {
    const projections = context.get(ProjectionsService);
    await projections.stop();
    const db = context.get<SqlDatabase>(READ_MODEL_DB);
    const { rebuildBatchSize } = context.get<ProjectionsSettings>(PROJECTIONS_SETTINGS, {
      strict: false,
    }).runner;
    const all = projections.all().map((runner) => runner.projection);
    const unknown = (names ?? []).filter(
      (name) => !all.some((projection) => projection.name === name),
    );
    if (unknown.length > 0) {
      throw new ValidationError(
        `no projection named ${unknown.join(', ')}; there are: ${all.map((projection) => projection.name).join(', ')}`,
        [{ field: 'projection', message: 'unknown projection' }],
      );
    }
    const chosen = names ? all.filter((projection) => names.includes(projection.name)) : all;
    const head = await store.headPosition();
    for (const projection of chosen) {
      progress.start(projection.name, head);
      const runner = new ProjectionRunner(projection, store, db, {
        batchSize: readBatchSizeMax,
        ...(rebuildBatchSize !== undefined ? { rebuildBatchSize } : {}),
        logger: quietLogger,
        onProgress: ({ position }) => progress.update(position),
      });
      await runner.rebuild();
      progress.update(head);
      progress.stop();
    }
    return chosen.map((projection) => projection.name);
  } finally {
    await context.close();
  }
}

/** The config of a replayed copy: SQLite in `outDir`, read-only log, nothing else inherited. */
export function replayedCopyConfig(outDir: string): KontorConfig {
  return loadConfig({
    KONTOR_STORE: 'sqlite',
    KONTOR_DATA_DIR: outDir,
    KONTOR_READ_ONLY: 'true',
    LOG_LEVEL: 'warn',
  });
}

/**
 * `kontor replay --until-… --out DIR`: the log up to that point into a fresh SQLite data dir,
 * every read model built from it there, the API key pepper copied from the source's ops
 * database (so the source's keys work on the copy), the party keys copied from the source's
 * key store (the copy opens personal data the source still opens, nothing erased), and the
 * copy verified on its own.
 */
export async function replayInto(
  source: EventStore,
  sourceOpsDb: SqlDatabase,
  outDir: string,
  until: ReplayUntil,
  progress: ReplayProgress = silentProgress,
  sourceKeysDb?: SqlDatabase,
) {
  const digest = await copyLog(source, outDir, until, progress);
  const config = replayedCopyConfig(outDir);
  const copy = await SqliteEventStore.open(join(outDir, 'events.db'), { readOnly: true });
  const projections = await rebuildReadModels(config, copy, undefined, progress);
  const copyOpsDb = openReadModelDatabase(config);
  try {
    await copyKeyPepper(sourceOpsDb, copyOpsDb);
  } finally {
    await copyOpsDb.close();
  }
  if (sourceKeysDb) {
    const copyKeysDb = SqliteDatabase.open(join(outDir, keyStoreFileName));
    try {
      await copyPartyKeys(sourceKeysDb, copyKeysDb);
    } finally {
      await copyKeysDb.close();
    }
  }
  const verifyStore = await SqliteEventStore.open(join(outDir, 'events.db'), { readOnly: true });
  try {
    const verify = await verifyStore.verify();
    return { digest, projections, verify };
  } finally {
    await verifyStore.close();
  }
}
