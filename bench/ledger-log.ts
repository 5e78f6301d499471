// The book log the ledger and relay benches start from.
import { newId, NewEvent } from '../src/event-sourcing/index.js';
import { SqliteEventStore } from '../src/infrastructure/sqlite/sqlite-event-store.js';
import { bookStreamId } from '../src/ledger/index.js';

const appendBatchEvents = 1_000;
const benchAccounts = ['1200', '1400', '1600', '4930', '8400', '1776'];

/** Writes `count` book events (2-line entries over a year and 6 accounts) straight into a SQLite log. */
export async function generateLog(file: string, count: number): Promise<void> {
  const store = await SqliteEventStore.open(file);
  const metadata = { actor: { id: 'bench', name: 'bench' }, correlationId: newId(), book: 'bench' };
  const event = (type: string, data: unknown): NewEvent => ({
    eventId: newId(),
    type,
    data,
    metadata,
  });
  try {
    const header = [
      event('BookOpened', {
        bookId: 'bench',
        name: 'Bench GmbH',
        baseCurrency: 'EUR',
        fiscalYearStartMonth: 1,
      }),
      ...benchAccounts.map((code, index) =>
        event('AccountOpened', {
          code,
          name: `Account ${code}`,
          type: ['asset', 'asset', 'liability', 'expense', 'revenue', 'liability'][index],
        }),
      ),
    ];
    await store.append(bookStreamId('bench'), header);
    let written = header.length;
    let entry = 0;
    while (written < count) {
      const batch: NewEvent[] = [];
      for (; batch.length < appendBatchEvents && written + batch.length < count; entry++) {
        const day = new Date(Date.UTC(2025, 0, 1 + (entry % 365))).toISOString().slice(0, 10);
        const amountMinor = String(100 + (entry % 100_000));
        batch.push(
          event('JournalEntryPosted', {
            entryId: `e${entry}`,
            effectiveDate: day,
            description: `Entry ${entry}`,
            lines: [
              { account: benchAccounts[entry % 6]!, side: 'debit', amountMinor, currency: 'EUR' },
              {
                account: benchAccounts[(entry + 1) % 6]!,
                side: 'credit',
                amountMinor,
                currency: 'EUR',
              },
            ],
          }),
        );
      }
      await store.append(bookStreamId('bench'), batch);
      written += batch.length;
    }
  } finally {
    await store.close();
  }
}
