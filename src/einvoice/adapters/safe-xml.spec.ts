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

describe('recognising the invoice syntax by root element and namespace', () => {
  it('reads UBL with a default namespace or any prefix, and refuses a foreign <Invoice>', () => {
    const ubl = renderUbl(sampleInvoice()).toString('utf8');
    const otherPrefix = ubl
      .replace(/ubl:Invoice/g, 'inv:Invoice')
      .replace('xmlns:ubl=', 'xmlns:inv=');
    const defaultNamespace = ubl.replace(/ubl:Invoice/g, 'Invoice').replace('xmlns:ubl=', 'xmlns=');
    for (const xml of [otherPrefix, defaultNamespace]) {
      const read = readInvoiceXml(xml);
      expect(read.ok && read.value.invoice.number).toBe('RE-2026-00042');
    }
    const foreign = ubl.replace(
      'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
      'urn:example:invoice',
    );
    expect(failure(foreign)).toMatchObject({ reason: 'not-an-invoice' });
    expect(failure(foreign).detail).toContain('urn:example:invoice');
  });
});

describe('lenient where XML Schema is', () => {
  it('reads an xs:date with a time zone as the calendar date', () => {
    const ubl = renderUbl(sampleInvoice())
      .toString('utf8')
      .replace('<cbc:IssueDate>2026-11-30<', '<cbc:IssueDate>2026-11-30+01:00<');
    const read = readInvoiceXml(ubl);
    expect(read.ok && read.value.invoice.issueDate).toBe('2026-11-30');
  });
});
