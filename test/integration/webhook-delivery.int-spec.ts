/**
 * Webhook delivery over real stores: the outbox in the read-model database (SQLite file /
 * PostgreSQL schema), the log in the matching event store, a local receiver that verifies every
 * signature with the `standardwebhooks` library.
 */
import { AppendResult, newId, NewEvent } from '../../src/event-sourcing/index.js';
import { SqlDatabase } from '../../src/infrastructure/sql/index.js';
import {
  AttemptOutcome,
  WebhookOutbox,
} from '../../src/subscriptions/application/webhook-outbox.js';
import {
  WebhookDelivery,
  WebhookDeliveryOptions,
} from '../../src/subscriptions/application/webhook-delivery.js';
import {
  generateWebhookSecret,
  newWebhookId,
} from '../../src/subscriptions/application/webhook-ids.js';
import { openStores, storeBackends, TestStores } from '../support/stores.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const actor = { id: 'key_test', name: 'Test' };

function event(type: string, book?: string): NewEvent {
  return {
    eventId: newId(),
    type,
    data: { n: 1 },
    metadata: { actor, correlationId: newId(), ...(book ? { book } : {}) },
  };
}

/** Resolves once `predicate` holds for an attempt outcome. */
function attemptWatcher() {
  const outcomes: AttemptOutcome[] = [];
  const waiters = new Set<{
    predicate: (outcome: AttemptOutcome) => boolean;
    resolve(outcome: AttemptOutcome): void;
  }>();
  return {
    outcomes,
    onAttempt(outcome: AttemptOutcome) {
      outcomes.push(outcome);
      for (const waiter of waiters) {
        if (waiter.predicate(outcome)) {
          waiters.delete(waiter);
          waiter.resolve(outcome);
        }
      }
    },
    next(predicate: (outcome: AttemptOutcome) => boolean): Promise<AttemptOutcome> {
      const seen = outcomes.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.add({ predicate, resolve }));
    },
  };
}

