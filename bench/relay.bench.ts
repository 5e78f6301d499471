// `npm run bench -- relay [--events 100000] [--live-seconds 10] [--only nats|amqp]`
//
// Broker relay throughput against the log's append rate, same run, same process (the relay runs
// inside Kontor too), on the machine's NATS JetStream (127.0.0.1:4222) and RabbitMQ
// (127.0.0.1:5672, guest/guest), with a stream / exchange and queue of its own, removed after.
//   1. catch-up: `events` book events appended to a fresh SQLite log (appends of 1,000, the
//      log's bulk append rate), then the relay publishes them all from position 0 (events/s,
//      every message confirmed: JetStream PubAck, RabbitMQ publisher confirm into a durable queue);
//   2. live: appends of 100 events as fast as the log takes them for `live-seconds`, with the
//      relay running: the append rate, the relay's rate over the same time, and the lag left.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as amqpConnect } from 'amqplib';
import { connect as natsConnect } from 'nats';
import { loadConfig, RelaySettings } from '../src/config.js';
import { newId, NewEvent } from '../src/event-sourcing/index.js';
import { SqliteDatabase } from '../src/infrastructure/sql/index.js';
import { SqliteEventStore } from '../src/infrastructure/sqlite/sqlite-event-store.js';
import { bookStreamId } from '../src/ledger/index.js';
import { createBrokerPublisher } from '../src/subscriptions/application/create-broker-publisher.js';
import { BrokerRelay } from '../src/subscriptions/application/broker-relay.js';
import { generateLog } from './ledger-log.js';

type Broker = 'nats' | 'amqp';
const brokerUrls: Record<Broker, string> = {
  nats: 'nats://127.0.0.1:4222',
  amqp: 'amqp://guest:guest@127.0.0.1:5672',
};
const liveAppendEvents = 100;

interface Options {
  events: number;
  liveSeconds: number;
  brokers: Broker[];
}

function parse(args: string[]): Options {
  const options: Options = { events: 100_000, liveSeconds: 10, brokers: ['nats', 'amqp'] };
  for (let index = 0; index < args.length; index++) {
    const value = args[index + 1];
    if (args[index] === '--events') options.events = Number(value);
    else if (args[index] === '--live-seconds') options.liveSeconds = Number(value);
    else if (args[index] === '--only') options.brokers = [value as Broker];
    else throw new Error(`unknown option ${args[index]}`);
    index++;
  }
  return options;
}

interface Result {
  broker: Broker;
  appendPerSecond: number;
  catchUpPerSecond: number;
  liveAppendPerSecond: number;
  liveRelayPerSecond: number;
  liveLagAtEnd: number;
  liveDrainMilliseconds: number;
}

