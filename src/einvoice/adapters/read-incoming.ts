import { readInvoicePdf } from './facturx-extract.js';
import type { ReadOutcome } from './invoice-read-error.js';
import { readInvoiceXml, type ReadInvoice } from './read-invoice.js';

// Incoming invoice bytes of unknown kind: a PDF (by its "%PDF-" header) is read through its
// embedded XML, anything else as XML.

export interface IncomingInvoice extends ReadInvoice {
  container: 'xml' | 'pdf';
  /** The embedded file the invoice came from, for a PDF. */
  embeddedFileName?: string;
}

const pdfMagic = Buffer.from('%PDF-');

/** An XRechnung/EN 16931 UBL or CII file, or a ZUGFeRD/Factur-X PDF; never throws. */
export async function readIncomingInvoice(
  bytes: Uint8Array,
): Promise<ReadOutcome<IncomingInvoice>> {
  const head = Buffer.from(bytes.subarray(0, 1024));
  if (head.includes(pdfMagic)) {
    const read = await readInvoicePdf(bytes);
    if (!read.ok) return read;
    const { fileName, ...rest } = read.value;
    return { ok: true, value: { ...rest, container: 'pdf', embeddedFileName: fileName } };
  }
  const read = readInvoiceXml(bytes);
  return read.ok ? { ok: true, value: { ...read.value, container: 'xml' } } : read;
}
