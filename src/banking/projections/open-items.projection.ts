import { RecordedEvent } from '../../event-sourcing/index.js';
import { Projection } from '../../infrastructure/projections/index.js';
import { SqlDatabase, toBigInt } from '../../infrastructure/sql/index.js';
import { bookIdOfStream, JournalEntryPostedData } from '../../ledger/index.js';
import {
  AccountKindOf,
  DocumentFacts,
  openItemEffects,
  OpenItemKind,
  OriginalEffects,
  PartyLine,
  PostedEntry,
} from '../domain/open-items.js';

export const openItemsProjectionName = 'open-items';
/** Bump when a table's shape or meaning changes: the next start rebuilds from position 0. */
export const openItemsProjectionVersion = 3;

/** The document events whose entries the open items split by document (the rest: one item per entry). */
export const openItemDocumentTypes = [
  'InvoiceIssued',
  'CreditNoteIssued',
  'PaymentReceived',
  'PaymentMade',
  'DunningRunConfirmed',
  'IncomingInvoiceBooked',
] as const;

const tables = ['open_item_accounts', 'open_item_documents', 'open_items', 'open_item_movements'];

function statements(db: SqlDatabase): string[] {
  const money = db.dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  return [
    `CREATE TABLE IF NOT EXISTS open_item_accounts (
      book TEXT NOT NULL, code TEXT NOT NULL, type TEXT NOT NULL, PRIMARY KEY (book, code))`,
    `CREATE TABLE IF NOT EXISTS open_item_documents (
      book TEXT NOT NULL, entry_id TEXT NOT NULL, document_id TEXT NOT NULL, type TEXT NOT NULL,
      facts TEXT NOT NULL, taxes TEXT, PRIMARY KEY (book, entry_id))`,
    `CREATE TABLE IF NOT EXISTS open_items (
      book TEXT NOT NULL, item_id TEXT NOT NULL, kind TEXT NOT NULL, account TEXT NOT NULL,
      party TEXT NOT NULL, currency TEXT NOT NULL, document_type TEXT NOT NULL, number TEXT,
      issue_date TEXT NOT NULL, due_date TEXT NOT NULL, effective_date TEXT NOT NULL, amount_minor ${money} NOT NULL,
      entry_id TEXT NOT NULL, position ${money} NOT NULL, PRIMARY KEY (book, item_id))`,
    `CREATE TABLE IF NOT EXISTS open_item_movements (
      book TEXT NOT NULL, entry_id TEXT NOT NULL, seq INTEGER NOT NULL, item_id TEXT NOT NULL,
      effective_date TEXT NOT NULL, amount_minor ${money} NOT NULL, source TEXT NOT NULL,
      position ${money} NOT NULL, PRIMARY KEY (book, entry_id, seq))`,
    'CREATE INDEX IF NOT EXISTS open_items_by_party ON open_items (book, kind, party, issue_date)',
    'CREATE INDEX IF NOT EXISTS open_items_by_entry ON open_items (book, entry_id)',
    // An item named by its number (a payment's allocation, a statement line's assignment).
    'CREATE INDEX IF NOT EXISTS open_items_by_number ON open_items (book, number)',
    // Whether a payment reached the open items (a statement line's payment posted before).
    'CREATE INDEX IF NOT EXISTS open_item_documents_by_id ON open_item_documents (book, document_id)',
    'CREATE INDEX IF NOT EXISTS open_item_movements_by_item ON open_item_movements (book, item_id)',
  ];
}

function handles(event: RecordedEvent): boolean {
  if (bookIdOfStream(event.streamId) === undefined) return false;
  return (
    event.type === 'AccountOpened' ||
    event.type === 'JournalEntryPosted' ||
    (openItemDocumentTypes as readonly string[]).includes(event.type)
  );
}

/**
 * Open items per book (docs/billing.md, "Payments and open items"): from the party lines of
 * posted entries on asset (receivable) and liability (payable) accounts, split by the document
 * event of the same append. Insert-only, so the `asOf` of a read is a filter.
 */
export const openItemsProjection: Projection = {
  name: openItemsProjectionName,
  version: openItemsProjectionVersion,
  handles,
  async setup(db) {
    for (const statement of statements(db)) await db.execute(statement);
  },
  async reset(db) {
    for (const table of tables) await db.execute(`DROP TABLE IF EXISTS ${table}`);
  },
  apply: applyEvent,
  partitionOf: (event) => bookIdOfStream(event.streamId),
};

async function applyEvent(event: RecordedEvent, tx: SqlDatabase): Promise<void> {
  const book = bookIdOfStream(event.streamId)!;
  const data = event.data as Record<string, unknown>;
  if (event.type === 'AccountOpened') {
    await tx.execute(
      'INSERT INTO open_item_accounts (book, code, type) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      [book, String(data.code), String(data.type)],
    );
  } else if (event.type === 'JournalEntryPosted') {
    await applyEntry(book, event, tx);
  } else if (typeof data.entryId === 'string') {
    await tx.execute(
      'INSERT INTO open_item_documents (book, entry_id, document_id, type, facts, taxes) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [
        book,
        data.entryId,
        String(data.documentId),
        event.type,
        JSON.stringify(factsOf(event.type, data)),
        taxesOf(data),
      ],
    );
  }
}

