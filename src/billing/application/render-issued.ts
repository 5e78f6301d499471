import { renderFacturXPdf, renderXrechnung, type InvoiceSyntax } from '../../einvoice/index.js';
import { issuedDocumentAsEn16931 } from '../domain/en16931-mapping.js';
import type { CreditNoteIssuedData, InvoiceIssuedData } from '../domain/issued-documents.js';

// GET …/invoices/:id/xrechnung|zugferd|pdf: bytes from the document event alone (no clock).

export type RenderFormat = { kind: 'xrechnung'; syntax: InvoiceSyntax } | { kind: 'pdf' };

export interface Rendering {
  body: Buffer;
  contentType: 'application/xml' | 'application/pdf';
  fileName: string;
}

export type RenderableDocument =
  ({ kind: 'invoice' } & InvoiceIssuedData) | ({ kind: 'credit-note' } & CreditNoteIssuedData);

export async function renderIssuedDocument(
  document: RenderableDocument,
  format: RenderFormat,
): Promise<Rendering> {
  const model = issuedDocumentAsEn16931(document);
  if (format.kind === 'xrechnung')
    return {
      body: renderXrechnung(model, format.syntax),
      contentType: 'application/xml',
      fileName: `${document.number}_${format.syntax}.xml`,
    };
  return {
    body: Buffer.from(await renderFacturXPdf(model)),
    contentType: 'application/pdf',
    fileName: `${document.number}.pdf`,
  };
}