async function benchBroker(broker: Broker, options: Options): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'kontor-bench-relay-'));
  const prefix = `kontor_bench_${newId().slice(-8)}`;
  const settings = loadConfig({
    KONTOR_RELAY_URL: brokerUrls[broker],
    KONTOR_RELAY_SUBJECT_PREFIX: prefix,
    KONTOR_RELAY_STREAM: prefix.toUpperCase(),
    KONTOR_RELAY_EXCHANGE: prefix,
  }).relay!;
  const cleanUp = await prepareBroker(settings);
  const started = performance.now();
  await generateLog(join(dir, 'events.db'), options.events);
  const appendSeconds = (performance.now() - started) / 1000;
  const store = await SqliteEventStore.open(join(dir, 'events.db'));
  const db = SqliteDatabase.open(join(dir, 'readmodels.db'));
  const relay = new BrokerRelay(store, db, createBrokerPublisher(settings), {
    filter: {},
    subjectPrefix: settings.subjectPrefix,
    windowSize: settings.windowSize,
    batchSize: settings.batchSize,
    retryInitialMilliseconds: settings.retryInitialMilliseconds,
    retryMaxMilliseconds: settings.retryMaxMilliseconds,
    logger: console,
  });
  try {
    const head = await store.headPosition();
    const relayStarted = performance.now();
    await relay.start();
    await relay.reached(head);
    const catchUpSeconds = (performance.now() - relayStarted) / 1000;
    const live = await liveRun(store, relay, options.liveSeconds);
    return {
      broker,
      appendPerSecond: options.events / appendSeconds,
      catchUpPerSecond: Number(head) / catchUpSeconds,
      ...live,
    };
  } finally {
    await relay.stop();
    await store.close();
    await db.close();
    await cleanUp();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Appends as fast as the log takes them while the relay runs; then waits for it to drain. */
async function liveRun(
  store: SqliteEventStore,
  relay: BrokerRelay,
  seconds: number,
): Promise<
  Pick<
    Result,
    'liveAppendPerSecond' | 'liveRelayPerSecond' | 'liveLagAtEnd' | 'liveDrainMilliseconds'
  >
> {
  const from = await store.headPosition();
  const metadata = { actor: { id: 'bench', name: 'bench' }, correlationId: newId(), book: 'bench' };
  const started = performance.now();
  const ends = started + seconds * 1000;
  let head = from;
  let entry = 0;
  while (performance.now() < ends) {
    const batch: NewEvent[] = [];
    for (let index = 0; index < liveAppendEvents; index++, entry++)
      batch.push({
        eventId: newId(),
        type: 'JournalEntryPosted',
        data: {
          entryId: `live${entry}`,
          effectiveDate: '2026-01-15',
          description: `Live entry ${entry}`,
          lines: [
            { account: '1000', side: 'debit', amountMinor: '1250', currency: 'EUR' },
            { account: '8400', side: 'credit', amountMinor: '1250', currency: 'EUR' },
          ],
        },
        metadata,
      });
    head = (await store.append(bookStreamId('bench'), batch)).lastPosition;
  }
  const appendEnded = performance.now();
  const lagAtEnd = Number(head - relay.checkpointPosition);
  await relay.reached(head);
  const drained = performance.now();
  const appended = Number(head - from);
  return {
    liveAppendPerSecond: appended / ((appendEnded - started) / 1000),
    liveRelayPerSecond: appended / ((drained - started) / 1000),
    liveLagAtEnd: lagAtEnd,
    liveDrainMilliseconds: drained - appendEnded,
  };
}

/** RabbitMQ: a durable queue bound to the exchange (else messages are dropped, not stored). */
async function prepareBroker(settings: RelaySettings): Promise<() => Promise<void>> {
  if (settings.broker === 'nats') {
    return async () => {
      const connection = await natsConnect({ servers: '127.0.0.1:4222' });
      const manager = await connection.jetstreamManager();
      await manager.streams.delete(settings.stream).catch(() => undefined);
      await connection.close();
    };
  }
  const model = await amqpConnect(settings.url);
  const channel = await model.createChannel();
  const queue = `${settings.exchange}_q`;
  await channel.assertExchange(settings.exchange, 'topic', { durable: true });
  await channel.assertQueue(queue, { durable: true });
  await channel.bindQueue(queue, settings.exchange, `${settings.subjectPrefix}.#`);
  return async () => {
    await channel.deleteQueue(queue);
    await channel.deleteExchange(settings.exchange);
    await model.close();
  };
}

function rate(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')}/s`;
}

export async function run(args: string[]): Promise<void> {
  const options = parse(args);
  console.log(
    `broker relay: ${options.events} events catch-up, ${options.liveSeconds} s live, SQLite log`,
  );
  for (const broker of options.brokers) {
    const result = await benchBroker(broker, options);
    console.log(
      [
        `${broker === 'nats' ? 'NATS JetStream' : 'RabbitMQ'}:`,
        `  catch-up: log append ${rate(result.appendPerSecond)} (appends of 1,000), relay ${rate(result.catchUpPerSecond)} (${(result.catchUpPerSecond / result.appendPerSecond).toFixed(2)}× the append rate)`,
        `  live:     log append ${rate(result.liveAppendPerSecond)} (appends of ${liveAppendEvents}), relay ${rate(result.liveRelayPerSecond)} (${(result.liveRelayPerSecond / result.liveAppendPerSecond).toFixed(2)}×), lag at the end ${result.liveLagAtEnd} events, drained ${Math.round(result.liveDrainMilliseconds)} ms later`,
      ].join('\n'),
    );
  }
}
