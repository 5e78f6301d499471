/**
 * Right after start, the read-model tables may not exist yet: readiness says so, and a read
 * waits for them (503 `not-ready` past the timeout) instead of meeting a missing table.
 */
import {
  loadProjectionsSettings,
  NotReadyError,
  ProjectionsService,
} from '../../src/infrastructure/projections/index.js';
import { ReadinessRegistry } from '../../src/infrastructure/http/readiness.js';
import { SqlDatabase } from '../../src/infrastructure/sql/index.js';
import { CountingProjection, totals } from '../support/counting-projection.js';
import { deferred } from '../support/deferred.js';
import { openStores, storeBackends, TestStores } from '../support/stores.js';

/** Creates its tables only once `open` resolves: a slow first setup. */
class GatedProjection extends CountingProjection {
  readonly gate = deferred();

  override async setup(db: SqlDatabase): Promise<void> {
    await this.gate.promise;
    await super.setup(db);
  }
}

describe.each(storeBackends)('read-model tables at start with %s', (backend) => {
  let setup: TestStores;
  let projections: ProjectionsService;
  let readiness: ReadinessRegistry;

  beforeEach(async () => {
    setup = await openStores(backend);
    readiness = new ReadinessRegistry();
    projections = new ProjectionsService(
      setup.store,
      setup.db,
      loadProjectionsSettings({}),
      undefined,
      undefined,
      readiness,
    );
  });

  afterEach(async () => {
    await projections.stop();
    await setup.dispose();
  });

  it('is not ready and makes reads wait until every projection has set up its tables', async () => {
    const gated = new GatedProjection(1, 'gated');
    projections.register(gated);
    projections.start();

    expect(projections.tablesExist).toBe(false);
    expect((await readiness.report()).checks).toContainEqual({
      name: 'projections',
      ok: false,
      reason: 'projections setting up their tables: gated',
    });
    const read = projections.waitForTables().then(() => totals(setup.db, 'gated'));

    gated.gate.resolve();

    expect(await read).toEqual({});
    expect(projections.tablesExist).toBe(true);
    expect((await readiness.report()).ready).toBe(true);
  });

  it('answers not-ready, naming the projection, when the tables do not come within the timeout', async () => {
    const gated = new GatedProjection(1, 'gated');
    projections.register(gated);
    projections.start();

    const waited = projections.waitForTables(50);

    await expect(waited).rejects.toThrow(NotReadyError);
    await expect(waited).rejects.toThrow('the read models are still being set up (gated)');
    gated.gate.resolve();
    await projections.waitForTables();
  });
});
