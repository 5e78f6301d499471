import { testsuiteFiles, testsuiteXml } from '../test-support/testsuite-files.js';
import { renderCii } from './cii-writer.js';
import { readInvoiceXml } from './read-invoice.js';
import { renderUbl } from './ubl-writer.js';

function read(xml: Uint8Array | string) {
  const result = readInvoiceXml(xml);
  if (!result.ok) throw new Error(result.error.detail);
  return result.value.invoice;
}

describe('round trip of every KoSIT test invoice through both writers', () => {
  it.each(testsuiteFiles)('%s: model → UBL → model and model → CII → model', (file) => {
    const model = read(testsuiteXml(file));
    expect(read(renderUbl(model))).toEqual(model);
    expect(read(renderCii(model))).toEqual(model);
  });

  it.each(testsuiteFiles)('%s: renders the same bytes twice', (file) => {
    const model = read(testsuiteXml(file));
    expect(renderUbl(structuredClone(model)).equals(renderUbl(model))).toBe(true);
    expect(renderCii(structuredClone(model)).equals(renderCii(model))).toBe(true);
  });
});
