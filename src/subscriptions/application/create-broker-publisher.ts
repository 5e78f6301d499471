import { RelaySettings } from '../../config.js';
import { AmqpPublisher } from './amqp-publisher.js';
import { BrokerPublisher } from './broker-publisher.js';
import { JetStreamPublisher } from './jetstream-publisher.js';

/** The publisher for KONTOR_RELAY_URL's broker. */
export function createBrokerPublisher(settings: RelaySettings): BrokerPublisher {
  return settings.broker === 'nats'
    ? new JetStreamPublisher(settings)
    : new AmqpPublisher(settings);
}
