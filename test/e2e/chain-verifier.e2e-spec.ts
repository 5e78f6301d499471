/**
 * The standalone chain verifier of docs/audit.md, extracted from the doc and run as its own Node
 * process against a running Kontor: it accepts the real log, and rejects it after one stored
 * event was changed in the database. The other outlets (SSE, CloudEvents, webhooks) carry the
 * same chain links.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { KurrentDbEventStore } from '../../src/infrastructure/kurrentdb/kurrentdb-event-store.js';
import { FakeKurrentServer } from '../../src/infrastructure/kurrentdb/testing/fake-kurrentdb.js';
import { TestApp, TestStore, startTestApp } from '../support/app.js';

const repoRoot = resolve(__dirname, '..', '..');
const run = promisify(execFile);
/** Child processes and many requests per test: generous on a loaded machine. */
jest.setTimeout(60_000);

async function extractVerifier(): Promise<string> {
  const doc = await readFile(join(repoRoot, 'docs', 'audit.md'), 'utf8');
  const block =
    /<!-- chain-verifier:start -->\n```js\n([\s\S]*?)```\n<!-- chain-verifier:end -->/.exec(doc);
  if (!block) throw new Error('docs/audit.md holds no chain-verifier block');
  return block[1]!;
}

interface VerifierRun {
  code: number;
  stdout: string;
  stderr: string;
}

async function runVerifier(script: string, args: string[]): Promise<VerifierRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A book with entries whose data holds what canonical JSON must get right: unicode, numbers, nesting. */
async function writeSomeHistory(app: TestApp): Promise<void> {
  const key = app.adminKey;
  const book = await app.request('POST', '/v1/books', {
    key,
    body: { id: 'mueller-gmbh', name: 'Müller & Söhne GmbH 😀', baseCurrency: 'EUR' },
  });
  expect(book.status).toBe(201);
  for (const [code, type] of [
    ['1200', 'asset'],
    ['8400', 'revenue'],
  ])
    expect(
      (
        await app.request('POST', '/v1/books/mueller-gmbh/accounts', {
          key,
          body: { code, name: `Konto ${code}`, type },
        })
      ).status,
    ).toBe(201);
  for (let index = 1; index <= 3; index += 1) {
    const posted = await app.request('POST', '/v1/books/mueller-gmbh/journal-entries', {
      key,
      body: {
        effectiveDate: `2026-01-0${index}`,
        description: `Rechnung Nr. ${index} — "Zoë"`,
        lines: [
          { account: '1200', debit: `${index}19.00`, memo: 'Bank' },
          { account: '8400', credit: `${index}19.00` },
        ],
        metadata: { invoice: `RE-${index}`, items: index, paid: index % 2 === 0, note: null },
      },
    });
    expect(posted.status).toBe(201);
  }
  await app.createKey('Ingrid Auditor', ['auditor']);
}

type VerifiedStore = TestStore | 'kurrentdb (in-process fake)';

/** KurrentDB runs over the in-process fake: its chain is per stream (docs/kurrentdb.md). */
function startOn(store: VerifiedStore): Promise<TestApp> {
  if (store === 'sqlite' || store === 'postgres') return startTestApp({ store });
  return startTestApp({
    env: { KONTOR_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://fake:2113?tls=false' },
    eventStore: KurrentDbEventStore.withClient(new FakeKurrentServer().client()),
  });
}

describe.each<VerifiedStore>(['sqlite', 'postgres', 'kurrentdb (in-process fake)'])(
  'the chain verifier of docs/audit.md (%s)',
  (store) => {
    const verifierArgs = (app: TestApp) =>
      store.startsWith('kurrentdb')
        ? [app.baseUrl, app.adminKey, '--per-stream']
        : [app.baseUrl, app.adminKey];
    let app: TestApp;
    let workDir: string;
    let script: string;

    beforeAll(async () => {
      app = await startOn(store);
      await writeSomeHistory(app);
      workDir = await mkdtemp(join(tmpdir(), 'kontor-verifier-'));
      // The verifier imports `canonicalize` like any consumer's script would.
      await symlink(join(repoRoot, 'node_modules'), join(workDir, 'node_modules'), 'dir');
      script = join(workDir, 'verify-chain.mjs');
      await writeFile(script, await extractVerifier());
    });

    afterAll(async () => {
      await app?.close();
      if (workDir) await rm(workDir, { recursive: true, force: true });
    });

    it('verifies every event of the real log', async () => {
      // Positions are not dense on KurrentDB: count the events instead.
      const events = await app.request('GET', '/v1/events?limit=1000', { key: app.adminKey });
      expect(events.body.nextCursor).toBeNull();
      const count = events.body.items.length;
      const result = await runVerifier(script, verifierArgs(app));
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout.trim()).toBe(`ok: ${count} events verified`);
    });

    it('carries the same links on SSE and in CloudEvents (with what it takes to recompute the hash)', async () => {
      const kontor = (await app.request('GET', '/v1/events?limit=1000', { key: app.adminKey }))
        .body;
      const cloud = (
        await app.request('GET', '/v1/events?limit=1000&format=cloudevents', { key: app.adminKey })
      ).body;
      expect(cloud.items).toHaveLength(kontor.items.length);
      kontor.items.forEach((event: Record<string, unknown>, index: number) => {
        expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(cloud.items[index]).toMatchObject({
          id: event.eventId,
          kontorprevhash: event.prevHash,
          kontorhash: event.hash,
          kontorrevision: event.revision,
        });
        expect(JSON.parse(cloud.items[index].kontormetadata)).toEqual(event.metadata);
      });
      const sse = await fetch(`${app.baseUrl}/v1/events/stream`, {
        headers: { authorization: `Bearer ${app.adminKey}` },
      });
      const reader = sse.body!.getReader();
      let text = '';
      const firstData = /^data: (.*)\n/m;
      while (!firstData.test(text)) text += new TextDecoder().decode((await reader.read()).value);
      await reader.cancel();
      const first = JSON.parse(firstData.exec(text)![1]!);
      expect(first).toMatchObject({
        prevHash: kontor.items[0].prevHash,
        hash: kontor.items[0].hash,
      });
    });

    if (store === 'sqlite')
      it('fails, naming the position, after a stored event was changed in the database', async () => {
        const page = (
          await app.request('GET', '/v1/events?types=JournalEntryPosted', {
            key: app.adminKey,
          })
        ).body;
        const victim = page.items[1];
        const db = new Database(join(app.dataDir, 'events.db'));
        try {
          db.exec('DROP TRIGGER IF EXISTS events_reject_update');
          const forged = JSON.stringify(victim.data).replace('Nr. 2', 'Nr. 9');
          expect(forged).not.toBe(JSON.stringify(victim.data));
          db.prepare('UPDATE events SET data = ? WHERE position = ?').run(forged, victim.position);
        } finally {
          db.close();
        }
        const result = await runVerifier(script, verifierArgs(app));
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(
          `broken at position ${victim.position} (JournalEntryPosted`,
        );
      });
  },
);
