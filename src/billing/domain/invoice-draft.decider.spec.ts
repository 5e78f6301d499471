import { ConflictError, NotFoundError, ValidationError } from '../../event-sourcing/index.js';
import { deciderSpec } from '../../event-sourcing/testing/decider-spec.js';
import { CreateInvoiceDraft, invoiceDraftDecider } from './invoice-draft.decider.js';
import { DraftContext, InvoiceDraft, InvoiceDraftInput } from './invoice-draft.js';
import { InvoiceDraftEvent } from './invoice-draft.events.js';
import { InvoiceRuleError } from './invoice-errors.js';
import { invoiceLinesMax } from './invoice-limits.js';

const spec = deciderSpec(invoiceDraftDecider);

export const draftContext: DraftContext = {
  baseCurrency: 'EUR',
  customer: { partyId: 'p-1', number: '10000', name: 'Müller & Söhne KG', paymentTermsDays: 30 },
  taxCodes: {
    USt19: {
      code: 'USt19',
      kind: 'output',
      ratePercent: '19',
      outputAccount: '1776',
      revenueAccount: '8400',
    },
    USt7: {
      code: 'USt7',
      kind: 'output',
      ratePercent: '7',
      outputAccount: '1771',
      revenueAccount: '8300',
    },
    RC13b: {
      code: 'RC13b',
      kind: 'reverse-charge',
      ratePercent: '19',
      outputAccount: '1787',
      revenueAccount: '8337',
    },
  },
  knownTaxCodes: ['USt19', 'USt7', 'RC13b', 'USt16'],
  taxDate: '2027-01-15',
};

const input: InvoiceDraftInput = {
  customer: '10000',
  issueDate: '2027-01-15',
  deliveryDate: '2027-01-10',
  lines: [
    { description: 'Beratung', quantity: '3', unitPrice: '100.00', taxCode: 'USt19' },
    { description: 'Fachbuch', quantity: '1.5', unit: 'C62', unitPrice: '19.99', taxCode: 'USt7' },
  ],
};

const draft: InvoiceDraft = {
  customer: { partyId: 'p-1', number: '10000', name: 'Müller & Söhne KG' },
  issueDate: '2027-01-15',
  deliveryDate: '2027-01-10',
  currency: 'EUR',
  paymentTermsDays: 30,
  lines: [
    {
      description: 'Beratung',
      quantity: '3',
      unit: 'C62',
      unitPrice: '100.00',
      taxCode: 'USt19',
      ratePercent: '19',
      netMinor: '30000',
    },
    {
      description: 'Fachbuch',
      quantity: '1.5',
      unit: 'C62',
      unitPrice: '19.99',
      taxCode: 'USt7',
      ratePercent: '7',
      netMinor: '2999',
    },
  ],
  totals: {
    netMinor: '32999',
    taxes: [
      { taxCode: 'USt19', ratePercent: '19', baseMinor: '30000', amountMinor: '5700' },
      { taxCode: 'USt7', ratePercent: '7', baseMinor: '2999', amountMinor: '210' },
    ],
    grossMinor: '38909',
  },
};

const ids = { invoiceId: 'inv-1', bookId: 'acme' };
const create = (
  overrides: Partial<InvoiceDraftInput> = {},
  context = draftContext,
): CreateInvoiceDraft => ({
  type: 'CreateInvoiceDraft',
  ...ids,
  input: { ...input, ...overrides },
  context,
});
const created: InvoiceDraftEvent = { type: 'InvoiceDraftCreated', data: { ...ids, draft } };
const issued: InvoiceDraftEvent = {
  type: 'InvoiceDraftIssued',
  data: { ...ids, number: 'RE-2027-00001' },
};

