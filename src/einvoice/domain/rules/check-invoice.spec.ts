import { readInvoiceXml } from '../../adapters/read-invoice.js';
import { sampleCreditNote, sampleInvoice } from '../../test-support/sample-invoice.js';
import { testsuiteFiles, testsuiteXml } from '../../test-support/testsuite-files.js';
import type { En16931Invoice } from '../en16931.model.js';
import { checkInvoiceRules } from './check-invoice.js';

const ruleIds = (invoice: En16931Invoice) => checkInvoiceRules(invoice).map((v) => v.rule);

function readFixture(file: string, change: (xml: string) => string = (xml) => xml) {
  const read = readInvoiceXml(change(testsuiteXml(file)));
  if (!read.ok) throw new Error(read.error.detail);
  return read.value.invoice;
}

describe('rule check on the KoSIT test suite', () => {
  it.each(testsuiteFiles)('%s breaks no checked rule', (file) => {
    expect(checkInvoiceRules(readFixture(file))).toEqual([]);
  });
});

describe('broken variants of KoSIT invoices report the rule they break', () => {
  const ubl = '01.01a-INVOICE_ubl.xml';
  const cii = '01.01a-INVOICE_uncefact.xml';

  it('a changed amount due (UBL): BR-CO-16', () => {
    const broken = readFixture(ubl, (xml) =>
      xml.replace(/(PayableAmount[^>]*>)336.9</, '$1336.19<'),
    );
    expect(ruleIds(broken)).toEqual(['BR-CO-16']);
  });

  it('a changed total with VAT (CII): BR-CO-15 and BR-CO-16', () => {
    const broken = readFixture(cii, (xml) => xml.replace(/(GrandTotalAmount>)336.9</, '$1337.90<'));
    expect(ruleIds(broken)).toEqual(['BR-CO-15', 'BR-CO-16']);
  });

  it('a changed line net amount: BR-CO-10, PEPPOL-EN16931-R120, BR-S-08', () => {
    const broken = readFixture(ubl, (xml) =>
      xml.replace(/(LineExtensionAmount[^>]*>)26.07</, '$126.70<'),
    );
    expect(ruleIds(broken)).toEqual(['BR-CO-10', 'PEPPOL-EN16931-R120', 'BR-S-08']);
  });

  it('a changed VAT amount of a breakdown: BR-CO-14, BR-S-09, BR-CO-17', () => {
    const broken = readFixture(cii, (xml) => xml.replace(/(CalculatedAmount>)22.04</, '$122.05<'));
    expect(ruleIds(broken)).toEqual(['BR-CO-14', 'BR-S-09', 'BR-CO-17']);
  });

  it('a dropped buyer reference (UBL and CII): BR-DE-15', () => {
    const noUblReference = readFixture(ubl, (xml) =>
      xml.replace(/<cbc:BuyerReference>[^<]*<\/cbc:BuyerReference>/, ''),
    );
    const noCiiReference = readFixture(cii, (xml) =>
      xml.replace(/<ram:BuyerReference>[^<]*<\/ram:BuyerReference>/, ''),
    );
    expect(ruleIds(noUblReference)).toEqual(['BR-DE-15']);
    expect(ruleIds(noCiiReference)).toEqual(['BR-DE-15']);
  });

  it('a dropped invoice number and seller contact: BR-02, BR-DE-2, BR-DE-5/6/7', () => {
    const broken = readFixture(ubl, (xml) =>
      xml
        .replace('<cbc:ID>123456XX</cbc:ID>', '')
        .replace(/<cac:Contact>[\s\S]*?<\/cac:Contact>/, ''),
    );
    expect(ruleIds(broken)).toEqual(['BR-02', 'BR-DE-2', 'BR-DE-5', 'BR-DE-6', 'BR-DE-7']);
  });
});

