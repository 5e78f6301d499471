import {
  connect,
  headers,
  JetStreamClient,
  JetStreamManager,
  nanos,
  NatsConnection,
  NatsError,
  StorageType,
} from 'nats';
import { RelaySettings, redacted } from '../relay.settings.js';
import { cloudEventsContentType } from './cloud-event.js';
import { BrokerPublisher, RelayMessage } from './broker-publisher.js';

/** JetStream drops a message whose `Nats-Msg-Id` it stored within this window (a re-publish after a crash). */
export const duplicateWindowMilliseconds = 10 * 60_000;

type JetStreamSettings = Pick<
  RelaySettings,
  'url' | 'stream' | 'subjectPrefix' | 'timeoutMilliseconds'
>;

/**
 * NATS JetStream: the stream (`KONTOR` over `kontor.>`, file storage) is created when missing;
 * each publish carries `Nats-Msg-Id` = event id and waits for its PubAck. The client's own
 * reconnect is off: the relay reconnects itself, so nothing buffered during an outage is sent
 * behind its back.
 */
export class JetStreamPublisher implements BrokerPublisher {
  readonly description: string;
  private connection: NatsConnection | undefined;
  private jetStream: JetStreamClient | undefined;

  constructor(private readonly settings: JetStreamSettings) {
    this.description = `NATS JetStream ${redacted(settings.url)}, stream ${settings.stream}`;
  }

  async connect(): Promise<void> {
    if (this.connection && !this.connection.isClosed() && this.jetStream) return;
    const url = new URL(this.settings.url);
    const connection = await connect({
      servers: `${url.hostname}:${url.port || '4222'}`,
      ...(url.username ? { user: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { pass: decodeURIComponent(url.password) } : {}),
      name: 'kontor-relay',
      reconnect: false,
      timeout: this.settings.timeoutMilliseconds,
    });
    this.connection = connection;
    try {
      await this.ensureStream(
        await connection.jetstreamManager({ timeout: this.settings.timeoutMilliseconds }),
      );
      this.jetStream = connection.jetstream({ timeout: this.settings.timeoutMilliseconds });
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async publish(message: RelayMessage): Promise<void> {
    if (!this.jetStream) throw new Error('not connected');
    const messageHeaders = headers();
    messageHeaders.set('content-type', cloudEventsContentType);
    await this.jetStream.publish(message.subject, message.body, {
      msgID: message.id,
      headers: messageHeaders,
      timeout: this.settings.timeoutMilliseconds,
    });
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.jetStream = undefined;
    if (connection && !connection.isClosed()) await connection.close().catch(() => undefined);
  }

  private async ensureStream(manager: JetStreamManager): Promise<void> {
    const { stream, subjectPrefix } = this.settings;
    try {
      await manager.streams.info(stream);
      return;
    } catch (error) {
      if (!(error instanceof NatsError) || error.api_error?.err_code !== streamNotFound)
        throw error;
    }
    await manager.streams.add({
      name: stream,
      subjects: [`${subjectPrefix}.>`],
      storage: StorageType.File,
      duplicate_window: nanos(duplicateWindowMilliseconds),
    });
  }
}

/** JetStream API error code: stream not found. */
const streamNotFound = 10059;
