import { genesisHash, NewEvent, ValidationError } from '../../event-sourcing/index.js';
import { kurrentEventId } from './kurrentdb-mapping.js';
import {
  emptyTail,
  planStreamAppend,
  prepareNewEvent,
  retryWindowStart,
} from './stream-append-plan.js';
import { streamChainHash } from './stream-hash-chain.js';

const recordedAt = '2026-02-03T04:05:06.789Z';

function newEvent(eventId: string, data: unknown = { n: 1 }): NewEvent {
  return {
    eventId,
    type: 'Tested',
    data,
    metadata: { actor: { id: 'k', name: 'K' }, correlationId: 'corr', causationId: 'cause' },
  };
}

describe('prepareNewEvent', () => {
  it('puts data and metadata in the JSON form KurrentDB hands back, and defaults schemaVersion to 1', () => {
    const prepared = prepareNewEvent(
      newEvent('cmd-1:0', { negativeZero: -0, gone: undefined, big: 1e21 }),
    );
    expect(prepared).toEqual({
      eventId: 'cmd-1:0',
      kurrentId: kurrentEventId('cmd-1:0'),
      type: 'Tested',
      schemaVersion: 1,
      data: { negativeZero: 0, big: 1e21 },
      metadata: { actor: { id: 'k', name: 'K' }, correlationId: 'corr', causationId: 'cause' },
    });
    expect(Object.is((prepared.data as { negativeZero: number }).negativeZero, 0)).toBe(true);
  });

  it('refuses reserved event types and data that has no JSON form', () => {
    expect(() => prepareNewEvent({ ...newEvent('e'), type: '$metadata' })).toThrow(ValidationError);
    expect(() => prepareNewEvent({ ...newEvent('e'), type: '' })).toThrow(ValidationError);
    expect(() => prepareNewEvent(newEvent('e', { amount: 1n }))).toThrow(ValidationError);
  });
});

describe('planStreamAppend', () => {
  const events = [prepareNewEvent(newEvent('a')), prepareNewEvent(newEvent('b'))];

  it('numbers a new stream from 0 and chains from genesis', () => {
    const planned = planStreamAppend('book-1', events, emptyTail, recordedAt);

    expect(planned.map((event) => event.revision)).toEqual([0, 1]);
    expect(planned[0]!.envelope.prevHash).toBe(genesisHash);
    expect(planned[1]!.envelope.prevHash).toBe(planned[0]!.envelope.hash);
    expect(planned[0]!.envelope.hash).toBe(
      streamChainHash(genesisHash, {
        eventId: 'a',
        streamId: 'book-1',
        revision: 0,
        type: 'Tested',
        schemaVersion: 1,
        data: { n: 1 },
        metadata: events[0]!.metadata,
        recordedAt,
      }),
    );
  });

  it('continues after the tail: its revision and its hash', () => {
    const tailHash = 'c'.repeat(64);
    const planned = planStreamAppend(
      'book-1',
      events,
      { lastRevision: 6, lastHash: tailHash },
      recordedAt,
    );

    expect(planned.map((event) => event.revision)).toEqual([7, 8]);
    expect(planned[0]!.envelope.prevHash).toBe(tailHash);
  });

  it('builds KurrentDB JSON events carrying the envelope, with KurrentDB’s correlation conventions', () => {
    const [first] = planStreamAppend('book-1', events, emptyTail, recordedAt);

    expect(first!.eventData).toEqual({
      id: kurrentEventId('a'),
      contentType: 'application/json',
      type: 'Tested',
      data: { n: 1 },
      metadata: {
        kontor: 1,
        eventId: 'a',
        schemaVersion: 1,
        recordedAt,
        prevHash: genesisHash,
        hash: first!.envelope.hash,
        metadata: events[0]!.metadata,
        $correlationId: 'corr',
        $causationId: 'cause',
      },
    });
  });
});

describe('retryWindowStart', () => {
  it.each([
    ['a number behind the stream', 2, 5, 3],
    ['the current revision', 5, 5, undefined],
    ['a number ahead of the stream', 9, 5, undefined],
    ['no_stream on an existing stream', 'no_stream', 5, 0],
    ['any', 'any', 5, undefined],
    ['stream_exists', 'stream_exists', 5, undefined],
    ['anything on a missing stream', 0, undefined, undefined],
  ] as const)('%s', (_, expected, lastRevision, start) => {
    expect(retryWindowStart(expected, lastRevision)).toBe(start);
  });
});
