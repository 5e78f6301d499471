/**
 * The audit commands of the built CLI on a real SQLite data dir: `verify --digest` proves the log
 * up to a kept digest unchanged (and finds tampering before it), `audit export` writes a file with
 * its sha256 on stderr and is recorded in the log, `replay` rebuilds in place and copies.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ManualClock } from '../../src/event-sourcing/index.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { appendVariedLog } from '../support/audit-fixtures.js';
import { builtCli, cliBuildTimeoutMilliseconds, runCli } from '../support/cli.js';

jest.setTimeout(60_000);

describe('kontor audit commands (CLI)', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let digest: string;

  beforeAll(() => builtCli(), cliBuildTimeoutMilliseconds);

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kontor-cli-audit-'));
    env = { KONTOR_STORE: 'sqlite', KONTOR_DATA_DIR: dataDir };
    const clock = new ManualClock(new Date('2026-02-01T08:00:00.000Z'));
    const store = await SqliteEventStore.open(join(dataDir, 'events.db'), { clock });
    await appendVariedLog(store, clock, 20, 7);
    const kept = await store.digest();
    digest = `${kept.hash}@${kept.position}`;
    await appendVariedLog(store, clock, 10, 8);
    await store.close();
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  function tamper(position: bigint): void {
    const db = new Database(join(dataDir, 'events.db'));
    try {
      db.exec('DROP TRIGGER IF EXISTS events_reject_update');
      db.prepare(`UPDATE events SET data = '{"forged":true}' WHERE position = ?`).run(position);
    } finally {
      db.close();
    }
  }

  it('verify --digest: ok for an unchanged log that grew since; exit 1 when an event before the digest was changed', async () => {
    const position = BigInt(digest.split('@')[1]!);
    const intact = await runCli(['verify', '--digest', digest], env);
    expect(intact.stdout).toMatch(/^ok: the log up to [0-9a-f]{64}@\d+ is unchanged/m);
    expect(intact.status).toBe(0);

    tamper(position + 2n); // after the digest: the digest still holds
    expect((await runCli(['verify', '--digest', digest], env)).status).toBe(0);
    expect((await runCli(['verify'], env)).status).toBe(1);

    tamper(position - 3n);
    const broken = await runCli(['verify', '--digest', digest], env);
    expect(broken.stdout).toContain(
      `MISMATCH for ${digest}: the chain is broken at position ${position - 3n}`,
    );
    expect(broken.status).toBe(1);

    const wrongHash = await runCli(['verify', '--digest', `${'0'.repeat(64)}@1`], env);
    expect(wrongHash.status).toBe(1);
    expect((await runCli(['verify', '--digest', 'nonsense'], env)).status).toBe(1);
  });

  it('audit export: data lines only, the id and sha256 on stderr and in the log with the OS user', async () => {
    const run = await runCli(['audit', 'export', '--format', 'jsonl', '--book', 'acme'], env);
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    const sha256 = createHash('sha256').update(run.stdout).digest('hex');
    const [, exportId] = /^export (\S+): (\d+) rows, sha256 ([0-9a-f]{64})$/m.exec(run.stderr)!;
    expect(run.stderr).toContain(`${lines.length} rows, sha256 ${sha256}`);
    const trailer = { sha256 };
    expect(lines.every((line) => JSON.parse(line).book === 'acme')).toBe(true);

    const store = await SqliteEventStore.open(join(dataDir, 'events.db'), { readOnly: true });
    try {
      const recorded = await store.readStream('audit-exports');
      expect(recorded.map((event) => event.type)).toEqual([
        'AuditTrailExportStarted',
        'AuditTrailExported',
      ]);
      expect(recorded[1]!.data).toMatchObject({
        exportId,
        completed: true,
        rowCount: lines.length,
        sha256: trailer.sha256,
        format: 'jsonl',
        filter: { book: 'acme' },
      });
      expect(recorded[1]!.metadata.actor.name).toMatch(/^cli:/);
    } finally {
      await store.close();
    }
  });

  it('replay: rebuilds in place, and copies up to a position into a dir that verifies', async () => {
    const inPlace = await runCli(['replay', '--projection', 'audit-trail'], env);
    expect(inPlace.stdout).toMatch(/^rebuilt audit-trail up to position \d+/m);
    expect(inPlace.status).toBe(0);

    const outDir = join(dataDir, 'copy');
    const copy = await runCli(['replay', '--until-position', '5', '--out', outDir], env);
    expect(copy.stderr).toBe('');
    expect(copy.stdout).toMatch(/^copied the log up to position 5 into /m);
    expect(copy.status).toBe(0);
    const verified = await runCli(['verify'], {
      KONTOR_STORE: 'sqlite',
      KONTOR_DATA_DIR: outDir,
      KONTOR_READ_ONLY: 'true',
    });
    expect(verified.stdout).toMatch(/^ok: 5 events, head 5 /m);

    expect((await runCli(['replay', '--until-position', '5'], env)).status).toBe(1);
  });
});
