/**
 * Kontor on SQLite when its disk fills up under posting load: a real `kontor serve` (the built
 * CLI) whose data dir is a small tmpfs mount (`mount -t tmpfs -o size=…`, as root), filled to
 * the last byte by a filler file and freed again. Kontor must stay up, refuse writes with 507
 * `insufficient-storage` (never a 500) while the disk is full, keep reporting not-ready (no
 * flipping), keep serving reads, and take postings again once space returns, with every
 * acknowledged posting in the books.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ServerProcess } from '../crash/server-process.js';
import { builtCli, cliBuildTimeoutMilliseconds, pathEnv, repositoryRoot } from '../support/cli.js';
import { PostingLoad, postingBook } from '../support/posting-load.js';

jest.setTimeout(300_000);

const diskBytes = 48 * 1024 * 1024;
const acknowledgedBeforeFull = 20;
const refusalsWhileFull = 5;
const readinessProbes = 5;

/** Writes `path` until the file system has no byte left. */
function fillUp(path: string): void {
  const fd = openSync(path, 'w');
  try {
    for (const chunkBytes of [1024 * 1024, 4096, 1]) {
      const chunk = Buffer.alloc(chunkBytes, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    closeSync(fd);
  }
}

describe('Kontor on SQLite with a full disk (built CLI, tmpfs data dir)', () => {
  let mountPoint: string;
  let server: ServerProcess;
  const adminKey = `kontor_fault_admin_${randomBytes(24).toString('base64url')}`;
  const book = `full-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    builtCli();
    mountPoint = await mkdtemp(join(tmpdir(), 'kontor-full-disk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${diskBytes}`, 'tmpfs', mountPoint]);
    mkdirSync(join(mountPoint, 'data'));
    server = new ServerProcess({
      cliPath: builtCli(),
      cwd: repositoryRoot,
      port: await freePort(),
      env: {
        ...pathEnv(),
        KONTOR_STORE: 'sqlite',
        KONTOR_DATA_DIR: join(mountPoint, 'data'),
        KONTOR_ADMIN_KEY: adminKey,
      },
    });
    await server.start();
    await postingBook(server.baseUrl, adminKey, book);
  }, cliBuildTimeoutMilliseconds);

  afterAll(async () => {
    await server?.stop();
    if (mountPoint) {
      execFileSync('umount', [mountPoint]);
      await rm(mountPoint, { recursive: true, force: true });
    }
  });

  it('507 insufficient-storage while full, not-ready throughout, reads served, recovery when space returns', async () => {
    const load = new PostingLoad(server.baseUrl, adminKey, book);
    load.start();
    await load.until(() => load.acknowledged.size >= acknowledgedBeforeFull);

    const filler = join(mountPoint, 'filler');
    fillUp(filler);
    const refusedAtFull = load.refused;
    await load.until(() => load.refused >= refusedAtFull + refusalsWhileFull);
    const readiness: number[] = [];
    for (let probe = 0; probe < readinessProbes; probe++)
      readiness.push((await fetch(`${server.baseUrl}/health/ready`)).status);
    expect(readiness).toEqual(Array.from({ length: readinessProbes }, () => 503));
    const read = await fetch(`${server.baseUrl}/v1/books/${book}/accounts/1200/balance`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    expect(read.status).toBe(200);

    rmSync(filler);
    const freedAt = Date.now();
    const acknowledgedAtFree = load.acknowledged.size;
    await load.until(() => load.acknowledged.size > acknowledgedAtFree);
    const recoveredMilliseconds = Date.now() - freedAt;
    await load.stop();

    expect(server.unexpectedExits).toEqual([]);
    expect(load.unexpected).toEqual([]);
    const whileFull = load.refusals.slice(refusedAtFull);
    expect(
      whileFull.every(
        (refusal) =>
          refusal.status === 507 &&
          refusal.type === '/problems/insufficient-storage' &&
          refusal.retryAfter !== null,
      ),
    ).toBe(true);
    expect(await load.missingAcknowledged()).toEqual([]);
    expect((await fetch(`${server.baseUrl}/health/ready`)).status).toBe(200);
    console.log(
      `SQLite full disk: ${load.acknowledged.size} postings acknowledged, ${load.refused} refused with 507 while full, first acknowledgment ${recoveredMilliseconds} ms after space was freed`,
    );
  });
});
