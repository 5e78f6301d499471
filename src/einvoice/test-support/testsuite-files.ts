import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The KoSIT XRechnung test suite copied into the repo, and the values each file states about
// itself, read with plain regular expressions (independent of the readers under test).

export const testsuiteDir = join(__dirname, '../../../test/fixtures/xrechnung-testsuite');

export const testsuiteFiles: string[] = readdirSync(testsuiteDir)
  .filter((name) => name.endsWith('.xml'))
  .sort();

export function testsuiteXml(name: string): string {
  return readFileSync(join(testsuiteDir, name), 'utf8');
}

export interface StatedValues {
  number: string;
  issueDate: string;
  typeCode: string;
  lineNetTotal: string;
  taxExclusiveTotal: string;
  taxInclusiveTotal: string;
  payableAmount: string;
}

function first(xml: string, pattern: RegExp, file: string): string {
  const match = pattern.exec(xml);
  if (!match?.[1]) throw new Error(`${file}: ${pattern} not found`);
  return match[1].trim();
}

const element = (name: string) => new RegExp(`<(?:\\w+:)?${name}(?:\\s[^>]*)?>([^<]*)<`);

/** Number, issue date, type code and the four mandatory totals as the file writes them. */
export function statedValues(name: string): StatedValues {
  return statedValuesInXml(testsuiteXml(name), name.endsWith('_ubl.xml') ? 'ubl' : 'cii', name);
}

/** The same values of any UBL or CII text (e.g. a rendering). */
export function statedValuesInXml(
  text: string,
  syntax: 'ubl' | 'cii',
  name: string = syntax,
): StatedValues {
  const xml = text.replace(/<!--[\s\S]*?-->/g, '');
  const get = (pattern: RegExp) => first(xml, pattern, name);
  if (syntax === 'ubl') {
    return {
      number: get(element('ID')),
      issueDate: get(element('IssueDate')),
      typeCode: get(/<(?:\w+:)?(?:InvoiceTypeCode|CreditNoteTypeCode)>([^<]*)</),
      lineNetTotal: get(/LegalMonetaryTotal>[\s\S]*?<(?:\w+:)?LineExtensionAmount[^>]*>([^<]*)</),
      taxExclusiveTotal: get(element('TaxExclusiveAmount')),
      taxInclusiveTotal: get(element('TaxInclusiveAmount')),
      payableAmount: get(element('PayableAmount')),
    };
  }
  const summation = get(
    /<ram:SpecifiedTradeSettlementHeaderMonetarySummation>([\s\S]*?)<\/ram:SpecifiedTradeSettlementHeaderMonetarySummation>/,
  );
  const date = get(/<ram:IssueDateTime>\s*<udt:DateTimeString[^>]*>(\d{8})</);
  return {
    number: get(/<rsm:ExchangedDocument>\s*<ram:ID>([^<]*)</),
    issueDate: `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`,
    typeCode: get(/<rsm:ExchangedDocument>[\s\S]*?<ram:TypeCode>([^<]*)</),
    lineNetTotal: first(summation, element('LineTotalAmount'), name),
    taxExclusiveTotal: first(summation, element('TaxBasisTotalAmount'), name),
    taxInclusiveTotal: first(summation, element('GrandTotalAmount'), name),
    payableAmount: first(summation, element('DuePayableAmount'), name),
  };
}
