/**
 * Expected errors: a stable code that is also the RFC 9457 problem slug (`/problems/<code>`).
 * Impossible states are assert() failures instead.
 */
export type ProblemCode =
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'unbalanced-entry'
  | 'period-closed'
  | 'account-closed'
  | 'unknown-account'
  | 'segregation-of-duties'
  | 'idempotency-mismatch'
  | 'payload-too-large'
  | 'method-not-allowed'
  | 'rate-limited'
  | 'not-ready'
  | 'business-rule'
  | 'invalid-invoice';

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
    readonly fieldErrors?: FieldError[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, fieldErrors?: FieldError[]) {
    super('validation', message, fieldErrors);
  }
}

/** A read from a number that is not the position of an event of the log (KurrentDB: positions are byte offsets). */
export class InvalidPositionError extends ValidationError {
  constructor(
    readonly position: bigint,
    field = 'fromPosition',
  ) {
    super(
      `position ${position} is not the position of an event in this log: use 0 or a position this API returned (an event's position, a page's nextPosition, an SSE id)`,
      [{ field, message: 'must be 0 or the position of an event of the log' }],
    );
  }
}

/** The events of one append are more than the store takes at once (KurrentDB: `MaxAppendSize`, 1 MiB by default): split the append. */
export class AppendTooLargeError extends DomainError {
  constructor(
    readonly streamId: string,
    readonly maxAppendBytes: number | undefined,
  ) {
    super(
      'payload-too-large',
      `the events for stream ${streamId} are more than the event store takes in one append (${maxAppendBytes ?? 'its'} bytes): send fewer or smaller commands at once`,
    );
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super('not-found', message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super('conflict', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** Optimistic concurrency: the stream's last revision was not what the writer expected. */
export class WrongExpectedRevisionError extends DomainError {
  constructor(
    readonly streamId: string,
    readonly expected: string | number,
    readonly actual: number | 'no_stream',
  ) {
    super('conflict', `Stream ${streamId}: expected revision ${expected}, actual ${actual}`);
  }
}
