/**
 * A varied log for audit tests: several books, actors, event types and correlation ids, with a
 * manual clock moving between appends. Deterministic (seeded), so failures reproduce.
 */
import { EventStore, ManualClock, NewEvent } from '../../src/event-sourcing/index.js';
import { seededRandom } from './seeded-random.js';

export const auditBooks = ['acme', 'beta', 'gamma'];
export const auditActors = [
  { id: 'k-alice', name: 'alice' },
  { id: 'k-bob', name: 'bob' },
  { id: 'k-carol', name: 'carol' },
  { id: 'system', name: 'system' },
];

function pick<T>(random: () => number, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!;
}

let eventCounter = 0;

function eventOf(
  random: () => number,
  book: string,
  index: number,
  metadata: NewEvent['metadata'],
): { stream: string; event: NewEvent } {
  const id = `${Date.now().toString(36)}-${++eventCounter}-${index}`;
  const kind = Math.floor(random() * 6);
  const amountMinor = String(1 + Math.floor(random() * 10_000_000));
  switch (kind) {
    case 0:
    case 1:
    case 2:
      return {
        stream: `book-${book}`,
        event: {
          eventId: `e-${id}`,
          type: 'JournalEntryPosted',
          data: {
            entryId: `JE-${id}`,
            effectiveDate: '2026-02-01',
            description: `Rent, "February" ${index}\nline two`,
            lines: [
              { account: '6310', side: 'debit', amountMinor, currency: 'EUR' },
              { account: '1200', side: 'credit', amountMinor, currency: 'EUR' },
            ],
          },
          metadata: { ...metadata, book },
        },
      };
    case 3:
      return {
        stream: `book-${book}`,
        event: {
          eventId: `e-${id}`,
          type: 'AccountOpened',
          data: { code: `${1000 + index}`, name: 'Cash', type: 'asset' },
          metadata: { ...metadata, book },
        },
      };
    case 4:
      return {
        stream: `approval_request-${id}`,
        event: {
          eventId: `e-${id}`,
          type: 'ApprovalRequested',
          data: {
            approvalId: id,
            book,
            action: 'journal-entry.post',
            payload: {},
            summary: { debitTotalsMinor: { EUR: amountMinor }, accounts: [] },
            requestedBy: { keyId: metadata.actor.id, name: metadata.actor.name },
            steps: [{ role: 'approver', approvals: 1 }],
            policyIds: ['policy-1'],
            requestedAt: '2026-02-01T00:00:00.000Z',
          },
          metadata,
        },
      };
    default:
      return {
        stream: 'api-keys',
        event: {
          eventId: `e-${id}`,
          type: 'ApiKeyIssued',
          data: { keyId: `k-${id}`, name: 'x', roles: ['auditor'], keyHash: 'ab'.repeat(32) },
          metadata,
        },
      };
  }
}

/** Appends `requests` appends of 1–3 events each; returns the number of events appended. */
export async function appendVariedLog(
  store: EventStore,
  clock: ManualClock,
  requests: number,
  seed = 42,
): Promise<number> {
  const random = seededRandom(seed);
  let events = 0;
  for (let request = 0; request < requests; request++) {
    const book = pick(random, auditBooks);
    const actor = pick(random, auditActors);
    const metadata = {
      actor,
      correlationId: `corr-${request % 97}-${seed}`,
      ...(random() < 0.3 ? { causationId: `cause-${request}` } : {}),
    };
    const { stream, event } = eventOf(random, book, request, metadata);
    const count = 1 + Math.floor(random() * 3);
    const batch = [event, ...Array.from({ length: count - 1 }, (_, k) => copyOf(event, `-${k}`))];
    await store.append(stream, batch);
    events += batch.length;
    clock.advance(Math.floor(random() * 120_000));
  }
  return events;
}

/** Another event like `event` with its own ids (entry ids, account codes, … stay unique). */
function copyOf(event: NewEvent, suffix: string): NewEvent {
  const data = { ...(event.data as Record<string, unknown>) };
  for (const key of ['entryId', 'code', 'approvalId', 'keyId']) {
    if (typeof data[key] === 'string') data[key] = `${data[key] as string}${suffix}`;
  }
  return { ...event, eventId: `${event.eventId}${suffix}`, data };
}