describe('rule check on invoices Kontor issues', () => {
  it('the sample invoice and credit note break no rule', () => {
    expect(checkInvoiceRules(sampleInvoice())).toEqual([]);
    expect(checkInvoiceRules(sampleCreditNote())).toEqual([]);
  });

  it('tax per rate is the rounded product of base and rate (BR-S-08, BR-S-09)', () => {
    const invoice = sampleInvoice();
    invoice.vatBreakdown[1] = {
      categoryCode: 'S',
      rate: '7',
      taxableAmount: '60.49',
      taxAmount: '4.23',
    };
    expect(ruleIds(invoice)).toEqual(['BR-CO-14', 'BR-S-08']);
    invoice.vatBreakdown[1] = {
      categoryCode: 'S',
      rate: '7',
      taxableAmount: '60.5',
      taxAmount: '4.23',
    };
    expect(ruleIds(invoice)).toEqual(['BR-CO-14', 'BR-S-09', 'BR-CO-17']);
  });

  it('line net within 0.02 of quantity × price passes, beyond fails (PEPPOL-EN16931-R120)', () => {
    const invoice = sampleInvoice();
    const line = invoice.lines[1]!;
    line.netPrice = '22.38'; // 3.1234 × 22.38 = 69.9017 vs 69.89: within 0.02
    expect(ruleIds(invoice)).toEqual([]);
    line.netPrice = '22.39'; // 69.9329: 0.0429 off
    expect(ruleIds(invoice)).toEqual(['PEPPOL-EN16931-R120']);
  });

  it('reverse charge (AE) needs both VAT ids and an exemption reason, no tax', () => {
    const invoice = reverseCharge();
    expect(ruleIds(invoice)).toEqual([]);
    delete invoice.buyer.vatId;
    delete invoice.vatBreakdown[0]!.exemptionReason;
    delete invoice.vatBreakdown[0]!.exemptionReasonCode;
    invoice.vatBreakdown[0]!.taxAmount = '19';
    expect(ruleIds(invoice)).toEqual(['BR-CO-14', 'BR-AE-02', 'BR-AE-09', 'BR-AE-10']);
  });

  it('intra-community supply (K) needs a delivery date or period (BR-IC-11), rate 0 (BR-IC-05)', () => {
    const invoice = reverseCharge('K');
    expect(ruleIds(invoice)).toEqual([]);
    delete invoice.invoicingPeriod;
    invoice.lines[0]!.vatRate = '19';
    expect(ruleIds(invoice)).toEqual(['BR-IC-05', 'BR-IC-11']);
  });

  it('exempt (E) needs a reason (BR-E-10); zero-rated (Z) must not have one (BR-Z-10)', () => {
    const exempt = reverseCharge('E');
    delete exempt.vatBreakdown[0]!.exemptionReason;
    delete exempt.vatBreakdown[0]!.exemptionReasonCode;
    expect(ruleIds(exempt)).toEqual(['BR-E-10']);
    const zero = reverseCharge('Z');
    expect(ruleIds(zero)).toEqual(['BR-Z-10']);
  });

  it('export outside the EU (G) needs the seller VAT id (BR-G-02)', () => {
    const invoice = reverseCharge('G');
    delete invoice.seller.vatId;
    expect(ruleIds(invoice)).toEqual(['BR-G-02']);
  });

  it('XRechnung payment rules: BR-DE-1, BR-DE-23-a, type code BR-DE-17, BT-24 BR-DE-21', () => {
    const noPayment = sampleInvoice();
    delete noPayment.payment;
    expect(ruleIds(noPayment)).toEqual(['BR-DE-1']);
    const noAccount = sampleInvoice();
    noAccount.payment = { meansCode: '58' };
    expect(ruleIds(noAccount)).toEqual(['BR-61', 'BR-DE-23-a']);
    const odd = sampleInvoice();
    odd.typeCode = '393';
    odd.customizationId = 'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_2.3';
    expect(ruleIds(odd)).toEqual(['BR-DE-17', 'BR-DE-21']);
  });

  it('BR-DE rules do not apply to a plain EN 16931 invoice', () => {
    const invoice = sampleInvoice();
    invoice.customizationId = 'urn:cen.eu:en16931:2017';
    delete invoice.buyerReference;
    expect(ruleIds(invoice)).toEqual([]);
  });
});

/** A one-line invoice of a zero-VAT category with what that category requires. */
function reverseCharge(code: 'AE' | 'K' | 'E' | 'Z' | 'G' = 'AE'): En16931Invoice {
  const invoice = sampleInvoice();
  invoice.buyer.vatId = 'FR12345678901';
  invoice.buyer.address.countryCode = 'FR';
  invoice.lines = [{ ...invoice.lines[0]!, vatCategoryCode: code, vatRate: '0' }];
  invoice.vatBreakdown = [
    {
      categoryCode: code,
      rate: '0',
      taxableAmount: '1187.5',
      taxAmount: '0',
      exemptionReason:
        code === 'AE' ? 'Steuerschuldnerschaft des Leistungsempfängers' : 'Steuerfrei',
      exemptionReasonCode: `VATEX-EU-${code === 'K' ? 'IC' : code}`,
    },
  ];
  invoice.totals = {
    lineNetTotal: '1187.5',
    taxExclusiveTotal: '1187.5',
    vatTotal: '0',
    taxInclusiveTotal: '1187.5',
    payableAmount: '1187.5',
  };
  return invoice;
}
