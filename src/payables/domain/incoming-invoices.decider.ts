import { ConflictError, Decider, DomainEvent } from '../../event-sourcing/index.js';
import type { IncomingInvoiceFacts, IncomingInvoiceReceivedData } from './incoming-invoice.js';

// The incoming invoices of one book (stream `incoming-invoices-<book>`): the receipt numbers
// are gap-free and the duplicate rules (same bytes, or the same supplier and number) hold here,
// decided against every invoice received so far.

export type IncomingInvoiceReceived = DomainEvent<
  'IncomingInvoiceReceived',
  IncomingInvoiceReceivedData
>;

export function incomingInvoicesStreamId(bookId: string): string {
  return `incoming-invoices-${bookId}`;
}

export interface ReceiveIncomingInvoice {
  type: 'ReceiveIncomingInvoice';
  bookId: string;
  invoiceId: string;
  documentId: string;
  supplier: string;
  facts: IncomingInvoiceFacts;
}

export interface IncomingInvoicesState {
  invoices: Map<string, IncomingInvoiceReceivedData>;
  /** `<supplier>\0<number>` → invoice id. */
  bySupplierNumber: Map<string, string>;
  byDocument: Map<string, string>;
}

function supplierNumberKey(supplier: string, number: string): string {
  return `${supplier}\u0000${number.trim().toUpperCase()}`;
}

/** The 409 a duplicate gets, or undefined: the same bytes, or the same supplier and number. */
export function duplicateOf(
  state: IncomingInvoicesState,
  documentId: string,
  supplier: string | undefined,
  number: string,
): string | undefined {
  const sameBytes = state.byDocument.get(documentId);
  if (sameBytes !== undefined)
    return `The same file was received before as incoming invoice ${sameBytes}`;
  if (supplier === undefined) return undefined;
  const sameNumber = state.bySupplierNumber.get(supplierNumberKey(supplier, number));
  if (sameNumber !== undefined)
    return `Supplier ${supplier} already sent invoice number ${number} (incoming invoice ${sameNumber})`;
  return undefined;
}

export const incomingInvoicesDecider: Decider<
  ReceiveIncomingInvoice,
  IncomingInvoiceReceived,
  IncomingInvoicesState
> = {
  initialState: () => ({ invoices: new Map(), bySupplierNumber: new Map(), byDocument: new Map() }),
  decide(command, state) {
    const duplicate = duplicateOf(
      state,
      command.documentId,
      command.supplier,
      command.facts.number,
    );
    if (duplicate !== undefined) throw new ConflictError(duplicate);
    return [
      {
        type: 'IncomingInvoiceReceived',
        data: {
          ...command.facts,
          invoiceId: command.invoiceId,
          bookId: command.bookId,
          sequence: state.invoices.size + 1,
          documentId: command.documentId,
          supplier: command.supplier,
        },
      },
    ];
  },
  evolve(state, event) {
    const data = event.data;
    state.invoices.set(data.invoiceId, data);
    state.bySupplierNumber.set(supplierNumberKey(data.supplier, data.number), data.invoiceId);
    state.byDocument.set(data.documentId, data.invoiceId);
    return state;
  },
};
