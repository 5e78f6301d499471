import { readIncomingInvoice } from '../../einvoice/index.js';
import { testsuiteXml } from '../../einvoice/test-support/testsuite-files.js';
import { incomingFactsOf } from './incoming-invoice.js';

// Broken variants of a real KoSIT test invoice (UBL and CII of case 01.01a): each one breaks
// one rule, and the incoming invoice reports that rule by its id (and the intact file none).

async function rulesOf(xml: string): Promise<string[]> {
  const read = await readIncomingInvoice(Buffer.from(xml));
  if (!read.ok) throw new Error(read.error.detail);
  return incomingFactsOf(read.value).validation.errors.map((error) => error.rule);
}

const ubl = testsuiteXml('01.01a-INVOICE_ubl.xml');
const cii = testsuiteXml('01.01a-INVOICE_uncefact.xml');

const variants: [name: string, xml: string, rule: string][] = [
  [
    'UBL: BT-115 off by 1.00',
    ubl.replace(
      '<cbc:PayableAmount currencyID="EUR">336.9<',
      '<cbc:PayableAmount currencyID="EUR">337.9<',
    ),
    'BR-CO-16',
  ],
  [
    'UBL: BT-112 not BT-109 + BT-110',
    ubl.replace(
      '<cbc:TaxInclusiveAmount currencyID="EUR">336.9<',
      '<cbc:TaxInclusiveAmount currencyID="EUR">346.9<',
    ),
    'BR-CO-15',
  ],
  [
    'UBL: BT-106 not the sum of the line nets',
    ubl.replace(
      '<cbc:LineExtensionAmount currencyID="EUR">314.86</cbc:LineExtensionAmount>',
      '<cbc:LineExtensionAmount currencyID="EUR">314.85</cbc:LineExtensionAmount>',
    ),
    'BR-CO-10',
  ],
  [
    'UBL: no seller name (BT-27)',
    ubl.replace('<cbc:RegistrationName>[Seller name]</cbc:RegistrationName>', ''),
    'BR-06',
  ],
  [
    'UBL: no buyer reference (BT-10, XRechnung)',
    ubl.replace(/<cbc:BuyerReference>[^<]*<\/cbc:BuyerReference>/, ''),
    'BR-DE-15',
  ],
  [
    'CII: BT-115 off by 1.00',
    cii.replace('<ram:DuePayableAmount>336.9<', '<ram:DuePayableAmount>337.9<'),
    'BR-CO-16',
  ],
  [
    'CII: BT-106 not the sum of the line nets',
    cii.replace('<ram:LineTotalAmount>314.86<', '<ram:LineTotalAmount>314.85<'),
    'BR-CO-10',
  ],
  [
    'CII: no buyer reference',
    cii.replace(/<ram:BuyerReference>[^<]*<\/ram:BuyerReference>/, ''),
    'BR-DE-15',
  ],
];

describe('broken variants of a KoSIT test invoice', () => {
  it('reports no rule for the intact UBL and CII files', async () => {
    expect(await rulesOf(ubl)).toEqual([]);
    expect(await rulesOf(cii)).toEqual([]);
  });

  it.each(variants.map(([name, xml, rule]) => [name, rule, xml] as const))(
    '%s → %s',
    async (name, rule, xml) => {
      // The edit took place (a variant equal to the intact file would prove nothing).
      expect(xml).not.toBe(name.startsWith('UBL') ? ubl : cii);
      expect(await rulesOf(xml)).toContain(rule);
    },
  );
});
