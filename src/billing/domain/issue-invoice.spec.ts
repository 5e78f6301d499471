import { prepareDraft } from './invoice-draft.js';
import { InvoiceRuleError } from './invoice-errors.js';
import { issuedInvoiceFields, missingSellerFieldsOf } from './issue-invoice.js';
import {
  domesticCustomer,
  domesticInput,
  draftContextFor,
  euCustomer,
  seller,
  skr03TaxCodes,
} from '../testing/billing.fixtures.js';

const context = {
  issueDate: '2027-01-15',
  seller,
  customer: domesticCustomer,
  taxCodes: skr03TaxCodes,
  receivablesAccount: '1400',
};
const draft = prepareDraft(domesticInput, draftContextFor(domesticCustomer));

function refusal(run: () => unknown): InvoiceRuleError {
  try {
    run();
  } catch (error) {
    if (error instanceof InvoiceRuleError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('issuing a draft', () => {
  it('names every seller field the company settings lack (422 business-rule)', () => {
    const { contact: _c, iban: _i, ...incomplete } = seller;
    const error = refusal(() => issuedInvoiceFields(draft, { ...context, seller: incomplete }));
    expect(error.code).toBe('business-rule');
    expect(error.message).toContain('contactName, phone, email, iban');
    expect(missingSellerFieldsOf(seller)).toEqual([]);
  });

  it('a reverse-charge invoice needs the customer’s VAT id', () => {
    const input = {
      ...domesticInput,
      lines: [{ description: 'Montage', quantity: '1', unitPrice: '100', taxCode: 'RC13b' }],
    };
    const { vatId: _v, ...withoutVatId } = euCustomer;
    const rcDraft = prepareDraft(input, draftContextFor(euCustomer));
    const error = refusal(() =>
      issuedInvoiceFields(rcDraft, { ...context, customer: withoutVatId }),
    );
    expect(error.message).toContain('VAT id');
    expect(
      issuedInvoiceFields(rcDraft, { ...context, customer: euCustomer }).legalNotes,
    ).toHaveLength(1);
  });

  it('due date = issue date + payment terms; the customer snapshot keeps the draft’s buyer reference', () => {
    const fields = issuedInvoiceFields(
      { ...draft, paymentTermsDays: 30, buyerReference: 'LW-1' },
      context,
    );
    expect(fields.dueDate).toBe('2027-02-14');
    expect(fields.customer.buyerReference).toBe('LW-1');
    expect(fields.lines.map((l) => l.revenueAccount)).toEqual(['8400', '8400', '8300']);
  });
});
