import { Module } from '@nestjs/common';
import { EventsController } from './api/events.controller.js';

/**
 * `GET /v1/events` and `GET /v1/streams/:streamId`: the log, read directly from the event store
 * (EVENT_STORE from the global infrastructure module). The SSE and webhook parts of the
 * subscriptions module can import or absorb it.
 */
@Module({ controllers: [EventsController] })
export class EventsApiModule {}

// The public JSON of an event, for other modules' routes that show events (audit: an entry's events).
export { EventResponse, toEventResponse } from './api/events.dto.js';
