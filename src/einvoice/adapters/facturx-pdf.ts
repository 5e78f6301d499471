import { createHash } from 'node:crypto';
import { AFRelationship, PDFDocument, PDFHexString, PDFName, StandardFonts } from 'pdf-lib';
import type { En16931Invoice } from '../domain/en16931.model.js';
import { renderCii } from './cii-writer.js';
import { drawInvoice } from './facturx-layout.js';
import { facturXXmp } from './facturx-xmp.js';

// ZUGFeRD 2.x / Factur-X 1.0 profile EN 16931: a readable PDF with the CII invoice embedded
// as factur-x.xml (AFRelationship Alternative), XMP metadata naming the profile and PDF/A-3B.
// Deterministic: the dates are the issue date, the document id a hash of the XML.
// Not achieved with pdf-lib alone (so not PDF/A-3 conformant, see docs/einvoice.md): embedded
// fonts (the standard Helvetica is referenced, not embedded), an ICC output intent, tagging.

export const facturXFileName = 'factur-x.xml';
export const facturXConformanceLevel = 'EN 16931';
export const pdfProducer = 'Kontor';

function title(invoice: En16931Invoice): string {
  return `${invoice.typeCode === '381' ? 'Gutschrift' : 'Rechnung'} ${invoice.number}`;
}

function setMetadata(document: PDFDocument, invoice: En16931Invoice, xml: Buffer): void {
  const date = new Date(`${invoice.issueDate || '1970-01-01'}T00:00:00Z`);
  const subject = `${title(invoice)} vom ${invoice.issueDate}, ${invoice.seller.name}`;
  document.setTitle(title(invoice));
  document.setAuthor(invoice.seller.name);
  document.setSubject(subject);
  document.setCreator(pdfProducer);
  document.setProducer(pdfProducer);
  document.setCreationDate(date);
  document.setModificationDate(date);
  document.setLanguage('de-DE');
  const xmp = facturXXmp({
    title: title(invoice),
    author: invoice.seller.name,
    subject,
    producer: pdfProducer,
    date: date.toISOString().replace('.000Z', 'Z'),
    fileName: facturXFileName,
    conformanceLevel: facturXConformanceLevel,
  });
  const metadata = document.context.stream(Buffer.from(xmp, 'utf8'), {
    Type: 'Metadata',
    Subtype: 'XML',
  });
  document.catalog.set(PDFName.of('Metadata'), document.context.register(metadata));
  const id = PDFHexString.of(createHash('sha256').update(xml).digest('hex').slice(0, 32));
  document.context.trailerInfo.ID = document.context.obj([id, id]);
}

/** The Factur-X / ZUGFeRD PDF bytes of the invoice; the same model gives the same bytes. */
export async function renderFacturXPdf(invoice: En16931Invoice): Promise<Uint8Array> {
  const xml = renderCii(invoice);
  const document = await PDFDocument.create({ updateMetadata: false });
  const fonts = {
    regular: await document.embedFont(StandardFonts.Helvetica),
    bold: await document.embedFont(StandardFonts.HelveticaBold),
  };
  drawInvoice(document, fonts, invoice);
  const date = new Date(`${invoice.issueDate || '1970-01-01'}T00:00:00Z`);
  await document.attach(xml, facturXFileName, {
    mimeType: 'text/xml',
    description: `Factur-X ${facturXConformanceLevel} invoice`,
    creationDate: date,
    modificationDate: date,
    afRelationship: AFRelationship.Alternative,
  });
  setMetadata(document, invoice, xml);
  return document.save({ useObjectStreams: false });
}
