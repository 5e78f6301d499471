import { CommandBus } from '@nestjs/cqrs';
import { CommandMetadata, DomainError } from '../../event-sourcing/index.js';
import { domainProblem } from '../../infrastructure/http/problem-details.filter.js';
import { validatedAs } from '../../infrastructure/http/validation.js';
import { BookBatchOutcome, RunBookCommands } from '../application/ledger-bus.commands.js';
import { PostJournalEntry } from '../domain/book.commands.js';
import { findBookEvent } from '../domain/book.events.js';
import { BatchEntryResultResponse, BatchJournalEntryRequest } from './journal-batch.dto.js';
import { postJournalEntryCommand } from './journal-entry-command.js';
import { metadataOf, requesterOf } from './ledger-commands.controller.js';
import type { RequestContextValue } from '../../access/access.module.js';

export type BatchResult = Omit<BatchEntryResultResponse, 'position'> & { position?: bigint };

/** An entry that was built into a command, or its validation problem. */
type Prepared = { command: PostJournalEntry; metadata: CommandMetadata } | { error: DomainError };

/** Who asks for a batch: an HTTP request's context, or `kontor import`'s own. */
export type BatchRequester = Pick<RequestContextValue, 'actor' | 'correlationId' | 'roles'>;

/**
 * Many journal entries of one book (the batch route, `kontor import`): each entry is validated
 * like the single route's body, gated and decided on its own; the rest run as one batch of the
 * book's worker. One result per entry, in order, and the highest position written or answered.
 */
export async function postJournalEntriesBatch(
  commandBus: CommandBus,
  bookId: string,
  entries: readonly unknown[],
  context: BatchRequester,
  /** Refuses an entry naming a vault document the book does not hold (the HTTP route's vault). */
  requireDocuments: (bookId: string, ids: readonly string[]) => Promise<void> = async () => {},
): Promise<{ results: BatchResult[]; position: bigint }> {
  const prepared = await Promise.all(
    entries.map((entry) => prepare(bookId, entry, context, requireDocuments)),
  );
  const runnable = prepared.flatMap((item) => ('error' in item ? [] : [item]));
  const outcomes =
    runnable.length === 0
      ? []
      : await commandBus.execute(new RunBookCommands(bookId, runnable, requesterOf(context)));
  let next = 0;
  const results = prepared.map((item, index): BatchResult => {
    if ('error' in item) return refused(index, item.error);
    return resultOf(index, item.command, outcomes[next++]!);
  });
  const position = results.reduce(
    (highest, result) =>
      result.position !== undefined && result.position > highest ? result.position : highest,
    0n,
  );
  return { results, position };
}

async function prepare(
  bookId: string,
  entry: unknown,
  context: BatchRequester,
  requireDocuments: (bookId: string, ids: readonly string[]) => Promise<void>,
): Promise<Prepared> {
  try {
    const { idempotencyKey, ...body } = await validatedAs(BatchJournalEntryRequest, entry);
    const { command, commandId } = postJournalEntryCommand(bookId, body, idempotencyKey);
    await requireDocuments(bookId, body.documents ?? []);
    return { command, metadata: { ...metadataOf(context), commandId } };
  } catch (error) {
    if (error instanceof DomainError) return { error };
    throw error;
  }
}

function resultOf(
  index: number,
  command: PostJournalEntry,
  outcome: BookBatchOutcome,
): BatchResult {
  switch (outcome.status) {
    case 'done': {
      const posted = findBookEvent(outcome.result.events, 'JournalEntryPosted');
      return {
        index,
        status: 201,
        id: posted?.data.entryId ?? command.entryId,
        position: outcome.result.position,
        ...(outcome.result.repeated ? { repeated: true } : {}),
      };
    }
    case 'pending_approval':
      return {
        index,
        status: 202,
        id: command.entryId,
        approvalId: outcome.approvalId,
        position: outcome.position,
      };
    case 'refused':
      // A store that failed is not the entry's fault: the request fails as a whole.
      if (!(outcome.error instanceof DomainError)) throw outcome.error;
      return refused(index, outcome.error);
  }
}

function refused(index: number, error: DomainError): BatchResult {
  const problem = domainProblem(error);
  return { index, status: problem.status, problem: { ...problem } };
}
