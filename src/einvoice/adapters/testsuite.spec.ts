import { canonicalDecimal } from '../domain/decimal.js';
import { statedValues, testsuiteFiles, testsuiteXml } from '../test-support/testsuite-files.js';
import { readInvoiceXml } from './read-invoice.js';

describe('reading every KoSIT XRechnung test invoice', () => {
  it('finds the whole suite (UBL and CII of each case)', () => {
    expect(testsuiteFiles.length).toBe(66);
  });

  it.each(testsuiteFiles)('%s: number, date, type and totals equal the file', (file) => {
    const read = readInvoiceXml(testsuiteXml(file));
    if (!read.ok) throw new Error(`${file}: ${read.error.detail}`);
    const { invoice, syntax } = read.value;
    const stated = statedValues(file);
    expect(syntax).toBe(file.endsWith('_ubl.xml') ? 'ubl' : 'cii');
    expect(invoice.number).toBe(stated.number);
    expect(invoice.issueDate).toBe(stated.issueDate);
    expect(invoice.typeCode).toBe(stated.typeCode);
    expect(invoice.totals.lineNetTotal).toBe(canonicalDecimal(stated.lineNetTotal));
    expect(invoice.totals.taxExclusiveTotal).toBe(canonicalDecimal(stated.taxExclusiveTotal));
    expect(invoice.totals.taxInclusiveTotal).toBe(canonicalDecimal(stated.taxInclusiveTotal));
    expect(invoice.totals.payableAmount).toBe(canonicalDecimal(stated.payableAmount));
  });
});
