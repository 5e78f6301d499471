import { ConflictError, assert } from '../../event-sourcing/index.js';
import { PostDocument, PostJournalEntry } from './book.commands.js';
import {
  checkEntryId,
  fieldProblem,
  isIdempotentRepeat,
  sameLines,
  throwFieldErrors,
  withIdempotency,
} from './book.decide-helpers.js';
import { BookStreamEvent, DocumentEventFields } from './book.events.js';
import { identifierProblem } from './book.rules.js';
import { OpenBookState } from './book.state.js';
import { documentDataProblem, isDocumentType } from './document-types.js';
import { entryOf, validateJournalEntry } from './journal-entry.rules.js';

export const documentIdLengthMax = 128;
export const seriesLengthMax = 40;
/** Digits of the zero-padded sequence in a document number (`RE-2027-00001`); more when it runs over. */
export const sequenceDigits = 5;

/** `<series>-<sequence zero-padded to 5>`. */
export function documentNumber(series: string, sequence: number): string {
  return `${series}-${String(sequence).padStart(sequenceDigits, '0')}`;
}

/**
 * PostDocument (docs/adr/0008): the document event and its journal entry in one append. A
 * repeat (same Idempotency-Key and body, or the same document id with the same entry) decides
 * no events; the caller answers with the original.
 */
export function postDocument(command: PostDocument, book: OpenBookState): BookStreamEvent[] {
  const { document } = command;
  assert(
    isDocumentType(document.type),
    `document type ${document.type} is not registered (registerDocumentType)`,
  );
  checkEntryId(command.entry.entryId);
  throwFieldErrors('Invalid document', [
    fieldProblem('document.id', identifierProblem(document.id, documentIdLengthMax)),
    fieldProblem(
      'numbering.series',
      command.numbering === undefined
        ? undefined
        : identifierProblem(command.numbering.series, seriesLengthMax),
    ),
  ]);
  if (isIdempotentRepeat(command.idempotency, book)) return [];
  if (isRepeatedDocument(command, book)) return [];
  if (book.entries.has(command.entry.entryId))
    throw new ConflictError(`Journal entry ${command.entry.entryId} already exists`);
  checkReferences(command, book);

  const sequence =
    command.numbering === undefined
      ? undefined
      : (book.series.get(command.numbering.series) ?? 0) + 1;
  const number =
    sequence === undefined ? undefined : documentNumber(command.numbering!.series, sequence);
  const entry = validateJournalEntry(entryCommand(command, number), book);
  const fields: DocumentEventFields = {
    documentId: document.id,
    ...(number === undefined ? {} : { number }),
    ...(sequence === undefined
      ? {}
      : { numbering: { series: command.numbering!.series, sequence } }),
    entryId: entry.entryId,
    ...(command.refersTo === undefined ? {} : { refersTo: command.refersTo.documentId }),
    ...(command.closes === undefined ? {} : { closes: command.closes }),
  };
  const data = { ...document.data, ...fields };
  const problem = documentDataProblem(document.type, data);
  assert(
    problem === undefined,
    `${document.type} ${document.id} does not fit its schema: ${problem}`,
  );
  return [
    { type: document.type, data },
    { type: 'JournalEntryPosted', data: withIdempotency(entry, command.idempotency) },
  ];
}

/** The entry as PostJournalEntry would post it: referenced by the number, tagged with the document. */
export function entryCommand(command: PostDocument, number: string | undefined): PostJournalEntry {
  const reference = number ?? command.entry.reference;
  return {
    ...command.entry,
    type: 'PostJournalEntry',
    bookId: command.bookId,
    ...(reference === undefined ? {} : { reference }),
    metadata: {
      ...command.entry.metadata,
      documentType: command.document.type,
      documentId: command.document.id,
    },
  };
}

/** The same document again (a reactor or an approval re-running it): same type, entry id and lines. */
function isRepeatedDocument(command: PostDocument, book: OpenBookState): boolean {
  const known = book.documents.get(command.document.id);
  if (known === undefined) return false;
  const entry = book.entries.get(known.entryId);
  const lines =
    known.type === command.document.type && known.entryId === command.entry.entryId
      ? entryOf(entryCommand(command, known.number), book).lines
      : undefined;
  if (entry?.kind === 'original' && lines !== undefined && sameLines(entry.lines, lines))
    return true;
  throw new ConflictError(
    `Document ${command.document.id} already exists (${known.type}${known.number === undefined ? '' : ` ${known.number}`}); a new document needs a new id`,
  );
}

function checkReferences(command: PostDocument, book: OpenBookState): void {
  if (command.refersTo !== undefined) {
    const { documentId, mustBeOpen } = command.refersTo;
    const referred = book.documents.get(documentId);
    if (referred === undefined)
      throw new ConflictError(
        `Document ${documentId} that ${command.document.id} refers to is not known in book ${book.bookId}`,
      );
    if (mustBeOpen === true && referred.status === 'closed')
      throw new ConflictError(
        `Document ${documentId} (${referred.number ?? referred.type}) is closed; ${command.document.id} cannot refer to it`,
      );
  }
  if (command.closes !== undefined) {
    const closed = book.documents.get(command.closes);
    if (closed === undefined)
      throw new ConflictError(
        `Document ${command.closes} that ${command.document.id} closes is not known in book ${book.bookId}`,
      );
    if (closed.status === 'closed')
      throw new ConflictError(
        `Document ${command.closes} (${closed.number ?? closed.type}) is already closed`,
      );
  }
}
