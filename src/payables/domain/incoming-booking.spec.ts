import { DomainError } from '../../event-sourcing/index.js';
import type { TaxCodeDefinition } from '../../ledger/index.js';
import skr03 from '../../ledger/charts/skr03-2026.json';
import { bookingLines } from './incoming-booking.js';
import type { IncomingInvoiceReceivedData } from './incoming-invoice.js';

const taxCodes = skr03.taxCodes as TaxCodeDefinition[];
const context = { taxCodes, payablesAccount: '1600' };

function invoice(
  overrides: Partial<IncomingInvoiceReceivedData> = {},
): IncomingInvoiceReceivedData {
  return {
    invoiceId: 'ii-1',
    bookId: 'acme',
    sequence: 1,
    documentId: `sha256:${'0'.repeat(64)}`,
    supplier: 'supplier-1',
    number: 'RE-1',
    issueDate: '2026-11-30',
    dueDate: '2026-12-14',
    typeCode: '380',
    currency: 'EUR',
    syntax: 'ubl',
    container: 'xml',
    totals: { net: '1317.89', tax: '243.14', gross: '1561.03', payable: '1561.03' },
    vatBreakdown: [
      { category: 'S', rate: '19', taxable: '1257.39', tax: '238.9' },
      { category: 'S', rate: '7', taxable: '60.5', tax: '4.24' },
    ],
    lines: [],
    linesTotal: 2,
    sellerName: 'Kontor Beispiel GmbH',
    validation: { valid: true, errors: [] },
    ...overrides,
  };
}

const triples = (lines: ReturnType<typeof bookingLines>['lines']) =>
  lines.map((line) => [line.account, line.debit ?? null, line.credit ?? null]);

describe('booking an incoming invoice (Kontierung)', () => {
  it('given no lines: per VAT rate to the code’s expense account, input VAT, gross to payables', () => {
    const booked = bookingLines(invoice(), undefined, context);
    expect(triples(booked.lines)).toEqual([
      ['3400', '1257.39', null],
      ['3300', '60.50', null],
      ['1576', '238.90', null],
      ['1571', '4.24', null],
      ['1600', null, '1561.03'],
    ]);
    expect(booked.lines.at(-1)!.party).toBe('supplier-1');
    expect(booked.grossMinor).toBe(156103n);
  });

  it('given a supplier default account: every expense line goes there', () => {
    const booked = bookingLines(invoice(), undefined, {
      ...context,
      defaultExpenseAccount: '4930',
    });
    expect(
      triples(booked.lines)
        .slice(0, 2)
        .map(([account]) => account),
    ).toEqual(['4930', '4930']);
  });

  it('given a reverse-charge invoice: input and output VAT, payables the net', () => {
    const rc = invoice({
      totals: { net: '1000', tax: '0', gross: '1000', payable: '1000' },
      vatBreakdown: [{ category: 'AE', rate: '0', taxable: '1000', tax: '0' }],
    });
    expect(triples(bookingLines(rc, undefined, context).lines)).toEqual([
      ['3120', '1000.00', null],
      ['1577', '190.00', null],
      ['1787', null, '190.00'],
      ['1600', null, '1000.00'],
    ]);
  });

  it('refuses lines that miss the net, an amount missing beside others, and a gross that does not fit', () => {
    const refused = (lines: Parameters<typeof bookingLines>[1]) => () =>
      bookingLines(invoice(), lines, context);
    expect(refused([{ account: '4930', amount: '1.00', taxCode: 'VSt19' }])).toThrow(/BT-109/);
    expect(
      refused([
        { account: '4930', taxCode: 'VSt19' },
        { account: '4930', amount: '1.00', taxCode: 'VSt7' },
      ]),
    ).toThrow(DomainError);
    expect(refused([{ account: '4930', taxCode: 'VSt19' }])).toThrow(/BT-112/);
    expect(refused([{ account: '4930', taxCode: 'NOPE' }])).toThrow(/NOPE/);
  });

  it('given lines that fit: books them with their cost centres', () => {
    const booked = bookingLines(
      invoice(),
      [
        { account: '4930', amount: '1257.39', taxCode: 'VSt19', costCenter: 'K1' },
        { account: '4940', amount: '60.50', taxCode: 'VSt7' },
      ],
      context,
    );
    expect(booked.lines[0]).toMatchObject({ account: '4930', memo: 'cost centre K1' });
    expect(booked.grossMinor).toBe(156103n);
  });
});
