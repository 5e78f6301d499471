/**
 * `replay --until-position P --out DIR` from either store: the copy holds the log up to P
 * exactly (it verifies on its own, digest equal to the source's at P), serves read-only, and its
 * trial balance equals the one the live app answered at P. Also: `replay --until-time`, and
 * in-place rebuilds of all or one read model.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  rebuildReadModels,
  replayedCopyConfig,
  replayInto,
  ReplayProgress,
} from '../../src/operations/replay.js';
import { ManualClock, readBatchSizeMax } from '../../src/event-sourcing/index.js';
import { rebuildBatchSizeDefault } from '../../src/infrastructure/projections/index.js';
import { SqlDatabase } from '../../src/infrastructure/sql/index.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { READ_MODEL_DB } from '../../src/infrastructure/tokens.js';
import { startTestApp, TestApp, TestStore } from '../support/app.js';
import { keyStoreDatabase } from '../../src/parties/parties.module.js';
import { appendVariedLog } from '../support/audit-fixtures.js';

/** The source's ops database: replayInto copies the API key pepper from it. */
const opsDbOf = (app: TestApp) => app.app.get<SqlDatabase>(READ_MODEL_DB);

jest.setTimeout(60_000);

describe.each<TestStore>(['sqlite', 'postgres'])('replay from %s', (store) => {
  let app: TestApp;
  let accountant: string;
  const book = `book-${randomUUID().slice(0, 8)}`;
  const outDirs: string[] = [];

  beforeAll(async () => {
    app = await startTestApp({ store });
    accountant = await app.createKey('Erika Accountant', ['accountant']);
    const opened = await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: { id: book, name: 'ACME GmbH', baseCurrency: 'EUR' },
    });
    expect(opened.status).toBe(201);
    for (const [code, type] of [
      ['1200', 'asset'],
      ['6310', 'expense'],
      ['8400', 'revenue'],
    ]) {
      const account = await app.request('POST', `/v1/books/${book}/accounts`, {
        key: accountant,
        body: { code, name: `Account ${code}`, type },
      });
      expect(account.status).toBe(201);
    }
  });

  afterAll(async () => {
    await app?.close();
    for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
  });

  function freshOutDir(): string {
    const dir = join(mkdtempSync(join(tmpdir(), 'kontor-replay-')), 'copy');
    outDirs.push(dir);
    return dir;
  }

  async function post(amount: string, description: string): Promise<number> {
    const response = await app.request('POST', `/v1/books/${book}/journal-entries`, {
      key: accountant,
      body: {
        effectiveDate: '2026-02-01',
        description,
        lines: [
          { account: '6310', debit: amount },
          { account: '1200', credit: amount },
        ],
      },
    });
    expect(response.status).toBe(201);
    return response.body.position;
  }

  async function trialBalance(target: TestApp, key: string, position?: number) {
    const response = await target.request(
      'GET',
      `/v1/books/${book}/trial-balance${position ? `?consistentWith=${position}` : ''}`,
      { key },
    );
    expect(response.status).toBe(200);
    return response.body;
  }

  it('copies the log up to a position into a data dir that verifies and serves the books as they stood', async () => {
    await post('1200.00', 'Rent January');
    const position = await post('99.99', 'Office supplies');
    const liveThen = await trialBalance(app, app.adminKey, position);
    await post('5000.00', 'Rent, later');
    expect(await trialBalance(app, app.adminKey, await post('1.00', 'later still'))).not.toEqual(
      liveThen,
    );

    const sourceDigestAtP = await app.store.verify({ until: BigInt(position) });
    const outDir = freshOutDir();
    const copied = await replayInto(app.store, opsDbOf(app), outDir, {
      position: BigInt(position),
    });
    expect(copied.verify).toMatchObject({
      ok: true,
      checkedEvents: position,
      headPosition: BigInt(position),
      headHash: sourceDigestAtP.headHash,
    });
    expect(copied.projections).toEqual(expect.arrayContaining(['audit-trail', 'ledger']));

    const auditorCopy = await startTestApp({ dataDir: outDir, env: { KONTOR_READ_ONLY: 'true' } });
    try {
      expect(await trialBalance(auditorCopy, app.adminKey)).toEqual(liveThen);
      const verify = await auditorCopy.request('GET', '/v1/audit/verify', { key: app.adminKey });
      expect(verify.body).toMatchObject({
        ok: true,
        headPosition: position,
        headHash: sourceDigestAtP.headHash,
      });
      const write = await auditorCopy.request('POST', `/v1/books/${book}/accounts`, {
        key: app.adminKey,
        body: { code: '9999', name: 'X', type: 'asset' },
      });
      expect(write.status).toBe(403);
      const audit = await auditorCopy.request(
        'GET',
        `/v1/audit?type=JournalEntryPosted&book=${book}`,
        { key: app.adminKey },
      );
      expect(audit.body.items.map((item: { summary: string }) => item.summary)).toEqual([
        'Erika Accountant posted ' +
          audit.body.items[0].data.entryId +
          ' 1,200.00 EUR: Rent January',
        'Erika Accountant posted ' +
          audit.body.items[1].data.entryId +
          ' 99.99 EUR: Office supplies',
      ]);
    } finally {
      await auditorCopy.close();
    }
  });

  it("copies the party keys: the copy opens a natural person's data the source opens, nothing erased", async () => {
    const register = async (name: string) => {
      const registered = await app.request('POST', `/v1/books/${book}/parties`, {
        key: accountant,
        body: {
          kind: 'customer',
          naturalPerson: true,
          name,
          address: { street: 'Weg 2', postalCode: '50667', city: 'Köln', country: 'DE' },
          email: 'max@example.de',
        },
      });
      expect(registered.status).toBe(201);
      return registered.body as { id: string; position: number };
    };
    const kept = await register('Max Mustermann');
    const gone = await register('Erika Musterfrau');
    const compliance = await app.createKey('Carla Compliance', ['compliance']);
    const erased = await app.request('POST', `/v1/books/${book}/parties/${gone.id}/erase`, {
      key: compliance,
      body: { reason: 'Art. 17' },
    });
    // No invoice or booking names her: nothing is kept.
    expect(erased.body).toMatchObject({ scheduled: null });
    const outDir = freshOutDir();
    const keys = keyStoreDatabase(app.config, opsDbOf(app));
    try {
      const until = { position: BigInt(gone.position) };
      await replayInto(app.store, opsDbOf(app), outDir, until, undefined, keys.db);
    } finally {
      if (keys.owned) await keys.db.close();
    }
    const copy = await startTestApp({ dataDir: outDir, env: { KONTOR_READ_ONLY: 'true' } });
    try {
      const read = (id: string) =>
        copy.request('GET', `/v1/books/${book}/parties/${id}`, { key: app.adminKey });
      expect((await read(kept.id)).body).toMatchObject({ name: 'Max Mustermann' });
      // Copied up to before her erasure, and still erased: her keys are gone in the copy too.
      expect((await read(gone.id)).body).toMatchObject({ name: null, email: null, erased: true });
    } finally {
      await copy.close();
    }
  });

  it('copies the longest prefix recorded by a time', async () => {
    const head = await app.store.headPosition();
    const [last] = await app.store.readAll({ from: head, limit: 1 });
    const outDir = freshOutDir();
    const copied = await replayInto(app.store, opsDbOf(app), outDir, { time: last!.recordedAt });
    expect(copied.digest.position).toBe(head);
    const early = await replayInto(app.store, opsDbOf(app), freshOutDir(), {
      time: '2000-01-01T00:00:00.000Z',
    });
    expect(early.digest.position).toBe(0n);
    expect(early.verify.ok).toBe(true);
  });

  it('refuses a non-empty out dir and a position after the head', async () => {
    const outDir = freshOutDir();
    await replayInto(app.store, opsDbOf(app), outDir, { position: 1n });
    await expect(replayInto(app.store, opsDbOf(app), outDir, { position: 1n })).rejects.toThrow(
      /not empty/,
    );
    await expect(
      replayInto(app.store, opsDbOf(app), freshOutDir(), {
        position: (await app.store.headPosition()) + 5n,
      }),
    ).rejects.toThrow(/after the head/);
  });
});

