import { ChannelModel, ConfirmChannel, connect } from 'amqplib';
import { redacted, RelaySettings } from '../../config.js';
import { cloudEventsContentType } from './cloud-event.js';
import { BrokerPublisher, RelayMessage, withTimeout } from './broker-publisher.js';

type AmqpSettings = Pick<RelaySettings, 'url' | 'exchange' | 'timeoutMilliseconds'>;

/**
 * RabbitMQ: a durable topic exchange (`kontor`), persistent messages with `message-id` = event id
 * on a confirm channel; `publish` resolves on the broker's ack. A message no queue is bound for
 * is dropped by RabbitMQ (and still acked): bind the consumers' queues first (docs/integration.md).
 */
export class AmqpPublisher implements BrokerPublisher {
  readonly description: string;
  private model: ChannelModel | undefined;
  private channel: ConfirmChannel | undefined;

  constructor(private readonly settings: AmqpSettings) {
    this.description = `RabbitMQ ${redacted(settings.url)}, exchange ${settings.exchange}`;
  }

  async connect(): Promise<void> {
    if (this.channel) return;
    const connecting = connect(this.settings.url, { timeout: this.settings.timeoutMilliseconds });
    const model = await withTimeout(
      connecting,
      this.settings.timeoutMilliseconds,
      `no connection within ${this.settings.timeoutMilliseconds} ms`,
    ).catch((error: unknown) => {
      // A connection that opens after the timeout is closed at once: left open, it would leak,
      // and its first socket error, with no listener, would end the process.
      void connecting.then(closeLate, () => undefined);
      throw error;
    });
    this.model = model;
    // A lost connection ends this one for good; the relay's next connect() opens a new one.
    model.on('error', () => undefined);
    model.on('close', () => this.forget(model));
    try {
      const channel = await model.createConfirmChannel();
      channel.on('error', () => undefined);
      channel.on('close', () => this.forget(model));
      await channel.assertExchange(this.settings.exchange, 'topic', { durable: true });
      this.channel = channel;
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  publish(message: RelayMessage): Promise<void> {
    const channel = this.channel;
    if (!channel) return Promise.reject(new Error('not connected'));
    const confirmed = new Promise<void>((resolve, reject) => {
      channel.publish(
        this.settings.exchange,
        message.subject,
        message.body,
        {
          persistent: true,
          messageId: message.id,
          contentType: cloudEventsContentType,
        },
        (error: unknown) =>
          error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(),
      );
    });
    return withTimeout(
      confirmed,
      this.settings.timeoutMilliseconds,
      `no publisher confirm within ${this.settings.timeoutMilliseconds} ms`,
    );
  }

  async close(): Promise<void> {
    const model = this.model;
    this.forget(model);
    await model?.close().catch(() => undefined);
  }

  private forget(model: ChannelModel | undefined): void {
    if (model !== this.model) return;
    this.model = undefined;
    this.channel = undefined;
  }
}

function closeLate(model: ChannelModel): Promise<void> {
  model.on('error', () => undefined);
  return model.close().catch(() => undefined);
}
