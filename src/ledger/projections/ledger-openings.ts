import { SqlValue } from '../../infrastructure/sql/index.js';

/**
 * SQL for the opening entries of carry-forwards (`ledger_openings`, docs/adr/0024). An opening
 * entry stands from its recording until its reversal is recorded; with `known`, as known at that
 * time or log position.
 * A balance as of a date sums the lines from the latest opening standing on or before it (the
 * opening entry included); a movement over a range leaves the standing openings out.
 */
export interface SqlPart {
  sql: string;
  params: SqlValue[];
}

/** As known at a recorded time or at a log position (ADR 0021); neither: as known now. */
export interface KnownAs {
  knownAt?: string;
  knownAtPosition?: bigint;
}

function standing(known: KnownAs): SqlPart {
  if (known.knownAtPosition !== undefined)
    return {
      sql: 'o.position <= ? AND (o.reversed_position IS NULL OR o.reversed_position > ?)',
      params: [known.knownAtPosition, known.knownAtPosition],
    };
  if (known.knownAt !== undefined)
    return {
      sql: 'o.recorded_at <= ? AND (o.reversed_at IS NULL OR o.reversed_at > ?)',
      params: [known.knownAt, known.knownAt],
    };
  return { sql: 'o.reversed_at IS NULL', params: [] };
}

/**
 * `effective_date >= <the latest standing opening's date on or before onOrBefore>` (any date
 * without one). `onOrBefore` undefined: the latest of all.
 */
export function fromLatestOpening(
  book: string,
  onOrBefore: string | undefined,
  known: KnownAs,
): SqlPart {
  const stands = standing(known);
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
  known: KnownAs,
): SqlPart {
  const stands = standing(known);
  const toBound = range.to === undefined ? '' : ' AND o.effective_date <= ?';
  return {
    sql: `position IN (SELECT o.position FROM ledger_openings o WHERE o.book = ? AND o.effective_date >= ?${toBound} AND ${stands.sql})`,
    params: [book, range.from, ...(range.to === undefined ? [] : [range.to]), ...stands.params],
  };
}

/** The dates of the book's standing openings, in order (the register resets its running balance at each). */
export function standingOpeningDates(book: string, known: KnownAs): SqlPart {
  const stands = standing(known);
  return {
    sql: `SELECT o.effective_date FROM ledger_openings o WHERE o.book = ? AND ${stands.sql} ORDER BY o.effective_date`,
    params: [book, ...stands.params],
  };
}
