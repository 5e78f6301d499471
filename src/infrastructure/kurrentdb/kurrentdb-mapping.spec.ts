import { StreamNotFoundError, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import {
  AssertionFailed,
  deterministicId,
  ValidationError,
  WrongExpectedRevisionError,
} from '../../event-sourcing/index.js';
import {
  envelopeVersion,
  isStreamNotFound,
  isWrongExpectedVersion,
  kurrentEventId,
  StreamNaming,
  streamStateAfter,
  toRecordedEvent,
  toWrongExpectedRevision,
} from './kurrentdb-mapping.js';

describe('StreamNaming', () => {
  describe('without a namespace', () => {
    const naming = new StreamNaming();
    const inLog = (name: string) => new RegExp(naming.logFilterRegex).test(name);

    it('keeps stream names and puts snapshots in their own streams', () => {
      expect(naming.domainStream('book-acme')).toBe('book-acme');
      expect(naming.snapshotStream('book-acme')).toBe('kontor-snapshot-book-acme');
      expect(naming.streamIdOf('book-acme')).toBe('book-acme');
    });

    it('refuses stream ids KurrentDB or the adapter reserve', () => {
      for (const reserved of ['', '$stats', '$$book', 'kontor-snapshot-book']) {
        expect(() => naming.domainStream(reserved)).toThrow(ValidationError);
      }
    });

    it('filters $all to the Kontor log: no system streams, metadata streams or snapshots', () => {
      expect(inLog('book-acme')).toBe(true);
      expect(inLog('approval_request-1')).toBe(true);
      expect(inLog('$stats-127.0.0.1:2113')).toBe(false);
      expect(inLog('$$book-acme')).toBe(false);
      expect(inLog('kontor-snapshot-book-acme')).toBe(false);
      expect(naming.isDomainStream('kontor-snapshot-book-acme')).toBe(false);
      expect(naming.isDomainStream('$$book-acme')).toBe(false);
    });
  });

  describe('with a namespace', () => {
    const naming = new StreamNaming('tenant_1');
    const inLog = (name: string) => new RegExp(naming.logFilterRegex).test(name);

    it('prefixes stream names and strips the prefix when reading', () => {
      expect(naming.domainStream('book-acme')).toBe('tenant_1:book-acme');
      expect(naming.snapshotStream('book-acme')).toBe('kontor-snapshot-tenant_1:book-acme');
      expect(naming.streamIdOf('tenant_1:book-acme')).toBe('book-acme');
      expect(() => naming.streamIdOf('tenant_2:book-acme')).toThrow(AssertionFailed);
    });

    it('sees only its own streams', () => {
      expect(inLog('tenant_1:book-acme')).toBe(true);
      expect(inLog('tenant_12:book-acme')).toBe(false);
      expect(inLog('book-acme')).toBe(false);
      expect(inLog('kontor-snapshot-tenant_1:book-acme')).toBe(false);
      expect(naming.isDomainStream('tenant_12:book-acme')).toBe(false);
    });

    it('refuses namespaces that could overlap others or the reserved names', () => {
      for (const bad of ['', 'a:b', '$x', 'kontor-snapshot', 'with space']) {
        expect(() => new StreamNaming(bad)).toThrow(ValidationError);
      }
    });
  });
});

describe('kurrentEventId', () => {
  it('keeps a UUID (lower case) and derives a stable UUID from anything else', () => {
    expect(kurrentEventId('0B6C7A52-51F5-4A43-9A55-2A1F5C1A7D11')).toBe(
      '0b6c7a52-51f5-4a43-9a55-2a1f5c1a7d11',
    );
    expect(kurrentEventId('cmd-1:0')).toBe(deterministicId('kontor-event-id', 'cmd-1:0'));
    expect(kurrentEventId('cmd-1:0')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('expected revisions and errors', () => {
  it('always appends with the exact state read: no_stream or the last revision', () => {
    expect(streamStateAfter(undefined)).toBe('no_stream');
    expect(streamStateAfter(0)).toBe(0n);
    expect(streamStateAfter(41)).toBe(41n);
  });

  it('maps KurrentDB’s WrongExpectedVersion to the kernel’s error, keeping the caller’s expectation', () => {
    const onExisting = new WrongExpectedVersionError(undefined, {
      streamName: 'book-1',
      expected: 0n,
      current: 3n,
    });
    const onMissing = new WrongExpectedVersionError(undefined, {
      streamName: 'book-1',
      expected: 'stream_exists',
      current: 'no_stream',
    });

    const existing = toWrongExpectedRevision('book-1', 'any', onExisting);
    expect(existing).toBeInstanceOf(WrongExpectedRevisionError);
    expect(existing).toMatchObject({
      streamId: 'book-1',
      expected: 'any',
      actual: 3,
      code: 'conflict',
    });
    expect(toWrongExpectedRevision('book-1', 'stream_exists', onMissing)).toMatchObject({
      expected: 'stream_exists',
      actual: 'no_stream',
    });
  });

  it('recognises the client’s errors by their type', () => {
    expect(
      isWrongExpectedVersion(
        new WrongExpectedVersionError(undefined, { streamName: 's', expected: 1n, current: 2n }),
      ),
    ).toBe(true);
    expect(isWrongExpectedVersion(new Error('wrong-expected-version'))).toBe(false);
    expect(isStreamNotFound(new StreamNotFoundError(undefined, 's'))).toBe(true);
    expect(
      isStreamNotFound(
        new WrongExpectedVersionError(undefined, { streamName: 's', expected: 1n, current: 2n }),
      ),
    ).toBe(false);
  });
});

describe('toRecordedEvent', () => {
  const naming = new StreamNaming('ns');
  const envelope = {
    kontor: envelopeVersion,
    eventId: 'cmd-1:0',
    schemaVersion: 2,
    recordedAt: '2026-01-01T00:00:00.000Z',
    prevHash: '0'.repeat(64),
    hash: 'a'.repeat(64),
    metadata: { actor: { id: 'k', name: 'K' }, correlationId: 'c' },
    $correlationId: 'c',
  };
  const record = {
    streamId: 'ns:book-1',
    id: kurrentEventId('cmd-1:0'),
    isJson: true as const,
    revision: 0n,
    type: 'Posted',
    created: new Date(),
    data: { x: 1 },
    metadata: envelope,
    position: { commit: 1234n, prepare: 1234n },
  };

  it('takes the Kontor fields from the envelope and the position from the commit position', () => {
    expect(toRecordedEvent(record, naming)).toEqual({
      eventId: 'cmd-1:0',
      streamId: 'book-1',
      revision: 0,
      position: 1234n,
      type: 'Posted',
      schemaVersion: 2,
      data: { x: 1 },
      metadata: envelope.metadata,
      recordedAt: envelope.recordedAt,
      prevHash: envelope.prevHash,
      hash: envelope.hash,
    });
  });

  it('refuses an event Kontor did not write, and a server too old to give positions', () => {
    expect(() => toRecordedEvent({ ...record, metadata: { $correlationId: 'c' } }, naming)).toThrow(
      /not written by Kontor/,
    );
    expect(() => toRecordedEvent({ ...record, position: undefined }, naming)).toThrow(
      /22\.6 or later/,
    );
  });
});
