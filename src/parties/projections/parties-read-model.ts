import { ValidationError } from '../../event-sourcing/index.js';
import { SqlDatabase, SqlValue, toSafeNumber } from '../../infrastructure/sql/index.js';
import { Party, PartyKind } from '../domain/party.js';
import { PartiesLookup } from '../domain/parties-lookup.js';
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
  id: string;
  natural_person: unknown;
  number: string;
  registered_at: string;
  updated_at: string;
  version: unknown;
  party: string;
}

/** A party due for its erasure, or one whose erased classes' keys are to be destroyed. */
export interface ErasureRow {
  book: string;
  id: string;
  erasableFrom: string | null;
  erased: string[];
}

/**
 * Queries on the `parties` projection: a book's parties in number order, filtered, paged. A
 * natural person's personal fields come from the folded parties stream (`PartiesLookup`), not
 * from the table; a search by name matches them after opening, page by page.
 */
export class PartiesReadModel {
  constructor(
    private readonly db: SqlDatabase,
    private readonly lookup: PartiesLookup,
  ) {}

  async list(query: PartiesQuery): Promise<{ items: PartyListing[]; nextCursor: string | null }> {
    const limit = query.limit ?? partiesLimitDefault;
    const items: PartyListing[] = [];
    let cursor = query.cursor !== undefined ? decodeCursor(query.cursor) : undefined;
    for (;;) {
      const rows = await this.page(query, cursor, limit + 1);
      for (const row of rows) {
        const listing = await this.listing(query, row);
        if (listing) items.push(listing);
        if (items.length > limit) {
          const last = items[limit - 1]!;
          return { items: items.slice(0, limit), nextCursor: encodeCursor(last.party.number) };
        }
      }
      const last = rows[rows.length - 1];
      if (rows.length <= limit || !last) return { items, nextCursor: null };
      cursor = last.number;
    }
  }

  /** Erasures whose `records` fields are due by `today`, and every party with an erased class. */
  async erasures(today: string): Promise<ErasureRow[]> {
    const rows = await this.db.query<{
      book: string;
      id: string;
      erasable_from: string | null;
      erased: string | null;
    }>(
      `SELECT book, id, erasable_from, erased FROM ${partiesTable}
       WHERE erased IS NOT NULL AND (erased <> '' OR erasable_from <= ?) ORDER BY book, number`,
      [today],
    );
    return rows.map((row) => ({
      book: row.book,
      id: row.id,
      erasableFrom: row.erasable_from,
      erased: (row.erased ?? '').split(',').filter((text) => text !== ''),
    }));
  }

  private async listing(query: PartiesQuery, row: PartyRow): Promise<PartyListing | undefined> {
    let party = JSON.parse(row.party) as Party;
    if (toSafeNumber(row.natural_person) === 1) {
      const folded = await this.lookup.find(query.bookId, row.id);
      if (!folded) return undefined;
      party = folded;
      if (!matches(query.q, party)) return undefined;
    }
    return {
      party,
      registeredAt: row.registered_at,
      updatedAt: row.updated_at,
      version: toSafeNumber(row.version),
    };
  }

  private async page(query: PartiesQuery, cursor: string | undefined, limit: number) {
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
        `(natural_person = 1 OR search_name LIKE ? ESCAPE '\\' OR number LIKE ? ESCAPE '\\' OR vat_id LIKE ? ESCAPE '\\')`,
      );
      params.push(pattern, pattern, vatPattern);
    }
    if (cursor !== undefined) {
      where.push('number > ?');
      params.push(cursor);
    }
    return this.db.query<PartyRow>(
      `SELECT id, natural_person, number, registered_at, updated_at, version, party FROM ${partiesTable}
       WHERE ${where.join(' AND ')} ORDER BY number LIMIT ?`,
      [...params, limit],
    );
  }
}

/** The SQL filter let every natural person through: their name, number or VAT id must match. */
function matches(q: string | undefined, party: Party): boolean {
  if (q === undefined || q.trim() === '') return true;
  const text = q.trim().toLowerCase();
  const vat = q.replace(/[\s.-]/g, '').toUpperCase();
  return (
    party.name.toLowerCase().includes(text) ||
    party.number.includes(text) ||
    (vat !== '' && (party.vatId ?? '').includes(vat))
  );
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