/** InvoiceIssued `totals.taxes` as JSON text (the Skonto VAT correction splits by them). */
function taxesOf(data: Record<string, unknown>): string | null {
  const totals = data.totals as { taxes?: unknown } | undefined;
  return Array.isArray(totals?.taxes) ? JSON.stringify(totals.taxes) : null;
}

function factsOf(type: string, data: Record<string, unknown>): DocumentFacts {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const allocations = Array.isArray(data.allocations)
    ? (data.allocations as Record<string, unknown>[]).map((a) => ({
        invoiceId: String(a.invoiceId),
        amountMinor: String(a.amountMinor),
        discountMinor: text(a.discountMinor),
      }))
    : undefined;
  return {
    type,
    documentId: String(data.documentId),
    number: text(data.number),
    issueDate: text(data.issueDate) ?? text(data.date) ?? text(data.asOf),
    dueDate: text(data.dueDate),
    invoiceId: text(data.invoiceId),
    allocations,
  };
}

async function applyEntry(book: string, event: RecordedEvent, tx: SqlDatabase): Promise<void> {
  const data = event.data as JournalEntryPostedData;
  const lines = data.lines as readonly PartyLine[];
  if (!lines.some((line) => line.party !== undefined)) return;
  const kindOf = await accountKinds(tx, book, lines);
  const [document] = await tx.query<{ facts: string }>(
    'SELECT facts FROM open_item_documents WHERE book = ? AND entry_id = ?',
    [book, data.entryId],
  );
  const facts = document ? (JSON.parse(document.facts) as DocumentFacts) : undefined;
  const entry: PostedEntry = {
    entryId: data.entryId,
    effectiveDate: data.effectiveDate,
    reference: data.reference,
    lines,
    reversalOf: data.reversalOf,
    documentType: facts?.type,
    documentId: facts?.documentId,
  };
  const original = data.reversalOf ? await originalEffects(tx, book, data.reversalOf) : undefined;
  const effects = openItemEffects(entry, kindOf, facts, original);
  for (const item of effects.items)
    await tx.execute(
      `INSERT INTO open_items (book, item_id, kind, account, party, currency, document_type, number,
        issue_date, due_date, effective_date, amount_minor, entry_id, position)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT DO NOTHING`,
      [
        book,
        item.itemId,
        kindOf(item.account)!,
        item.account,
        item.party,
        item.currency,
        item.documentType,
        item.number ?? null,
        item.issueDate,
        item.dueDate,
        data.effectiveDate,
        item.amountMinor,
        item.entryId,
        event.position,
      ],
    );
  let seq = 0;
  for (const movement of effects.settlements)
    await tx.execute(
      `INSERT INTO open_item_movements (book, entry_id, seq, item_id, effective_date, amount_minor, source, position)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [
        book,
        movement.entryId,
        seq++,
        movement.itemId,
        movement.effectiveDate,
        movement.amountMinor,
        movement.source,
        event.position,
      ],
    );
}

async function accountKinds(
  tx: SqlDatabase,
  book: string,
  lines: readonly PartyLine[],
): Promise<AccountKindOf> {
  const codes = [...new Set(lines.filter((l) => l.party !== undefined).map((l) => l.account))];
  const rows = await tx.query<{ code: string; type: string }>(
    `SELECT code, type FROM open_item_accounts WHERE book = ? AND code IN (${codes.map(() => '?').join(', ')})`,
    [book, ...codes],
  );
  const kinds = new Map<string, OpenItemKind>();
  for (const row of rows)
    if (row.type === 'asset') kinds.set(row.code, 'receivable');
    else if (row.type === 'liability') kinds.set(row.code, 'payable');
  return (account) => kinds.get(account);
}

async function originalEffects(
  tx: SqlDatabase,
  book: string,
  entryId: string,
): Promise<OriginalEffects> {
  const items = await tx.query<Record<string, unknown>>(
    'SELECT item_id, account, party, currency, amount_minor FROM open_items WHERE book = ? AND entry_id = ?',
    [book, entryId],
  );
  const movements = await tx.query<Record<string, unknown>>(
    `SELECT m.item_id, m.effective_date, m.amount_minor, m.source, i.account, i.party, i.currency
       FROM open_item_movements m JOIN open_items i ON i.book = m.book AND i.item_id = m.item_id
      WHERE m.book = ? AND m.entry_id = ? ORDER BY m.seq`,
    [book, entryId],
  );
  return {
    items: items.map((row) => ({
      itemId: String(row.item_id),
      account: String(row.account),
      party: String(row.party),
      currency: String(row.currency),
      amountMinor: toBigInt(row.amount_minor),
    })),
    settlements: movements.map((row) => ({
      itemId: String(row.item_id),
      account: String(row.account),
      party: String(row.party),
      currency: String(row.currency),
      effectiveDate: String(row.effective_date),
      amountMinor: toBigInt(row.amount_minor),
      entryId,
      source: String(row.source),
    })),
  };
}
