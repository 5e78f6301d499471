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
  | 'business-rule';

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