describe('replay in place', () => {
  it('rebuilds every read model, or one, from the log (and refuses unknown names)', async () => {
    const app = await startTestApp();
    const dataDir = app.dataDir;
    const config = app.config;
    const key = app.adminKey;
    const response = await app.request('POST', '/v1/books', {
      key,
      body: { id: 'inplace', name: 'In place', baseCurrency: 'EUR' },
    });
    expect(response.status).toBe(201);
    const before = await app.request('GET', `/v1/audit?consistentWith=${response.body.position}`, {
      key,
    });
    await app.app.close();
    try {
      const store = await SqliteEventStore.open(join(dataDir, 'events.db'));
      expect(await rebuildReadModels(config, store, ['audit-trail'])).toEqual(['audit-trail']);
      const again = await SqliteEventStore.open(join(dataDir, 'events.db'));
      await expect(rebuildReadModels(config, again, ['nope'])).rejects.toThrow(
        /no projection named nope/,
      );
      const all = await rebuildReadModels(
        config,
        await SqliteEventStore.open(join(dataDir, 'events.db')),
        undefined,
      );
      expect(all).toEqual(expect.arrayContaining(['audit-trail', 'ledger']));
      const restarted = await startTestApp({ dataDir, env: { KONTOR_ADMIN_KEY: key } });
      try {
        const after = await restarted.request('GET', '/v1/audit', { key });
        expect(after.body.items.slice(0, before.body.items.length)).toEqual(before.body.items);
      } finally {
        await restarted.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('replay in place: batches', () => {
  it("rebuilds with the runners' rebuild batch size, not one read page per transaction", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kontor-replay-batches-'));
    try {
      const clock = new ManualClock(new Date('2026-02-01T08:00:00.000Z'));
      const source = await SqliteEventStore.open(join(dir, 'events.db'), { clock });
      const events = await appendVariedLog(source, clock, 1_500);
      await source.close();
      expect(events).toBeGreaterThan(2 * readBatchSizeMax);
      expect(events).toBeLessThan(rebuildBatchSizeDefault);
      const committed: bigint[] = [];
      const progress: ReplayProgress = {
        start: () => undefined,
        update: (position) => committed.push(position),
        stop: () => undefined,
      };

      const store = await SqliteEventStore.open(join(dir, 'events.db'), { readOnly: true });
      expect(
        await rebuildReadModels(replayedCopyConfig(dir), store, ['audit-trail'], progress),
      ).toEqual(['audit-trail']);

      // One committed batch for the whole log (then the final update to the head), not one per page of readBatchSizeMax.
      expect(committed).toEqual([BigInt(events), BigInt(events)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SqliteEventStore.importRecorded', () => {
  it('stores recorded events verbatim and refuses any that does not continue the chain', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kontor-import-'));
    try {
      const source = await SqliteEventStore.open(join(dir, 'source.db'));
      const metadata = { actor: { id: 'k', name: 'alice' }, correlationId: 'c' };
      await source.append(
        's-1',
        [1, 2, 3].map((n) => ({ eventId: `e-${n}`, type: 'Happened', data: { n }, metadata })),
      );
      const events = await source.readAll();
      const target = await SqliteEventStore.open(join(dir, 'target.db'));
      await expect(target.importRecorded([events[1]!])).rejects.toThrow(/does not follow the head/);
      await expect(target.importRecorded([{ ...events[0]!, data: { n: 99 } }])).rejects.toThrow(
        /does not recompute/,
      );
      await expect(
        target.importRecorded([events[0]!, { ...events[1]!, prevHash: events[0]!.prevHash }]),
      ).rejects.toThrow(/prevHash/);
      expect(await target.headPosition()).toBe(0n); // a refused import stores nothing
      await target.importRecorded(events);
      expect(await target.readAll()).toEqual(events);
      expect(await target.verify()).toMatchObject({
        ok: true,
        checkedEvents: 3,
        headHash: events[2]!.hash,
      });
      await source.close();
      await target.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
