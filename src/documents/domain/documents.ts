import { createHash } from 'node:crypto';
import { Decider, DomainError, EventSchema } from '../../event-sourcing/index.js';

// The Beleg vault's log side (docs/adr/0011-document-vault.md): one stream per book
// (`documents-<book>`) with one DocumentStored per distinct content; the bytes live outside
// the log, their SHA-256 in the event is what the hash chain covers.

/** Most bytes of one document (API.md: at most 20 MiB a file). */
export const documentBytesMax = 20 * 1024 * 1024;
export const contentTypeLengthMax = 255;
export const fileNameLengthMax = 255;

export const documentIdPattern = /^sha256:[0-9a-f]{64}$/;

export interface DocumentStoredData {
  documentId: string;
  size: number;
  contentType: string;
  fileName?: string;
}

export interface DocumentStored {
  type: 'DocumentStored';
  data: DocumentStoredData;
}

export function documentsStreamId(bookId: string): string {
  return `documents-${bookId}`;
}

/** `sha256:<64 lowercase hex>` of the bytes: the same bytes, the same id. */
export function documentIdOf(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export interface StoreDocument {
  type: 'StoreDocument';
  document: DocumentStoredData;
}

export interface DocumentsState {
  documents: Map<string, DocumentStoredData>;
}

/** Stores a document once: the same content again decides nothing (the first name stays). */
export const documentsDecider: Decider<StoreDocument, DocumentStored, DocumentsState> = {
  initialState: () => ({ documents: new Map() }),
  decide(command, state) {
    if (state.documents.has(command.document.documentId)) return [];
    return [{ type: 'DocumentStored', data: command.document }];
  },
  evolve(state, event) {
    state.documents.set(event.data.documentId, event.data);
    return state;
  },
};

/** The documents of a book must all be known (journal entries, incoming invoices link them). */
export function requireKnown(state: DocumentsState, bookId: string, ids: readonly string[]): void {
  const unknown = ids.filter((id) => !state.documents.has(id));
  if (unknown.length > 0)
    throw new DomainError(
      'business-rule',
      `No document ${unknown.join(', ')} in book ${bookId}: store it first (POST /v1/books/${bookId}/documents)`,
      unknown.map((id) => ({ field: 'documents', message: `unknown document ${id}` })),
    );
}

export const documentEventSchemas: readonly EventSchema[] = [
  {
    type: 'DocumentStored',
    schemaVersion: 1,
    description:
      'A document (Beleg) was stored in the vault: its SHA-256 id, size and content type. The bytes are kept outside the log (ADR 0011) and never deleted; `kontor verify` checks them against the id.',
    schema: {
      type: 'object',
      required: ['documentId', 'size', 'contentType'],
      additionalProperties: false,
      properties: {
        documentId: { type: 'string', pattern: documentIdPattern.source },
        size: { type: 'integer', minimum: 0, maximum: documentBytesMax },
        contentType: { type: 'string', minLength: 1, maxLength: contentTypeLengthMax },
        fileName: { type: 'string', minLength: 1, maxLength: fileNameLengthMax },
      },
    },
  },
];

/** The Nest provider token of the vault (CONTRACT.md): `@Inject(DOCUMENT_VAULT) vault: DocumentVaultPort`. */
export const DOCUMENT_VAULT = 'DOCUMENT_VAULT';

export interface StoredDocument {
  id: string;
  size: number;
  contentType: string;
  fileName?: string;
  position: bigint;
}

export interface StoredBlob {
  bytes: Buffer;
  contentType: string;
}

export interface BlobProblem {
  book: string;
  documentId: string;
  reason: string;
}

/** What other modules use of the vault (the DocumentVault behind DOCUMENT_VAULT). */
export interface DocumentVaultPort {
  store(
    book: string,
    bytes: Uint8Array,
    contentType: string,
    fileName?: string,
    metadata?: { actor: { id: string; name: string }; correlationId: string },
  ): Promise<StoredDocument>;
  read(book: string, id: string): Promise<StoredBlob | undefined>;
  /** Throws a 422 naming every id the book's vault does not hold. */
  requireKnown(book: string, ids: readonly string[]): Promise<void>;
  verifyAll(): Promise<{ checked: number; problems: BlobProblem[] }>;
}
