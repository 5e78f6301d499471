import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { newEvent } from './event-store.contract.js';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'src', 'cli.js');
const buildTimeoutMilliseconds = 120_000;

interface CliRun {
  exitCode: number;
  output: string;
}

function runKontor(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      const exitCode = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ exitCode, output: `${stdout}${stderr}` });
    });
  });
}

describe('kontor verify (CLI)', () => {
  let dataDir: string;

  beforeAll(() => {
    const startedAt = Date.now();
    try {
      execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe', timeout: buildTimeoutMilliseconds });
    } catch (error) {
      // tsc still emits when files elsewhere have type errors; only a missing or stale CLI is fatal.
      const emitted = statSync(cli, { throwIfNoEntry: false });
      if (emitted === undefined || emitted.mtimeMs < startedAt - 1_000) throw error;
    }
  }, buildTimeoutMilliseconds);

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
    const run = await runKontor(['verify'], { KONTOR_STORE: 'sqlite', KONTOR_DATA_DIR: dataDir });

    expect(run.output).toMatch(/^ok: 5 events, head 5 [0-9a-f]{64}$/m);
    expect(run.exitCode).toBe(0);
  });

  it('verifies a read-only data dir', async () => {
    const run = await runKontor(['verify'], { KONTOR_STORE: 'sqlite', KONTOR_DATA_DIR: dataDir, KONTOR_READ_ONLY: 'true' });

    expect(run.output).toMatch(/^ok: 5 events/m);
    expect(run.exitCode).toBe(0);
  });

  it('exits 1 and names the exact broken position after the file was tampered with', async () => {
    const db = new Database(join(dataDir, 'events.db'));
    try {
      db.exec('DROP TRIGGER events_reject_update');
      db.prepare(`UPDATE events SET data = '{"n":333}' WHERE position = 3`).run();
    } finally {
      db.close();
    }

    const run = await runKontor(['verify'], { KONTOR_STORE: 'sqlite', KONTOR_DATA_DIR: dataDir });

    expect(run.output).toMatch(/BROKEN at position 3\b/);
    expect(run.exitCode).toBe(1);
  });
});
