/**
 * The broker relay in a real `kontor serve` process (the built CLI, SQLite), SIGKILLed while it
 * publishes and restarted, against the machine's real brokers (NATS JetStream on 4222, RabbitMQ
 * on 5672; .ci/run starts them; unreachable = a loud failure, never a skip).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { openEventStore } from '../../src/infrastructure/event-store.factory.js';
import { SqliteDatabase } from '../../src/infrastructure/sql/index.js';
import { freePort, ServerProcess } from '../crash/server-process.js';
import {
  amqpUrl,
  consumeJetStream,
  natsUrl,
  ReceivedEvent,
  receivedEvent,
  when,
} from '../support/brokers.js';
import { builtCli, cliBuildTimeoutMilliseconds, pathEnv, repositoryRoot } from '../support/cli.js';
import { Postings } from '../support/postings.js';
import {
  firstSeen,
  logIds,
  relayEnv,
  relayTestNames as names,
  useBrokers,
} from '../support/relay-fixture.js';

jest.setTimeout(180_000);

const brokers = useBrokers();

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

/**
 * Moves the relay's checkpoint back to half of where it stood (the server is down): the state a
 * crash leaves between the broker's confirm and the checkpoint's commit, made certain instead of
 * left to the kill's timing. Returns the checkpoint now on disk.
 */
async function rewindCheckpoint(dataDir: string): Promise<number> {
  const rewound = Math.floor((await checkpointOnDisk(dataDir)) / 2);
  const db = SqliteDatabase.open(join(dataDir, 'readmodels.db'));
  try {
    await db.execute(`UPDATE projection_checkpoints SET position = ? WHERE name = 'broker-relay'`, [
      rewound,
    ]);
  } finally {
    await db.close();
  }
  return checkpointOnDisk(dataDir);
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
 * it in between, with the checkpoint rewound so each restart publishes again what the broker
 * already holds), then lets it finish. Returns, per kill, the messages the broker held and the
 * relay's checkpoint the restart began from.
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
    kills.push({ brokerHeld: await brokerCount(), checkpoint: await rewindCheckpoint(dataDir) });
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
    const manager = await brokers.nats.jetstreamManager();
    brokers.streams.push(test.stream);
    await manager.streams.add({ name: test.stream, subjects: [`${test.prefix}.>`] });
    const onMessage = { poke: () => undefined as void };
    const first = await consumeJetStream(brokers.nats, test.stream, 'first', () =>
      onMessage.poke(),
    );
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
      // Every restart began behind what the broker held: it published those events again, and
      // JetStream dropped them by Nats-Msg-Id.
      expect(kills.every((kill) => kill.brokerHeld > kill.checkpoint)).toBe(true);
      expect((await manager.streams.info(test.stream)).state.messages).toBe(ids.length);

      const drained = when(() => first.received.length >= ids.length);
      onMessage.poke = drained.poke;
      drained.poke();
      await drained.promise;
      const second = await consumeJetStream(brokers.nats, test.stream, 'second', () => undefined);
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
    const channel = await brokers.amqp.createChannel();
    brokers.exchanges.push(test.exchange);
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
      expect(firstSeen(received).map((event) => event.id)).toEqual(ids);
    } finally {
      await server.stop();
      await channel.deleteQueue(test.queue).catch(() => undefined);
      await channel.close().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
