import { randomUUID } from 'node:crypto';
import { NewEvent } from '../../../event-sourcing/index.js';
import { KurrentDbEventStore } from '../kurrentdb-event-store.js';
import { FakeKurrentServer } from './fake-kurrentdb.js';

/**
 * The adapter's own logic against an in-process stand-in for KurrentDB (fake-kurrentdb.ts), shared
 * by the kurrentdb-event-store.*.spec.ts files (not a spec itself). The contract suite against a
 * real server is test/integration/kurrentdb-event-store.int-spec.ts.
 */

// Exported as live bindings so that the specs read the server and store of the running test.
export let server: FakeKurrentServer;
export let store: KurrentDbEventStore;
/** Every store a test opened; closed after the test. */
export const opened: KurrentDbEventStore[] = [];

export function open(namespace = 'test'): KurrentDbEventStore {
  const instance = KurrentDbEventStore.withClient(server.client(), { namespace });
  opened.push(instance);
  return instance;
}

/** The specs' common describe: a fresh fake server and store for each test. */
export function describeAgainstFakeKurrentDb(body: () => void): void {
  describe('KurrentDbEventStore (against an in-process fake KurrentDB)', () => {
    beforeEach(() => {
      server = new FakeKurrentServer();
      store = open();
    });

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((instance) => instance.close()));
    });

    body();
  });
}

export function newEvent(data: unknown = { note: 'test' }): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'Tested',
    data,
    metadata: { actor: { id: 'k', name: 'Key' }, correlationId: randomUUID() },
  };
}

export function newEvents(count: number): NewEvent[] {
  return Array.from({ length: count }, (_, index) => newEvent({ index }));
}

export function expectIncreasing(positions: bigint[]): void {
  for (let index = 1; index < positions.length; index += 1)
    expect(positions[index]! > positions[index - 1]!).toBe(true);
}
