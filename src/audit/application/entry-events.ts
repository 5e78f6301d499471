import { assert, EventStore, RecordedEvent } from '../../event-sourcing/index.js';
import { SqlDatabase } from '../../infrastructure/sql/index.js';
import { bookStreamId } from '../../ledger/index.js';
import { JournalReadModel } from '../../ledger/ledger-read.module.js';
import { streamAuditEntries } from '../projections/audit-trail.queries.js';

/** How an event belongs to a journal entry. */
export type EntryEventRelation = 'posting' | 'reversal' | 'approval';

export interface EntryEvent {
  relation: EntryEventRelation;
  event: RecordedEvent;
}

/**
 * The events of one journal entry, in log order: the event that posted it (at the entry's
 * position in its book's stream), the reversal's posting event if it was reversed, and, when it
 * was posted by an approval, every event of that approval request. The request is found in the
 * audit trail: its ApprovalExecuted shares the posting event's correlation id and names the entry.
 * Throws NotFoundError (from the journal) for an unknown book or entry.
 */
export async function readEntryEvents(
  store: EventStore,
  journal: JournalReadModel,
  auditDb: SqlDatabase,
  book: string,
  entryId: string,
): Promise<EntryEvent[]> {
  const entry = await journal.getEntry(book, entryId);
  const posting = await eventAt(store, book, entry.position);
  const events: EntryEvent[] = [{ relation: 'posting', event: posting }];
  if (entry.reversedBy !== null) {
    const reversal = await journal.getEntry(book, entry.reversedBy);
    events.push({ relation: 'reversal', event: await eventAt(store, book, reversal.position) });
  }
  const approvalStream = await approvalStreamOf(auditDb, book, entryId, posting);
  if (approvalStream !== undefined) {
    for (const event of await store.readStream(approvalStream))
      events.push({ relation: 'approval', event });
  }
  return events.sort((a, b) => (a.event.position < b.event.position ? -1 : 1));
}

async function eventAt(store: EventStore, book: string, position: bigint): Promise<RecordedEvent> {
  const [event] = await store.readAll({ from: position, limit: 1 });
  assert(
    event !== undefined && event.position === position && event.streamId === bookStreamId(book),
    `the journal's position ${position} is an event of book ${book}`,
  );
  return event;
}

/** The stream of the approval request whose execution posted this entry, if one did. */
async function approvalStreamOf(
  auditDb: SqlDatabase,
  book: string,
  entryId: string,
  posting: RecordedEvent,
): Promise<string | undefined> {
  const filter = { book, type: 'ApprovalExecuted', correlationId: posting.metadata.correlationId };
  for await (const executed of streamAuditEntries(auditDb, filter)) {
    const result = (executed.data as { result?: { entryId?: unknown } } | null)?.result;
    if (result?.entryId === entryId) return executed.streamId;
  }
  return undefined;
}
