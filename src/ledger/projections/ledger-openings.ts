import { SqlValue } from '../../infrastructure/sql/index.js';

/**
 * SQL for the opening entries of carry-forwards (`ledger_openings`, docs/adr/0024). An opening
 * entry stands from its recording until its reversal is recorded; with `knownAt`, as known then.
 * A balance as of a date sums the lines from the latest opening standing on or before it (the
 * opening entry included); a movement over a range leaves the standing openings out.
 */
export interface SqlPart {
  sql: string;
  params: SqlValue[];
}

function standing(knownAt: string | undefined): SqlPart {
  return knownAt === undefined
    ? { sql: 'o.reversed_at IS NULL', params: [] }
    : {
        sql: 'o.recorded_at <= ? AND (o.reversed_at IS NULL OR o.reversed_at > ?)',
        params: [knownAt, knownAt],
      };
}

/**
 * `effective_date >= <the latest standing opening's date on or before onOrBefore>` (any date
 * without one). `onOrBefore` undefined: the latest of all.
 */
export function fromLatestOpening(
  book: string,
  onOrBefore: string | undefined,
  knownAt: string | undefined,
): SqlPart {
  const stands = standing(knownAt);
  const dateBound = onOrBefore === undefined ? '' : ' AND o.effective_date <= ?';
  return {
    sql: `effective_date >= COALESCE((SELECT MAX(o.effective_date) FROM ledger_openings o WHERE o.book = ?${dateBound} AND ${stands.sql}), '')`,
    params: [book, ...(onOrBefore === undefined ? [] : [onOrBefore]), ...stands.params],
  };
}

/** The lines of the openings standing in [from, to] (to undefined: every date from `from` on). */
export function standingOpeningPositions(
  book: string,
  range: { from: string; to?: string },
  knownAt: string | undefined,
): SqlPart {
  const stands = standing(knownAt);
  const toBound = range.to === undefined ? '' : ' AND o.effective_date <= ?';
  return {
    sql: `position IN (SELECT o.position FROM ledger_openings o WHERE o.book = ? AND o.effective_date >= ?${toBound} AND ${stands.sql})`,
    params: [book, range.from, ...(range.to === undefined ? [] : [range.to]), ...stands.params],
  };
}

/** The dates of the book's standing openings, in order (the register resets its running balance at each). */
export const standingOpeningDatesSql =
  'SELECT effective_date FROM ledger_openings WHERE book = ? AND reversed_at IS NULL ORDER BY effective_date';
