// Peer of `npm run bench -- store`: the same workloads (dist/bench/store-workloads.js) on
// Emmett's SQLite event store, @event-driven-io/emmett-sqlite 0.38.5 (sqlite3 5, WAL).
// Usage: node bench.js <path of dist/bench/store-workloads.js> '{"target": <file>, "config": {...}}'
//
// Emmett counts stream versions from 1 (a stream with one event has version 1); Kontor's
// revisions count from 0. The adapter below converts, so both stores run the same checks.
// Concurrency: one store instance cannot take concurrent appends (with a file, the first call to
// finish closes the connection the others are using: SQLITE_MISUSE), and one instance per writer
// fails too (32 writers: SQLITE_BUSY, then "cannot rollback - no transaction is active"; 2 of 64
// appends succeeded). So the 32 writers' calls are queued here, one at a time, as an application
// would have to: each append is then its own transaction and fsync.
// Reading all: this version's event store has no read-all; the consumers page the log with the
// exported readMessagesBatch({ after, batchSize }), which is what is measured here.
'use strict';
const { STREAM_DOES_NOT_EXIST } = require('@event-driven-io/emmett');
const {
  getSQLiteEventStore,
  readMessagesBatch,
  sqliteConnection,
} = require('@event-driven-io/emmett-sqlite');

const [workloadsModule, argument] = process.argv.slice(2);
const { runChild } = require(workloadsModule);

/** Emmett 0.38.5 copies `metadata` into the stored message; `messageId` carries Kontor's eventId. */
function toEmmettEvent(event) {
  return {
    type: event.type,
    data: event.data,
    metadata: { ...event.metadata, messageId: event.eventId },
  };
}

/**
 * Under load, about one append in a few hundred fails at COMMIT with "SQLITE_BUSY: cannot commit
 * transaction - SQL statements in progress" (sqlite3 finalizes the UPDATE ... RETURNING statement
 * asynchronously, racing the COMMIT); emmett then rolls back. Such an append is retried, and
 * counted: a retry that finds the first attempt committed would fail its revision check.
 */
const commitRetriesMax = 5;
let commitRetries = 0;

async function withCommitRetries(call) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const racedCommit =
        error && error.code === 'SQLITE_BUSY' && /statements in progress/.test(error.message);
      if (!racedCommit || attempt === commitRetriesMax) throw error;
      commitRetries++;
    }
  }
}

/** Runs the calls given to it one after another. */
function serialized() {
  let tail = Promise.resolve();
  return (call) => {
    const result = tail.then(() => withCommitRetries(call));
    tail = result.catch(() => undefined);
    return result;
  };
}

async function open(file) {
  const eventStore = getSQLiteEventStore({ fileName: file });
  const reader = sqliteConnection({ fileName: file });
  const oneAtATime = serialized();
  return {
    async appendToNewStream(streamId, events) {
      await oneAtATime(() =>
        eventStore.appendToStream(streamId, events.map(toEmmettEvent), {
          expectedStreamVersion: STREAM_DOES_NOT_EXIST,
        }),
      );
    },
    async appendExpecting(streamId, event, expectedRevision) {
      const expectedStreamVersion =
        expectedRevision === 'no_stream' ? STREAM_DOES_NOT_EXIST : BigInt(expectedRevision + 1);
      const result = await oneAtATime(() =>
        eventStore.appendToStream(streamId, [toEmmettEvent(event)], { expectedStreamVersion }),
      );
      return Number(result.nextExpectedStreamVersion) - 1;
    },
    async readAllPage(after, limit) {
      const batch = await readMessagesBatch(reader, { after, batchSize: limit });
      return { count: batch.messages.length, lastPosition: batch.currentGlobalPosition };
    },
    async close() {
      reader.close();
    },
  };
}

const notes = () => [
  '(b): appends queued one at a time (emmett-sqlite 0.38.5 fails on concurrent appends)',
  `appends retried after a raced COMMIT: ${commitRetries}`,
];
runChild('emmett-sqlite', open, argument, notes).catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exit(1);
});
