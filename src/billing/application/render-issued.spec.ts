import {
  checkInvoiceRules,
  extractEmbeddedInvoiceXml,
  readInvoiceXml,
} from '../../einvoice/index.js';
import { statedValuesInXml } from '../../einvoice/test-support/testsuite-files.js';
import { issuedDocumentAsEn16931 } from '../domain/en16931-mapping.js';
import { intraEuSupplyNote, reverseChargeNote } from '../domain/invoice-tax.js';
import { documentEntryLines } from '../domain/issue-invoice.js';
import type { CreditNoteIssuedData, InvoiceIssuedData } from '../domain/issued-documents.js';
import { domesticInput, euCustomer, issuedInvoice } from '../testing/billing.fixtures.js';
import { renderIssuedDocument } from './render-issued.js';

const domestic = issuedInvoice();
const reverseCharge = issuedInvoice(
  {
    ...domesticInput,
    customer: '10001',
    servicePeriod: undefined,
    deliveryDate: '2027-01-10',
    lines: [
      { description: 'Montage', quantity: '8', unit: 'HUR', unitPrice: '80', taxCode: 'RC13b' },
    ],
  },
  euCustomer,
  2,
);
const intraEu = issuedInvoice(
  {
    ...domesticInput,
    customer: '10001',
    servicePeriod: undefined,
    deliveryDate: '2027-01-12',
    lines: [{ description: 'Maschine', quantity: '1', unitPrice: '12500', taxCode: 'IGL' }],
  },
  euCustomer,
  3,
);
const creditNote: CreditNoteIssuedData = {
  documentId: 'cn-1',
  number: 'GS-2027-00001',
  numbering: { series: 'GS-2027', sequence: 1 },
  entryId: 'entry-cn-1',
  invoiceId: domestic.documentId,
  invoiceNumber: domestic.number,
  invoiceIssueDate: domestic.issueDate,
  issueDate: '2027-01-20',
  reason: 'Rechnung storniert',
  currency: 'EUR',
  customer: domestic.customer,
  seller: domestic.seller,
  ...(domestic.servicePeriod ? { servicePeriod: domestic.servicePeriod } : {}),
  lines: domestic.lines,
  totals: domestic.totals,
  receivablesAccount: '1400',
  cancelsInvoice: true,
};

const documents = [
  ['domestic invoice (two rates)', { kind: 'invoice' as const, ...domestic }],
  ['reverse-charge invoice (RC13b)', { kind: 'invoice' as const, ...reverseCharge }],
  ['intra-EU supply (IGL)', { kind: 'invoice' as const, ...intraEu }],
  ['full credit note', { kind: 'credit-note' as const, ...creditNote }],
] as const;

