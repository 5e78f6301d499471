import {
  CommandMetadata,
  DecidedStream,
  cachedPerKey,
  EventStore,
  NotFoundError,
  ValidationError,
  assert,
} from '../../event-sourcing/index.js';
import {
  contentTypeLengthMax,
  documentIdOf,
  documentsDecider,
  DocumentsState,
  DocumentStored,
  DocumentStoredData,
  documentsStreamId,
  fileNameLengthMax,
  requireKnown,
  StoreDocument,
  type BlobProblem,
  type DocumentVaultPort,
  type StoredBlob,
  type StoredDocument,
} from '../domain/documents.js';

export { DOCUMENT_VAULT } from '../domain/documents.js';
import { bookOpenedOf } from '../../ledger/index.js';
import { BlobStore } from './blob-store.js';

const printable = /^[\x20-\x7e]+$/;

/**
 * The Beleg vault: bytes into the blob table first, then DocumentStored into the book's
 * `documents-<book>` stream (so an event never names bytes that are not there). The same
 * bytes again append nothing and answer with the first event's position.
 */
export class DocumentVault implements DocumentVaultPort {
  private readonly streams = new Map<
    string,
    DecidedStream<StoreDocument, DocumentStored, DocumentsState>
  >();

  constructor(
    private readonly events: EventStore,
    private readonly blobs: BlobStore,
  ) {}

  async store(
    book: string,
    bytes: Uint8Array,
    contentType: string,
    fileName?: string,
    metadata?: CommandMetadata,
  ): Promise<StoredDocument> {
    checkLabels(contentType, fileName);
    await this.requireBook(book);
    const id = documentIdOf(bytes);
    const document: DocumentStoredData = {
      documentId: id,
      size: bytes.byteLength,
      contentType,
      ...(fileName === undefined ? {} : { fileName }),
    };
    await this.blobs.put(book, id, bytes, contentType);
    await this.stream(book).handle(
      { type: 'StoreDocument', document },
      {
        ...(metadata ?? { actor: { id: 'system', name: 'system' }, correlationId: id }),
        commandId: `document-${book}-${id}`,
        book,
      },
    );
    const stored = await this.describe(book, id);
    assert(stored !== undefined, 'a stored document is in its stream');
    return stored;
  }

  async read(book: string, id: string): Promise<StoredBlob | undefined> {
    if ((await this.describe(book, id)) === undefined) return undefined;
    return this.blobs.get(book, id);
  }

  /** The document's event facts (no bytes), or undefined when the book has no such document. */
  async describe(book: string, id: string): Promise<StoredDocument | undefined> {
    const { events } = await this.stream(book).read();
    const event = events.find((e) => (e.data as DocumentStoredData).documentId === id);
    return event === undefined
      ? undefined
      : describeEvent(event.data as DocumentStoredData, event.position);
  }

  async list(book: string): Promise<StoredDocument[]> {
    await this.requireBook(book);
    const { events } = await this.stream(book).read();
    return events.map((e) => describeEvent(e.data as DocumentStoredData, e.position));
  }

  /** Throws a 404 problem naming every id the book has no document for. */
  async requireKnown(book: string, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    requireKnown(await this.stream(book).current(), book, ids);
  }

  verifyAll(): Promise<{ checked: number; problems: BlobProblem[] }> {
    return this.blobs.verifyAll();
  }

  private async requireBook(book: string): Promise<void> {
    if (!(await bookOpenedOf(this.events, book))) throw new NotFoundError(`Book ${book} not found`);
  }

  private stream(book: string) {
    return cachedPerKey(
      this.streams,
      book,
      () => new DecidedStream(this.events, documentsStreamId(book), documentsDecider),
    );
  }
}

function describeEvent(data: DocumentStoredData, position: bigint): StoredDocument {
  return {
    id: data.documentId,
    size: data.size,
    contentType: data.contentType,
    ...(data.fileName === undefined ? {} : { fileName: data.fileName }),
    position,
  };
}

function checkLabels(contentType: string, fileName: string | undefined): void {
  const problems = [
    contentType.length > contentTypeLengthMax || !printable.test(contentType)
      ? {
          field: 'Content-Type',
          message: `printable ASCII, at most ${contentTypeLengthMax} characters`,
        }
      : undefined,
    fileName !== undefined && (fileName.length > fileNameLengthMax || fileName.trim() === '')
      ? { field: 'fileName', message: `1 to ${fileNameLengthMax} characters` }
      : undefined,
  ].filter((p) => p !== undefined);
  if (problems.length > 0)
    throw new ValidationError(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems);
}
