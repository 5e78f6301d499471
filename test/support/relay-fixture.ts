/**
 * What the broker relay tests share: the machine's brokers (a loud failure when one cannot be
 * reached), names unique per run and test, the relay's settings for them, and the log as a
 * consumer should see it. Streams and exchanges a test registers are removed after the file.
 *
 *   const brokers = useBrokers();
 *   const test = relayTestNames('outage');
 *   brokers.streams.push(test.stream);
 */
import { randomBytes } from 'node:crypto';
import { ChannelModel } from 'amqplib';
import { NatsConnection } from 'nats';
import { EventStore } from '../../src/event-sourcing/index.js';
import { connectAmqp, connectNats, ReceivedEvent } from './brokers.js';

const runId = randomBytes(4).toString('hex');

export interface RelayTestNames {
  prefix: string;
  stream: string;
  exchange: string;
  queue: string;
}

/** Subject prefix, stream, exchange and queue of one test: unique per run and test. */
export function relayTestNames(test: string): RelayTestNames {
  const prefix = `kontor_t${runId}_${test}`;
  return { prefix, stream: prefix.toUpperCase(), exchange: prefix, queue: `${prefix}_q` };
}

export interface Brokers {
  nats: NatsConnection;
  amqp: ChannelModel;
  /** JetStream streams to delete after the file. */
  streams: string[];
  /** RabbitMQ exchanges to delete after the file. */
  exchanges: string[];
}

/** Connects to both brokers before the file's tests (failing them when one is down), cleans up after. */
export function useBrokers(): Brokers {
  const brokers = { streams: [], exchanges: [] } as unknown as Brokers;
  beforeAll(async () => {
    brokers.nats = await connectNats();
    brokers.amqp = await connectAmqp();
  });
  afterAll(async () => {
    const manager = await brokers.nats?.jetstreamManager();
    for (const stream of brokers.streams)
      await manager?.streams.delete(stream).catch(() => undefined);
    await brokers.nats?.close();
    if (brokers.amqp) {
      const channel = await brokers.amqp.createChannel();
      for (const exchange of brokers.exchanges)
        await channel.deleteExchange(exchange).catch(() => undefined);
      await brokers.amqp.close();
    }
  });
  return brokers;
}

/** The relay's settings for a test's names (and `extra`). */
export function relayEnv(
  url: string,
  test: RelayTestNames,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    KONTOR_RELAY_URL: url,
    KONTOR_RELAY_SUBJECT_PREFIX: test.prefix,
    KONTOR_RELAY_STREAM: test.stream,
    KONTOR_RELAY_EXCHANGE: test.exchange,
    ...extra,
  };
}

/** Every event id of the log, in position order. */
export async function logIds(store: EventStore): Promise<string[]> {
  const ids: string[] = [];
  for (let after = 0n; ;) {
    const page = await store.readAll({ after, limit: 1000 });
    if (page.length === 0) return ids;
    ids.push(...page.map((event) => event.eventId));
    after = page[page.length - 1]!.position;
  }
}

/** A consumer's de-duplication by position: what it keeps of `received`. */
export function firstSeen(received: ReceivedEvent[]): ReceivedEvent[] {
  let highest = 0;
  return received.filter((event) => {
    if (event.position <= highest) return false;
    highest = event.position;
    return true;
  });
}
