import { AmqpPublisher } from '../../src/subscriptions/application/amqp-publisher.js';
import { amqpPort } from '../support/brokers.js';
import { TcpProxy } from '../support/tcp-proxy.js';

describe('AmqpPublisher against RabbitMQ', () => {
  it('closes a connection that opens only after connect() timed out, so none is left open or without an error listener', async () => {
    const proxy = await TcpProxy.start(amqpPort);
    try {
      const publisher = new AmqpPublisher({
        url: `amqp://guest:guest@127.0.0.1:${proxy.port}`,
        exchange: 'kontor_amqp_publisher_late',
        timeoutMilliseconds: 300,
      });
      // The handshake's round trips take longer than 300 ms together, never 300 ms idle.
      proxy.delayBy(60);
      await expect(publisher.connect()).rejects.toThrow('no connection within 300 ms');

      // The handshake completes late; the publisher closes that connection at once.
      await proxy.drained();
      await publisher.close();
    } finally {
      await proxy.close();
    }
  });
});
