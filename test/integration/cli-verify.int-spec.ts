import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { builtCli, cliBuildTimeoutMilliseconds, runCli } from '../support/cli.js';
import { newEvent } from '../support/event-store-harness.js';

describe('kontor verify (CLI)', () => {
  let dataDir: string;

  beforeAll(() => builtCli(), cliBuildTimeoutMilliseconds);

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kontor-cli-verify-'));
    const store = await SqliteEventStore.open(join(dataDir, 'events.db'));
    await store.append('book-acme', [newEvent({ n: 1 }), newEvent({ n: 2 })]);
    await store.append('approval_request-1', [newEvent({ n: 3 }), newEvent({ n: 4 })]);
    await store.append('book-acme', [newEvent({ n: 5 })], { expectedRevision: 1 });
    await store.close();
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 0 and prints ok for an intact store', async () => {
    const run = await runCli(['verify'], { KONTOR_STORE: 'sqlite', KONTOR_DATA_DIR: dataDir });

    expect(run.stdout).toMatch(/^ok: 5 events, head 5 [0-9a-f]{64}$/m);
    expect(run.status).toBe(0);
  });

  it('verifies a read-only data dir', async () => {
    const run = await runCli(['verify'], {
      KONTOR_STORE: 'sqlite',
      KONTOR_DATA_DIR: dataDir,
      KONTOR_READ_ONLY: 'true',
    });

    expect(run.stdout).toMatch(/^ok: 5 events/m);
    expect(run.status).toBe(0);
  });

  it('exits 1 and names the exact broken position after the file was tampered with', async () => {
    const db = new Database(join(dataDir, 'events.db'));
    try {
      db.exec('DROP TRIGGER events_reject_update');
      db.prepare(`UPDATE events SET data = '{"n":333}' WHERE position = 3`).run();
    } finally {
      db.close();
    }

    const run = await runCli(['verify'], { KONTOR_STORE: 'sqlite', KONTOR_DATA_DIR: dataDir });

    expect(run.stdout).toMatch(/BROKEN at position 3\b/);
    expect(run.status).toBe(1);
  });
});
