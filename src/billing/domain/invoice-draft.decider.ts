import { isDeepStrictEqual } from 'node:util';
import { ConflictError, Decider, NotFoundError, assert } from '../../event-sourcing/index.js';
import { DraftContext, InvoiceDraft, InvoiceDraftInput, prepareDraft } from './invoice-draft.js';
import { InvoiceDraftEvent } from './invoice-draft.events.js';

export interface CreateInvoiceDraft {
  type: 'CreateInvoiceDraft';
  invoiceId: string;
  bookId: string;
  input: InvoiceDraftInput;
  context: DraftContext;
}

export interface ReplaceInvoiceDraft {
  type: 'ReplaceInvoiceDraft';
  invoiceId: string;
  bookId: string;
  input: InvoiceDraftInput;
  context: DraftContext;
}

export interface DiscardInvoiceDraft {
  type: 'DiscardInvoiceDraft';
  invoiceId: string;
  bookId: string;
}

export interface MarkInvoiceDraftIssued {
  type: 'MarkInvoiceDraftIssued';
  invoiceId: string;
  bookId: string;
  number: string;
}

export type InvoiceDraftCommand =
  CreateInvoiceDraft | ReplaceInvoiceDraft | DiscardInvoiceDraft | MarkInvoiceDraftIssued;

export type InvoiceDraftState =
  | { status: 'none' }
  | { status: 'draft' | 'discarded'; invoiceId: string; bookId: string; draft: InvoiceDraft }
  | { status: 'issued'; invoiceId: string; bookId: string; draft: InvoiceDraft; number: string };

function openDraft(state: InvoiceDraftState, command: { invoiceId: string; bookId: string }) {
  if (state.status === 'none' || state.bookId !== command.bookId)
    throw new NotFoundError(`No invoice ${command.invoiceId} in book ${command.bookId}`);
  if (state.status === 'issued')
    throw new ConflictError(
      `Invoice ${command.invoiceId} is issued as ${state.number}; an issued invoice never changes (issue a credit note instead)`,
    );
  if (state.status === 'discarded')
    throw new ConflictError(`Invoice draft ${command.invoiceId} was discarded`);
  return state;
}

function decide(command: InvoiceDraftCommand, state: InvoiceDraftState): InvoiceDraftEvent[] {
  const ids = { invoiceId: command.invoiceId, bookId: command.bookId };
  switch (command.type) {
    case 'CreateInvoiceDraft': {
      const draft = prepareDraft(command.input, command.context);
      if (state.status !== 'none') {
        // The same draft again (a retried request) appends nothing; another one is a conflict.
        if (
          state.status === 'draft' &&
          state.bookId === command.bookId &&
          isDeepStrictEqual(state.draft, draft)
        )
          return [];
        throw new ConflictError(`Invoice ${command.invoiceId} exists`);
      }
      return [{ type: 'InvoiceDraftCreated', data: { ...ids, draft } }];
    }
    case 'ReplaceInvoiceDraft': {
      const current = openDraft(state, command);
      const draft = prepareDraft(command.input, command.context);
      if (isDeepStrictEqual(current.draft, draft)) return [];
      return [{ type: 'InvoiceDraftReplaced', data: { ...ids, draft } }];
    }
    case 'DiscardInvoiceDraft':
      openDraft(state, command);
      return [{ type: 'InvoiceDraftDiscarded', data: ids }];
    case 'MarkInvoiceDraftIssued':
      if (state.status === 'issued' && state.number === command.number) return [];
      openDraft(state, command);
      return [{ type: 'InvoiceDraftIssued', data: { ...ids, number: command.number } }];
  }
}

function evolve(state: InvoiceDraftState, event: InvoiceDraftEvent): InvoiceDraftState {
  switch (event.type) {
    case 'InvoiceDraftCreated':
    case 'InvoiceDraftReplaced':
      return { status: 'draft', ...event.data };
    case 'InvoiceDraftDiscarded':
      assert(state.status === 'draft', 'discarded a draft that is not open');
      return { ...state, status: 'discarded' };
    case 'InvoiceDraftIssued':
      assert(state.status === 'draft', 'issued a draft that is not open');
      return { ...state, status: 'issued', number: event.data.number };
  }
}

/** One invoice draft (stream `invoice-draft-<id>`): create, replace, discard, mark issued. */
export const invoiceDraftDecider: Decider<
  InvoiceDraftCommand,
  InvoiceDraftEvent,
  InvoiceDraftState
> = {
  initialState: () => ({ status: 'none' }),
  decide,
  evolve,
};
