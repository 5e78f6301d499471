/** What the event store adapters share (SQLite, PostgreSQL, KurrentDB, in-memory). */
export * from './canonical-event.js';
export * from './group-commit.js';
export * from './positions.js';
export * from './verify-chain.js';
