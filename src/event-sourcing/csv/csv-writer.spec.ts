import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { csvWriter } from './csv-writer.js';

describe('the CSV writer', () => {
  it('standard: `,`, decimal point, quotes only where needed, no BOM', () => {
    const csv = csvWriter();
    expect(csv.preamble).toBe('');
    expect(csv.row(['a', 'b,c', { amountMinor: -123456n, currency: 'EUR' }, null])).toBe(
      'a,"b,c",-1234.56,\r\n',
    );
    expect(csv.row([{ amountMinor: 1500n, currency: 'JPY' }, ' x'])).toBe('1500," x"\r\n');
  });

  it('de: BOM, `;`, decimal comma; a `;` in text is quoted', () => {
    const csv = csvWriter('de');
    expect(csv.preamble).toBe('\ufeff');
    expect(csv.row(['a;b', { amountMinor: 119n, currency: 'EUR' }, '1,5'])).toBe(
      '"a;b";1,19;1,5\r\n',
    );
  });

  it('neutralizes formulas only when asked, numbers stay numbers', () => {
    expect(csvWriter('standard', { neutralizeFormulas: true }).row(['=SUM(A1)', '-12.50'])).toBe(
      "'=SUM(A1),-12.50\r\n",
    );
    expect(csvWriter().row(['=SUM(A1)'])).toBe('=SUM(A1)\r\n');
  });

  it('round-trips any text in both dialects', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (cells, de) => {
          const csv = csvWriter(de ? 'de' : 'standard');
          const [row] = parse(csv.row(cells), {
            delimiter: de ? ';' : ',',
            relax_column_count: true,
          }) as string[][];
          expect(row).toEqual(cells);
        },
      ),
    );
  });
});
