import { CloudEvent } from 'cloudevents';
import { RecordedEvent } from '../../event-sourcing/index.js';
import { toCloudEvent } from './cloud-event.js';

function recorded(overrides: Partial<RecordedEvent> = {}): RecordedEvent {
  return {
    eventId: '6f1c1a52-3a55-4a4e-9f38-0d7d3c1e9b11',
    streamId: 'book-acme gmbh',
    revision: 3,
    position: 42n,
    type: 'JournalEntryPosted',
    schemaVersion: 1,
    data: { entryId: 'e1' },
    metadata: { actor: { id: 'key_1', name: 'Ada' }, correlationId: 'req-1', book: 'acme gmbh' },
    recordedAt: '2026-03-31T09:15:00.000Z',
    prevHash: '0'.repeat(64),
    hash: '1'.repeat(64),
    ...overrides,
  };
}

describe('toCloudEvent', () => {
  it('maps a book event to a valid CloudEvents 1.0 event', () => {
    const mapped = toCloudEvent(recorded());
    expect(mapped).toEqual({
      specversion: '1.0',
      id: '6f1c1a52-3a55-4a4e-9f38-0d7d3c1e9b11',
      source: '/kontor/books/acme%20gmbh',
      type: 'kontor.JournalEntryPosted.v1',
      time: '2026-03-31T09:15:00.000Z',
      subject: 'book-acme gmbh',
      datacontenttype: 'application/json',
      data: { entryId: 'e1' },
      kontorposition: '42',
      kontorcorrelationid: 'req-1',
      kontorrevision: 3,
      kontormetadata: JSON.stringify(recorded().metadata),
      kontorprevhash: '0'.repeat(64),
      kontorhash: '1'.repeat(64),
    });
    // The SDK validates attributes and extension names (lowercase alphanumerics) on construction.
    const parsed = new CloudEvent(
      JSON.parse(JSON.stringify(mapped)) as Record<string, unknown>,
      true,
    );
    expect(parsed.validate()).toBe(true);
    expect(parsed['kontorposition']).toBe('42');
  });

  it('gives events without a book the Kontor source', () => {
    const mapped = toCloudEvent(
      recorded({
        metadata: { actor: { id: 'system', name: 'system' }, correlationId: 'c' },
        schemaVersion: 2,
      }),
    );
    expect(mapped.source).toBe('/kontor');
    expect(mapped.type).toBe('kontor.JournalEntryPosted.v2');
    expect(
      new CloudEvent(JSON.parse(JSON.stringify(mapped)) as Record<string, unknown>).validate(),
    ).toBe(true);
  });
});
