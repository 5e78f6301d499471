import { RecordedEvent } from '../../../event-sourcing/index.js';
import { Projection } from '../../../infrastructure/projections/index.js';
import { SqlDatabase } from '../../../infrastructure/sql/index.js';
import { bookIdOfStream } from '../../../ledger/index.js';
import {
  DunningNoticeData,
  DunningRunConfirmedData,
  DunningRunProposedData,
} from '../domain/dunning.events.js';

export const dunningProjectionName = 'dunning';
export const dunningProjectionVersion = 1;

function statements(db: SqlDatabase): string[] {
  const integer = db.dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  return [
    `CREATE TABLE IF NOT EXISTS dunning_runs (
      book TEXT NOT NULL, run_id TEXT NOT NULL, as_of TEXT NOT NULL, status TEXT NOT NULL,
      notices TEXT NOT NULL, entry_id TEXT, position ${integer} NOT NULL, PRIMARY KEY (book, run_id))`,
    `CREATE TABLE IF NOT EXISTS dunning_notices (
      book TEXT NOT NULL, run_id TEXT NOT NULL, party TEXT NOT NULL, level INTEGER NOT NULL,
      as_of TEXT NOT NULL, PRIMARY KEY (book, run_id, party))`,
    'CREATE INDEX IF NOT EXISTS dunning_notices_by_party ON dunning_notices (book, party, as_of)',
  ];
}

/** Dunning runs (proposed, confirmed) and the confirmed notices per customer (the next level's input). */
export const dunningProjection: Projection = {
  name: dunningProjectionName,
  version: dunningProjectionVersion,
  handles: (event) =>
    event.type === 'DunningRunProposed' ||
    (event.type === 'DunningRunConfirmed' && bookIdOfStream(event.streamId) !== undefined),
  async setup(db) {
    for (const statement of statements(db)) await db.execute(statement);
  },
  async reset(db) {
    for (const table of ['dunning_runs', 'dunning_notices'])
      await db.execute(`DROP TABLE IF EXISTS ${table}`);
  },
  apply: applyEvent,
};

async function applyEvent(event: RecordedEvent, tx: SqlDatabase): Promise<void> {
  if (event.type === 'DunningRunProposed') {
    const data = event.data as DunningRunProposedData;
    await tx.execute(
      `INSERT INTO dunning_runs (book, run_id, as_of, status, notices, position) VALUES (?, ?, ?, 'proposed', ?, ?)
       ON CONFLICT DO NOTHING`,
      [data.bookId, data.runId, data.asOf, JSON.stringify(data.notices), event.position],
    );
    return;
  }
  const book = bookIdOfStream(event.streamId)!;
  const data = event.data as DunningRunConfirmedData;
  await tx.execute(
    `UPDATE dunning_runs SET status = 'confirmed', entry_id = ?, position = ? WHERE book = ? AND run_id = ?`,
    [data.entryId ?? null, event.position, book, data.runId],
  );
  for (const notice of data.notices as DunningNoticeData[])
    await tx.execute(
      'INSERT INTO dunning_notices (book, run_id, party, level, as_of) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [book, data.runId, notice.partyId, notice.level, data.asOf],
    );
}

export interface DunningRunView {
  runId: string;
  asOf: string;
  status: 'proposed' | 'confirmed';
  notices: DunningNoticeData[];
  entryId?: string;
}

export class DunningReadModel {
  constructor(private readonly db: SqlDatabase) {}

  async runs(book: string): Promise<DunningRunView[]> {
    const rows = await this.db.query<Record<string, unknown>>(
      'SELECT run_id, as_of, status, notices, entry_id FROM dunning_runs WHERE book = ? ORDER BY as_of, run_id',
      [book],
    );
    return rows.map(toView);
  }

  async run(book: string, runId: string): Promise<DunningRunView | undefined> {
    const [row] = await this.db.query<Record<string, unknown>>(
      'SELECT run_id, as_of, status, notices, entry_id FROM dunning_runs WHERE book = ? AND run_id = ?',
      [book, runId],
    );
    return row === undefined ? undefined : toView(row);
  }

  /** The last confirmed notice per customer on or before `asOf`. */
  async lastNotices(
    book: string,
    asOf: string,
  ): Promise<Map<string, { level: number; date: string }>> {
    const rows = await this.db.query<{ party: string; level: number; as_of: string }>(
      'SELECT party, level, as_of FROM dunning_notices WHERE book = ? AND as_of <= ? ORDER BY as_of, run_id',
      [book, asOf],
    );
    const last = new Map<string, { level: number; date: string }>();
    for (const row of rows) last.set(row.party, { level: Number(row.level), date: row.as_of });
    return last;
  }
}

function toView(row: Record<string, unknown>): DunningRunView {
  return {
    runId: String(row.run_id),
    asOf: String(row.as_of),
    status: row.status as DunningRunView['status'],
    notices: JSON.parse(String(row.notices)) as DunningNoticeData[],
    ...(row.entry_id ? { entryId: String(row.entry_id) } : {}),
  };
}
