import { DomainEvent, EventMetadata, NewEvent } from './event.js';
import { deterministicId } from './ids.js';

/**
 * Gives decided events their ids and metadata. Ids derive from the command id, so a retried
 * command appends nothing new (the store treats known event ids as an idempotent retry).
 */
export function toNewEvents(events: DomainEvent[], metadata: EventMetadata & { commandId: string }): NewEvent[] {
  return events.map((event, index) => ({
    eventId: deterministicId(metadata.commandId, String(index)),
    type: event.type,
    schemaVersion: event.schemaVersion ?? 1,
    data: event.data,
    metadata,
  }));
}
