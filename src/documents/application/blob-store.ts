import { SqlDatabase, toSafeNumber } from '../../infrastructure/sql/index.js';
import { BlobProblem, documentIdOf, StoredBlob } from '../domain/documents.js';

// The bytes of the vault (ADR 0011): a table `document_blobs` keyed by (book, sha256 id), in
// `<data dir>/documents.db` with SQLite and in the store's schema with PostgreSQL. Insert-only:
// triggers refuse UPDATE and DELETE, as on the events table.

function schema(db: SqlDatabase): string[] {
  const bytes = db.dialect === 'sqlite' ? 'BLOB' : 'BYTEA';
  const table = `CREATE TABLE IF NOT EXISTS document_blobs (
      book TEXT NOT NULL, id TEXT NOT NULL, content_type TEXT NOT NULL, size INTEGER NOT NULL,
      bytes ${bytes} NOT NULL, PRIMARY KEY (book, id))`;
  if (db.dialect === 'sqlite')
    return [
      table,
      `CREATE TRIGGER IF NOT EXISTS document_blobs_reject_update BEFORE UPDATE ON document_blobs
        BEGIN SELECT RAISE(ABORT, 'documents are immutable: UPDATE rejected'); END`,
      `CREATE TRIGGER IF NOT EXISTS document_blobs_reject_delete BEFORE DELETE ON document_blobs
        BEGIN SELECT RAISE(ABORT, 'documents are never deleted: DELETE rejected'); END`,
    ];
  return [
    table,
    `CREATE OR REPLACE FUNCTION kontor_reject_document_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'document_blobs is insert-only: % rejected', TG_OP USING ERRCODE = 'integrity_constraint_violation';
      END $$`,
    'DROP TRIGGER IF EXISTS document_blobs_reject_change ON document_blobs',
    `CREATE TRIGGER document_blobs_reject_change BEFORE UPDATE OR DELETE ON document_blobs
      FOR EACH ROW EXECUTE FUNCTION kontor_reject_document_change()`,
  ];
}

export class BlobStore {
  private ready: Promise<void> | undefined;

  constructor(private readonly db: SqlDatabase) {}

  private setUp(): Promise<void> {
    // A blob must be as durable as the DocumentStored event appended after it.
    this.ready ??= (
      this.db.dialect === 'sqlite'
        ? this.db.execute('PRAGMA synchronous = FULL')
        : Promise.resolve()
    ).then(() => this.setUpSchema());
    return this.ready;
  }

  private setUpSchema(): Promise<void> {
    return this.db.withSchemaLock(async (tx) => {
      const [exists] = await tx.query(
        this.db.dialect === 'sqlite'
          ? "SELECT 1 AS one FROM sqlite_master WHERE type = 'trigger' AND name = 'document_blobs_reject_delete'"
          : "SELECT 1 AS one FROM pg_trigger WHERE tgname = 'document_blobs_reject_change' AND tgrelid = to_regclass('document_blobs')",
      );
      if (exists && this.db.dialect === 'postgres') return;
      for (const statement of schema(this.db)) await tx.execute(statement);
    });
  }

  /** Keeps the bytes; the same (book, id) again keeps the first copy (same hash, same bytes). */
  async put(book: string, id: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.setUp();
    await this.db.execute(
      'INSERT INTO document_blobs (book, id, content_type, size, bytes) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [book, id, contentType, bytes.byteLength, Buffer.from(bytes)],
    );
  }

  async get(book: string, id: string): Promise<StoredBlob | undefined> {
    await this.setUp();
    const [row] = await this.db.query<{ bytes: Buffer; content_type: string }>(
      'SELECT bytes, content_type FROM document_blobs WHERE book = ? AND id = ?',
      [book, id],
    );
    return row ? { bytes: Buffer.from(row.bytes), contentType: row.content_type } : undefined;
  }

  /** Every blob whose bytes no longer hash to its id or whose size changed, one at a time. */
  async verifyAll(): Promise<{ checked: number; problems: BlobProblem[] }> {
    await this.setUp();
    const keys = await this.db.query<{ book: string; id: string }>(
      'SELECT book, id FROM document_blobs ORDER BY book, id',
    );
    const problems: BlobProblem[] = [];
    for (const { book, id } of keys) {
      const [row] = await this.db.query<{ bytes: Buffer; size: unknown }>(
        'SELECT bytes, size FROM document_blobs WHERE book = ? AND id = ?',
        [book, id],
      );
      const bytes = Buffer.from(row!.bytes);
      const hash = documentIdOf(bytes);
      if (hash !== id) problems.push({ book, documentId: id, reason: `its bytes hash to ${hash}` });
      else if (toSafeNumber(row!.size) !== bytes.byteLength)
        problems.push({ book, documentId: id, reason: 'its size changed' });
    }
    return { checked: keys.length, problems };
  }
}
