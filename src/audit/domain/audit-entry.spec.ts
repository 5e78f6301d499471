import fc from 'fast-check';
import { RecordedEvent } from '../../event-sourcing/index.js';
import { matchesAuditFilter, parseAuditTime, toAuditEntry } from './audit-entry.js';
import { parse } from 'csv-parse/sync';
import { csvWriter } from '../../event-sourcing/csv/index.js';
import { amountOf, exportHeader, exportRow } from './audit-export-format.js';
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

  it('puts an entry’s amount in its own columns; several currencies leave them empty', () => {
    const lines = [
      { account: '4930', side: 'debit', amountMinor: '1190', currency: 'EUR' },
      { account: '1576', side: 'debit', amountMinor: '226', currency: 'EUR' },
      { account: '1200', side: 'credit', amountMinor: '1416', currency: 'EUR' },
    ];
    expect(amountOf({ lines })).toEqual({ amountMinor: 1416n, currency: 'EUR' });
    expect(amountOf({ entry: { lines } })).toEqual({ amountMinor: 1416n, currency: 'EUR' });
    expect(amountOf({ amountMinor: '500', currency: 'JPY' })).toEqual({
      amountMinor: 500n,
      currency: 'JPY',
    });
    expect(amountOf({ lines: [...lines, { ...lines[0], currency: 'USD' }] })).toBeUndefined();
    expect(amountOf({ period: '2026-01' })).toBeUndefined();
    const entry = toAuditEntry(event({ type: 'JournalEntryPosted', data: { lines } }));
    const [row] = parse(exportHeader('csv') + exportRow('csv', entry), { columns: true }) as Record<
      string,
      string
    >[];
    expect(row).toMatchObject({ amount: '14.16', currency: 'EUR' });
  });

  it('writes the de dialect: BOM, `;` and a decimal comma, and parses back', () => {
    const csv = csvWriter('de');
    const lines = [{ side: 'debit', amountMinor: '123456', currency: 'EUR' }];
    const entry = toAuditEntry(event({ type: 'JournalEntryPosted', data: { lines, note: 'a;b' } }));
    const text = exportHeader('csv', csv) + exportRow('csv', entry, csv);
    expect(text.startsWith('\ufeffposition;recordedAt;type;')).toBe(true);
    const [row] = parse(text.slice(1), { columns: true, delimiter: ';' }) as Record<
      string,
      string
    >[];
    expect(row).toMatchObject({ amount: '1234,56', currency: 'EUR' });
    expect(JSON.parse(row!.data!).note).toBe('a;b');
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
