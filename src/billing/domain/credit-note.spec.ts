import { issuedInvoice } from '../testing/billing.fixtures.js';
import { creditNoteFields } from './credit-note.js';
import { InvoiceRuleError } from './invoice-errors.js';

describe('creditNoteFields', () => {
  const invoice = issuedInvoice();
  const open = BigInt(invoice.totals.grossMinor);

  it('given an issued invoice, when it is credited in full on a later day, then the credit note takes its totals', () => {
    const fields = creditNoteFields({ reason: 'Storno' }, invoice, open, '2027-02-01');
    expect(fields).toMatchObject({ invoiceId: invoice.documentId, issueDate: '2027-02-01' });
    expect(fields.totals.grossMinor).toBe(invoice.totals.grossMinor);
  });

  it('given an issued invoice, when a credit note would be dated before it, then it is refused naming the first possible day', () => {
    expect(() => creditNoteFields({ reason: 'Storno' }, invoice, open, '2026-12-31')).toThrow(
      InvoiceRuleError,
    );
    expect(() => creditNoteFields({ reason: 'Storno' }, invoice, open, '2026-12-31')).toThrow(
      new RegExp(`issued from that day on`),
    );
  });
});
