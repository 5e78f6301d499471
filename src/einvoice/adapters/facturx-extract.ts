import { inflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFString,
} from 'pdf-lib';
import { readFailure, type ReadOutcome } from './invoice-read-error.js';
import { readInvoiceXml, type ReadInvoice } from './read-invoice.js';
import { xmlLimits } from './safe-xml.js';

// ZUGFeRD / Factur-X / XRechnung-in-PDF: find the embedded invoice XML and read it.

export const pdfLimits = {
  /** Bytes of one PDF (the Beleg vault's per-file limit). */
  pdfBytesMax: 20 * 1024 * 1024,
  /** Embedded files looked at in one PDF. */
  pdfEmbeddedFilesMax: 100,
} as const;

/** File names an embedded invoice has (compared case-insensitively), in order of preference. */
export const embeddedInvoiceFileNames = ['factur-x.xml', 'zugferd-invoice.xml', 'xrechnung.xml'];

interface EmbeddedFile {
  name: string;
  spec: PDFDict;
}

function fileName(spec: PDFDict): string {
  const name = spec.lookup(PDFName.of('UF')) ?? spec.lookup(PDFName.of('F'));
  return name instanceof PDFString || name instanceof PDFHexString ? name.decodeText() : '';
}

/** File specifications from the /EmbeddedFiles name tree (with /Kids) and the catalog's /AF. */
function embeddedFiles(document: PDFDocument): EmbeddedFile[] {
  const specs: PDFDict[] = [];
  const visit = (node: unknown, depth: number): void => {
    if (!(node instanceof PDFDict) || depth > 8 || specs.length >= pdfLimits.pdfEmbeddedFilesMax)
      return;
    const names = node.lookup(PDFName.of('Names'));
    if (names instanceof PDFArray)
      for (let i = 1; i < names.size() && specs.length < pdfLimits.pdfEmbeddedFilesMax; i += 2) {
        const spec = names.lookup(i);
        if (spec instanceof PDFDict) specs.push(spec);
      }
    const kids = node.lookup(PDFName.of('Kids'));
    if (kids instanceof PDFArray)
      for (let i = 0; i < kids.size(); i++) visit(kids.lookup(i), depth + 1);
  };
  const catalogNames = document.catalog.lookup(PDFName.of('Names'));
  if (catalogNames instanceof PDFDict) visit(catalogNames.lookup(PDFName.of('EmbeddedFiles')), 0);
  const associated = document.catalog.lookup(PDFName.of('AF'));
  if (associated instanceof PDFArray)
    for (let i = 0; i < associated.size() && specs.length < pdfLimits.pdfEmbeddedFilesMax; i++) {
      const spec = associated.lookup(i);
      if (spec instanceof PDFDict) specs.push(spec);
    }
  return specs.map((spec) => ({ name: fileName(spec), spec }));
}

/** The decoded bytes of an embedded file, at most xmlBytesMax (a deflate bomb stops there). */
function fileBytes(spec: PDFDict): Uint8Array | 'too-large' | undefined {
  const ef = spec.lookup(PDFName.of('EF'));
  const stream = ef instanceof PDFDict ? ef.lookup(PDFName.of('F')) : undefined;
  if (!(stream instanceof PDFRawStream)) return undefined;
  const filter = stream.dict.lookup(PDFName.of('Filter'));
  const filterName = filter instanceof PDFArray ? filter.lookup(0) : filter;
  if (filter instanceof PDFArray && filter.size() > 1) return undefined;
  if (filterName === undefined) return stream.contents;
  if (!(filterName instanceof PDFName) || filterName.asString() !== '/FlateDecode')
    return undefined;
  try {
    return inflateSync(stream.contents, { maxOutputLength: xmlLimits.xmlBytesMax });
  } catch (error) {
    return (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too-large' : undefined;
  }
}

/** The embedded invoice XML of a ZUGFeRD / Factur-X PDF; never throws. */
export async function extractEmbeddedInvoiceXml(
  pdf: Uint8Array,
): Promise<ReadOutcome<{ xml: Uint8Array; fileName: string }>> {
  if (pdf.byteLength > pdfLimits.pdfBytesMax)
    return readFailure(
      'too-large',
      `${pdf.byteLength} bytes, more than pdfBytesMax = ${pdfLimits.pdfBytesMax}`,
      'pdfBytesMax',
    );
  let document: PDFDocument;
  try {
    document = await PDFDocument.load(pdf, {
      updateMetadata: false,
      ignoreEncryption: true,
      throwOnInvalidObject: true,
    });
  } catch (error) {
    return readFailure(
      'not-a-pdf',
      `not a readable PDF: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let files: EmbeddedFile[];
  try {
    files = embeddedFiles(document);
  } catch (error) {
    // A "PDF" without a usable catalog (pdf-lib loads almost anything that starts with %PDF-).
    return readFailure(
      'not-a-pdf',
      `not a readable PDF: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  for (const wanted of embeddedInvoiceFileNames) {
    const file = files.find((candidate) => candidate.name.toLowerCase() === wanted);
    if (!file) continue;
    const xml = fileBytes(file.spec);
    if (xml === 'too-large')
      return readFailure(
        'too-large',
        `the embedded ${file.name} decodes to more than xmlBytesMax = ${xmlLimits.xmlBytesMax} bytes`,
        'xmlBytesMax',
      );
    if (xml) return { ok: true, value: { xml, fileName: file.name } };
  }
  const names = files.map((file) => file.name).join(', ') || 'none';
  return readFailure(
    'pdf-without-invoice',
    `the PDF embeds no ${embeddedInvoiceFileNames.join(' / ')} (embedded files: ${names})`,
  );
}

/** A ZUGFeRD / Factur-X PDF read into the model through its embedded XML; never throws. */
export async function readInvoicePdf(
  pdf: Uint8Array,
): Promise<ReadOutcome<ReadInvoice & { fileName: string }>> {
  const extracted = await extractEmbeddedInvoiceXml(pdf);
  if (!extracted.ok) return extracted;
  const read = readInvoiceXml(extracted.value.xml);
  if (!read.ok) return read;
  return { ok: true, value: { ...read.value, fileName: extracted.value.fileName } };
}
