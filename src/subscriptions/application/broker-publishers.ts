import { RelaySettings } from '../relay.settings.js';
import { AmqpPublisher } from './amqp-publisher.js';
import { BrokerPublisher } from './broker-publisher.js';
import { JetStreamPublisher } from './jetstream-publisher.js';

/** The publisher for the configured broker (its own file: the publishers import broker-publisher.ts). */
export function createBrokerPublisher(settings: RelaySettings): BrokerPublisher {
  return settings.broker === 'nats'
    ? new JetStreamPublisher(settings)
    : new AmqpPublisher(settings);
}
