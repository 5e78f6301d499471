import type { Pool } from 'pg';

/**
 * node-postgres emits `'error'` on a client whose connection dies (a restart of PostgreSQL:
 * `57P01 terminating connection due to administrator command`, or a dropped socket). The pool
 * listens only while a client is idle; a client checked out in a transaction has no listener,
 * and an `'error'` without one ends the process. Every client gets a listener for its whole
 * life: the failure still reaches the caller as the rejected query, the pool discards the broken
 * client on release, and the next checkout connects anew.
 */
export function keepPoolErrorsInside(pool: Pool): Pool {
  pool.on('error', ignore);
  pool.on('connect', (client) => client.on('error', ignore));
  return pool;
}

function ignore(): void {}
