/**
 * The broker relay against the machine's real brokers (NATS JetStream on 4222, RabbitMQ on
 * 5672; .ci/run starts them; unreachable = a loud failure, never a skip). Every run uses its own
 * subject prefix, stream, exchange and queues, and removes them.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChannelModel } from 'amqplib';
import { NatsConnection } from 'nats';
import { loadConfig } from '../../src/config.js';
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
import { builtCli, cliBuildTimeoutMilliseconds, repositoryRoot, runCli } from '../support/cli.js';
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

/** The relay's settings are read from process.env while the app is built (as in production). */
async function startRelayApp(env: Record<string, string>): Promise<TestApp> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await startTestApp({ env });
  } finally {
    for (const name of Object.keys(env)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}

/** Asserts that `received` is exactly the log's events 1..head, in order, ids as stored. */
async function expectWholeLog(app: TestApp, received: ReceivedEvent[]): Promise<void> {
  const events = await app.store.readAll({ after: 0n, limit: 1000 });
  expect(received.map((event) => event.position)).toEqual(events.map((e) => Number(e.position)));
  expect(received.map((event) => event.id)).toEqual(events.map((event) => event.eventId));
  expect(received.every((event) => event.messageId === event.id)).toBe(true);
}

describe('broker relay, in the app', () => {
  test('a 10 s NATS outage in the middle of postings: nothing lost, the lag drains, readiness stays 200', async () => {
    const test = names('outage');
    streamsCreated.push(test.stream);
    const proxy = await TcpProxy.start(natsPort);
    const app = await startRelayApp(
      relayEnv(`nats://127.0.0.1:${proxy.port}`, test, {
        KONTOR_RELAY_TIMEOUT_MS: '1000',
        KONTOR_RELAY_RETRY_MAX_MS: '500',
      }),
    );
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

      await proxy.restore();
      head = await postings.post(50);
      await relay.reached(head);
      const after = await relayState(app);
      expect(after).toMatchObject({ status: 'running', lag: 0, position: Number(head) });
      const metrics = await app.request('GET', '/metrics', { key: app.adminKey });
      expect(metrics.body).toContain('kontor_projection_lag_events{projection="broker-relay"} 0');

      const consumer = await consumeJetStream(nats, test.stream, 'check', () => undefined);
      const all = when(() => consumer.received.length >= Number(head));
      const poll = setInterval(all.poke, 50);
      await all.promise;
      clearInterval(poll);
      await consumer.stop();
      await expectWholeLog(app, consumer.received);
      const info = await (await nats.jetstreamManager()).streams.info(test.stream);
      expect(info.state.messages).toBe(Number(head));
    } finally {
      await app.close();
      await proxy.close();
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
