import { createHash } from 'node:crypto';
import { canonicalEventJson, genesisHash } from '../../event-sourcing/index.js';
import {
  canonicalStreamEventJson,
  StreamHashedFields,
  streamChainHash,
} from './stream-hash-chain.js';

const event: StreamHashedFields = {
  eventId: '0b6c7a52-51f5-4a43-9a55-2a1f5c1a7d11',
  streamId: 'book-acme',
  revision: 3,
  type: 'JournalEntryPosted',
  schemaVersion: 1,
  data: { z: 1, a: [1.5, null], amountMinor: '100' },
  metadata: { actor: { id: 'key-1', name: 'Alice' }, correlationId: 'c-1' },
  recordedAt: '2026-01-01T00:00:00.000Z',
};

describe('per-stream hash chain', () => {
  it('covers the kernel’s hashed fields except the position, in RFC 8785 form', () => {
    const json = canonicalStreamEventJson(event);

    expect(json).toBe(
      '{"data":{"a":[1.5,null],"amountMinor":"100","z":1},"eventId":"0b6c7a52-51f5-4a43-9a55-2a1f5c1a7d11",' +
        '"metadata":{"actor":{"id":"key-1","name":"Alice"},"correlationId":"c-1"},"recordedAt":"2026-01-01T00:00:00.000Z",' +
        '"revision":3,"schemaVersion":1,"streamId":"book-acme","type":"JournalEntryPosted"}',
    );
    const kernel = JSON.parse(canonicalEventJson({ ...event, position: 42n })) as Record<
      string,
      unknown
    >;
    delete kernel.position;
    expect(JSON.parse(json)).toEqual(kernel);
  });

  it('is sha256 of the previous hash followed by the canonical JSON', () => {
    const expected = createHash('sha256')
      .update(genesisHash + canonicalStreamEventJson(event))
      .digest('hex');
    expect(streamChainHash(genesisHash, event)).toBe(expected);
  });

  it('changes with the previous hash and with every hashed field', () => {
    const base = streamChainHash(genesisHash, event);
    expect(streamChainHash('f'.repeat(64), event)).not.toBe(base);
    const variants: StreamHashedFields[] = [
      { ...event, eventId: 'other' },
      { ...event, streamId: 'book-other' },
      { ...event, revision: 4 },
      { ...event, type: 'Other' },
      { ...event, schemaVersion: 2 },
      { ...event, data: { ...(event.data as object), z: 2 } },
      { ...event, metadata: { ...event.metadata, book: 'acme' } },
      { ...event, recordedAt: '2026-01-01T00:00:00.001Z' },
    ];
    for (const variant of variants) expect(streamChainHash(genesisHash, variant)).not.toBe(base);
  });

  it('does not depend on key order', () => {
    const reordered = { ...event, data: { amountMinor: '100', a: [1.5, null], z: 1 } };
    expect(streamChainHash(genesisHash, reordered)).toBe(streamChainHash(genesisHash, event));
  });
});
