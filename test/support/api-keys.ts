/** The API key suites' shared helpers. */
import { apiKeysStreamId } from '../../src/access/index.js';
import { EventStore, RecordedEvent } from '../../src/event-sourcing/index.js';

/** What an issued key looks like: `kontor_` and 43 base64url characters. */
export const keyFormat = /^kontor_[A-Za-z0-9_-]{43}$/;

export async function issuedEvents(store: EventStore): Promise<RecordedEvent[]> {
  return (await store.readStream(apiKeysStreamId)).filter((event) => event.type === 'ApiKeyIssued');
}
