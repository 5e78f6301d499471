/**
 * The documents (Belege) module's public surface: the DocumentStored event, the vault port
 * token DOCUMENT_VAULT (CONTRACT.md) and the Nest module. docs/payables.md, ADR 0011.
 */
export * from './domain/documents.js';
export { DOCUMENT_VAULT, DocumentVault } from './application/document-vault.js';
export type { StoredDocument } from './application/document-vault.js';
export { BlobStore } from './application/blob-store.js';
export type { BlobProblem } from './application/blob-store.js';
export {
  DocumentsModule,
  openDocumentDatabase,
  documentsFileName,
  verifyDocumentBlobs,
} from './documents.module.js';
