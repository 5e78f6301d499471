import { ValidationError } from '../../event-sourcing/index.js';
import { SqlDatabase, SqlValue, toSafeNumber } from '../../infrastructure/sql/index.js';
import { Party, PartyKind } from '../domain/party.js';
import { partiesTable } from './parties.projection.js';

export const partiesLimitDefault = 100;
export const partiesLimitMax = 1000;
/** `?q=` longer than this is refused (400). */
export const partySearchLengthMax = 200;
const cursorLengthMax = 100;

export interface PartyListing {
  party: Party;
  registeredAt: string;
  updatedAt: string;
  version: number;
}

export interface PartiesQuery {
  bookId: string;
  kind?: PartyKind;
  /** Case-insensitive substring of the name, number or VAT id. */
  q?: string;
  limit?: number;
  cursor?: string;
}

interface PartyRow {
  number: string;
  registered_at: string;
  updated_at: string;
  version: unknown;
  party: string;
}

/** Queries on the `parties` projection: a book's parties in number order, filtered, paged. */
export class PartiesReadModel {
  constructor(private readonly db: SqlDatabase) {}

  async list(query: PartiesQuery): Promise<{ items: PartyListing[]; nextCursor: string | null }> {
    const limit = query.limit ?? partiesLimitDefault;
    const where = ['book = ?'];
    const params: SqlValue[] = [query.bookId];
    if (query.kind !== undefined) {
      where.push('kind = ?');
      params.push(query.kind);
    }
    if (query.q !== undefined && query.q.trim() !== '') {
      const pattern = `%${escapeLike(query.q.trim().toLowerCase())}%`;
      const vatPattern = `%${escapeLike(query.q.replace(/[\s.-]/g, '').toUpperCase())}%`;
      where.push(
        `(search_name LIKE ? ESCAPE '\\' OR number LIKE ? ESCAPE '\\' OR vat_id LIKE ? ESCAPE '\\')`,
      );
      params.push(pattern, pattern, vatPattern);
    }
    if (query.cursor !== undefined) {
      where.push('number > ?');
      params.push(decodeCursor(query.cursor));
    }
    const rows = await this.db.query<PartyRow>(
      `SELECT number, registered_at, updated_at, version, party FROM ${partiesTable}
       WHERE ${where.join(' AND ')} ORDER BY number LIMIT ?`,
      [...params, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({
        party: JSON.parse(row.party) as Party,
        registeredAt: row.registered_at,
        updatedAt: row.updated_at,
        version: toSafeNumber(row.version),
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(last.number) : null,
    };
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

function encodeCursor(number: string): string {
  return Buffer.from(`p:${number}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  const text =
    cursor.length <= cursorLengthMax ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^p:(\d{1,9})$/.exec(text);
  if (!match)
    throw new ValidationError('cursor: not a cursor returned by this endpoint', [
      { field: 'cursor', message: 'not a cursor returned by this endpoint' },
    ]);
  return match[1]!;
}
