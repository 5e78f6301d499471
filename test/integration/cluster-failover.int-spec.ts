/**
 * Two real Kontor servers (the built CLI's `serve`, built once) on one fresh PostgreSQL schema
 * (docs/operations.md, "Scaling"): one leads; 64 concurrent postings on the same two accounts
 * through both; then the leader is killed with SIGKILL while postings go on, the other leads
 * within 10 s (the time is printed), the projections go on, and in the end nothing acknowledged
 * is lost and nothing applied twice. The election itself: cluster-leader-election.int-spec.ts.
 *
 * Nothing here sleeps: waits end on log lines or HTTP answers.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCli, cliBuildTimeoutMilliseconds } from '../support/cli.js';
import { deferred } from '../support/deferred.js';
import { KontorProcess } from '../support/kontor-process.js';
import { createTestSchema, sql, sqlValue, TestSchema } from '../support/postgres.js';

jest.setTimeout(120_000);

/** API.md / issue: another instance leads within 10 s of the leader's death. */
const failoverMillisecondsMax = 10_000;
const contentionPostings = 64;
const failoverPostings = 80;
/** Postings acknowledged before the leader is killed (the rest go on during and after failover). */
const postingsBeforeKill = 24;
const writersConcurrency = 4;

interface Acknowledged {
  index: number;
  amountMinor: bigint;
  position: bigint;
  via: string;
}

function amountOf(index: number): bigint {
  return BigInt(((index * 7919) % 50_000) + 1);
}

function decimal(minor: bigint): string {
  return `${minor / 100n}.${(minor % 100n).toString().padStart(2, '0')}`;
}

function postingBody(index: number, tag: string) {
  const amount = decimal(amountOf(index));
  return {
    effectiveDate: '2026-03-31',
    description: `${tag} posting ${index}`,
    lines: [
      { account: '1000', debit: amount },
      { account: '4000', credit: amount },
    ],
  };
}

