import { RecordedEvent } from '../../event-sourcing/index.js';
import { Projection } from '../../infrastructure/projections/index.js';
import { SqlDatabase, toBigInt } from '../../infrastructure/sql/index.js';
import { Party, personalFields } from '../domain/party.js';
import {
  PartyErasureRequestedData,
  PartyErasureRescheduledData,
  PartyFieldsErasedData,
} from '../domain/party-erasure.events.js';
import {
  PartyChangedData,
  PartyRegisteredData,
  masterDataOf,
  partyEventTypes,
} from '../domain/parties.events.js';

export const partiesProjectionName = 'parties';
/** Bump when the table's shape or meaning changes: the next start rebuilds. */
export const partiesProjectionVersion = 2;
export const partiesTable = 'parties';

/**
 * The parties read model for lists and search: one row per party with the columns the list
 * filters on (`search_name` lower-cased in JS, so both dialects compare alike) and the party as
 * JSON. A natural person's personal fields are not in it (neither plain nor sealed): the list
 * takes them from the folded parties stream, and `search_name` is empty for them. The erasure
 * columns drive the erasure scheduler.
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
        natural_person INTEGER NOT NULL,
        vat_id TEXT,
        registered_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_position BIGINT NOT NULL,
        party TEXT NOT NULL,
        erasable_from TEXT,
        erased TEXT
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

/** The party as the read model keeps it: without a natural person's personal fields. */
function storedParty(data: PartyRegisteredData | PartyChangedData, base: Party): Party {
  const party: Record<string, unknown> = { ...base, ...masterDataOf(data) };
  if (data.naturalPerson) for (const field of personalFields) delete party[field];
  return party as unknown as Party;
}

async function applyPartyEvent(event: RecordedEvent, tx: SqlDatabase): Promise<void> {
  if (event.type === 'PartyRegistered') {
    const data = event.data as PartyRegisteredData;
    const base = { id: data.partyId, bookId: data.bookId, kind: data.kind, number: data.number };
    const party = storedParty(data, base as Party);
    await tx.execute(
      `INSERT INTO ${partiesTable} (id, book, kind, number, search_name, natural_person, vat_id, registered_at, updated_at, version, updated_position, party)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
      [
        party.id,
        party.bookId,
        party.kind,
        party.number,
        data.naturalPerson ? '' : (party.name ?? '').toLowerCase(),
        data.naturalPerson ? 1 : 0,
        party.vatId ?? null,
        event.recordedAt,
        event.recordedAt,
        event.position,
        JSON.stringify(party),
      ],
    );
    return;
  }
  if (event.type !== 'PartyChanged') return applyErasureEvent(event, tx);
  const data = event.data as PartyChangedData;
  const [row] = await tx.query<{ party: string; updated_position: unknown }>(
    `SELECT party, updated_position FROM ${partiesTable} WHERE id = ?`,
    [data.partyId],
  );
  // Applied already (two processes on one read model), or a change of an unknown party.
  if (!row || toBigInt(row.updated_position) >= event.position) return;
  const before = JSON.parse(row.party) as Party;
  const base = { id: before.id, bookId: before.bookId, kind: before.kind, number: before.number };
  const party = storedParty(data, base as Party);
  await tx.execute(
    `UPDATE ${partiesTable} SET search_name = ?, natural_person = ?, vat_id = ?, updated_at = ?, version = version + 1, updated_position = ?, party = ? WHERE id = ?`,
    [
      data.naturalPerson ? '' : (party.name ?? '').toLowerCase(),
      data.naturalPerson ? 1 : 0,
      party.vatId ?? null,
      event.recordedAt,
      event.position,
      JSON.stringify(party),
      party.id,
    ],
  );
}

/** Erasure events set the scheduler's columns (idempotent: the values, not increments). */
async function applyErasureEvent(event: RecordedEvent, tx: SqlDatabase): Promise<void> {
  if (event.type === 'PartyFieldsErased') {
    const data = event.data as PartyFieldsErasedData;
    const [row] = await tx.query<{ erased: string | null }>(
      `SELECT erased FROM ${partiesTable} WHERE id = ?`,
      [data.partyId],
    );
    const classes = new Set((row?.erased ?? '').split(',').filter((text) => text !== ''));
    classes.add(data.keyClass);
    await tx.execute(`UPDATE ${partiesTable} SET erased = ? WHERE id = ?`, [
      [...classes].sort().join(','),
      data.partyId,
    ]);
    return;
  }
  const data = event.data as PartyErasureRequestedData | PartyErasureRescheduledData;
  await tx.execute(
    `UPDATE ${partiesTable} SET erasable_from = ?, erased = COALESCE(erased, '') WHERE id = ?`,
    [data.erasableFrom, data.partyId],
  );
}
