import fc from 'fast-check';
import { readInvoiceXml } from '../adapters/read-invoice.js';
import { renderCii } from '../adapters/cii-writer.js';
import { renderUbl } from '../adapters/ubl-writer.js';
import { sampleInvoice } from '../test-support/sample-invoice.js';
import { canonicalDecimal, decimalToScaled, formatDecimal, scaledToDecimal } from './decimal.js';
import type { En16931Invoice, InvoiceLine, VatCategoryCode } from './en16931.model.js';
import { checkInvoiceRules } from './rules/check-invoice.js';
import { documentTotalsOf, lineNetAmount, vatBreakdownOf } from './totals.js';

const scaled = (max: number, scale: number) =>
  fc
    .bigInt({ min: 1n, max: BigInt(max) * 10n ** BigInt(scale) })
    .map((units) => scaledToDecimal(units, scale));

const lineArbitrary = fc.record({
  quantity: scaled(9_999, 4), // up to 4 decimals, as billing allows
  netPrice: scaled(99_999, 2),
  tax: fc.constantFrom<[VatCategoryCode, string]>(['S', '19'], ['S', '7'], ['Z', '0'], ['E', '0']),
});

interface LineDraft {
  quantity: string;
  netPrice: string;
  tax: [VatCategoryCode, string];
}

const exemptionReasons = { E: { reason: 'Steuerfrei nach § 4 Nr. 11 UStG', code: 'VATEX-EU-132' } };

function invoiceOf(drafts: LineDraft[], prepaid: string): En16931Invoice {
  const invoice = sampleInvoice();
  invoice.lines = drafts.map(({ quantity, netPrice, tax: [vatCategoryCode, vatRate] }, index) => {
    const line: InvoiceLine = {
      id: String(index + 1),
      quantity,
      unitCode: 'C62',
      netAmount: '',
      netPrice,
      vatCategoryCode,
      vatRate,
      name: `Position ${index + 1}`,
    };
    return { ...line, netAmount: lineNetAmount(line) };
  });
  invoice.vatBreakdown = vatBreakdownOf(invoice.lines, [], exemptionReasons);
  invoice.totals = documentTotalsOf(invoice.lines, [], invoice.vatBreakdown, prepaid);
  return invoice;
}

function read(xml: Buffer) {
  const result = readInvoiceXml(xml);
  if (!result.ok) throw new Error(result.error.detail);
  return result.value.invoice;
}

describe('EN 16931 totals and renderings over random invoices', () => {
  it('computed totals break no rule and survive UBL and CII to the cent', () => {
    fc.assert(
      fc.property(
        fc.array(lineArbitrary, { minLength: 1, maxLength: 12 }),
        fc.constantFrom('0', '10', '0.01'),
        (drafts, prepaid) => {
          const invoice = invoiceOf(drafts, prepaid);
          expect(checkInvoiceRules(invoice)).toEqual([]);
          expect(read(renderUbl(invoice))).toEqual(invoice);
          expect(read(renderCii(invoice))).toEqual(invoice);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('decimals: canonical form and cent scaling round-trip exactly', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.integer({ min: 0, max: 6 }),
        (units, scale) => {
          const value = scaledToDecimal(units, scale);
          expect(canonicalDecimal(value)).toBe(value);
          expect(decimalToScaled(value, scale)).toBe(units);
          expect(canonicalDecimal(formatDecimal(value, 2))).toBe(value);
        },
      ),
    );
  });
});
