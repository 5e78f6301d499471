import { parse } from 'csv-parse/sync';
import { newId } from '../../event-sourcing/index.js';
import { InMemoryEventStore } from '../../infrastructure/memory/in-memory-event-store.js';
import { bookOpened, entryPosted } from '../testing/book.test-fixtures.js';
import { bookStreamId } from '../domain/book.events.js';
import { exportBook } from './book-export.js';

const metadata = { actor: { id: 'k', name: 'alice' }, correlationId: 'c', commandId: 'x' };

async function csvOf(dialect: 'standard' | 'de'): Promise<string> {
  const store = new InMemoryEventStore();
  await store.append(
    bookStreamId('acme-gmbh'),
    [bookOpened, entryPosted({ description: '=HYPERLINK("x")' })].map((event) => ({
      eventId: newId(),
      ...event,
      metadata,
    })),
  );
  let text = '';
  for await (const chunk of exportBook(store, 'acme-gmbh', 'csv', { dialect })) text += chunk;
  return text;
}

describe('the journal CSV of kontor export', () => {
  it('standard: `,` and a decimal point, formulas neutralized', async () => {
    const rows = parse(await csvOf('standard'), { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => [row.account, row.debit, row.credit])).toEqual([
      ['6310', '1200.00', ''],
      ['1200', '', '1200.00'],
    ]);
    expect(rows[0]!.description).toBe('\'=HYPERLINK("x")');
  });

  it('de: BOM, `;` and a decimal comma', async () => {
    const text = await csvOf('de');
    expect(text.startsWith('\ufeffentry_id;effective_date;')).toBe(true);
    const rows = parse(text.slice(1), { columns: true, delimiter: ';' }) as Record<
      string,
      string
    >[];
    expect(rows.map((row) => [row.debit, row.credit])).toEqual([
      ['1200,00', ''],
      ['', '1200,00'],
    ]);
  });
});
