import { sampleInvoice } from '../test-support/sample-invoice.js';
import { renderFacturXPdf } from './facturx-pdf.js';
import { readIncomingInvoice } from './read-incoming.js';
import { renderXrechnung } from './render-xrechnung.js';

describe('reading incoming invoice bytes of any supported kind', () => {
  it('reads UBL, CII and a Factur-X PDF into the same model', async () => {
    const invoice = sampleInvoice();
    const kinds = [
      [renderXrechnung(invoice, 'ubl'), 'xml', 'ubl'],
      [renderXrechnung(invoice, 'cii'), 'xml', 'cii'],
      [await renderFacturXPdf(invoice), 'pdf', 'cii'],
    ] as const;
    for (const [bytes, container, syntax] of kinds) {
      const read = await readIncomingInvoice(bytes);
      if (!read.ok) throw new Error(read.error.detail);
      expect(read.value).toMatchObject({ container, syntax, invoice });
    }
  });

  it('maps bad input to an invalid-invoice reason', async () => {
    const truncatedPdf = (await renderFacturXPdf(sampleInvoice())).subarray(0, 200);
    expect(await readIncomingInvoice(truncatedPdf)).toMatchObject({
      ok: false,
      error: { reason: 'not-a-pdf' },
    });
    expect(await readIncomingInvoice(Buffer.from('hello'))).toMatchObject({
      ok: false,
      error: { reason: 'not-xml' },
    });
  });
});
