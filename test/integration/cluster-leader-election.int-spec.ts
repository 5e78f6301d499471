/**
 * PostgresLeaderElection in process, several instances on one PostgreSQL (docs/operations.md,
 * "Scaling"): one leader per schema; a resigned or cut-off leader is replaced, and a leader whose
 * lock connection is cut stops leading at once.
 *
 * Nothing here sleeps: waits end on election callbacks.
 */
import {
  ElectionEvents,
  leaderLockClass,
  PostgresLeaderElection,
} from '../../src/infrastructure/cluster/index.js';
import { Deferred, deferred } from '../support/deferred.js';
import { createTestSchema, sql, TestSchema } from '../support/postgres.js';

jest.setTimeout(120_000);

/** An election whose gains and losses can be awaited. */
function observedElection(url: string): {
  election: PostgresLeaderElection;
  gained: Deferred<number>;
  lost: Deferred<{ reason: string; at: number }>;
  events: ElectionEvents;
} {
  const gained = deferred<number>();
  const lost = deferred<{ reason: string; at: number }>();
  const election = new PostgresLeaderElection(url, { retryMilliseconds: 200 });
  return {
    election,
    gained,
    lost,
    events: {
      gained: () => gained.resolve(Date.now()),
      lost: (reason) => lost.resolve({ reason, at: Date.now() }),
    },
  };
}

describe('PostgresLeaderElection', () => {
  let schema: TestSchema;
  const started: PostgresLeaderElection[] = [];

  beforeEach(async () => {
    schema = await createTestSchema();
  });

  afterEach(async () => {
    for (const election of started.splice(0)) await election.stop(async () => undefined);
    await schema.drop();
  });

  function start(url: string) {
    const observed = observedElection(url);
    started.push(observed.election);
    return { ...observed, started: observed.election.start(observed.events) };
  }

  it('lets exactly one of two instances lead; the other takes over when the leader resigns', async () => {
    const first = start(schema.url);
    await first.started;
    // Under load the first try may time out (200 ms); the first then leads at a later try.
    await first.gained.promise;
    const second = start(schema.url);
    await second.started;
    expect([first.election.isLeading, second.election.isLeading]).toEqual([true, false]);

    let stillLeading = true;
    await first.election.stop(async () => {
      stillLeading = first.election.isLeading;
    });
    expect(stillLeading).toBe(true);
    await second.gained.promise;
    expect(second.election.isLeading).toBe(true);
  });

  it('stops leading at once when its lock connection is cut, and another instance leads', async () => {
    const first = start(schema.url);
    await first.started;
    const second = start(schema.url);
    await second.started;
    const [holder] = await sql<{ pid: number }>(
      schema.url,
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = hashtext(current_schema())::oid AND granted`,
      [leaderLockClass],
    );

    await sql(schema.url, 'SELECT pg_terminate_backend($1)', [holder!.pid]);

    const lost = await first.lost.promise;
    expect(lost.reason).toMatch(/lost the leader lock connection/);
    expect(first.election.isLeading).toBe(false);
    // As if partitioned for good: the first instance cannot come back and win the lock again.
    await first.election.stop(async () => undefined);
    const gainedAt = await second.gained.promise;
    expect(second.election.isLeading).toBe(true);
    expect(gainedAt).toBeGreaterThanOrEqual(lost.at);
  });

  it('elects one leader per schema', async () => {
    const other = await createTestSchema();
    try {
      const here = start(schema.url);
      const there = start(other.url);
      await Promise.all([here.started, there.started]);
      expect([here.election.isLeading, there.election.isLeading]).toEqual([true, true]);
    } finally {
      for (const election of started.splice(0)) await election.stop(async () => undefined);
      await other.drop();
    }
  });
});
