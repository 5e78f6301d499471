import { ConflictError } from '../../event-sourcing/index.js';
import { readIncomingInvoice } from '../../einvoice/index.js';
import { sampleInvoiceXml } from '../../../test/support/incoming-invoices.js';
import { incomingFactsOf } from './incoming-invoice.js';
import {
  IncomingInvoiceReceived,
  incomingInvoicesDecider,
  ReceiveIncomingInvoice,
} from './incoming-invoices.decider.js';

async function facts(xml = sampleInvoiceXml()) {
  const read = await readIncomingInvoice(Buffer.from(xml));
  if (!read.ok) throw new Error(read.error.detail);
  return incomingFactsOf(read.value);
}

function given(events: IncomingInvoiceReceived[]) {
  return events.reduce(
    (state, event) => incomingInvoicesDecider.evolve(state, event),
    incomingInvoicesDecider.initialState(),
  );
}

const receive = async (
  invoiceId: string,
  documentId: string,
  supplier = 'supplier-1',
): Promise<ReceiveIncomingInvoice> => ({
  type: 'ReceiveIncomingInvoice',
  bookId: 'acme',
  invoiceId,
  documentId,
  supplier,
  facts: await facts(),
});

describe('incoming invoices of a book', () => {
  it('numbers receipts gap-free', async () => {
    const first = incomingInvoicesDecider.decide(await receive('ii-1', 'd-1'), given([]));
    expect(first[0]!.data.sequence).toBe(1);
    const second = incomingInvoicesDecider.decide(
      await receive('ii-2', 'd-2', 'supplier-2'),
      given(first),
    );
    expect(second[0]!.data.sequence).toBe(2);
  });

  it('refuses the same bytes again and the same supplier with the same number', async () => {
    const state = given(incomingInvoicesDecider.decide(await receive('ii-1', 'd-1'), given([])));
    expect(() => incomingInvoicesDecider.decide(receiveSync(state, 'd-1', 'other'), state)).toThrow(
      ConflictError,
    );
    expect(() => incomingInvoicesDecider.decide(receiveSync(state, 'd-9'), state)).toThrow(
      /already sent invoice number/,
    );
  });

  it('states the totals as the invoice writes them and every failed rule with its id', async () => {
    const read = await facts();
    expect(read.validation).toEqual({ valid: true, errors: [] });
    const broken = await facts(
      sampleInvoiceXml().replace(
        /<cbc:PayableAmount currencyID="EUR">[^<]*</,
        '<cbc:PayableAmount currencyID="EUR">1.00<',
      ),
    );
    expect(broken.totals.payable).toBe('1');
    expect(broken.validation.valid).toBe(false);
    expect(broken.validation.errors.map((e) => e.rule)).toContain('BR-CO-16');
  });
});

function receiveSync(
  state: ReturnType<typeof given>,
  documentId: string,
  supplier = 'supplier-1',
): ReceiveIncomingInvoice {
  const known = [...state.invoices.values()][0]!;
  const { invoiceId: _i, bookId: _b, sequence: _s, documentId: _d, supplier: _p, ...facts } = known;
  return {
    type: 'ReceiveIncomingInvoice',
    bookId: 'acme',
    invoiceId: 'ii-x',
    documentId,
    supplier,
    facts,
  };
}