describe.each(storeBackends)('webhook delivery on %s', (backend) => {
  let stores: TestStores;
  let db: SqlDatabase;
  let outbox: WebhookOutbox;
  let receiver: WebhookReceiver;
  const running: WebhookDelivery[] = [];

  function startDelivery(
    overrides: Partial<WebhookDeliveryOptions> = {},
    database = db,
    deliveryOutbox = new WebhookOutbox(database),
  ): WebhookDelivery {
    const delivery = new WebhookDelivery(stores.store, deliveryOutbox, {
      retry: { baseMilliseconds: 2, maxMilliseconds: 20, windowMilliseconds: 60_000 },
      timeoutMilliseconds: 2_000,
      concurrency: 4,
      allowPrivate: true,
      ...overrides,
    });
    running.push(delivery);
    return delivery;
  }

  async function register(
    filter: { types?: string[]; books?: string[] } = {},
    url = receiver.url,
  ): Promise<string> {
    const webhookId = newWebhookId();
    const secret = generateWebhookSecret();
    await outbox.saveSecret(webhookId, secret, new Date());
    receiver.verifyWith(secret);
    await stores.store.append('webhooks', [
      {
        eventId: newId(),
        type: 'WebhookRegistered',
        data: { webhookId, url, ...filter },
        metadata: { actor, correlationId: newId() },
      },
    ]);
    return webhookId;
  }

  beforeEach(async () => {
    stores = await openStores(backend);
    db = stores.db;
    outbox = new WebhookOutbox(db);
    await outbox.setup();
    receiver = await WebhookReceiver.start();
  });

  afterEach(async () => {
    for (const delivery of running.splice(0)) await delivery.close();
    await receiver.close();
    await stores.dispose();
  });

  it('delivers matching events after the registration, signed, once each, in position order', async () => {
    await stores.store.append('early', [event('JournalEntryPosted', 'acme')]);
    const webhookId = await register({ types: ['JournalEntryPosted'], books: ['acme'] });
    const watcher = attemptWatcher();
    const delivery = startDelivery({ onAttempt: watcher.onAttempt });
    await delivery.start();
    const appended: AppendResult[] = [];
    for (let index = 0; index < 6; index++) {
      appended.push(
        await stores.store.append(`s-${index % 2}`, [
          event('JournalEntryPosted', 'acme'),
          event('AccountOpened', 'acme'),
          event('JournalEntryPosted', 'other'),
        ]),
      );
    }
    await receiver.waitForReceived(6);
    await watcher.next((outcome) => outcome.delivery.position === appended[5]!.positions[0]);
    expect(receiver.verificationFailures).toBe(0);
    expect(receiver.positions()).toEqual(appended.map((result) => Number(result.positions[0])));
    const first = receiver.received[0]!;
    expect(first.headers['content-type']).toBe('application/cloudevents+json');
    expect(first.headers['webhook-id']).toBe(first.event.id);
    expect(first.event).toMatchObject({
      specversion: '1.0',
      type: 'kontor.JournalEntryPosted.v1',
      source: '/kontor/books/acme',
    });
    const listed = await outbox.listDeliveries(webhookId, { after: 0n, limit: 100 });
    expect(listed.items).toHaveLength(6);
    expect(
      listed.items.every(
        (item) =>
          item.status === 'delivered' && item.attempts === 1 && item.attemptLog.length === 1,
      ),
    ).toBe(true);
  });

  it('a receiver failing its first three calls still gets every event once, in order', async () => {
    const webhookId = await register();
    receiver.failNext(3);
    const watcher = attemptWatcher();
    const delivery = startDelivery({ onAttempt: watcher.onAttempt });
    await delivery.start();
    const positions: number[] = [];
    for (let index = 0; index < 5; index++)
      positions.push(
        Number((await stores.store.append('s', [event('ThingHappened')])).lastPosition),
      );
    await receiver.waitForReceived(5);
    await watcher.next((outcome) => outcome.delivery.position === BigInt(positions[4]!));
    expect(receiver.calls).toBe(8);
    expect(receiver.positions()).toEqual(positions);
    const head = (await outbox.listDeliveries(webhookId, { after: 0n, limit: 1 })).items[0]!;
    expect(head.attempts).toBe(4);
    expect(head.attemptLog.map((attempt) => attempt.statusCode)).toEqual([500, 500, 500, 204]);
  });

  it('never sends a delivery again from a queue head read while its previous attempt was being recorded', async () => {
    const webhookId = await register();
    receiver.failNext(1);
    const watcher = attemptWatcher();
    let delivery!: WebhookDelivery;
    let calling = 0;
    let recorded: (() => void) | undefined;
    // The race of a busy database: a heads read that starts while an attempt is in flight
    // answers with the rows as they were, after that attempt was recorded and its call ended.
    class StaleHeadsOutbox extends WebhookOutbox {
      override async loadSecret(id: string) {
        calling += 1;
        if (calling === 1) delivery.poke();
        return super.loadSecret(id);
      }
      override async recordAttempt(outcome: AttemptOutcome) {
        await super.recordAttempt(outcome);
        calling -= 1;
        const settled = recorded;
        recorded = undefined;
        setImmediate(() => settled?.());
      }
      override async heads(limit: number) {
        const rows = await super.heads(limit);
        if (calling > 0) await new Promise<void>((resolve) => (recorded = resolve));
        return rows;
      }
    }
    delivery = startDelivery({ onAttempt: watcher.onAttempt }, db, new StaleHeadsOutbox(db));
    await delivery.start();
    await stores.store.append('s', [event('ThingHappened')]);
    await watcher.next((outcome) => outcome.result.kind === 'delivered');
    const head = (await outbox.listDeliveries(webhookId, { after: 0n, limit: 1 })).items[0]!;
    expect(head.attemptLog.map((attempt) => attempt.statusCode)).toEqual([500, 204]);
    expect(receiver.calls).toBe(2);
    expect(receiver.received).toHaveLength(1);
  });

  it('loses nothing when stopped in the middle of retries and started again on a new connection', async () => {
    await register();
    receiver.failForever(true);
    const first = startDelivery();
    await first.start();
    const positions: number[] = [];
    for (let index = 0; index < 3; index++)
      positions.push(
        Number((await stores.store.append('s', [event('ThingHappened')])).lastPosition),
      );
    await receiver.waitForCalls(3);
    await first.close();
    receiver.failForever(false);
    const second = startDelivery({}, stores.openDb());
    await second.start();
    await receiver.waitForReceived(3);
    expect(receiver.positions()).toEqual(positions);
    await second.close();
  });

  it('marks a delivery failed after the retry window, then goes on with the next; a manual retry redelivers it', async () => {
    const webhookId = await register();
    receiver.failNext(1);
    const watcher = attemptWatcher();
    const delivery = startDelivery({
      retry: { baseMilliseconds: 50, maxMilliseconds: 50, windowMilliseconds: 1 },
      onAttempt: watcher.onAttempt,
    });
    await delivery.start();
    const [failing, next] = [
      (await stores.store.append('s', [event('ThingHappened')])).lastPosition,
      (await stores.store.append('s', [event('ThingHappened')])).lastPosition,
    ];
    const failed = await watcher.next((outcome) => outcome.result.kind === 'failed');
    expect(failed.delivery.position).toBe(failing);
    await watcher.next(
      (outcome) => outcome.delivery.position === next && outcome.result.kind === 'delivered',
    );
    expect(receiver.positions()).toEqual([Number(next)]);
    const { items } = await outbox.listDeliveries(webhookId, { after: 0n, limit: 10 });
    expect(items.map((item) => item.status)).toEqual(['failed', 'delivered']);
    expect(await outbox.retry(webhookId, items[0]!.id, new Date())).toBe(true);
    delivery.poke();
    await receiver.waitForReceived(2);
    expect(receiver.positions()).toEqual([Number(next), Number(failing)]);
  });

  it('refuses to connect to a name that resolves to a loopback address unless private targets are allowed', async () => {
    const { port } = new URL(receiver.url);
    await register({}, `http://localhost:${port}/hooks/kontor`);
    const watcher = attemptWatcher();
    const delivery = startDelivery({ allowPrivate: false, onAttempt: watcher.onAttempt });
    await delivery.start();
    await stores.store.append('s', [event('ThingHappened')]);
    const outcome = await watcher.next(() => true);
    expect(outcome.result.kind).toBe('retry');
    expect(outcome.error).toMatch(/private or loopback/);
    expect(receiver.calls).toBe(0);
  });

  it('stops delivering to a deleted webhook and forgets its secret', async () => {
    const webhookId = await register();
    receiver.failForever(true);
    let dispatchedTo = 0n;
    let reached: (() => void) | undefined;
    const delivery = startDelivery({
      retry: { baseMilliseconds: 5, maxMilliseconds: 5, windowMilliseconds: 60_000 },
      onDispatched: (position) => {
        dispatchedTo = position;
        reached?.();
      },
    });
    await delivery.start();
    await stores.store.append('s', [event('ThingHappened')]);
    await receiver.waitForCalls(1);
    await stores.store.append('webhooks', [
      {
        eventId: newId(),
        type: 'WebhookDeleted',
        data: { webhookId },
        metadata: { actor, correlationId: newId() },
      },
    ]);
    const { lastPosition } = await stores.store.append('s', [event('ThingHappened')]);
    if (dispatchedTo < lastPosition)
      await new Promise<void>(
        (resolve) => (reached = () => dispatchedTo >= lastPosition && resolve()),
      );
    const { items } = await outbox.listDeliveries(webhookId, { after: 0n, limit: 10 });
    expect(items.map((item) => item.status)).toEqual(['cancelled']);
    expect(await outbox.loadSecret(webhookId)).toBeUndefined();
  });
});