describe('issued invoices as EN 16931 / XRechnung 3.0', () => {
  it('the domestic invoice carries the hand-computed totals', () => {
    expect(domestic.totals.netMinor).toBe('131789');
    expect(domestic.totals.grossMinor).toBe('156103');
    expect(domestic.dueDate).toBe('2027-01-29');
  });

  it.each(documents)(
    '%s: every rendering passes the EN 16931 and XRechnung rules',
    async (_name, document) => {
      expect(checkInvoiceRules(issuedDocumentAsEn16931(document))).toEqual([]);
      for (const syntax of ['ubl', 'cii'] as const) {
        const { body } = await renderIssuedDocument(document, { kind: 'xrechnung', syntax });
        const read = readInvoiceXml(body);
        if (!read.ok) throw new Error(read.error.detail);
        expect(checkInvoiceRules(read.value.invoice)).toEqual([]);
      }
    },
  );

  it.each(documents)('%s: UBL and CII carry the same numbers', async (_name, document) => {
    const ubl = await renderIssuedDocument(document, { kind: 'xrechnung', syntax: 'ubl' });
    const cii = await renderIssuedDocument(document, { kind: 'xrechnung', syntax: 'cii' });
    const readUbl = readInvoiceXml(ubl.body);
    const readCii = readInvoiceXml(cii.body);
    if (!readUbl.ok || !readCii.ok) throw new Error('unreadable rendering');
    expect(readUbl.value.invoice.totals).toEqual(readCii.value.invoice.totals);
    expect(readUbl.value.invoice.vatBreakdown).toEqual(readCii.value.invoice.vatBreakdown);
    expect(readUbl.value.invoice.lines.map((l) => l.netAmount)).toEqual(
      readCii.value.invoice.lines.map((l) => l.netAmount),
    );
    const stated = (text: Buffer, syntax: 'ubl' | 'cii') => {
      const { typeCode: _t, ...values } = statedValuesInXml(text.toString('utf8'), syntax);
      return values;
    };
    expect(stated(ubl.body, 'ubl')).toEqual(stated(cii.body, 'cii'));
  });

  it('renders the same bytes every time (a pure function of the event)', async () => {
    const document = { kind: 'invoice' as const, ...domestic };
    for (const format of [
      { kind: 'xrechnung', syntax: 'ubl' },
      { kind: 'xrechnung', syntax: 'cii' },
      { kind: 'pdf' },
    ] as const) {
      const first = await renderIssuedDocument(document, format);
      const second = await renderIssuedDocument(structuredClone(document), format);
      expect(second.body.equals(first.body)).toBe(true);
    }
  });

  it('the PDF embeds the CII rendering as factur-x.xml', async () => {
    const document = { kind: 'invoice' as const, ...domestic };
    const pdf = await renderIssuedDocument(document, { kind: 'pdf' });
    const cii = await renderIssuedDocument(document, { kind: 'xrechnung', syntax: 'cii' });
    const embedded = await extractEmbeddedInvoiceXml(pdf.body);
    if (!embedded.ok) throw new Error(embedded.error.detail);
    expect(embedded.value.fileName).toBe('factur-x.xml');
    expect(Buffer.from(embedded.value.xml).equals(cii.body)).toBe(true);
  });

  it('reverse-charge and intra-EU invoices carry the § 14a notes, the exemption reasons and both VAT ids', () => {
    const rc = issuedDocumentAsEn16931({ kind: 'invoice', ...reverseCharge });
    expect(rc.notes?.map((n) => n.text)).toContain(reverseChargeNote);
    expect(rc.vatBreakdown).toEqual([
      expect.objectContaining({
        categoryCode: 'AE',
        exemptionReasonCode: 'VATEX-EU-AE',
        taxAmount: '0',
      }),
    ]);
    expect([rc.seller.vatId, rc.buyer.vatId]).toEqual(['DE123456789', 'FR40303265045']);
    const igl = issuedDocumentAsEn16931({ kind: 'invoice', ...intraEu });
    expect(igl.notes?.map((n) => n.text)).toContain(intraEuSupplyNote);
    expect(igl.vatBreakdown[0]?.categoryCode).toBe('K');
    expect(igl.delivery?.date).toBe('2027-01-12');
  });
});

describe('the entry of an issued invoice', () => {
  const amounts = (document: InvoiceIssuedData, side: 'debit' | 'credit') =>
    documentEntryLines(document, 'debit')
      .map((line) => line[side])
      .filter((a): a is string => a !== undefined)
      .reduce((sum, a) => sum + BigInt(a.replace('.', '')), 0n);

  it('debits receivables with the party and credits revenue per account and VAT per code, balanced', () => {
    const lines = documentEntryLines(domestic, 'debit');
    expect(lines).toEqual([
      { account: '1400', debit: '1561.03', party: 'p-mueller' },
      { account: '8400', credit: '1257.39', taxCode: 'USt19' },
      { account: '8300', credit: '60.50', taxCode: 'USt7' },
      { account: '1776', credit: '238.90', taxCode: 'USt19' },
      { account: '1771', credit: '4.24', taxCode: 'USt7' },
    ]);
    expect(amounts(domestic, 'debit')).toBe(amounts(domestic, 'credit'));
  });

  it('a reverse-charge invoice posts no VAT', () => {
    expect(documentEntryLines(reverseCharge, 'debit')).toEqual([
      { account: '1400', debit: '640.00', party: 'p-dupont' },
      { account: '8337', credit: '640.00', taxCode: 'RC13b' },
    ]);
  });
});

describe('audit summaries of billing events', () => {
  it('name the invoice, customer and amount in one line', async () => {
    await import('../index.js'); // registers the document types with the ledger
    const { summarizeEvent } = await import('../../audit/domain/audit-summary.js');
    const { billingRepresentativeEvents } = await import('../testing/billing.fixtures.js');
    const texts = billingRepresentativeEvents().map((event) =>
      summarizeEvent({
        ...event,
        streamId: 'x',
        metadata: { actor: { id: 'k1', name: 'Alice' } } as never,
      }),
    );
    expect(texts).toEqual([
      'Alice created invoice draft inv-1 for Müller & Söhne KG over 1,561.03 EUR',
      'Alice replaced invoice draft inv-1 for Müller & Söhne KG over 1,561.03 EUR',
      'Alice issued invoice draft inv-1 as RE-2027-00001',
      'Alice created invoice draft inv-2 for Müller & Söhne KG over 1,561.03 EUR',
      'Alice discarded invoice draft inv-2',
      'Alice issued invoice RE-2027-00001 to Müller & Söhne KG over 1561.03 EUR (entry entry-1)',
      'Alice issued credit note GS-2027-00001 to Müller & Söhne KG over 1561.03 EUR (entry entry-cn-1)',
    ]);
  });
});
