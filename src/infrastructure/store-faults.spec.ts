import { storeFaultOf } from './store-faults.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('storeFaultOf', () => {
  it.each([
    [
      '57P01 admin shutdown',
      withCode('57P01', 'terminating connection due to administrator command'),
    ],
    ['57P03 cannot connect now', withCode('57P03', 'the database system is starting up')],
    ['08006 connection failure', withCode('08006')],
    ['ECONNREFUSED', withCode('ECONNREFUSED')],
    ['a dropped socket', new Error('Connection terminated unexpectedly')],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['an AggregateError of refusals', new AggregateError([withCode('ECONNREFUSED')], '')],
    ['a wrapped cause', new Error('append failed', { cause: withCode('57P01') })],
  ])('%s: the store is unavailable', (_case, error) => {
    expect(storeFaultOf(error)).toBe('unavailable');
  });

  it.each([
    ['SQLITE_FULL', withCode('SQLITE_FULL', 'database or disk is full')],
    ['53100 disk full', withCode('53100')],
    ['ENOSPC', withCode('ENOSPC')],
  ])('%s: the store is full', (_case, error) => {
    expect(storeFaultOf(error)).toBe('full');
  });

  it.each([
    ['22003 bigint out of range', withCode('22003', 'bigint out of range')],
    ['23505 unique violation', withCode('23505')],
    ['a plain bug', new TypeError('x is undefined')],
    ['SQLITE_CONSTRAINT', withCode('SQLITE_CONSTRAINT_TRIGGER')],
    ['not an error', 'down'],
  ])('%s: no store fault (a bug stays a 500)', (_case, error) => {
    expect(storeFaultOf(error)).toBeUndefined();
  });
});
