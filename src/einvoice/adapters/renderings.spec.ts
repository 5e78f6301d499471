import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalDecimal } from '../domain/decimal.js';
import type { En16931Invoice } from '../domain/en16931.model.js';
import { ensureDebianTool } from '../../../test/support/debian-tool.js';
import { sampleCreditNote, sampleInvoice } from '../test-support/sample-invoice.js';
import {
  statedValuesInXml,
  testsuiteFiles,
  testsuiteXml,
} from '../test-support/testsuite-files.js';
import { renderCii } from './cii-writer.js';
import { readInvoiceXml } from './read-invoice.js';
import { renderUbl } from './ubl-writer.js';

function read(xml: Uint8Array) {
  const result = readInvoiceXml(xml);
  if (!result.ok) throw new Error(result.error.detail);
  return result.value;
}

function canonicalValues(text: string, syntax: 'ubl' | 'cii') {
  const values = statedValuesInXml(text, syntax);
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      /Total|Amount/.test(key) ? canonicalDecimal(value) : value,
    ]),
  );
}

describe('UBL and CII renderings of invoices Kontor issues', () => {
  it.each([
    ['invoice', sampleInvoice()],
    ['credit note', sampleCreditNote()],
  ])('%s: model → UBL → model and model → CII → model', (_kind, invoice: En16931Invoice) => {
    expect(read(renderUbl(invoice)).invoice).toEqual(invoice);
    expect(read(renderCii(invoice)).invoice).toEqual(invoice);
  });

  it('a credit note is a UBL CreditNote document and a CII invoice with TypeCode 381', () => {
    const ubl = renderUbl(sampleCreditNote()).toString('utf8');
    expect(ubl).toContain(
      '<ubl:CreditNote xmlns:ubl="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"',
    );
    expect(ubl).toContain('<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>');
    expect(ubl).toContain('<cac:CreditNoteLine>');
    expect(ubl).toContain('<cbc:CreditedQuantity unitCode="HUR">12.5</cbc:CreditedQuantity>');
    const cii = renderCii(sampleCreditNote()).toString('utf8');
    expect(cii).toMatch(
      /<rsm:ExchangedDocument>\s*<ram:ID>GS-2026-00007<\/ram:ID>\s*<ram:TypeCode>381</,
    );
    expect(cii).toMatch(/<ram:InvoiceReferencedDocument>\s*<ram:IssuerAssignedID>RE-2026-00042</);
  });

  it('writes the XRechnung 3.0 customization id and amounts with two decimals', () => {
    const ubl = renderUbl(sampleInvoice()).toString('utf8');
    expect(ubl).toContain(
      '<cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</cbc:CustomizationID>',
    );
    expect(ubl).toContain('<cbc:PayableAmount currencyID="EUR">1561.03</cbc:PayableAmount>');
    expect(ubl).toContain('<cbc:TaxAmount currencyID="EUR">238.90</cbc:TaxAmount>');
    expect(ubl).toContain('<cbc:InvoicedQuantity unitCode="KGM">3.1234</cbc:InvoicedQuantity>');
    expect(ubl).toContain('Hauptstraße 5 &lt;Hinterhaus&gt;');
  });

  it.each([...testsuiteFiles, 'sample'])(
    '%s: UBL and CII renderings carry the same numbers',
    (file) => {
      const model =
        file === 'sample' ? sampleInvoice() : read(Buffer.from(testsuiteXml(file))).invoice;
      const ubl = canonicalValues(renderUbl(model).toString('utf8'), 'ubl');
      const cii = canonicalValues(renderCii(model).toString('utf8'), 'cii');
      expect(ubl).toEqual(cii);
      expect(ubl.payableAmount).toBe(model.totals.payableAmount);
    },
  );

  it('every rendering is well-formed XML (xmllint)', () => {
    ensureDebianTool('xmllint', 'libxml2-utils', ['--version']);
    const dir = mkdtempSync(join(tmpdir(), 'kontor-einvoice-'));
    const models = [
      sampleInvoice(),
      sampleCreditNote(),
      ...testsuiteFiles.map((f) => read(Buffer.from(testsuiteXml(f))).invoice),
    ];
    const paths = models.flatMap((model, index) => {
      const ubl = join(dir, `${index}-ubl.xml`);
      const cii = join(dir, `${index}-cii.xml`);
      writeFileSync(ubl, renderUbl(model));
      writeFileSync(cii, renderCii(model));
      return [ubl, cii];
    });
    expect(() => execFileSync('xmllint', ['--noout', ...paths], { stdio: 'pipe' })).not.toThrow();
    expect(paths).toHaveLength(136);
  });
});
