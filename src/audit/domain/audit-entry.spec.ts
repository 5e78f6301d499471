import fc from 'fast-check';
import { RecordedEvent } from '../../event-sourcing/index.js';
import { matchesAuditFilter, parseAuditTime, toAuditEntry } from './audit-entry.js';
import { parse } from 'csv-parse/sync';
import { exportHeader, exportRow, exportTrailer } from './audit-export-format.js';
import { parseDigest } from './digest.js';

function event(overrides: Partial<RecordedEvent> = {}): RecordedEvent {
  return {
    eventId: 'e-1',
    streamId: 'book-acme',
    revision: 0,
    position: 7n,
    type: 'PeriodClosed',
    schemaVersion: 1,
    data: { period: '2026-01' },
    metadata: { actor: { id: 'k-1', name: 'alice' }, correlationId: 'c-1' },
    recordedAt: '2026-02-01T10:00:00.000Z',
    prevHash: '0',
    hash: '1',
    ...overrides,
  };
}

describe('audit entries', () => {
  it('takes the book from metadata, else the stream, else data.book', () => {
    expect(
      toAuditEntry(
        event({ metadata: { actor: { id: 'a', name: 'b' }, correlationId: 'c', book: 'm' } }),
      ).book,
    ).toBe('m');
    expect(toAuditEntry(event()).book).toBe('acme');
    expect(toAuditEntry(event({ streamId: 'approval_request-1', data: { book: 'x' } })).book).toBe(
      'x',
    );
    expect(toAuditEntry(event({ streamId: 'api-keys', data: {} })).book).toBeNull();
  });

  it('matches every given filter (AND); actor by id or name', () => {
    const entry = toAuditEntry(event());
    expect(matchesAuditFilter(entry, { actor: 'alice', book: 'acme', type: 'PeriodClosed' })).toBe(
      true,
    );
    expect(matchesAuditFilter(entry, { actor: 'k-1' })).toBe(true);
    expect(matchesAuditFilter(entry, { actor: 'ALICE' })).toBe(true);
    expect(matchesAuditFilter(entry, { actor: 'a\u200blice ' })).toBe(true);
    expect(matchesAuditFilter(entry, { actor: 'K-1' })).toBe(false);
    expect(matchesAuditFilter(entry, { actor: 'alice', type: 'BookOpened' })).toBe(false);
    expect(
      matchesAuditFilter(entry, {
        from: '2026-02-01T10:00:00.000Z',
        to: '2026-02-01T10:00:00.001Z',
      }),
    ).toBe(true);
    expect(matchesAuditFilter(entry, { to: '2026-02-01T10:00:00.000Z' })).toBe(false);
    expect(matchesAuditFilter(entry, { visibleBooks: ['other'] })).toBe(false);
  });

  it('reads times and dates; a "to" date includes its day', () => {
    expect(parseAuditTime('2026-03-31', 'from')).toBe('2026-03-31T00:00:00.000Z');
    expect(parseAuditTime('2026-03-31', 'to')).toBe('2026-04-01T00:00:00.000Z');
    expect(parseAuditTime('2026-03-31T12:00:00+02:00', 'from')).toBe('2026-03-31T10:00:00.000Z');
    expect(parseAuditTime('2026-02-30', 'from')).toBeUndefined();
    expect(parseAuditTime('yesterday', 'from')).toBeUndefined();
    expect(parseAuditTime('2026-03-31T12:00:00', 'from')).toBeUndefined();
  });
});

describe('export lines', () => {
  it('quotes CSV fields that need it and parses back to the entry', () => {
    const data = { period: '2026-01', note: 'a "b",\nc', nested: [1, { x: null }] };
    const entry = toAuditEntry(
      event({
        data,
        metadata: { actor: { id: 'k', name: ' Bob, "the" builder' }, correlationId: 'c' },
      }),
    );
    const text = exportHeader('csv') + exportRow('csv', entry);
    const [row] = parse(text, { columns: true }) as Record<string, string>[];
    expect(row!.position).toBe('7');
    expect(row!.actorName).toBe(' Bob, "the" builder');
    expect(JSON.parse(row!.data!)).toEqual(data);
    expect(row!.summary).toBe(entry.summary);
  });

  it('jsonl rows parse back to the entry', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (data, name) => {
        const entry = toAuditEntry(
          event({ data, metadata: { actor: { id: 'k', name }, correlationId: 'c' } }),
        );
        const parsed = JSON.parse(exportRow('jsonl', entry));
        expect(parsed.actor.name).toBe(name);
        expect(parsed.data).toEqual(JSON.parse(JSON.stringify(data)));
      }),
    );
  });

  it('has a one-line trailer', () => {
    const trailer = {
      exportId: 'x',
      format: 'csv' as const,
      rows: 2,
      sha256: 'f'.repeat(64),
      untilPosition: '9',
    };
    expect(exportTrailer(trailer).trimEnd()).not.toMatch(/[\r\n]/);
    expect(JSON.parse(exportTrailer({ ...trailer, format: 'jsonl' }))).toEqual({
      trailer: { ...trailer, format: 'jsonl' },
    });
  });
});

describe('kept digests', () => {
  it('parses <hash>@<position>', () => {
    expect(parseDigest(`${'a'.repeat(64)}@12`)).toEqual({ hash: 'a'.repeat(64), position: 12n });
    expect(parseDigest(`${'a'.repeat(63)}@12`)).toBeUndefined();
    expect(parseDigest(`${'a'.repeat(64)}@0`)).toBeUndefined();
    expect(parseDigest('nonsense')).toBeUndefined();
  });
});
