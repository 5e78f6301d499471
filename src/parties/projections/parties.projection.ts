import { RecordedEvent } from '../../event-sourcing/index.js';
import { Projection } from '../../infrastructure/projections/index.js';
import { SqlDatabase, toBigInt } from '../../infrastructure/sql/index.js';
import { Party } from '../domain/party.js';
import {
  PartyChangedData,
  PartyRegisteredData,
  masterDataOf,
  partyEventTypes,
} from '../domain/parties.events.js';

export const partiesProjectionName = 'parties';
/** Bump when the table's shape or meaning changes: the next start rebuilds. */
export const partiesProjectionVersion = 1;
export const partiesTable = 'parties';

/**
 * The parties read model for lists and search: one row per party with the columns the list
 * filters on (`search_name` lower-cased in JS, so both dialects compare alike) and the party as
 * JSON. Natural persons' personal data is in it too: an erasure must rebuild or update it.
 */
export const partiesProjection: Projection = {
  name: partiesProjectionName,
  version: partiesProjectionVersion,
  handles: partyEventTypes,
  async setup(db) {
    await db.execute(
      `CREATE TABLE IF NOT EXISTS ${partiesTable} (
        id TEXT PRIMARY KEY,
        book TEXT NOT NULL,
        kind TEXT NOT NULL,
        number TEXT NOT NULL,
        search_name TEXT NOT NULL,
        vat_id TEXT,
        registered_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_position BIGINT NOT NULL,
        party TEXT NOT NULL
      )`,
    );
    await db.execute(
      `CREATE UNIQUE INDEX IF NOT EXISTS parties_book_number ON ${partiesTable} (book, number)`,
    );
    await db.execute(
      `CREATE INDEX IF NOT EXISTS parties_book_kind ON ${partiesTable} (book, kind, number)`,
    );
  },
  async reset(db) {
    await db.execute(`DROP TABLE IF EXISTS ${partiesTable}`);
  },
  apply: applyPartyEvent,
  partitionOf: (event) => (event.data as { bookId?: string }).bookId,
};

async function applyPartyEvent(event: RecordedEvent, tx: SqlDatabase): Promise<void> {
  if (event.type === 'PartyRegistered') {
    const data = event.data as PartyRegisteredData;
    const party: Party = {
      id: data.partyId,
      bookId: data.bookId,
      kind: data.kind,
      number: data.number,
      ...masterDataOf(data),
    };
    await tx.execute(
      `INSERT INTO ${partiesTable} (id, book, kind, number, search_name, vat_id, registered_at, updated_at, version, updated_position, party)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
      [
        party.id,
        party.bookId,
        party.kind,
        party.number,
        party.name.toLowerCase(),
        party.vatId ?? null,
        event.recordedAt,
        event.recordedAt,
        event.position,
        JSON.stringify(party),
      ],
    );
    return;
  }
  const data = event.data as PartyChangedData;
  const [row] = await tx.query<{ party: string; updated_position: unknown }>(
    `SELECT party, updated_position FROM ${partiesTable} WHERE id = ?`,
    [data.partyId],
  );
  // Applied already (two processes on one read model), or a change of an unknown party.
  if (!row || toBigInt(row.updated_position) >= event.position) return;
  const before = JSON.parse(row.party) as Party;
  const party: Party = {
    id: before.id,
    bookId: before.bookId,
    kind: before.kind,
    number: before.number,
    ...masterDataOf(data),
  };
  await tx.execute(
    `UPDATE ${partiesTable} SET search_name = ?, vat_id = ?, updated_at = ?, version = version + 1, updated_position = ?, party = ? WHERE id = ?`,
    [
      party.name.toLowerCase(),
      party.vatId ?? null,
      event.recordedAt,
      event.position,
      JSON.stringify(party),
      party.id,
    ],
  );
}
