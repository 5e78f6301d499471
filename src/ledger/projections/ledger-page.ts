import { ValidationError } from '../../event-sourcing/index.js';

export const listLimitDefault = 100;
export const listLimitMax = 1000;
const cursorLengthMax = 1000;

export interface Page<Item> {
  items: Item[];
  nextCursor: string | null;
}

/** Opaque cursors: base64url JSON of the last item's sort key. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The sort key of a cursor, checked against the expected element kinds; 400 when it is not one of ours. */
export function decodeCursor(
  cursor: string,
  kinds: readonly ('string' | 'number')[],
): (string | number)[] {
  const invalid = () =>
    new ValidationError('cursor: not a cursor returned by this endpoint', [
      { field: 'cursor', message: 'not a cursor returned by this endpoint' },
    ]);
  if (cursor.length > cursorLengthMax || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(key) || key.length !== kinds.length) throw invalid();
  key.forEach((part, index) => {
    const ok =
      kinds[index] === 'number'
        ? Number.isSafeInteger(part) && (part as number) >= 0
        : typeof part === 'string';
    if (!ok) throw invalid();
  });
  return key as (string | number)[];
}

/** Given `limit + 1` rows, the page and the cursor of its last item when there is more. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  keyOf: (row: Row) => (string | number)[],
): Page<Item> {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(toItem),
    nextCursor: more && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
