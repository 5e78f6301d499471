import { ValidationError } from '../../event-sourcing/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { bookDecider } from '../domain/book.decider.js';
import { BookEvent } from '../domain/book.events.js';

/** Shared givens for the journal-entry decider specs (not a spec itself). */
export const spec = deciderSpec(bookDecider);
export const marchClosed: BookEvent = { type: 'PeriodClosed', data: { period: '2026-03' } };
export const closed = (code: string): BookEvent => ({ type: 'AccountClosed', data: { code } });

export function fieldsOf(error: unknown): string[] {
  return ((error as ValidationError).fieldErrors ?? []).map((fieldError) => fieldError.field);
}
