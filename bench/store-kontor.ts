// Child process of `npm run bench -- store`: the workloads on Kontor's own stores.
// Usage: node dist/bench/store-kontor.js sqlite|postgres '{"target": ..., "config": ...}'
import { EventStore } from '../src/event-sourcing/index.js';
import { PostgresEventStore } from '../src/infrastructure/postgres/postgres-event-store.js';
import { SqliteEventStore } from '../src/infrastructure/sqlite/sqlite-event-store.js';
import { BenchStore, runChild } from './store-workloads.js';

function benchStore(store: EventStore): BenchStore {
  return {
    async appendToNewStream(streamId, events) {
      await store.append(streamId, events, { expectedRevision: 'no_stream' });
    },
    async appendExpecting(streamId, event, expectedRevision) {
      return (await store.append(streamId, [event], { expectedRevision })).lastRevision;
    },
    async readAllPage(after, limit) {
      const events = await store.readAll({ after, limit });
      return { count: events.length, lastPosition: events.at(-1)?.position ?? after };
    },
    close: () => store.close(),
  };
}

const openers: Record<string, (target: string) => Promise<EventStore>> = {
  sqlite: (file) => SqliteEventStore.open(file),
  postgres: (url) => PostgresEventStore.connect(url),
};

async function main(): Promise<void> {
  const [kind, argument] = process.argv.slice(2);
  const open = openers[kind ?? ''];
  if (open === undefined) throw new Error(`store-kontor: expected sqlite or postgres, got ${kind}`);
  await runChild(`kontor-${kind}`, async (target) => benchStore(await open(target)), argument);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
