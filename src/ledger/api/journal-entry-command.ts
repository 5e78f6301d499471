import { deterministicId, newId } from '../../event-sourcing/index.js';
import { idempotencyOf } from '../../infrastructure/http/idempotency.js';
import { JournalLineInput, PostJournalEntry } from '../domain/book.commands.js';
import { PostJournalEntryRequest } from './ledger-commands.request.dto.js';

/**
 * The PostJournalEntry of a posting body, for the single route and every entry of a batch (the
 * same key and body answer the same in both), with the command id its metadata carries.
 */
export function postJournalEntryCommand(
  bookId: string,
  body: PostJournalEntryRequest,
  idempotencyKey: string | undefined,
): { command: PostJournalEntry; commandId: string } {
  const ids = entryIds(bookId, idempotencyKey);
  const command = {
    type: 'PostJournalEntry' as const,
    bookId,
    entryId: ids.entryId,
    effectiveDate: body.effectiveDate,
    description: body.description,
    ...(body.reference === undefined ? {} : { reference: body.reference }),
    lines: body.lines.map(lineInput),
    ...(body.metadata === undefined ? {} : { metadata: body.metadata }),
    ...(body.documents === undefined ? {} : { documents: body.documents }),
    ...(body.tax === undefined ? {} : { tax: body.tax }),
    ...idempotencyOf(idempotencyKey, 'post-journal-entry', body),
  };
  return { command, commandId: ids.commandId };
}

/**
 * Without an Idempotency-Key: fresh ids. With one, both ids derive from (book, key), so a retry
 * after a crash or a lost answer decides the very same command and appends nothing new.
 */
export function entryIds(
  bookId: string,
  idempotencyKey: string | undefined,
): { entryId: string; commandId: string } {
  if (idempotencyKey === undefined) return { entryId: newId(), commandId: newId() };
  return {
    entryId: deterministicId('kontor.ledger.journal-entry', bookId, idempotencyKey),
    commandId: deterministicId('kontor.ledger.journal-entry.command', bookId, idempotencyKey),
  };
}

function lineInput(line: PostJournalEntryRequest['lines'][number]): JournalLineInput {
  return {
    account: line.account,
    ...(line.debit === undefined ? {} : { debit: line.debit }),
    ...(line.credit === undefined ? {} : { credit: line.credit }),
    ...(line.currency === undefined ? {} : { currency: line.currency }),
    ...(line.memo === undefined ? {} : { memo: line.memo }),
    ...(line.taxCode === undefined ? {} : { taxCode: line.taxCode }),
    ...(line.party === undefined ? {} : { party: line.party }),
  };
}
