/**
 * The broker relay against the machine's real brokers (NATS JetStream on 4222, RabbitMQ on
 * 5672; .ci/run starts them; unreachable = a loud failure, never a skip). Every run uses its own
 * subject prefix, stream, exchange and queues, and removes them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { ChannelModel } from 'amqplib';
import { NatsConnection } from 'nats';
import { loadConfig } from '../../src/config.js';
import { EventStore } from '../../src/event-sourcing/index.js';
import { openEventStore } from '../../src/infrastructure/event-store.factory.js';
import { SqliteDatabase } from '../../src/infrastructure/sql/index.js';
import { BrokerRelayService } from '../../src/subscriptions/subscriptions.module.js';
import { freePort, ServerProcess } from '../crash/server-process.js';
import {
  amqpPort,
  amqpUrl,
  connectAmqp,
  connectNats,
  consumeJetStream,
  natsPort,
  natsUrl,
  ReceivedEvent,
  receivedEvent,
  when,
} from '../support/brokers.js';
import {
  builtCli,
  cliBuildTimeoutMilliseconds,
  pathEnv,
  repositoryRoot,
  runCli,
} from '../support/cli.js';
import { Postings } from '../support/postings.js';
import { startTestApp, TestApp } from '../support/app.js';
import { TcpProxy } from '../support/tcp-proxy.js';

jest.setTimeout(120_000);

const runId = randomBytes(4).toString('hex');
/** Subject prefix, stream and exchange of one test: unique per run and test. */
function names(test: string) {
  const prefix = `kontor_t${runId}_${test}`;
  return { prefix, stream: prefix.toUpperCase(), exchange: prefix, queue: `${prefix}_q` };
}

let nats: NatsConnection;
let amqp: ChannelModel;
const streamsCreated: string[] = [];
const exchangesCreated: string[] = [];

beforeAll(async () => {
  nats = await connectNats();
  amqp = await connectAmqp();
});

afterAll(async () => {
  const manager = await nats?.jetstreamManager();
  for (const stream of streamsCreated) await manager?.streams.delete(stream).catch(() => undefined);
  await nats?.close();
  if (amqp) {
    const channel = await amqp.createChannel();
    for (const exchange of exchangesCreated)
      await channel.deleteExchange(exchange).catch(() => undefined);
    await amqp.close();
  }
});

function relayEnv(url: string, test: ReturnType<typeof names>, extra: Record<string, string> = {}) {
  return {
    KONTOR_RELAY_URL: url,
    KONTOR_RELAY_SUBJECT_PREFIX: test.prefix,
    KONTOR_RELAY_STREAM: test.stream,
    KONTOR_RELAY_EXCHANGE: test.exchange,
    ...extra,
  };
}

/** Asserts that `received` is exactly the log's events 1..head, in order, ids as stored. */
async function expectWholeLog(app: TestApp, received: ReceivedEvent[]): Promise<void> {
  const ids = await logIds(app.store);
  expect(received.map((event) => event.position)).toEqual(ids.map((_, index) => index + 1));
  expect(received.map((event) => event.id)).toEqual(ids);
  expect(received.every((event) => event.messageId === event.id)).toBe(true);
}

/** Every event id of the log, in position order. */
async function logIds(store: EventStore): Promise<string[]> {
  const ids: string[] = [];
  for (let after = 0n; ;) {
    const page = await store.readAll({ after, limit: 1000 });
    if (page.length === 0) return ids;
    ids.push(...page.map((event) => event.eventId));
    after = page[page.length - 1]!.position;
  }
}

/** What a test consumer of either broker got, once `count` distinct events have arrived. */
interface BrokerReader {
  /** Every message in arrival order (RabbitMQ: repeats included). */
  received(count: number): Promise<ReceivedEvent[]>;
  close(): Promise<void>;
}

