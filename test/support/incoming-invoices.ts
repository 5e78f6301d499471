import type { En16931Invoice } from '../../src/einvoice/index.js';
import { renderCii, renderFacturXPdf, renderUbl } from '../../src/einvoice/index.js';
import { sampleInvoice } from '../../src/einvoice/test-support/sample-invoice.js';

// Incoming invoices for the specs: the e-invoice module's sample (two VAT rates, 19 % and 7 %,
// gross 1,561.03 EUR) from another supplier and number, and a § 13b reverse-charge invoice.

export function supplierInvoice(number = 'RE-2026-00042', vatId = 'DE123456789'): En16931Invoice {
  const invoice = sampleInvoice();
  return { ...invoice, number, seller: { ...invoice.seller, vatId } };
}

/** A Bauleistung under § 13b UStG: VAT category AE, no VAT on the invoice, 1,000.00 EUR net. */
export function reverseChargeInvoice(number = 'AT-2026-7'): En16931Invoice {
  const invoice = sampleInvoice();
  return {
    ...invoice,
    number,
    seller: {
      ...invoice.seller,
      name: 'Bau Huber GmbH',
      vatId: 'DE811569869',
      taxNumber: undefined,
    },
    lines: [
      {
        id: '1',
        quantity: '1',
        unitCode: 'C62',
        netAmount: '1000',
        netPrice: '1000',
        vatCategoryCode: 'AE',
        vatRate: '0',
        name: 'Trockenbauarbeiten',
      },
    ],
    totals: {
      lineNetTotal: '1000',
      taxExclusiveTotal: '1000',
      vatTotal: '0',
      taxInclusiveTotal: '1000',
      payableAmount: '1000',
    },
    vatBreakdown: [
      {
        categoryCode: 'AE',
        rate: '0',
        taxableAmount: '1000',
        taxAmount: '0',
        exemptionReason: 'Steuerschuldnerschaft des Leistungsempfängers (§ 13b UStG)',
        exemptionReasonCode: 'VATEX-EU-AE',
      },
    ],
  };
}

export function sampleInvoiceXml(invoice: En16931Invoice = supplierInvoice()): string {
  return renderUbl(invoice).toString('utf8');
}

export const asUbl = (invoice: En16931Invoice): Buffer => renderUbl(invoice);
export const asCii = (invoice: En16931Invoice): Buffer => renderCii(invoice);
export const asPdf = async (invoice: En16931Invoice): Promise<Buffer> =>
  Buffer.from(await renderFacturXPdf(invoice));