describe('CreateInvoiceDraft', () => {
  it('records the checked draft with its EN 16931 totals and the customer’s payment terms', () => {
    spec.given([]).when(create()).then([created]);
  });

  it('appends nothing for the same draft again; another draft under the id is a conflict', () => {
    spec.given([created]).when(create()).then([]);
    spec
      .given([created])
      .when(create({ note: 'other' }))
      .thenThrows(ConflictError, 'conflict');
  });

  it('refuses zero or negative quantities, bad decimals and more than invoiceLinesMax lines (400)', () => {
    const line = input.lines[0]!;
    for (const quantity of ['0', '-1', '1.23456', '1,5', ''])
      spec
        .given([])
        .when(create({ lines: [{ ...line, quantity }] }))
        .thenThrows(ValidationError, 'validation');
    spec
      .given([])
      .when(create({ lines: [{ ...line, unitPrice: '-1' }] }))
      .thenThrows(ValidationError);
    spec
      .given([])
      .when(create({ lines: [] }))
      .thenThrows(ValidationError);
    spec
      .given([])
      .when(create({ lines: Array.from({ length: invoiceLinesMax + 1 }, () => line) }))
      .thenThrows(ValidationError, 'validation');
  });

  it('accepts exactly invoiceLinesMax lines', () => {
    const lines = Array.from({ length: invoiceLinesMax }, () => input.lines[0]!);
    const [event] = invoiceDraftDecider.decide(create({ lines }), { status: 'none' });
    expect(event?.type === 'InvoiceDraftCreated' && event.data.draft.totals.netMinor).toBe(
      '30000000',
    );
  });

  it('needs a delivery date or a service period (§ 14 Abs. 4 UStG)', () => {
    spec
      .given([])
      .when(create({ deliveryDate: undefined }))
      .thenThrows(InvoiceRuleError, 'business-rule');
    spec
      .given([])
      .when(
        create({
          deliveryDate: undefined,
          servicePeriod: { from: '2027-01-31', to: '2027-01-01' },
        }),
      )
      .thenThrows(ValidationError, 'validation');
  });

  it('issues only in the book’s base currency (no exchange-rate policy) and refuses unknown currencies', () => {
    spec
      .given([])
      .when(create({ currency: 'USD' }))
      .thenThrows(InvoiceRuleError, 'business-rule');
    spec
      .given([])
      .when(create({ currency: 'XYZ' }))
      .thenThrows(ValidationError, 'validation');
  });

  it('refuses an unknown customer, an unknown tax code and one not valid on the date (422)', () => {
    spec
      .given([])
      .when(create({}, { ...draftContext, customer: undefined }))
      .thenThrows(InvoiceRuleError);
    const line = input.lines[0]!;
    spec
      .given([])
      .when(create({ lines: [{ ...line, taxCode: 'USt99' }] }))
      .thenThrows(InvoiceRuleError);
    spec
      .given([])
      .when(create({ lines: [{ ...line, taxCode: 'USt16' }] }))
      .thenThrows(InvoiceRuleError);
  });
});

describe('ReplaceInvoiceDraft / DiscardInvoiceDraft', () => {
  const replace = {
    type: 'ReplaceInvoiceDraft' as const,
    ...ids,
    input: { ...input, note: 'Danke' },
    context: draftContext,
  };
  const discard = { type: 'DiscardInvoiceDraft' as const, ...ids };

  it('replaces an open draft and discards it', () => {
    spec
      .given([created])
      .when(replace)
      .then([
        { type: 'InvoiceDraftReplaced', data: { ...ids, draft: { ...draft, note: 'Danke' } } },
      ]);
    spec
      .given([created])
      .when(discard)
      .then([{ type: 'InvoiceDraftDiscarded', data: ids }]);
  });

  it('an issued invoice never changes: replace and discard are conflicts (409)', () => {
    spec.given([created, issued]).when(replace).thenThrows(ConflictError, 'conflict');
    spec.given([created, issued]).when(discard).thenThrows(ConflictError, 'conflict');
  });

  it('an unknown draft or one of another book is not found', () => {
    spec.given([]).when(discard).thenThrows(NotFoundError, 'not-found');
    spec
      .given([created])
      .when({ ...discard, bookId: 'other' })
      .thenThrows(NotFoundError, 'not-found');
  });
});

describe('MarkInvoiceDraftIssued', () => {
  const mark = { type: 'MarkInvoiceDraftIssued' as const, ...ids, number: 'RE-2027-00001' };
  it('marks once; the same number again appends nothing', () => {
    spec.given([created]).when(mark).then([issued]);
    spec.given([created, issued]).when(mark).then([]);
  });
});
