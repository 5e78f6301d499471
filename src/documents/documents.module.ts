import { join } from 'node:path';
import { existsSync, mkdirSync } from 'node:fs';
import { Inject, Injectable, Module, OnModuleDestroy } from '@nestjs/common';
import { KontorConfig } from '../config.js';
import { EventStore } from '../event-sourcing/index.js';
import { PostgresDatabase, SqlDatabase, SqliteDatabase } from '../infrastructure/sql/index.js';
import { EVENT_STORE, KONTOR_CONFIG, READ_MODEL_DB } from '../infrastructure/tokens.js';
import { DocumentsController } from './api/documents.controller.js';
import { BlobStore } from './application/blob-store.js';
import { DOCUMENT_VAULT, DocumentVault } from './application/document-vault.js';

export { DOCUMENT_VAULT, DocumentVault } from './application/document-vault.js';
export { BlobStore } from './application/blob-store.js';

export const documentsFileName = 'documents.db';
const DOCUMENTS_DB = 'DOCUMENTS_DB';

/**
 * Where the vault's bytes live (ADR 0011): PostgreSQL's read-model database is the store's own
 * database and schema, so the blobs sit beside the events; with SQLite a file of their own
 * (`<data dir>/documents.db`), never the rebuildable readmodels.db.
 */
export function openDocumentDatabase(
  config: Pick<KontorConfig, 'dataDir'>,
  readModels: SqlDatabase,
): { db: SqlDatabase; owned: boolean } {
  if (readModels.dialect === 'postgres') return { db: readModels, owned: false };
  mkdirSync(config.dataDir, { recursive: true });
  return { db: SqliteDatabase.open(join(config.dataDir, documentsFileName)), owned: true };
}

/**
 * `kontor verify`'s check of the vault: every blob against its sha256 id, on the database the
 * server keeps them in (opened and closed here). Lines to print and whether all matched.
 */
export async function verifyDocumentBlobs(
  config: KontorConfig,
): Promise<{ ok: boolean; lines: string[] }> {
  const usesPostgres =
    config.store === 'postgres' || (config.store === 'kurrentdb' && config.databaseUrl);
  if (!usesPostgres && !existsSync(join(config.dataDir, documentsFileName)))
    return { ok: true, lines: ['ok: no documents stored'] };
  const db = usesPostgres
    ? PostgresDatabase.connect(config.databaseUrl!, {
        connectTimeoutMilliseconds: config.dbConnectTimeoutMilliseconds,
      })
    : SqliteDatabase.open(join(config.dataDir, documentsFileName));
  try {
    const { checked, problems } = await new BlobStore(db).verifyAll();
    if (problems.length === 0)
      return { ok: true, lines: [`ok: ${checked} documents match their sha256 ids`] };
    return {
      ok: false,
      lines: problems.map((p) => `BROKEN document ${p.documentId} in book ${p.book}: ${p.reason}`),
    };
  } finally {
    await db.close();
  }
}

@Injectable()
class DocumentsDatabaseCloser implements OnModuleDestroy {
  constructor(@Inject(DOCUMENTS_DB) private readonly opened: { db: SqlDatabase; owned: boolean }) {}

  async onModuleDestroy(): Promise<void> {
    if (this.opened.owned) await this.opened.db.close();
  }
}

/** The Beleg vault: POST/GET /v1/books/:book/documents and the DOCUMENT_VAULT port. */
@Module({
  controllers: [DocumentsController],
  providers: [
    {
      provide: DOCUMENTS_DB,
      inject: [KONTOR_CONFIG, READ_MODEL_DB],
      useFactory: (config: KontorConfig, readModels: SqlDatabase) =>
        openDocumentDatabase(config, readModels),
    },
    {
      provide: DOCUMENT_VAULT,
      inject: [EVENT_STORE, DOCUMENTS_DB],
      useFactory: (store: EventStore, opened: { db: SqlDatabase }) =>
        new DocumentVault(store, new BlobStore(opened.db)),
    },
    DocumentsDatabaseCloser,
  ],
  exports: [DOCUMENT_VAULT],
})
export class DocumentsModule {}
