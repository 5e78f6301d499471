import { DomainEvent, EventMetadata, NewEvent } from './event.js';
import { commandEventId } from './ids.js';

/**
 * Gives decided events their ids and metadata. Ids derive from the command id (`commandEventId`),
 * so a retried command appends nothing new (the store treats known event ids as an idempotent
 * retry).
 */
export function toNewEvents(
  events: DomainEvent[],
  metadata: EventMetadata & { commandId: string },
): NewEvent[] {
  return events.map((event, index) => ({
    eventId: commandEventId(metadata.commandId, index),
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    data: event.data,
    metadata,
  }));
}
