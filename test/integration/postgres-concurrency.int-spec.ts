/**
 * Several Kontor instances on one PostgreSQL schema: separate PostgresEventStore instances, so
 * separate pools and connections, as separate processes would have. The global log must stay
 * gap-free and in commit order, and every subscriber must see each event exactly once.
 */
import {
  NewEvent,
  RecordedEvent,
  subscribeToAll,
  WrongExpectedRevisionError,
} from '../../src/event-sourcing/index.js';
import { PostgresEventStore } from '../../src/infrastructure/postgres/postgres-event-store.js';
import { createTestSchema, TestSchema } from '../support/postgres.js';
import { randomUUID } from 'node:crypto';

jest.setTimeout(120_000);

const appenderCount = 32;
const appendsPerAppender = 25;

function newEvent(index: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'TestEventHappened',
    data: { index, amountMinor: String(index * 100) },
    metadata: { actor: { id: 'test', name: 'Test' }, correlationId: randomUUID() },
  };
}

describe('PostgresEventStore with many instances on one schema', () => {
  let schema: TestSchema;
  const stores: PostgresEventStore[] = [];

  async function connectInstances(count: number): Promise<PostgresEventStore[]> {
    const connected = await Promise.all(
      // One connection each is all an appender needs; keeps 33 instances within max_connections.
      Array.from({ length: count }, () => PostgresEventStore.connect(schema.url, { poolSize: 1 })),
    );
    stores.push(...connected);
    return connected;
  }

  beforeEach(async () => {
    schema = await createTestSchema();
  });

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await schema.drop();
  });

  it('gives a subscriber on another instance every event exactly once, gap-free, in position order', async () => {
    const [subscriberStore, ...appenders] = await connectInstances(1 + appenderCount);
    const total = appenderCount * appendsPerAppender;
    const controller = new AbortController();
    const seen: RecordedEvent[] = [];
    const subscription = (async () => {
      for await (const event of subscribeToAll(subscriberStore!, { signal: controller.signal })) {
        seen.push(event);
        if (seen.length === total) controller.abort();
      }
    })();

    const appended = new Set<string>();
    await Promise.all(
      appenders.map(async (store, appenderIndex) => {
        const streamId = `account-${appenderIndex}`;
        for (let index = 0; index < appendsPerAppender; index += 1) {
          const event = newEvent(index);
          appended.add(event.eventId);
          await store.append(streamId, [event], {
            expectedRevision: index === 0 ? 'no_stream' : index - 1,
          });
        }
      }),
    );
    await subscription;

    expect(seen.map((event) => event.position)).toEqual(
      Array.from({ length: total }, (_, i) => BigInt(i + 1)),
    );
    expect(new Set(seen.map((event) => event.eventId))).toEqual(appended);
    const verified = await subscriberStore!.verify();
    expect(verified).toMatchObject({ ok: true, checkedEvents: total, headPosition: BigInt(total) });
    expect(verified.headHash).toBe(seen[total - 1]!.hash);
  });

  it('lets exactly one of many instances win a race at the same expected revision', async () => {
    const racers = await connectInstances(16);
    await racers[0]!.append('approval_request-race', [newEvent(0)], {
      expectedRevision: 'no_stream',
    });

    const outcomes = await Promise.allSettled(
      racers.map((store) =>
        store.append('approval_request-race', [newEvent(1)], { expectedRevision: 0 }),
      ),
    );

    const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const losers = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason as unknown] : [],
    );
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(racers.length - 1);
    for (const loser of losers) expect(loser).toBeInstanceOf(WrongExpectedRevisionError);
    const stream = await racers[1]!.readStream('approval_request-race');
    expect(stream.map((event) => event.revision)).toEqual([0, 1]);
    expect(await racers[2]!.verify()).toMatchObject({ ok: true, checkedEvents: 2 });
  });

  it('keeps one hash chain when instances append in batches at the same time', async () => {
    const writers = await connectInstances(4);
    const batchSize = 50;
    await Promise.all(
      writers.map(async (store, writerIndex) => {
        for (let round = 0; round < 5; round += 1) {
          const events = Array.from({ length: batchSize }, (_, i) =>
            newEvent(round * batchSize + i),
          );
          await store.append(`book-${writerIndex}`, events);
        }
      }),
    );
    const total = writers.length * 5 * batchSize;
    expect(await writers[0]!.headPosition()).toBe(BigInt(total));
    expect(await writers[3]!.verify()).toMatchObject({ ok: true, checkedEvents: total });
  });
});