describe('two Kontor processes on one PostgreSQL schema', () => {
  const adminKey = `kontor_failover_admin_${randomBytes(16).toString('hex')}`;
  const book = 'failover-gmbh';
  let schema: TestSchema;
  let dataDir: string;
  let env: Record<string, string>;
  let a: KontorProcess;
  let b: KontorProcess;
  let restarted: KontorProcess | undefined;
  const acknowledged: Acknowledged[] = [];

  beforeAll(async () => {
    builtCli();
    schema = await createTestSchema();
    dataDir = await mkdtemp(join(tmpdir(), 'kontor-cluster-'));
    env = {
      KONTOR_STORE: 'postgres',
      DATABASE_URL: schema.url,
      KONTOR_ADMIN_KEY: adminKey,
      KONTOR_DATA_DIR: dataDir,
    };
    // One after the other: the first to boot leads (the tests expect a to lead).
    a = await KontorProcess.start('a', env);
    b = await KontorProcess.start('b', env);
  }, cliBuildTimeoutMilliseconds + 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), restarted?.stop()]);
    await schema?.drop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function post(via: KontorProcess, index: number, tag: string): Promise<Acknowledged> {
    const response = await via.request(
      'POST',
      `/v1/books/${book}/journal-entries`,
      adminKey,
      postingBody(index, tag),
      {
        'idempotency-key': `${tag}-${index}`,
      },
    );
    if (response.status !== 201 || response.body.status !== 'posted') {
      throw new Error(
        `posting ${index} via ${via.name}: ${response.status} ${JSON.stringify(response.body)}`,
      );
    }
    return {
      index,
      amountMinor: amountOf(index),
      position: BigInt(response.body.position),
      via: via.name,
    };
  }

  async function trialBalance(
    via: KontorProcess,
    position: bigint,
  ): Promise<Map<string, { debit: string; credit: string }>> {
    const response = await via.request(
      'GET',
      `/v1/books/${book}/trial-balance?consistentWith=${position}`,
      adminKey,
    );
    expect(response.status).toBe(200);
    const [eur] = response.body.currencies as {
      currency: string;
      lines: { account: string; debit: string; credit: string }[];
    }[];
    return new Map(
      eur!.lines.map((line) => [line.account, { debit: line.debit, credit: line.credit }]),
    );
  }

  async function expectBooksMatch(via: KontorProcess, postings: Acknowledged[]): Promise<void> {
    const total = postings.reduce((sum, posting) => sum + posting.amountMinor, 0n);
    const head = postings.reduce(
      (max, posting) => (posting.position > max ? posting.position : max),
      0n,
    );
    const lines = await trialBalance(via, head);
    expect(lines.get('1000')).toMatchObject({ debit: decimal(total), credit: '0.00' });
    expect(lines.get('4000')).toMatchObject({ debit: '0.00', credit: decimal(total) });
  }

  it('has exactly one leader, and GET /v1/cluster says which', async () => {
    const [fromA, fromB] = await Promise.all([
      a.request('GET', '/v1/cluster', adminKey),
      b.request('GET', '/v1/cluster', adminKey),
    ]);

    expect(fromA).toEqual({
      status: 200,
      body: {
        instanceId: 'a',
        leader: true,
        store: 'postgres',
        election: 'postgres-advisory-lock',
      },
    });
    expect(fromB).toEqual({
      status: 200,
      body: {
        instanceId: 'b',
        leader: false,
        store: 'postgres',
        election: 'postgres-advisory-lock',
      },
    });
    // The follower is ready: it serves reads from the shared read models.
    expect((await fetch(`${b.baseUrl}/health/ready`)).status).toBe(200);
  });

  it(`keeps balances exact under ${contentionPostings} concurrent postings on the same two accounts through both instances`, async () => {
    expect(
      (
        await a.request('POST', '/v1/books', adminKey, {
          id: book,
          name: 'Failover GmbH',
          baseCurrency: 'EUR',
        })
      ).status,
    ).toBe(201);
    // Through the follower: it learns of the book from the log (its worker re-reads the stream).
    for (const account of [
      { code: '1000', name: 'Bank', type: 'asset' },
      { code: '4000', name: 'Revenue', type: 'revenue' },
    ]) {
      expect(
        (await b.request('POST', `/v1/books/${book}/accounts`, adminKey, account)).status,
      ).toBe(201);
    }

    const postings = await Promise.all(
      Array.from({ length: contentionPostings }, (_, index) =>
        post(index % 2 === 0 ? a : b, index, 'contention'),
      ),
    );
    acknowledged.push(...postings);

    expect(new Set(postings.map((posting) => posting.position)).size).toBe(contentionPostings);
    await expectBooksMatch(a, postings);
    await expectBooksMatch(b, postings);
    const lines = await sqlValue(
      schema.url,
      'SELECT count(*) AS value FROM ledger_lines WHERE book = $1',
      [book],
    );
    expect(Number(lines)).toBe(2 * contentionPostings);
  });

  it('fails over within 10 s when the leader is killed; projections go on; nothing is lost or applied twice', async () => {
    let killed = false;
    const enoughBeforeKill = deferred();
    let next = 0;
    let retriedOnSurvivor = 0;
    const failover: Acknowledged[] = [];

    async function writer(): Promise<void> {
      while (next < failoverPostings) {
        const index = contentionPostings + next++;
        const target = !killed && index % 2 === 0 ? a : b;
        let posting: Acknowledged;
        try {
          posting = await post(target, index, 'failover');
        } catch (error) {
          if (target !== a || !killed) throw error;
          // The leader died under this request: retry it on the survivor with the same
          // Idempotency-Key (posted once, whether or not the first attempt committed).
          retriedOnSurvivor++;
          posting = await post(b, index, 'failover');
        }
        failover.push(posting);
        if (failover.length === postingsBeforeKill) enoughBeforeKill.resolve();
      }
    }

    const writers = Promise.all(Array.from({ length: writersConcurrency }, () => writer()));
    // A writer's failure ends the wait too (and fails the test).
    await Promise.race([enoughBeforeKill.promise, writers]);
    expect(failover.length).toBeLessThan(failoverPostings);
    const killedAt = Date.now();
    killed = true;
    await a.killHard();
    const leads = await b.waitForLog(
      (record) => record.msg === 'instance b leads',
      failoverMillisecondsMax + 5_000,
      'instance b leads',
    );
    const failoverMilliseconds = Date.now() - killedAt;
    process.stdout.write(
      `\nFailover: instance b leads ${failoverMilliseconds} ms after instance a was killed with SIGKILL\n`,
    );
    // b takes the lead only after a is gone: never two leaders at once.
    expect(leads.time).toBeGreaterThanOrEqual(killedAt);
    expect(failoverMilliseconds).toBeLessThan(failoverMillisecondsMax);
    expect((await b.request('GET', '/v1/cluster', adminKey)).body).toMatchObject({
      instanceId: 'b',
      leader: true,
    });
    await writers;
    acknowledged.push(...failover);
    process.stdout.write(
      `Postings cut off by the kill and retried on b with their Idempotency-Key: ${retriedOnSurvivor}\n\n`,
    );

    expect(failover.some((posting) => posting.via === 'a')).toBe(true);
    expect(failover.some((posting) => posting.via === 'b')).toBe(true);
    const head = await sqlValue(schema.url, 'SELECT max(position) AS value FROM events');
    await expectBooksMatch(b, acknowledged);
    const projections = await b.request('GET', `/v1/projections?consistentWith=${head}`, adminKey);
    expect(projections.status).toBe(200);
    for (const projection of projections.body as {
      name: string;
      position: number;
      status: string;
    }[]) {
      expect(projection).toMatchObject({ position: Number(head), status: 'running' });
    }
    const checkpoints = await sql<{ name: string; position: string }>(
      schema.url,
      'SELECT name, position FROM projection_checkpoints',
    );
    for (const checkpoint of checkpoints)
      expect({ name: checkpoint.name, position: checkpoint.position }).toEqual({
        name: checkpoint.name,
        position: head,
      });
    const lines = await sqlValue(
      schema.url,
      'SELECT count(*) AS value FROM ledger_lines WHERE book = $1',
      [book],
    );
    expect(Number(lines)).toBe(2 * acknowledged.length);
    const posted = await sqlValue(
      schema.url,
      `SELECT count(*) AS value FROM events WHERE stream_id = $1 AND type = 'JournalEntryPosted'`,
      [`book-${book}`],
    );
    expect(Number(posted)).toBe(acknowledged.length);
    expect(new Set(acknowledged.map((posting) => posting.index)).size).toBe(acknowledged.length);
  });

  it('lets a restarted instance join as a follower that reads its own writes', async () => {
    restarted = await KontorProcess.start('a2', env);

    expect((await restarted.request('GET', '/v1/cluster', adminKey)).body).toMatchObject({
      instanceId: 'a2',
      leader: false,
    });
    const posting = await post(restarted, contentionPostings + failoverPostings, 'rejoin');
    acknowledged.push(posting);
    await expectBooksMatch(restarted, acknowledged);
    await expectBooksMatch(b, acknowledged);
  });
});
