/**
 * The broker relay inside the app, against the machine's real brokers (NATS JetStream on 4222,
 * RabbitMQ on 5672; .ci/run starts them; unreachable = a loud failure, never a skip): a broker
 * outage through a TCP proxy, the filters, the boot check. Each test has its own subject
 * prefix, stream, exchange and queue, removed after. Killed processes: broker-relay-crash.
 */
import { Logger } from '@nestjs/common';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerRelayService } from '../../src/subscriptions/subscriptions.module.js';
import { startTestApp, TestApp } from '../support/app.js';
import {
  amqpPort,
  consumeJetStream,
  natsPort,
  natsUrl,
  ReceivedEvent,
  receivedEvent,
  when,
} from '../support/brokers.js';
import { cliBuildTimeoutMilliseconds, runCli } from '../support/cli.js';
import { Postings } from '../support/postings.js';
import {
  firstSeen,
  logIds,
  relayEnv,
  RelayTestNames,
  relayTestNames as names,
  useBrokers,
} from '../support/relay-fixture.js';
import { TcpProxy } from '../support/tcp-proxy.js';

jest.setTimeout(120_000);

const brokers = useBrokers();

/** Asserts that `received` is exactly the log's events 1..head, in order, ids as stored. */
async function expectWholeLog(app: TestApp, received: ReceivedEvent[]): Promise<void> {
  const ids = await logIds(app.store);
  expect(received.map((event) => event.position)).toEqual(ids.map((_, index) => index + 1));
  expect(received.map((event) => event.id)).toEqual(ids);
  expect(received.every((event) => event.messageId === event.id)).toBe(true);
}

/** What a test consumer of either broker got, once `count` distinct events have arrived. */
interface BrokerReader {
  /** Every message in arrival order (RabbitMQ: repeats included). */
  received(count: number): Promise<ReceivedEvent[]>;
  close(): Promise<void>;
}

/** JetStream: a durable consumer on the stream, created when asked (it reads from the start). */
function natsReader(test: RelayTestNames): BrokerReader {
  brokers.streams.push(test.stream);
  let stop: () => Promise<void> = async () => undefined;
  return {
    async received(count) {
      const consumer = await consumeJetStream(brokers.nats, test.stream, 'check', () => undefined);
      stop = consumer.stop;
      const all = when(() => consumer.received.length >= count);
      const poll = setInterval(all.poke, 50);
      await all.promise;
      clearInterval(poll);
      await consumer.stop();
      expect(
        (await (await brokers.nats.jetstreamManager()).streams.info(test.stream)).state.messages,
      ).toBe(count);
      return consumer.received;
    },
    close: () => stop(),
  };
}

/** RabbitMQ: a queue bound to the exchange before anything is published (else it is dropped). */
async function amqpReader(test: RelayTestNames): Promise<BrokerReader> {
  const channel = await brokers.amqp.createChannel();
  brokers.exchanges.push(test.exchange);
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
        // A cut fails at once (refused, or the socket gone); the timeout only bounds a stall, and
        // a short one on a loaded machine would fail a healthy connection.
        env: relayEnv(url, test, {
          KONTOR_RELAY_TIMEOUT_MS: '5000',
          KONTOR_RELAY_RETRY_MAX_MS: '500',
        }),
      });
      try {
        const relay = app.app.get(BrokerRelayService).relay!;
        const postings = await Postings.open(app.store, 'acme');
        await relay.reached(await postings.post(50));

        const linesBeforeOutage = relayLog.lines.length;
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
        expect(relayLog.lines.slice(linesBeforeOutage)).toEqual([
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
    brokers.streams.push(test.stream);
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

      const info = await (await brokers.nats.jetstreamManager()).streams.info(test.stream);
      expect(info.state.messages).toBe(8);
      const consumer = await consumeJetStream(brokers.nats, test.stream, 'check', () => undefined);
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
