// Peer of `npm run bench -- store`: the same workloads (dist/bench/store-workloads.js) on
// Emmett's PostgreSQL event store, @event-driven-io/emmett-postgresql 0.42.0 (pg pool via dumbo).
// Usage: node bench.js <path of dist/bench/store-workloads.js> '{"target": <url>, "config": {...}}'
// The URL's search_path names the fresh schema the parent created for this run.
//
// Emmett counts stream versions from 1 (a stream with one event has version 1); Kontor's
// revisions count from 0. The adapter below converts, so both stores run the same checks.
// Reading all: the event store object has no read-all; its consumers page the log with the
// exported readMessagesBatch({ after, batchSize }), which is what is measured here.
'use strict';
const { STREAM_DOES_NOT_EXIST } = require('@event-driven-io/emmett');
const {
  getPostgreSQLEventStore,
  readMessagesBatch,
} = require('@event-driven-io/emmett-postgresql');
const { dumbo } = require('@event-driven-io/dumbo');

const [workloadsModule, argument] = process.argv.slice(2);
const { runChild } = require(workloadsModule);

/** `messageId` carries Kontor's eventId, so both stores keep the same bytes. */
function toEmmettEvent(event) {
  return {
    type: event.type,
    data: event.data,
    metadata: { ...event.metadata, messageId: event.eventId },
  };
}

async function open(connectionString) {
  const pool = dumbo({ connectionString });
  const eventStore = getPostgreSQLEventStore(connectionString, {
    connectionOptions: { dumbo: pool },
  });
  await eventStore.schema.migrate();
  return {
    async appendToNewStream(streamId, events) {
      await eventStore.appendToStream(streamId, events.map(toEmmettEvent), {
        expectedStreamVersion: STREAM_DOES_NOT_EXIST,
      });
    },
    async appendExpecting(streamId, event, expectedRevision) {
      const expectedStreamVersion =
        expectedRevision === 'no_stream' ? STREAM_DOES_NOT_EXIST : BigInt(expectedRevision + 1);
      const result = await eventStore.appendToStream(streamId, [toEmmettEvent(event)], {
        expectedStreamVersion,
      });
      return Number(result.nextExpectedStreamVersion) - 1;
    },
    async readAllPage(after, limit) {
      const batch = await readMessagesBatch(pool.execute, { after, batchSize: limit });
      return { count: batch.messages.length, lastPosition: batch.currentGlobalPosition };
    },
    close: () => eventStore.close(),
  };
}

runChild('emmett-postgresql', open, argument).catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exit(1);
});
