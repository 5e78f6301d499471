/**
 * Kontor on PostgreSQL while the database restarts under posting load: a real `kontor serve`
 * (the built CLI) on a PostgreSQL server of the test's own (test/support/own-postgres.ts), which
 * is SIGKILLed (postmaster) and, in the second round, stopped with `pg_ctl stop -m fast`, then
 * started again. Kontor must stay up, answer 503 `store-unavailable` with Retry-After (never a
 * 500) while the database is away — to writes and reads, and report not-ready — and recover by
 * itself once it is back, with every acknowledged posting in the books.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ServerProcess } from '../crash/server-process.js';
import { builtCli, cliBuildTimeoutMilliseconds, pathEnv, repositoryRoot } from '../support/cli.js';
import { OwnPostgres } from '../support/own-postgres.js';
import { PostingLoad, postingBook } from '../support/posting-load.js';

jest.setTimeout(300_000);

const acknowledgedBeforeFault = 20;
const refusalsWhileDown = 5;

describe('Kontor on PostgreSQL across database restarts (built CLI, own PostgreSQL)', () => {
  let db: OwnPostgres;
  let server: ServerProcess;
  let dataDir: string;
  const adminKey = `kontor_fault_admin_${randomBytes(24).toString('base64url')}`;
  const book = `restart-${randomUUID().slice(0, 8)}`;
  const figures: string[] = [];

  beforeAll(async () => {
    builtCli();
    db = await OwnPostgres.create();
    await db.start();
    dataDir = await mkdtemp(join(tmpdir(), 'kontor-pg-restart-'));
    server = new ServerProcess({
      cliPath: builtCli(),
      cwd: repositoryRoot,
      port: await freePort(),
      env: {
        ...pathEnv(),
        KONTOR_STORE: 'postgres',
        DATABASE_URL: db.url,
        KONTOR_ADMIN_KEY: adminKey,
        KONTOR_DATA_DIR: dataDir,
        KONTOR_DB_CONNECT_TIMEOUT_MS: '2000',
        KONTOR_LEADER_RETRY_MS: '500',
      },
    });
    await server.start();
    await postingBook(server.baseUrl, adminKey, book);
  }, cliBuildTimeoutMilliseconds);

  afterAll(async () => {
    await server?.stop();
    await db?.destroy();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (figures.length > 0) console.log(figures.join('\n'));
  });

  it.each([
    ['SIGKILL of the postmaster', () => db.kill()],
    ['pg_ctl stop -m fast', () => db.stopFast()],
  ])(
    '%s under posting load: 503 store-unavailable while away, then recovery, nothing acknowledged lost',
    async (fault, stopDatabase) => {
      const load = new PostingLoad(server.baseUrl, adminKey, book);
      load.start();
      await load.until(() => load.acknowledged.size >= acknowledgedBeforeFault);

      await stopDatabase();
      const refusedAtFault = load.refused;
      await load.until(() => load.refused >= refusedAtFault + refusalsWhileDown);
      // Reads and readiness while the database is away (the load keeps writing).
      const ready = await fetch(`${server.baseUrl}/health/ready`);
      expect(ready.status).toBe(503);
      const read = await fetch(`${server.baseUrl}/v1/books/${book}/trial-balance`, {
        headers: { authorization: `Bearer ${adminKey}` },
      });
      expect(read.status).toBe(503);
      expect(read.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(read.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await read.json()) as { type: string }).type).toBe('/problems/store-unavailable');

      const restartedAt = Date.now();
      await db.start();
      const acknowledgedAtRestart = load.acknowledged.size;
      await load.until(() => load.acknowledged.size > acknowledgedAtRestart);
      const recoveredMilliseconds = Date.now() - restartedAt;
      await load.stop();

      expect(server.unexpectedExits).toEqual([]);
      expect(load.unexpected).toEqual([]);
      expect(
        load.refusals.every(
          (refusal) =>
            refusal.type === '/problems/store-unavailable' && refusal.retryAfter !== null,
        ),
      ).toBe(true);
      const missing = await load.missingAcknowledged();
      expect(missing).toEqual([]);
      expect((await fetch(`${server.baseUrl}/health/ready`)).status).toBe(200);
      figures.push(
        `${fault}: ${load.acknowledged.size} postings acknowledged, ${load.refused} refused with 503 while away, first acknowledgment ${recoveredMilliseconds} ms after the database was started again`,
      );
    },
  );

  it('idle, with PostgreSQL down: writes and reads answer 503 store-unavailable, not 500; then it recovers', async () => {
    await db.stopFast();
    const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };
    const write = await fetch(`${server.baseUrl}/v1/books/${book}/journal-entries`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        effectiveDate: '2026-03-31',
        description: 'While the database is away',
        lines: [
          { account: '1200', debit: '1.00' },
          { account: '8400', credit: '1.00' },
        ],
      }),
    });
    const reads = await Promise.all(
      [
        `/v1/books/${book}/trial-balance`,
        '/v1/books',
        '/v1/events?limit=1',
        '/v1/audit?limit=1',
      ].map((path) => fetch(`${server.baseUrl}${path}`, { headers })),
    );
    for (const response of [write, ...reads]) {
      expect({ url: response.url, status: response.status }).toEqual({
        url: response.url,
        status: 503,
      });
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await response.json()) as { type: string }).type).toBe(
        '/problems/store-unavailable',
      );
    }
    expect((await fetch(`${server.baseUrl}/health/ready`)).status).toBe(503);

    await db.start();
    const load = new PostingLoad(server.baseUrl, adminKey, book);
    load.start();
    await load.until(() => load.acknowledged.size > 0);
    await load.stop();
    expect(load.unexpected).toEqual([]);
    expect(await load.missingAcknowledged()).toEqual([]);
    expect(server.unexpectedExits).toEqual([]);
  });
});
