/**
 * The audit-trail projection's `applyBatch` (multi-row inserts chunked under the parameter limits
 * on PostgreSQL; single-row statements on SQLite, where they are faster) must leave exactly the rows of `apply` on each event in turn: both run over the same
 * generated log (books, actors, approvals, keys, quotes and newlines in the data) into two
 * read-model databases, and `audit_trail` is compared row by row; on SQLite and on PostgreSQL.
 */
import {
  auditTrailIndexes,
  auditTrailProjection,
  auditTrailTable,
} from '../../src/audit/projections/audit-trail.projection.js';
import { ManualClock, RecordedEvent } from '../../src/event-sourcing/index.js';
import { Projection, ProjectionRunner } from '../../src/infrastructure/projections/index.js';
import { SqlDatabase } from '../../src/infrastructure/sql/index.js';
import { appendVariedLog } from '../support/audit-fixtures.js';
import { openStores, storeBackends, TestStores } from '../support/stores.js';

jest.setTimeout(120_000);

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
/** The same projection without `applyBatch`: the runner then calls `apply` per event. */
const perEventProjection: Projection = { ...auditTrailProjection, applyBatch: undefined };
/** More events than one multi-row statement takes (10,000 parameters / 11 columns = 909 rows). */
const largeBatchSize = 2_500;

async function auditRows(db: SqlDatabase): Promise<unknown[]> {
  return db.query(`SELECT * FROM ${auditTrailTable} ORDER BY position`);
}

async function auditIndexes(db: SqlDatabase): Promise<string[]> {
  const sql =
    db.dialect === 'sqlite'
      ? "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'audit_trail_%' ORDER BY name"
      : "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND indexname LIKE 'audit_trail_%' ORDER BY indexname";
  return (await db.query<{ name: string }>(sql))
    .map((row) => row.name)
    .filter((name) => name !== 'audit_trail_pkey');
}

async function readLog(stores: TestStores): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (
    let page = await stores.store.readAll({ after: 0n });
    page.length > 0;
    page = await stores.store.readAll({ after: page.at(-1)!.position })
  ) {
    events.push(...page);
  }
  return events;
}

describe.each(storeBackends)('audit-trail projection applyBatch on %s', (backend) => {
  let stores: TestStores;
  /** Only its read-model database is used: the per-event reference, fed from `stores.store`. */
  let reference: TestStores;
  let events: number;

  beforeEach(async () => {
    const clock = new ManualClock(new Date('2026-02-01T08:00:00.000Z'));
    [stores, reference] = await Promise.all([openStores(backend, { clock }), openStores(backend)]);
    events = await appendVariedLog(stores.store, clock, 700);
  });

  afterEach(async () => {
    await Promise.all([stores.dispose(), reference.dispose()]);
  });

  it('leaves exactly the rows of apply per event (catch-up, several statements per batch, and rebuild)', async () => {
    expect(events).toBeGreaterThan(largeBatchSize / 2);
    const perEvent = new ProjectionRunner(perEventProjection, stores.store, reference.db, {
      logger: silent,
      batchSize: 7,
    });
    const batched = new ProjectionRunner(auditTrailProjection, stores.store, stores.db, {
      logger: silent,
      batchSize: largeBatchSize,
    });
    await perEvent.catchUp();
    await batched.catchUp();
    const head = await stores.store.headPosition();
    expect(perEvent.checkpointPosition).toBe(head);
    expect(batched.checkpointPosition).toBe(head);

    const expected = await auditRows(reference.db);
    expect(expected).toHaveLength(events);
    expect(await auditRows(stores.db)).toEqual(expected);

    await batched.rebuild();
    expect(await auditIndexes(stores.db)).toEqual(auditTrailIndexes.map(([name]) => name).sort());
    expect(await auditRows(stores.db)).toEqual(expected);
  });

  it('writes a batch in ceil(events / 909) statements on PostgreSQL (one per event on SQLite), and a batch applied twice changes nothing', async () => {
    const log = await readLog(stores);
    expect(log.length).toBeGreaterThan(909);
    await stores.db.withSchemaLock((db) => auditTrailProjection.setup(db));
    const statements: string[] = [];
    await stores.db.transaction(async (tx) => {
      const counting: SqlDatabase = Object.create(tx) as SqlDatabase;
      counting.execute = (sql, params) => {
        statements.push(sql);
        return tx.execute(sql, params);
      };
      await auditTrailProjection.applyBatch!(log, counting);
    });
    expect(statements).toHaveLength(
      backend === 'postgres' ? Math.ceil(log.length / 909) : log.length,
    );
    const once = await auditRows(stores.db);
    expect(once).toHaveLength(log.length);

    await stores.db.transaction((tx) => auditTrailProjection.applyBatch!(log, tx));
    expect(await auditRows(stores.db)).toEqual(once);
  });
});
