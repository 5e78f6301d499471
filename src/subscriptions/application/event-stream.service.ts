import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { apiKeysStreamId } from '../../access/index.js';
import { EventStore, RecordedEvent } from '../../event-sourcing/index.js';
import { EVENT_STORE } from '../../infrastructure/tokens.js';
import { toEventResponse } from '../api/events.dto.js';
import { SUBSCRIPTIONS_SETTINGS, SubscriptionsSettings } from '../subscriptions.settings.js';
import { toCloudEvent } from './cloud-event.js';
import { EventStreamSession, SseSink } from './event-stream.session.js';
import { eventMatches, EventsFilter } from './events-page.js';
import { LiveEventHub } from './live-event-hub.js';

export type EventFormat = 'kontor' | 'cloudevents';

/** Every client gets the same bytes for one event: rendered once per format, kept while the event lives. */
const rendered = {
  kontor: new WeakMap<RecordedEvent, string>(),
  cloudevents: new WeakMap<RecordedEvent, string>(),
};

export function renderEvent(event: RecordedEvent, format: EventFormat): string {
  let text = rendered[format].get(event);
  if (text === undefined) {
    text = JSON.stringify(format === 'cloudevents' ? toCloudEvent(event) : toEventResponse(event));
    rendered[format].set(event, text);
  }
  return text;
}

/** The SSE side of the subscriptions module: one live hub, many sessions (any instance, not only the leader). */
@Injectable()
export class EventStreamService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('EventStream');
  private readonly hub: LiveEventHub;
  private readonly sessions = new Set<EventStreamSession>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SUBSCRIPTIONS_SETTINGS) private readonly settings: SubscriptionsSettings,
  ) {
    this.hub = new LiveEventHub(store, (error) =>
      this.logger.error(`live event hub: ${String(error)}`),
    );
  }

  async onModuleInit(): Promise<void> {
    await this.hub.start();
  }

  async onModuleDestroy(): Promise<void> {
    for (const session of this.sessions) session.stop();
    await this.hub.stop();
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Throws InvalidPositionError when the store cannot read after `after` (not an event's position). */
  async checkPosition(after: bigint): Promise<void> {
    await this.store.readAll({ after, limit: 1 });
  }

  open(
    sink: SseSink,
    after: bigint,
    filter: EventsFilter,
    format: EventFormat,
    keyId: string,
  ): EventStreamSession {
    const session = new EventStreamSession(this.store, this.hub, sink, {
      after,
      matches: (event) => eventMatches(event, filter),
      // Every instance follows the log, so a revocation made anywhere cuts the stream here too.
      endsStream: (event) =>
        event.type === 'ApiKeyRevoked' &&
        event.streamId === apiKeysStreamId &&
        (event.data as { keyId?: unknown }).keyId === keyId,
      render: (event) => renderEvent(event, format),
      bufferBytesMax: this.settings.sseBufferBytesMax,
      heartbeatMilliseconds: this.settings.sseHeartbeatMilliseconds,
      onEnd: (reason) => {
        this.sessions.delete(session);
        if (reason === 'slow-consumer')
          this.logger.warn(
            'an SSE client fell behind its buffer: stream ended, it resumes from its last id',
          );
      },
    });
    this.sessions.add(session);
    session.start();
    return session;
  }
}
