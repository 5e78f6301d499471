/**
 * The projection runner on both read-model databases (SQLite file next to a SQLite log;
 * PostgreSQL schema shared with a PostgreSQL log): exactly-once batches, wake-up by append,
 * failures and retries, rebuild, restart, version bump.
 */
import {
  NotReadyError,
  Projection,
  ProjectionRunner,
  ProjectionRunnerOptions,
  SharedLogReads,
} from '../../src/infrastructure/projections/index.js';
import {
  counted,
  CountingProjection,
  seenCount,
  silent,
  storedCheckpoint,
  totals,
} from '../support/counting-projection.js';
import { openStores, storeBackends, TestStores } from '../support/stores.js';

describe.each(storeBackends)('ProjectionRunner with %s', (backend) => {
  let setup: TestStores;
  let projection: CountingProjection;
  const runners: ProjectionRunner[] = [];

  function runner(
    options: ProjectionRunnerOptions = {},
    db = setup.db,
    counting = projection,
  ): ProjectionRunner {
    const created = new ProjectionRunner(counting, setup.store, db, { logger: silent, ...options });
    runners.push(created);
    return created;
  }

  beforeEach(async () => {
    setup = await openStores(backend);
    projection = new CountingProjection();
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((created) => created.stop()));
    await setup.dispose();
  });

  it('applies each relevant event once and moves the checkpoint over the others too', async () => {
    await setup.store.append('counter-a', counted(3));
    await setup.store.append('other', counted(2, 'Ignored'));
    const last = await setup.store.append('counter-b', counted(1));
    const counting = runner();
    await counting.catchUp();
    expect(await totals(setup.db)).toEqual({ 'counter-a': 3, 'counter-b': 1 });
    expect(await storedCheckpoint(setup.db)).toEqual({
      position: Number(last.lastPosition),
      status: 'running',
      last_error: null,
    });
    expect(await counting.state()).toMatchObject({
      name: 'counting',
      position: last.lastPosition,
      lag: 0n,
    });
  });

  it('commits rows and checkpoint together: a failing batch moves neither, and the retry applies it once', async () => {
    await setup.store.append('counter-a', counted(25));
    projection.failAtPosition = 15n;
    const counting = runner({ batchSize: 10 });
    await expect(counting.catchUp()).rejects.toThrow('injected fault at 15');
    expect(await seenCount(setup.db)).toBe(10);
    expect(await totals(setup.db)).toEqual({ 'counter-a': 10 });
    expect(await storedCheckpoint(setup.db)).toMatchObject({
      position: 10,
      status: 'failed',
      last_error: 'injected fault at 15',
    });
    expect(await counting.state()).toMatchObject({
      position: 10n,
      lag: 15n,
      status: 'failed',
      lastError: 'injected fault at 15',
    });

    projection.failAtPosition = undefined;
    await counting.catchUp();
    expect(await seenCount(setup.db)).toBe(25);
    expect(await totals(setup.db)).toEqual({ 'counter-a': 25 });
    expect(await storedCheckpoint(setup.db)).toEqual({
      position: 25,
      status: 'running',
      last_error: null,
    });
  });

  it('is woken by appends: waitFor resolves once the appended position is committed', async () => {
    const counting = runner();
    counting.start();
    await counting.waitFor(0n, 1_000);
    const first = await setup.store.append('counter-a', counted(2));
    await counting.waitFor(first.lastPosition, 5_000);
    expect(await totals(setup.db)).toEqual({ 'counter-a': 2 });
    const appends = await Promise.all([
      setup.store.append('counter-b', counted(3)),
      setup.store.append('counter-c', counted(1)),
    ]);
    const highest = appends.map((result) => result.lastPosition).reduce((a, b) => (a > b ? a : b));
    await counting.waitFor(highest, 5_000);
    expect(await totals(setup.db)).toEqual({ 'counter-a': 2, 'counter-b': 3, 'counter-c': 1 });
    expect(counting.currentStatus).toBe('running');
  });

  it('rejects waitFor with not-ready when the position is not reached in time', async () => {
    const counting = runner();
    counting.start();
    await expect(counting.waitFor(1_000n, 20)).rejects.toBeInstanceOf(NotReadyError);
  });

  it('retries a failed projection with backoff and recovers without losing or repeating events', async () => {
    let failed!: () => void;
    const failure = new Promise<void>((resolve) => (failed = resolve));
    const counting = runner({
      retryDelayInitialMilliseconds: 5,
      retryDelayMaxMilliseconds: 20,
      onFailure: () => failed(),
    });
    counting.start();
    const before = await setup.store.append('counter-a', counted(2));
    await counting.waitFor(before.lastPosition, 5_000);
    projection.failAtPosition = before.lastPosition + 1n;
    const after = await setup.store.append('counter-a', counted(3));
    await failure;
    expect(counting.currentStatus).toBe('failed');
    projection.failAtPosition = undefined;
    await counting.waitFor(after.lastPosition, 5_000);
    expect(await totals(setup.db)).toEqual({ 'counter-a': 5 });
    expect(await seenCount(setup.db)).toBe(5);
    expect(counting.currentStatus).toBe('running');
  });

  it('schedules the retry pause through the injected timer: nothing is retried until it fires', async () => {
    const scheduled: { callback: () => void; milliseconds: number }[] = [];
    let paused!: () => void;
    const pause = new Promise<void>((resolve) => (paused = resolve));
    const counting = runner({
      retryDelayInitialMilliseconds: 7,
      timer: {
        setTimeout: (callback, milliseconds) => {
          scheduled.push({ callback, milliseconds });
          paused();
          return () => undefined;
        },
      },
    });
    const appended = await setup.store.append('counter-a', counted(2));
    projection.failAtPosition = appended.lastPosition;
    counting.start();
    await pause;
    expect(scheduled.map((entry) => entry.milliseconds)).toEqual([7]);
    expect(counting.currentStatus).toBe('failed');
    projection.failAtPosition = undefined;
    scheduled[0]!.callback();
    await counting.waitFor(appended.lastPosition, 5_000);
    expect(await totals(setup.db)).toEqual({ 'counter-a': 2 });
  });

  it('rebuilds to the same rows', async () => {
    await setup.store.append('counter-a', counted(7));
    await setup.store.append('counter-b', counted(4));
    const counting = runner({ batchSize: 3 });
    counting.start();
    const head = await setup.store.headPosition();
    await counting.waitFor(head, 5_000);
    const before = await totals(setup.db);
    const resetsBefore = projection.resets;
    const rebuilding = counting.rebuild();
    expect(counting.currentStatus).toBe('rebuilding');
    await rebuilding;
    expect(projection.resets).toBe(resetsBefore + 1);
    expect(await totals(setup.db)).toEqual(before);
    expect(await seenCount(setup.db)).toBe(11);
    expect(counting.currentStatus).toBe('running');
    expect(await storedCheckpoint(setup.db)).toEqual({
      position: Number(head),
      status: 'running',
      last_error: null,
    });
  });

  it('stops a rebuild after the batch in progress, and the next start finishes it', async () => {
    await setup.store.append('counter-a', counted(10));
    const counting = runner({ batchSize: 2 });
    counting.start();
    await counting.waitFor(10n, 5_000);
    let stopping: Promise<void> | undefined;
    const original = projection.apply.bind(projection);
    projection.apply = async (event, tx) => {
      stopping ??= counting.stop();
      return original(event, tx);
    };
    await counting.rebuild();
    await stopping;
    expect(counting.currentStatus).toBe('stopped');
    expect(counting.checkpointPosition).toBe(2n);
    projection.apply = original;
    counting.start();
    await counting.waitFor(10n, 5_000);
    expect(await totals(setup.db)).toEqual({ 'counter-a': 10 });
    expect(await seenCount(setup.db)).toBe(10);
  });

  it('rebuilds in transactions of rebuildBatchSize events, and catches up in transactions of batchSize until one comes back full', async () => {
    await setup.store.append('counter-a', counted(10));
    const committed: bigint[] = [];
    const counting = runner({
      batchSize: 2,
      rebuildBatchSize: 4,
      onProgress: ({ position }) => committed.push(position),
    });
    await counting.rebuild();
    expect(committed).toEqual([4n, 8n, 10n]);
    expect(await totals(setup.db)).toEqual({ 'counter-a': 10 });
    await setup.store.append('counter-a', counted(1));
    await counting.catchUp();
    expect(committed.slice(3)).toEqual([11n]);
    // Behind the log: after a full batch of 2, the next ones take up to 4 events.
    await setup.store.append('counter-a', counted(8));
    await counting.catchUp();
    expect(committed.slice(4)).toEqual([13n, 17n, 19n]);
    expect(await totals(setup.db)).toEqual({ 'counter-a': 19 });
  });

  it('rebuilds on the tables of setupForRebuild and runs setup once the rebuild ends, also when it fails', async () => {
    await setup.store.append('counter-a', counted(5));
    const calls: string[] = [];
    const withRebuildSetup: Projection = {
      name: projection.name,
      version: projection.version,
      handles: projection.handles,
      reset: (db) => projection.reset(db),
      setup: async (db) => {
        calls.push('setup');
        await projection.setup(db);
      },
      setupForRebuild: async (db) => {
        calls.push('setupForRebuild');
        await projection.setup(db);
      },
      apply: async (event, tx) => {
        calls.push(`apply ${event.position}`);
        await projection.apply(event, tx);
      },
    };
    const rebuilding = runner(
      { batchSize: 2, rebuildBatchSize: 10 },
      setup.db,
      withRebuildSetup as CountingProjection,
    );
    await rebuilding.catchUp();
    calls.length = 0;
    await rebuilding.rebuild();
    expect(calls).toEqual([
      'setupForRebuild',
      'apply 1',
      'apply 2',
      'apply 3',
      'apply 4',
      'apply 5',
      'setup',
    ]);
    expect(await totals(setup.db)).toEqual({ 'counter-a': 5 });

    calls.length = 0;
    projection.failAtPosition = 3n;
    await expect(rebuilding.rebuild()).rejects.toThrow(/injected fault/);
    expect(calls).toEqual(['setupForRebuild', 'apply 1', 'apply 2', 'apply 3', 'setup']);
  });

  it('resumes from its checkpoint after a restart without re-applying', async () => {
    await setup.store.append('counter-a', counted(5));
    await runner().catchUp();
    expect(projection.applied).toBe(5);

    const restartedDb = setup.openDb();
    const restartedProjection = new CountingProjection();
    const restarted = runner({}, restartedDb, restartedProjection);
    await restarted.catchUp();
    expect(restartedProjection.applied).toBe(0);
    expect(restartedProjection.resets).toBe(0);
    await setup.store.append('counter-a', counted(1));
    await restarted.catchUp();
    expect(restartedProjection.applied).toBe(1);
    expect(await totals(restartedDb)).toEqual({ 'counter-a': 6 });
  });

  it('rebuilds from position 0 when the projection version changes', async () => {
    await setup.store.append('counter-a', counted(4));
    await runner().catchUp();
    const unchanged = new CountingProjection(1);
    await runner({}, setup.db, unchanged).catchUp();
    expect(unchanged.resets).toBe(0);
    const bumped = new CountingProjection(2);
    await runner({}, setup.db, bumped).catchUp();
    expect(bumped.resets).toBe(1);
    expect(bumped.applied).toBe(4);
    expect(await totals(setup.db)).toEqual({ 'counter-a': 4 });
  });

  it('shares the reads of full pages between runners (SharedLogReads), each applying every event once', async () => {
    await setup.store.append('counter-a', counted(23));
    const storeReads: (bigint | undefined)[] = [];
    const reads = new SharedLogReads({
      readAll: (options) => {
        storeReads.push(options?.after);
        return setup.store.readAll(options);
      },
      headPosition: () => setup.store.headPosition(),
      onAppended: (listener) => setup.store.onAppended(listener),
    });
    const tallying = new CountingProjection(1, 'tallying');
    const sharing = [projection, tallying].map((counting) => {
      reads.addReader();
      const created = new ProjectionRunner(counting, reads, setup.db, {
        logger: silent,
        batchSize: 5,
      });
      runners.push(created);
      return created;
    });
    await Promise.all(sharing.map((created) => created.catchUp()));
    expect([projection.applied, tallying.applied]).toEqual([23, 23]);
    // Full pages once; the tail (a short page) by each runner itself.
    expect(storeReads).toEqual([0n, 5n, 10n, 15n, 20n, 20n]);

    sharing.forEach((created) => created.start());
    const appended = await setup.store.append('counter-b', counted(4));
    await Promise.all(sharing.map((created) => created.waitFor(appended.lastPosition, 5_000)));
    expect(await totals(setup.db)).toEqual({ 'counter-a': 23, 'counter-b': 4 });
    expect(await totals(setup.db, 'tallying')).toEqual({ 'counter-a': 23, 'counter-b': 4 });
  });
});
