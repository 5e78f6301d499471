/**
 * The machine's brokers for the relay tests: NATS with JetStream (127.0.0.1:4222) and RabbitMQ
 * (127.0.0.1:5672, guest/guest). `.ci/run` starts them where they are not running; when one
 * cannot be reached the tests fail with this message instead of skipping.
 */
import { connect as amqpConnect, ChannelModel } from 'amqplib';
import { AckPolicy, connect as natsConnect, NatsConnection } from 'nats';

export const natsPort = 4222;
export const amqpPort = 5672;
export const natsUrl = `nats://127.0.0.1:${natsPort}`;
export const amqpUrl = `amqp://guest:guest@127.0.0.1:${amqpPort}`;

export async function connectNats(): Promise<NatsConnection> {
  try {
    const connection = await natsConnect({ servers: `127.0.0.1:${natsPort}`, timeout: 5_000 });
    await (await connection.jetstreamManager()).getAccountInfo();
    return connection;
  } catch (error) {
    throw new Error(
      `NATS with JetStream is not reachable at ${natsUrl} (${describe(error)}): start it as .ci/run does (nats-server -js)`,
    );
  }
}

export async function connectAmqp(): Promise<ChannelModel> {
  try {
    const model = await amqpConnect(amqpUrl, { timeout: 5_000 });
    model.on('error', () => undefined);
    return model;
  } catch (error) {
    throw new Error(
      `RabbitMQ is not reachable at ${amqpUrl} (${describe(error)}): start it as .ci/run does (rabbitmq-server -detached)`,
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What a consumer got: the CloudEvent's id and position, and the broker's message id. */
export interface ReceivedEvent {
  id: string;
  position: number;
  messageId: string | undefined;
  subject: string;
}

export function receivedEvent(
  body: Uint8Array,
  messageId: string | undefined,
  subject: string,
): ReceivedEvent {
  const event = JSON.parse(Buffer.from(body).toString('utf8')) as {
    id: string;
    kontorposition: string;
  };
  return { id: event.id, position: Number(event.kontorposition), messageId, subject };
}

/**
 * A durable JetStream pull consumer on `stream`, acking each message; `onMessage` sees every
 * message with the count so far. Call the returned `stop()` to end it (the consumer stays).
 */
export async function consumeJetStream(
  connection: NatsConnection,
  stream: string,
  durable: string,
  onMessage: (received: ReceivedEvent, count: number) => void,
): Promise<{ received: ReceivedEvent[]; stop(): Promise<void> }> {
  const manager = await connection.jetstreamManager();
  await manager.consumers.add(stream, { durable_name: durable, ack_policy: AckPolicy.Explicit });
  const consumer = await connection.jetstream().consumers.get(stream, durable);
  const messages = await consumer.consume({ max_messages: 500 });
  const received: ReceivedEvent[] = [];
  const done = (async () => {
    for await (const message of messages) {
      const event = receivedEvent(
        message.data,
        message.headers?.get('Nats-Msg-Id'),
        message.subject,
      );
      received.push(event);
      message.ack();
      onMessage(event, received.length);
    }
  })();
  return {
    received,
    stop: async () => {
      await messages.close();
      await done;
    },
  };
}

/** Resolves when `condition()` holds, checked each time `poke` is called (from a consumer callback). */
export function when(condition: () => boolean): { promise: Promise<void>; poke(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  const poke = () => {
    if (condition()) resolve();
  };
  return { promise, poke };
}
