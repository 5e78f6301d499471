import { InMemoryEventStore } from '../../src/infrastructure/memory/in-memory-event-store.js';
import { describeEventStoreContract } from './event-store.contract.js';

describeEventStoreContract('memory', async () => {
  const store = new InMemoryEventStore();
  return { store, cleanup: () => store.close() };
});
