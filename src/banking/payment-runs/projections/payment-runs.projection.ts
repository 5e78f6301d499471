import { RecordedEvent } from '../../../event-sourcing/index.js';
import { Projection } from '../../../infrastructure/projections/index.js';
import { SqlDatabase } from '../../../infrastructure/sql/index.js';
import { PaymentEndToEndIds } from '../../application/banking-ports.js';
import { PaymentRunExecutedData } from '../domain/payment-runs.decider.js';

export const paymentRunsProjectionName = 'payment-runs';
export const paymentRunsProjectionVersion = 1;

function statements(db: SqlDatabase): string[] {
  const integer = db.dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  return [
    `CREATE TABLE IF NOT EXISTS payment_run_items (
      book TEXT NOT NULL, end_to_end_id TEXT NOT NULL, item_id TEXT NOT NULL, run_id TEXT NOT NULL,
      position ${integer} NOT NULL, PRIMARY KEY (book, end_to_end_id))`,
    'CREATE INDEX IF NOT EXISTS payment_run_items_by_item ON payment_run_items (book, item_id)',
  ];
}

/** The executed runs' items by end-to-end id: what a bank statement line's EndToEndId pays. */
export const paymentRunsProjection: Projection = {
  name: paymentRunsProjectionName,
  version: paymentRunsProjectionVersion,
  handles: (event) => event.type === 'PaymentRunExecuted',
  async setup(db) {
    for (const statement of statements(db)) await db.execute(statement);
  },
  async reset(db) {
    await db.execute('DROP TABLE IF EXISTS payment_run_items');
  },
  apply: applyEvent,
};

async function applyEvent(event: RecordedEvent, tx: SqlDatabase): Promise<void> {
  const data = event.data as PaymentRunExecutedData;
  for (const item of data.items)
    await tx.execute(
      `INSERT INTO payment_run_items (book, end_to_end_id, item_id, run_id, position) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      [data.bookId, item.endToEndId, item.invoiceId, data.runId, event.position],
    );
}

/** Implements banking's `PaymentEndToEndIds` port (statement matching by end-to-end id). */
export class PaymentRunsReadModel implements PaymentEndToEndIds {
  constructor(private readonly db: SqlDatabase) {}

  async itemOf(book: string, endToEndId: string): Promise<string | undefined> {
    const [row] = await this.db.query<{ item_id: string }>(
      'SELECT item_id FROM payment_run_items WHERE book = ? AND end_to_end_id = ?',
      [book, endToEndId],
    );
    return row?.item_id;
  }

  /** The open items of executed runs (in payment): item id → its run and end-to-end id. */
  async inPayment(book: string): Promise<Map<string, { runId: string; endToEndId: string }>> {
    const rows = await this.db.query<{ item_id: string; run_id: string; end_to_end_id: string }>(
      'SELECT item_id, run_id, end_to_end_id FROM payment_run_items WHERE book = ? ORDER BY position',
      [book],
    );
    return new Map(
      rows.map((row) => [row.item_id, { runId: row.run_id, endToEndId: row.end_to_end_id }]),
    );
  }
}