/** JetStream: a durable consumer on the stream, created when asked (it reads from the start). */
function natsReader(test: ReturnType<typeof names>): BrokerReader {
  streamsCreated.push(test.stream);
  let stop: () => Promise<void> = async () => undefined;
  return {
    async received(count) {
      const consumer = await consumeJetStream(nats, test.stream, 'check', () => undefined);
      stop = consumer.stop;
      const all = when(() => consumer.received.length >= count);
      const poll = setInterval(all.poke, 50);
      await all.promise;
      clearInterval(poll);
      await consumer.stop();
      expect((await (await nats.jetstreamManager()).streams.info(test.stream)).state.messages).toBe(
        count,
      );
      return consumer.received;
    },
    close: () => stop(),
  };
}

/** RabbitMQ: a queue bound to the exchange before anything is published (else it is dropped). */
async function amqpReader(test: ReturnType<typeof names>): Promise<BrokerReader> {
  const channel = await amqp.createChannel();
  exchangesCreated.push(test.exchange);
  await channel.assertExchange(test.exchange, 'topic', { durable: true });
  await channel.assertQueue(test.queue, { durable: false, exclusive: true });
  await channel.bindQueue(test.queue, test.exchange, `${test.prefix}.#`);
  const messages: ReceivedEvent[] = [];
  const ids = new Set<string>();
  let arrived = () => undefined as void;
  await channel.consume(test.queue, (message) => {
    if (!message) return;
    const event = receivedEvent(
      message.content,
      message.properties.messageId,
      message.fields.routingKey,
    );
    messages.push(event);
    ids.add(event.id);
    channel.ack(message);
    arrived();
  });
  return {
    async received(count) {
      const all = when(() => ids.size >= count);
      arrived = all.poke;
      all.poke();
      await all.promise;
      return messages;
    },
    close: async () => {
      await channel.deleteQueue(test.queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    },
  };
}

/** What the relay logs (its Nest Logger, context `Relay`), in order, while the test runs. */
function captureRelayLog(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const spies = (['log', 'warn'] as const).map((level) => {
    const original = Logger.prototype[level];
    return jest.spyOn(Logger.prototype, level).mockImplementation(function (
      this: Logger,
      message: unknown,
      ...rest: unknown[]
    ) {
      if ((this as unknown as { context?: string }).context === 'Relay')
        lines.push(String(message));
      return original.call(this, message, ...rest);
    });
  });
  return { lines, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}

/** A consumer's de-duplication by position: what it keeps of `received`. */
function firstSeen(received: ReceivedEvent[]): ReceivedEvent[] {
  let highest = 0;
  return received.filter((event) => {
    if (event.position <= highest) return false;
    highest = event.position;
    return true;
  });
}

describe('broker relay, in the app', () => {
  test.each([
    ['NATS JetStream', natsPort, 'nats'],
    ['RabbitMQ', amqpPort, 'amqp'],
  ] as const)(
    'a 10 s %s outage in the middle of postings: nothing lost, the lag drains, readiness stays 200',
    async (brokerName, port, scheme) => {
      const test = names(`outage_${scheme}`);
      const reader = scheme === 'nats' ? natsReader(test) : await amqpReader(test);
      const relayLog = captureRelayLog();
      const proxy = await TcpProxy.start(port);
      const url =
        scheme === 'nats'
          ? `nats://127.0.0.1:${proxy.port}`
          : `amqp://guest:guest@127.0.0.1:${proxy.port}`;
      const app = await startTestApp({
        env: relayEnv(url, test, {
          KONTOR_RELAY_TIMEOUT_MS: '1000',
          KONTOR_RELAY_RETRY_MAX_MS: '500',
        }),
      });
      try {
        const relay = app.app.get(BrokerRelayService).relay!;
        const postings = await Postings.open(app.store, 'acme');
        await relay.reached(await postings.post(50));

        await proxy.cut();
        const outageEnds = Date.now() + 10_000;
        let head = 0n;
        while (Date.now() < outageEnds) {
          head = await postings.post(20);
          const ready = await app.request('GET', '/health/ready');
          expect(ready.status).toBe(200);
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
        const during = await relayState(app);
        expect(during.status).toBe('failed');
        expect(during.lag).toBeGreaterThan(0);
        expect(await app.request('GET', '/health/ready')).toMatchObject({ status: 200 });
        // Reads that wait for the read models do not wait for the relay.
        const consistentRead = await app.request(
          'GET',
          `/v1/books/acme/trial-balance?consistentWith=${head}`,
          { key: app.adminKey },
        );
        expect(consistentRead.status).toBe(200);

        await proxy.restore();
        head = await postings.post(50);
        await relay.reached(head);
        const after = await relayState(app);
        expect(after).toMatchObject({ status: 'running', lag: 0, position: Number(head) });
        const metrics = await app.request('GET', '/metrics', { key: app.adminKey });
        expect(metrics.body).toContain('kontor_projection_lag_events{projection="broker-relay"} 0');

        const received = await reader.received(Number(head));
        expect(received.every((event) => event.messageId === event.id)).toBe(true);
        await expectWholeLog(app, firstSeen(received));
        // Dozens of failed attempts during the outage, but one line when it began, one when it ended.
        expect(relayLog.lines).toEqual([
          expect.stringMatching(new RegExp(`^${brokerName} .* failed: .*retrying with backoff$`)),
          expect.stringMatching(/works again: relayed up to position \d+$/),
        ]);
      } finally {
        await app.close();
        await proxy.close();
        await reader.close();
        relayLog.restore();
      }
    },
  );
  test('KONTOR_RELAY_TYPES and KONTOR_RELAY_BOOKS: only the wanted events are published; the rest moves the checkpoint', async () => {
    const test = names('filter');
    streamsCreated.push(test.stream);
    const app = await startTestApp({
      env: relayEnv(natsUrl, test, {
        KONTOR_RELAY_TYPES: 'JournalEntryPosted',
        KONTOR_RELAY_BOOKS: 'acme, globex',
      }),
    });
    try {
      const relay = app.app.get(BrokerRelayService).relay!;
      const wanted = [
        await Postings.open(app.store, 'acme'),
        await Postings.open(app.store, 'globex'),
      ];
      const other = await Postings.open(app.store, 'initech');
      await wanted[0]!.post(5);
      await other.post(7);
      await wanted[1]!.post(3);
      const head = await other.post(2);
      await relay.reached(head);
      expect(await relayState(app)).toMatchObject({ lag: 0, position: Number(head) });

      const info = await (await nats.jetstreamManager()).streams.info(test.stream);
      expect(info.state.messages).toBe(8);
      const consumer = await consumeJetStream(nats, test.stream, 'check', () => undefined);
      const all = when(() => consumer.received.length >= 8);
      const poll = setInterval(all.poke, 50);
      await all.promise;
      clearInterval(poll);
      await consumer.stop();
      expect(consumer.received.map((event) => event.subject)).toEqual([
        ...Array<string>(5).fill(`${test.prefix}.acme.JournalEntryPosted`),
        ...Array<string>(3).fill(`${test.prefix}.globex.JournalEntryPosted`),
      ]);
      const positions = consumer.received.map((event) => event.position);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    } finally {
      await app.close();
    }
  });
});

async function relayState(
  app: TestApp,
): Promise<{ status: string; lag: number; position: number }> {
  const response = await app.request('GET', '/v1/projections', { key: app.adminKey });
  expect(response.status).toBe(200);
  const rows = response.body as { name: string; status: string; lag: number; position: number }[];
  const relay = rows.find((row) => row.name === 'broker-relay');
  if (!relay) throw new Error(`no broker-relay in GET /v1/projections: ${JSON.stringify(rows)}`);
  return relay;
}

const adminKey = `kontor_relay_admin_${randomBytes(24).toString('base64url')}`;
/** Events in the log of the process tests: long enough that the kills land while publishing. */
const postingsTotal = 20_000;
const book = 'acme.gmbh';

/** A data dir whose log holds a book with `postingsTotal` entries. */
async function logOnDisk(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kontor-relay-'));
  const store = await openSqliteStore(dataDir);
  try {
    const postings = await Postings.open(store, book);
    for (let posted = 0; posted < postingsTotal; posted += 1000) await postings.post(1000);
    return dataDir;
  } finally {
    await store.close();
  }
}

function openSqliteStore(dataDir: string) {
  return openEventStore(loadConfig({ KONTOR_STORE: 'sqlite', KONTOR_DATA_DIR: dataDir }));
}

/** Every event id of the log in position order (the server has added its admin key's event). */
async function idsOnDisk(dataDir: string): Promise<string[]> {
  const store = await openSqliteStore(dataDir);
  try {
    return await logIds(store);
  } finally {
    await store.close();
  }
}

function relayServer(dataDir: string, port: number, env: Record<string, string>): ServerProcess {
  return new ServerProcess({
    cliPath: builtCli(),
    cwd: repositoryRoot,
    port,
    env: {
      ...pathEnv(),
      KONTOR_STORE: 'sqlite',
      KONTOR_DATA_DIR: dataDir,
      KONTOR_ADMIN_KEY: adminKey,
      ...env,
    },
  });
}

/** The relay's committed checkpoint, read from the read-model file (the server is down). */
async function checkpointOnDisk(dataDir: string): Promise<number> {
  const db = SqliteDatabase.open(join(dataDir, 'readmodels.db'));
  try {
    const [row] = await db.query<{ position: unknown }>(
      `SELECT position FROM projection_checkpoints WHERE name = 'broker-relay'`,
    );
    return row ? Number(row.position) : 0;
  } finally {
    await db.close();
  }
}

/** Resolves once GET /v1/projections shows the relay with no lag (the server's own answer). */
async function relayDrained(server: ServerProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await fetch(`${server.baseUrl}/v1/projections`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    const rows = (await response.json()) as { name: string; lag: number; status: string }[];
    const relay = rows.find((row) => row.name === 'broker-relay');
    if (relay && relay.lag === 0 && relay.status === 'running') return;
    if (Date.now() > deadline) throw new Error(`the relay did not drain: ${JSON.stringify(relay)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts the server, SIGKILLs it when the consumer has seen each of `killAt` messages (restarting
 * it in between), then lets it finish. Returns, per kill, the messages the broker held and the
 * relay's checkpoint at that moment.
 */
async function killWhilePublishing(
  server: ServerProcess,
  dataDir: string,
  receivedCount: () => number,
  onMessage: { poke: () => void },
  killAt: number[],
  brokerCount: () => Promise<number>,
): Promise<{ brokerHeld: number; checkpoint: number }[]> {
  const kills: { brokerHeld: number; checkpoint: number }[] = [];
  for (const threshold of killAt) {
    const reached = when(() => receivedCount() >= threshold);
    onMessage.poke = reached.poke;
    await server.start();
    await reached.promise;
    await server.kill();
    kills.push({ brokerHeld: await brokerCount(), checkpoint: await checkpointOnDisk(dataDir) });
  }
  onMessage.poke = () => undefined;
  await server.start();
  return kills;
}

describe('broker relay, as a process killed while publishing', () => {
  beforeAll(() => builtCli(), cliBuildTimeoutMilliseconds);
  const killAt = [0.2, 0.45, 0.7].map((share) => Math.round(share * postingsTotal));

  test('NATS JetStream: every event arrives once per durable consumer, in order, across SIGKILLs', async () => {
    const test = names('kill');
    const dataDir = await logOnDisk();
    const manager = await nats.jetstreamManager();
    streamsCreated.push(test.stream);
    await manager.streams.add({ name: test.stream, subjects: [`${test.prefix}.>`] });
    const onMessage = { poke: () => undefined as void };
    const first = await consumeJetStream(nats, test.stream, 'first', () => onMessage.poke());
    const server = relayServer(dataDir, await freePort(), relayEnv(natsUrl, test));
    try {
      const kills = await killWhilePublishing(
        server,
        dataDir,
        () => first.received.length,
        onMessage,
        killAt,
        async () => (await manager.streams.info(test.stream)).state.messages,
      );
      await relayDrained(server);
      await server.stop();
      expect(server.errorLines).toEqual([]);
      const ids = await idsOnDisk(dataDir);
      // At least one kill came after the broker had confirmed events the checkpoint did not hold
      // yet: the restart published them again, and JetStream dropped them by Nats-Msg-Id.
      expect(kills.some((kill) => kill.brokerHeld > kill.checkpoint)).toBe(true);
      expect((await manager.streams.info(test.stream)).state.messages).toBe(ids.length);

      const drained = when(() => first.received.length >= ids.length);
      onMessage.poke = drained.poke;
      drained.poke();
      await drained.promise;
      const second = await consumeJetStream(nats, test.stream, 'second', () => undefined);
      const secondDone = when(() => second.received.length >= ids.length);
      const poll = setInterval(secondDone.poke, 50);
      await secondDone.promise;
      clearInterval(poll);
      await second.stop();
      for (const consumer of [first, second]) {
        expect(consumer.received.map((event) => event.id)).toEqual(ids);
        expect(consumer.received.map((event) => event.position)).toEqual(ids.map((_, i) => i + 1));
        expect(consumer.received.every((event) => event.messageId === event.id)).toBe(true);
      }
      expect(new Set(first.received.map((event) => event.subject))).toEqual(
        new Set([
          `${test.prefix}.acme%2Egmbh.BookOpened`,
          `${test.prefix}.acme%2Egmbh.AccountOpened`,
          `${test.prefix}.acme%2Egmbh.JournalEntryPosted`,
          `${test.prefix}.-.ApiKeyIssued`,
        ]),
      );
    } finally {
      await first.stop();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('RabbitMQ: every event arrives at least once, with its event id as message id, across SIGKILLs', async () => {
    const test = names('amqp');
    const dataDir = await logOnDisk();
    const channel = await amqp.createChannel();
    exchangesCreated.push(test.exchange);
    await channel.assertExchange(test.exchange, 'topic', { durable: true });
    await channel.assertQueue(test.queue, { durable: false, exclusive: true });
    await channel.bindQueue(test.queue, test.exchange, `${test.prefix}.#`);
    const received: ReceivedEvent[] = [];
    const persistent: boolean[] = [];
    const onMessage = { poke: () => undefined as void };
    await channel.consume(test.queue, (message) => {
      if (!message) return;
      received.push(
        receivedEvent(message.content, message.properties.messageId, message.fields.routingKey),
      );
      persistent.push(message.properties.deliveryMode === 2);
      channel.ack(message);
      onMessage.poke();
    });
    const server = relayServer(dataDir, await freePort(), relayEnv(amqpUrl, test));
    try {
      await killWhilePublishing(
        server,
        dataDir,
        () => received.length,
        onMessage,
        killAt,
        async () => received.length,
      );
      await relayDrained(server);
      await server.stop();
      expect(server.errorLines).toEqual([]);
      const ids = await idsOnDisk(dataDir);
      const everyId = when(() => new Set(received.map((event) => event.id)).size >= ids.length);
      onMessage.poke = everyId.poke;
      everyId.poke();
      await everyId.promise;

      expect(new Set(received.map((event) => event.id))).toEqual(new Set(ids));
      expect(received.every((event) => event.messageId === event.id)).toBe(true);
      expect(persistent.every(Boolean)).toBe(true);
      // A consumer that drops what it has seen (position ≤ the highest so far) gets the log in order.
      let highest = 0;
      const deduplicated = received.filter((event) => {
        if (event.position <= highest) return false;
        highest = event.position;
        return true;
      });
      expect(deduplicated.map((event) => event.id)).toEqual(ids);
    } finally {
      await server.stop();
      await channel.deleteQueue(test.queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

test(
  'KONTOR_RELAY_URL is checked at boot: one clear line and exit 1',
  async () => {
    const run = await runCli(['serve'], {
      KONTOR_STORE: 'sqlite',
      KONTOR_DATA_DIR: mkdtempSync(join(tmpdir(), 'kontor-relay-boot-')),
      KONTOR_RELAY_URL: 'http://user:secret@127.0.0.1:4222',
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      'kontor: configuration error: KONTOR_RELAY_URL must be nats://host[:port] (NATS JetStream) or amqp://user:password@host[:port][/vhost] (RabbitMQ; amqps:// with TLS), got "http://user:***@127.0.0.1:4222"',
    ]);
  },
  cliBuildTimeoutMilliseconds,
);
