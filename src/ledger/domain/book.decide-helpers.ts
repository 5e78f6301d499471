import { FieldError, ValidationError, assert } from '../../event-sourcing/index.js';
import { IdempotencyInput } from './book.commands.js';
import { JournalEntryPostedData, JournalLine } from './book.events.js';
import { entryIdLengthMax, idempotencyKeyLengthMax, textProblem } from './book.rules.js';
import { EntryLineState, OpenBookState } from './book.state.js';
import { IdempotencyMismatchError } from './ledger.errors.js';

/** Small rules the book's deciders share (book.decider.ts, document.decider.ts). */

export function checkEntryId(entryId: string): void {
  assert(
    typeof entryId === 'string' && entryId.length > 0 && entryId.length <= entryIdLengthMax,
    `entry id ${entryId} made at the edge is malformed`,
  );
}

/** Same key and same body: a repeat. Same key and another body: refused. */
export function isIdempotentRepeat(
  idempotency: IdempotencyInput | undefined,
  book: OpenBookState,
): boolean {
  if (idempotency === undefined) return false;
  throwFieldErrors('Invalid Idempotency-Key', [
    fieldProblem(
      'Idempotency-Key',
      textProblem(idempotency.key, { required: true, lengthMax: idempotencyKeyLengthMax }),
    ),
  ]);
  assert(
    typeof idempotency.requestHash === 'string' && idempotency.requestHash.length > 0,
    'idempotency key without a request hash',
  );
  const known = book.idempotencyKeys.get(idempotency.key);
  if (known === undefined) return false;
  if (known.requestHash !== idempotency.requestHash)
    throw new IdempotencyMismatchError(idempotency.key);
  return true;
}

export function withIdempotency(
  entry: JournalEntryPostedData,
  idempotency: IdempotencyInput | undefined,
): JournalEntryPostedData {
  return idempotency === undefined
    ? entry
    : { ...entry, idempotencyKey: idempotency.key, requestHash: idempotency.requestHash };
}

export function sameLines(
  stored: readonly EntryLineState[],
  lines: readonly JournalLine[],
): boolean {
  return (
    stored.length === lines.length &&
    stored.every(
      (line, index) =>
        line.account === lines[index]!.account &&
        line.side === lines[index]!.side &&
        line.amountMinor === lines[index]!.amountMinor &&
        line.currency === lines[index]!.currency,
    )
  );
}

export function fieldProblem(field: string, message: string | undefined): FieldError | undefined {
  return message === undefined ? undefined : { field, message };
}

export function throwFieldErrors(message: string, problems: (FieldError | undefined)[]): void {
  const errors = problems.filter((problem): problem is FieldError => problem !== undefined);
  if (errors.length > 0) throw new ValidationError(message, errors);
}
