import { RecordedEvent } from '../../event-sourcing/index.js';

export const cloudEventsSpecVersion = '1.0';
/** The source of events that belong to no book (API keys, webhooks, delegations). */
export const kontorSource = '/kontor';

/** A CloudEvents 1.0 event in structured JSON mode (https://github.com/cloudevents/spec). */
export interface KontorCloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  data: unknown;
  /** Extension: the global log position, as a string (CloudEvents integers are 32-bit). */
  kontorposition: string;
  /** Extension: the correlation id shared by everything one request caused. */
  kontorcorrelationid: string;
  /**
   * Extensions that let a receiver recompute the event's hash (docs/audit.md): the revision in
   * its stream, the metadata as JSON text (extension values are scalars), and the chain links.
   */
  kontorrevision: number;
  kontormetadata: string;
  kontorprevhash: string;
  kontorhash: string;
}

export const cloudEventsContentType = 'application/cloudevents+json';
export const cloudEventsBatchContentType = 'application/cloudevents-batch+json';

/**
 * `id` = event id (a consumer de-duplicates on it), `source` = `/kontor/books/<book>` for book
 * events, `type` = `kontor.<EventType>.v<schemaVersion>`, `subject` = the stream.
 */
export function toCloudEvent(event: RecordedEvent): KontorCloudEvent {
  const book = event.metadata.book;
  return {
    specversion: cloudEventsSpecVersion,
    id: event.eventId,
    source:
      typeof book === 'string' ? `${kontorSource}/books/${encodeURIComponent(book)}` : kontorSource,
    type: `kontor.${event.type}.v${event.schemaVersion}`,
    time: event.recordedAt,
    subject: event.streamId,
    datacontenttype: 'application/json',
    data: event.data,
    kontorposition: event.position.toString(),
    kontorcorrelationid: event.metadata.correlationId,
    kontorrevision: event.revision,
    kontormetadata: JSON.stringify(event.metadata),
    kontorprevhash: event.prevHash,
    kontorhash: event.hash,
  };
}
