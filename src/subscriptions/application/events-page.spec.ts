import { newId, NewEvent } from '../../event-sourcing/index.js';
import { InMemoryEventStore } from '../../infrastructure/memory/in-memory-event-store.js';
import { readEventsPage } from './events-page.js';

function event(type: string, book?: string): NewEvent {
  return {
    eventId: newId(),
    type,
    data: {},
    metadata: { actor: { id: 't', name: 'T' }, correlationId: newId(), ...(book ? { book } : {}) },
  };
}

async function seed(): Promise<InMemoryEventStore> {
  const store = new InMemoryEventStore();
  for (let index = 0; index < 30; index++) {
    await store.append(`s-${index % 3}`, [
      event(index % 5 === 0 ? 'Rare' : 'Common', index % 2 === 0 ? 'even' : 'odd'),
    ]);
  }
  return store;
}

describe('readEventsPage', () => {
  it('pages the whole log in order and ends with null', async () => {
    const store = await seed();
    const first = await readEventsPage(store, 0n, 12);
    expect(first.items.map((e) => e.position)).toEqual(
      Array.from({ length: 12 }, (_, i) => BigInt(i + 1)),
    );
    expect(first.nextAfter).toBe(12n);
    const rest = await readEventsPage(store, 12n, 100);
    expect(rest.items).toHaveLength(18);
    expect(rest.nextAfter).toBeNull();
  });

  it('filters by type, stream and book, and continues with the cursor', async () => {
    const store = await seed();
    const collected: bigint[] = [];
    let after: bigint | null = 0n;
    let pages = 0;
    while (after !== null) {
      const page = await readEventsPage(store, after, 2, { types: ['Rare'], book: 'even' });
      collected.push(...page.items.map((e) => e.position));
      after = page.nextAfter;
      pages++;
    }
    // index 0, 10, 20 are Rare and even
    expect(collected).toEqual([1n, 11n, 21n]);
    expect(pages).toBe(2);
    const stream = await readEventsPage(store, 0n, 100, { streamId: 's-1' });
    expect(stream.items.every((e) => e.streamId === 's-1')).toBe(true);
    expect(stream.items).toHaveLength(10);
  });

  it('bounds the scan of one filtered page and says where to go on', async () => {
    const store = await seed();
    const page = await readEventsPage(store, 0n, 10, { types: ['Nothing'] }, 7);
    expect(page.items).toEqual([]);
    expect(page.nextAfter).toBe(7n);
    const last = await readEventsPage(store, 7n, 10, { types: ['Nothing'] }, 100);
    expect(last.nextAfter).toBeNull();
  });

  it('shows a book-restricted reader only its books', async () => {
    const store = await seed();
    const page = await readEventsPage(store, 0n, 100, { visibleBooks: ['odd'] });
    expect(page.items).toHaveLength(15);
    expect(page.items.every((e) => e.metadata.book === 'odd')).toBe(true);
  });
});
