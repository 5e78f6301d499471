/**
 * The documents (Belege) module's pure public surface: the DocumentStored event, its decider,
 * the vault port (DocumentVaultPort) and its provider token DOCUMENT_VAULT (CONTRACT.md). The
 * Nest wiring (DocumentsModule, DocumentVault, verifyDocumentBlobs) is in documents.module.ts.
 * docs/payables.md, ADR 0011.
 */
export * from './domain/documents.js';
