import { renderUbl } from './ubl-writer.js';
import { readInvoiceXml } from './read-invoice.js';
import { parseXmlSafely, xmlLimits } from './safe-xml.js';
import { sampleInvoice } from '../test-support/sample-invoice.js';

const failure = (input: string | Uint8Array) => {
  const result = readInvoiceXml(input);
  if (result.ok) throw new Error('expected a failure');
  return result.error;
};

describe('reading untrusted XML within limits', () => {
  it('refuses entity expansion (billion laughs) before parsing: DOCTYPE is never accepted', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from(
      { length: 9 },
      (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
    ).join('')}]><Invoice>&lol9;</Invoice>`;
    expect(failure(laughs)).toMatchObject({
      problemType: 'invalid-invoice',
      reason: 'xml-limit-exceeded',
      limit: 'doctype',
    });
  });

  it('refuses external entities (XXE)', () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Invoice>&e;</Invoice>';
    expect(failure(xxe)).toMatchObject({ reason: 'xml-limit-exceeded', limit: 'doctype' });
  });

  it('refuses nesting deeper than xmlDepthMax', () => {
    const depth = xmlLimits.xmlDepthMax + 1;
    const deep = `${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}`;
    expect(failure(deep)).toMatchObject({ reason: 'xml-limit-exceeded', limit: 'xmlDepthMax' });
    const fine = `${'<a>'.repeat(depth - 1)}x${'</a>'.repeat(depth - 1)}`;
    expect(parseXmlSafely(fine).ok).toBe(true);
  });

  it('refuses more nodes than xmlNodesMax', () => {
    const many = `<Invoice>${'<b/>'.repeat(xmlLimits.xmlNodesMax)}</Invoice>`;
    expect(failure(many)).toMatchObject({ reason: 'xml-limit-exceeded', limit: 'xmlNodesMax' });
  });

  it('refuses an attribute longer than xmlAttributeLengthMax', () => {
    const huge = `<Invoice a="${'x'.repeat(xmlLimits.xmlAttributeLengthMax + 1)}"/>`;
    expect(failure(huge)).toMatchObject({
      reason: 'xml-limit-exceeded',
      limit: 'xmlAttributeLengthMax',
    });
  });

  it('refuses more bytes than xmlBytesMax', () => {
    const big = Buffer.alloc(xmlLimits.xmlBytesMax + 1, 0x20);
    expect(failure(big)).toMatchObject({ reason: 'too-large', limit: 'xmlBytesMax' });
  });

  it('names not-XML, not-an-invoice and unreadable fields', () => {
    expect(failure('%PDF-1.7 not xml')).toMatchObject({ reason: 'not-xml' });
    expect(failure('<Invoice><a></Invoice>')).toMatchObject({ reason: 'not-xml' });
    expect(
      failure('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"/>'),
    ).toMatchObject({ reason: 'not-an-invoice' });
    const commaAmount = renderUbl(sampleInvoice())
      .toString('utf8')
      .replace('>1561.03<', '>1561,03<');
    expect(failure(commaAmount)).toMatchObject({ reason: 'unreadable-field' });
    expect(failure(commaAmount).detail).toContain('1561,03');
  });

  it('decodes character references and the XML entities, keeps a BOM-prefixed file', () => {
    const xml = renderUbl(sampleInvoice())
      .toString('utf8')
      .replace('Müller &amp; Söhne KG', 'M&#252;ller &amp; S&#xF6;hne KG');
    const read = readInvoiceXml(`\uFEFF${xml}`);
    if (!read.ok) throw new Error(read.error.detail);
    expect(read.value.invoice.buyer.name).toBe('Müller & Söhne KG');
  });
});
