import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { AFRelationship, PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { ensureDebianTool } from '../../../test/support/debian-tool.js';
import { sampleCreditNote, sampleInvoice } from '../test-support/sample-invoice.js';
import { renderCii } from './cii-writer.js';
import { extractEmbeddedInvoiceXml, readInvoicePdf } from './facturx-extract.js';
import { renderFacturXPdf } from './facturx-pdf.js';

function pdftotext(pdf: Uint8Array): string {
  ensureDebianTool('pdftotext', 'poppler-utils');
  const dir = mkdtempSync(join(tmpdir(), 'kontor-facturx-'));
  writeFileSync(join(dir, 'invoice.pdf'), pdf);
  return execFileSync('pdftotext', ['-layout', join(dir, 'invoice.pdf'), '-'], {
    encoding: 'utf8',
  });
}

async function pdfWithAttachment(name: string, content: Uint8Array): Promise<Uint8Array> {
  const document = await PDFDocument.create({ updateMetadata: false });
  document.addPage();
  await document.attach(content, name, {
    mimeType: 'text/xml',
    afRelationship: AFRelationship.Alternative,
  });
  return document.save();
}

describe('Factur-X / ZUGFeRD PDF', () => {
  it('round-trips: render → extract factur-x.xml → read gives the model back', async () => {
    for (const invoice of [sampleInvoice(), sampleCreditNote()]) {
      const read = await readInvoicePdf(await renderFacturXPdf(invoice));
      if (!read.ok) throw new Error(read.error.detail);
      expect(read.value.fileName).toBe('factur-x.xml');
      expect(read.value.syntax).toBe('cii');
      expect(read.value.invoice).toEqual(invoice);
    }
  });

  it('embeds exactly the CII rendering', async () => {
    const extracted = await extractEmbeddedInvoiceXml(await renderFacturXPdf(sampleInvoice()));
    if (!extracted.ok) throw new Error(extracted.error.detail);
    expect(Buffer.from(extracted.value.xml).equals(renderCii(sampleInvoice()))).toBe(true);
  });

  it('is deterministic: the same model gives the same bytes', async () => {
    const first = Buffer.from(await renderFacturXPdf(sampleInvoice()));
    const second = Buffer.from(await renderFacturXPdf(structuredClone(sampleInvoice())));
    expect(first.equals(second)).toBe(true);
  });

  it('carries the Factur-X XMP, the PDF/A-3 id, AFRelationship Alternative and fixed dates', async () => {
    const pdf = await renderFacturXPdf(sampleInvoice());
    const document = await PDFDocument.load(pdf, { updateMetadata: false });
    const metadata = document.catalog.lookup(PDFName.of('Metadata'));
    const xmp = Buffer.from((metadata as unknown as { contents: Uint8Array }).contents).toString(
      'utf8',
    );
    expect(xmp).toContain('<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>');
    expect(xmp).toContain('<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>');
    expect(xmp).toContain('<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>');
    expect(xmp).toContain('<xmp:CreateDate>2026-11-30T00:00:00Z</xmp:CreateDate>');
    expect(document.getCreationDate()?.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    expect(Buffer.from(pdf).toString('latin1')).toMatch(/\/AFRelationship \/Alternative/);
  });

  it('is readable text: pdftotext shows number, parties and German amounts', async () => {
    const text = pdftotext(await renderFacturXPdf(sampleInvoice()));
    expect(text).toContain('RE-2026-00042');
    expect(text).toContain('Müller & Söhne KG');
    expect(text).toContain('Kontor Beispiel GmbH');
    expect(text).toContain('1.561,03 EUR');
    expect(text).toContain('30.11.2026');
    expect(text).toContain('3,1234 KGM');
  });

  it('finds an invoice embedded as zugferd-invoice.xml or xrechnung.xml', async () => {
    for (const name of ['ZUGFeRD-invoice.xml', 'xrechnung.xml']) {
      const read = await readInvoicePdf(await pdfWithAttachment(name, renderCii(sampleInvoice())));
      if (!read.ok) throw new Error(read.error.detail);
      expect(read.value.invoice.number).toBe('RE-2026-00042');
    }
  });

  it('refuses a PDF without an embedded invoice, and bytes that are no PDF', async () => {
    const other = await readInvoicePdf(await pdfWithAttachment('notes.xml', Buffer.from('<a/>')));
    expect(other).toMatchObject({
      ok: false,
      error: { problemType: 'invalid-invoice', reason: 'pdf-without-invoice' },
    });
    const none = await PDFDocument.create();
    none.addPage();
    expect(await readInvoicePdf(await none.save())).toMatchObject({
      ok: false,
      error: { reason: 'pdf-without-invoice' },
    });
    expect(await readInvoicePdf(Buffer.from('<Invoice/>'))).toMatchObject({
      ok: false,
      error: { reason: 'not-a-pdf' },
    });
  });

  it('stops decoding an embedded deflate bomb at xmlBytesMax', async () => {
    const document = await PDFDocument.create({ updateMetadata: false });
    document.addPage();
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
    const stream = document.context.stream(bomb, { Type: 'EmbeddedFile', Filter: 'FlateDecode' });
    const spec = document.context.obj({
      Type: 'Filespec',
      F: PDFString.of('factur-x.xml'),
      UF: PDFString.of('factur-x.xml'),
      EF: { F: document.context.register(stream) },
    });
    document.catalog.set(PDFName.of('AF'), document.context.obj([document.context.register(spec)]));
    const read = await readInvoicePdf(await document.save());
    expect(read).toMatchObject({ ok: false, error: { reason: 'too-large', limit: 'xmlBytesMax' } });
  });

  it('draws characters the standard font lacks as "?" and spreads many lines over pages', async () => {
    const invoice = sampleInvoice();
    invoice.buyer.name = 'Kunde 北京 GmbH';
    const line = invoice.lines[2]!;
    invoice.lines = Array.from({ length: 120 }, (_, i) => ({ ...line, id: String(i + 1) }));
    const pdf = await renderFacturXPdf(invoice);
    const document = await PDFDocument.load(pdf);
    expect(document.getPageCount()).toBeGreaterThan(1);
    const text = pdftotext(pdf);
    expect(text).toContain('Kunde ?? GmbH');
    expect(text).toMatch(/\n\s*120\s+Fachbuch/);
    const read = await readInvoicePdf(pdf);
    expect(read.ok && read.value.invoice.buyer.name).toBe('Kunde 北京 GmbH');
  });
});
