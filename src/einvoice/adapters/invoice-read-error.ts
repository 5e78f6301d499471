// Why bytes could not be read as an invoice: typed, so the HTTP layer maps every one of them
// to a 422 problem of type `invalid-invoice` with the reason and the detail.

export type InvoiceReadReason =
  | 'too-large' // more bytes than the limit for the input kind
  | 'not-xml' // not well-formed XML (or not UTF-8 text)
  | 'xml-limit-exceeded' // DOCTYPE/entities, nesting, node count, attribute length: a likely XML bomb
  | 'not-an-invoice' // well-formed XML, but neither a UBL Invoice/CreditNote nor a CII invoice
  | 'unreadable-field' // an invoice whose amount, quantity or date cannot be read
  | 'not-a-pdf' // a PDF was expected (or announced) and the bytes are no loadable PDF
  | 'pdf-without-invoice'; // a PDF without an embedded factur-x.xml / zugferd / xrechnung XML

export interface InvoiceReadError {
  problemType: 'invalid-invoice';
  reason: InvoiceReadReason;
  /** Which named limit was exceeded, for `too-large` and `xml-limit-exceeded`. */
  limit?: string;
  detail: string;
}

export type ReadOutcome<T> = { ok: true; value: T } | { ok: false; error: InvoiceReadError };

export function readFailure(
  reason: InvoiceReadReason,
  detail: string,
  limit?: string,
): { ok: false; error: InvoiceReadError } {
  return {
    ok: false,
    error: { problemType: 'invalid-invoice', reason, detail, ...(limit ? { limit } : {}) },
  };
}

/** Thrown inside a reader for a field that cannot be read; the reader returns it as a failure. */
export class UnreadableFieldError extends Error {
  constructor(
    readonly field: string,
    readonly value: string,
  ) {
    super(`${field}: "${value.slice(0, 60)}" cannot be read`);
  }
}
