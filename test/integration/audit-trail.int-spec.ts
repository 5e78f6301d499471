/**
 * The audit trail over real stores: the SQL query returns exactly the entries the pure filter
 * picks from the log (every filter, AND-combined, paged by cursor), and exports round-trip
 * (row count, sha256 of the file, the rows themselves). SQLite and PostgreSQL alike.
 */
import { createHash } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import {
  AuditExportOutcome,
  auditEntriesFromLog,
  auditExportStream,
} from '../../src/audit/application/audit-export.js';
import { AuditEntry, AuditFilter } from '../../src/audit/domain/audit-entry.js';
import { AuditExportFormat } from '../../src/audit/domain/audit-export-format.js';
import { auditTrailProjection } from '../../src/audit/projections/audit-trail.projection.js';
import {
  readAuditPage,
  streamAuditEntries,
} from '../../src/audit/projections/audit-trail.queries.js';
import { ManualClock } from '../../src/event-sourcing/index.js';
import { ProjectionRunner } from '../../src/infrastructure/projections/index.js';
import { appendVariedLog, auditActors, auditBooks } from '../support/audit-fixtures.js';
import { openStores, storeBackends, TestStores } from '../support/stores.js';

const quietLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe.each(storeBackends)('audit trail on %s', (backend) => {
  let setup: TestStores;
  let all: AuditEntry[];

  beforeAll(async () => {
    const clock = new ManualClock(new Date('2026-02-01T08:00:00.000Z'));
    setup = await openStores(backend, { clock });
    await appendVariedLog(setup.store, clock, 400);
    const runner = new ProjectionRunner(auditTrailProjection, setup.store, setup.db, {
      logger: quietLogger,
    });
    await runner.catchUp();
    all = await collect(auditEntriesFromLog(setup.store, {}));
  });

  afterAll(async () => {
    await setup.dispose();
  });

  async function allPages(filter: AuditFilter, limit: number): Promise<AuditEntry[]> {
    const items: AuditEntry[] = [];
    let after = 0n;
    for (let pages = 0; pages < 10_000; pages++) {
      const page = await readAuditPage(setup.db, filter, after, limit);
      items.push(...page.items);
      if (page.nextAfter === null) return items;
      expect(page.items).toHaveLength(limit);
      after = page.nextAfter;
    }
    throw new Error('too many pages');
  }

  it('holds one row per event, with summaries and metadata', async () => {
    const rows = await allPages({}, 1000);
    expect(rows.length).toBe(Number(await setup.store.headPosition()));
    expect(rows).toEqual(all);
    const posted = rows.find((row) => row.type === 'JournalEntryPosted')!;
    expect(posted.summary).toMatch(
      /^(alice|bob|carol|system) posted JE-\S+ [\d,]+\.\d\d EUR: Rent, "February" \d+ line two$/,
    );
    expect(posted.book).not.toBeNull();
    expect(rows.some((row) => row.causationId !== null)).toBe(true);
  });

  it('answers each filter alone with exactly the matching events', async () => {
    const middle = all[Math.floor(all.length / 2)]!;
    const single: AuditFilter[] = [
      { book: 'acme' },
      { actor: 'alice' },
      { actor: 'k-bob' },
      { type: 'ApiKeyIssued' },
      { stream: 'api-keys' },
      { correlationId: middle.correlationId! },
      { from: middle.recordedAt },
      { to: middle.recordedAt },
      { visibleBooks: ['gamma'] },
    ];
    for (const filter of single) {
      const expected = (await collect(auditEntriesFromLog(setup.store, filter))).map(
        (entry) => entry.position,
      );
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(all.length);
      expect((await allPages(filter, 50)).map((entry) => entry.position)).toEqual(expected);
    }
  });

  it('answers every filter combination with exactly the matching events, newest last', async () => {
    const { from, to } = {
      from: all[Math.floor(all.length / 4)]!.recordedAt,
      to: all[Math.floor((3 * all.length) / 4)]!.recordedAt,
    };
    const filter = fc.record(
      {
        book: fc.constantFrom(...auditBooks, 'nobody'),
        actor: fc.constantFrom(
          ...auditActors.map((actor) => actor.name),
          ...auditActors.map((actor) => actor.id),
        ),
        type: fc.constantFrom(
          'JournalEntryPosted',
          'AccountOpened',
          'ApprovalRequested',
          'ApiKeyIssued',
        ),
        stream: fc.constantFrom(...auditBooks.map((book) => `book-${book}`), 'api-keys'),
        correlationId: fc.constantFrom(...all.slice(0, 30).map((entry) => entry.correlationId!)),
        from: fc.constant(from),
        to: fc.constant(to),
        visibleBooks: fc.constantFrom(['acme'], ['beta', 'gamma'], []),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(filter, fc.constantFrom(1, 7, 100), async (given, limit) => {
        const expected = (await collect(auditEntriesFromLog(setup.store, given))).map(
          (entry) => entry.position,
        );
        const got = (await allPages(given, limit)).map((entry) => entry.position);
        expect(got).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it.each<AuditExportFormat>(['csv', 'jsonl'])(
    'exports %s that round-trips: rows, order and checksum',
    async (format) => {
      const filter: AuditFilter = { book: 'acme', untilPosition: all[all.length - 10]!.position };
      const expected = await collect(auditEntriesFromLog(setup.store, filter));
      let outcome: AuditExportOutcome | undefined;
      const plan = { exportId: 'x-1', format, filter, untilPosition: filter.untilPosition! };
      const file = await text(
        auditExportStream(
          plan,
          streamAuditEntries(setup.db, filter, 50),
          async (result) => void (outcome = result),
        ),
      );

      const body = file;
      const sha256 = createHash('sha256').update(body).digest('hex');
      expect(outcome).toEqual({ completed: true, rowCount: expected.length, sha256 });
      if (format === 'jsonl') {
        expect(body.trimEnd().split('\n')).toHaveLength(expected.length);
        const rows = body
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line));
        expect(rows.map((row) => BigInt(row.position))).toEqual(
          expected.map((entry) => entry.position),
        );
        expect(rows.map((row) => row.data)).toEqual(expected.map((entry) => entry.data));
      } else {
        expect(body.trimEnd().split('\r\n')).toHaveLength(expected.length + 1);
        const rows = parse(body, { columns: true }) as Record<string, string>[];
        expect(rows.map((row) => BigInt(row.position!))).toEqual(
          expected.map((entry) => entry.position),
        );
        expect(rows.map((row) => row.summary)).toEqual(expected.map((entry) => entry.summary));
        expect(rows.map((row) => JSON.parse(row.data!))).toEqual(
          expected.map((entry) => entry.data),
        );
      }
    },
  );

  it('records an export the reader abandoned as not completed', async () => {
    let outcome: AuditExportOutcome | undefined;
    let ended!: () => void;
    const done = new Promise<void>((resolve) => (ended = resolve));
    const plan = {
      exportId: 'x-2',
      format: 'jsonl' as const,
      filter: {},
      untilPosition: all[all.length - 1]!.position,
    };
    const stream = auditExportStream(plan, streamAuditEntries(setup.db, {}, 10), async (result) => {
      outcome = result;
      ended();
    });
    for await (const _chunk of stream) break; // the reader goes away after the first chunk
    await done;
    expect(outcome!.completed).toBe(false);
    expect(outcome!.rowCount).toBeGreaterThan(0);
    expect(outcome!.rowCount).toBeLessThan(all.length);
  });
});
