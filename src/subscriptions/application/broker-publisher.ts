import { RelaySettings } from '../relay.settings.js';
import { AmqpPublisher } from './amqp-publisher.js';
import { JetStreamPublisher } from './jetstream-publisher.js';

/** One event for the broker: a structured-mode CloudEvent under its subject / routing key. */
export interface RelayMessage {
  subject: string;
  /** The event id: `Nats-Msg-Id` (JetStream drops duplicates) / AMQP `message-id`. */
  id: string;
  body: Buffer;
}

/**
 * A connection to one broker. `publish` resolves once the broker confirmed that it stored the
 * message (JetStream PubAck, RabbitMQ publisher confirm) and rejects otherwise, at the latest
 * after the timeout. Messages published on one connection are stored in the order of the calls.
 * After a failure the relay calls `close()` and `connect()` again: a fresh connection, no
 * leftover buffers that could reorder a retry.
 */
export interface BrokerPublisher {
  readonly description: string;
  connect(): Promise<void>;
  publish(message: RelayMessage): Promise<void>;
  close(): Promise<void>;
}

export function createBrokerPublisher(settings: RelaySettings): BrokerPublisher {
  return settings.broker === 'nats'
    ? new JetStreamPublisher(settings)
    : new AmqpPublisher(settings);
}

/** Rejects with `message` when `promise` has not settled after `milliseconds`. */
export function withTimeout<T>(
  promise: Promise<T>,
  milliseconds: number,
  message: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), milliseconds);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
