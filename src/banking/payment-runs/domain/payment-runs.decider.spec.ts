import { ConflictError, NotFoundError } from '../../../event-sourcing/index.js';
import { deciderSpec } from '../../../event-sourcing/testing/decider-spec.js';
import { BusinessRuleError } from '../../domain/payment.js';
import { OpenItemView } from '../../domain/aging.js';
import {
  CreatePaymentRun,
  endToEndIdOf,
  PaymentRunCreated,
  PaymentRunItemData,
  paymentRunsDecider,
} from './payment-runs.decider.js';
import { selectPayables } from './payment-selection.js';

const spec = deciderSpec(paymentRunsDecider);
const now = '2027-01-14T09:30:00.000Z';

const item = (invoiceId: string, amountMinor: string): PaymentRunItemData => ({
  invoiceId,
  number: `RE-${invoiceId}`,
  partyId: 'p1',
  dueDate: '2027-01-10',
  amountMinor,
  creditor: { name: 'Lieferant GmbH', iban: 'DE02120300000000202051' },
});

const create = (runId: string, items: PaymentRunItemData[]): CreatePaymentRun => ({
  type: 'CreatePaymentRun',
  run: {
    runId,
    bookId: 'b1',
    executionDate: '2027-01-15',
    bankAccount: '1200',
    debtor: { name: 'Müller KG', iban: 'DE89370400440532013000' },
    currency: 'EUR',
    totalMinor: items.reduce((sum, i) => sum + BigInt(i.amountMinor), 0n).toString(),
    items,
  },
});

const created = (
  runId: string,
  sequence: number,
  items: PaymentRunItemData[],
): PaymentRunCreated => ({
  type: 'PaymentRunCreated',
  data: { ...create(runId, items).run, sequence },
});

describe('CreatePaymentRun', () => {
  it('drafts a run with the next sequence number of the book', () => {
    spec
      .given([created('r1', 1, [item('i1', '100')])])
      .when(create('r2', [item('i2', '250'), item('i3', '5')]))
      .then([created('r2', 2, [item('i2', '250'), item('i3', '5')])]);
  });

  it('refuses an item that is in another run (409) and a run without items (422)', () => {
    spec
      .given([created('r1', 1, [item('i1', '100')])])
      .when(create('r2', [item('i1', '100')]))
      .thenThrows(ConflictError, 'conflict');
    spec.given([]).when(create('r1', [])).thenThrows(BusinessRuleError, 'business-rule');
  });

  it('answers a retry with the same request hash with nothing new', () => {
    const withHash = create('r1', [item('i1', '100')]);
    withHash.run.requestHash = 'a'.repeat(64);
    const event: PaymentRunCreated = {
      type: 'PaymentRunCreated',
      data: { ...withHash.run, sequence: 1 },
    };
    spec.given([event]).when(withHash).then([]);
  });
});

describe('ExecutePaymentRun', () => {
  const draft = created('r3', 3, [item('i1', '100'), item('i2', '7')]);

  it('gives each item its end-to-end id: run sequence and position, [A-Za-z0-9-], at most 35', () => {
    spec
      .given([draft])
      .when({ type: 'ExecutePaymentRun', runId: 'r3', now, approvalId: 'a1' })
      .then([
        {
          type: 'PaymentRunExecuted',
          data: {
            runId: 'r3',
            bookId: 'b1',
            executedAt: now,
            items: [
              { invoiceId: 'i1', endToEndId: 'KPR3-1' },
              { invoiceId: 'i2', endToEndId: 'KPR3-2' },
            ],
            approvalId: 'a1',
          },
        },
      ]);
    expect(endToEndIdOf(Number.MAX_SAFE_INTEGER, 999)).toMatch(/^[A-Za-z0-9-]{1,35}$/);
  });

  it('executes once: the same approval again decides nothing, any other execution is a 409', () => {
    const executed = paymentRunsDecider.decide(
      { type: 'ExecutePaymentRun', runId: 'r3', now, approvalId: 'a1' },
      paymentRunsDecider.evolve(paymentRunsDecider.initialState(), draft),
    )[0]!;
    spec
      .given([draft, executed])
      .when({ type: 'ExecutePaymentRun', runId: 'r3', now, approvalId: 'a1' })
      .then([]);
    spec
      .given([draft, executed])
      .when({ type: 'ExecutePaymentRun', runId: 'r3', now })
      .thenThrows(ConflictError, 'conflict');
    spec
      .given([draft, executed])
      .when({ type: 'ExecutePaymentRun', runId: 'r3', now, approvalId: 'a2' })
      .thenThrows(ConflictError, 'conflict');
    spec
      .given([])
      .when({ type: 'ExecutePaymentRun', runId: 'r9', now })
      .thenThrows(NotFoundError, 'not-found');
  });
});

describe('CancelPaymentRun', () => {
  const draft = created('r1', 1, [item('i1', '100')]);
  const cancelled = {
    type: 'PaymentRunCancelled' as const,
    data: { runId: 'r1', bookId: 'b1', cancelledAt: now, reason: 'doppelt' },
  };

  it('cancels a draft and frees its items for another run', () => {
    spec
      .given([draft])
      .when({ type: 'CancelPaymentRun', runId: 'r1', now, reason: 'doppelt' })
      .then([cancelled]);
    spec
      .given([draft, cancelled])
      .when(create('r2', [item('i1', '100')]))
      .then([created('r2', 2, [item('i1', '100')])]);
  });

  it('never cancels an executed run, and a cancelled run is neither executed nor cancelled again', () => {
    const executed = {
      type: 'PaymentRunExecuted' as const,
      data: { runId: 'r1', bookId: 'b1', executedAt: now, items: [] },
    };
    spec
      .given([draft, executed])
      .when({ type: 'CancelPaymentRun', runId: 'r1', now })
      .thenThrows(ConflictError, 'conflict');
    spec
      .given([draft, cancelled])
      .when({ type: 'ExecutePaymentRun', runId: 'r1', now })
      .thenThrows(ConflictError, 'conflict');
    spec
      .given([draft, cancelled])
      .when({ type: 'CancelPaymentRun', runId: 'r1', now })
      .thenThrows(ConflictError, 'conflict');
  });
});

describe('selectPayables', () => {
  const open = (itemId: string, over: Partial<OpenItemView> = {}): OpenItemView => ({
    itemId,
    kind: 'payable',
    account: '1600',
    party: 'p1',
    currency: 'EUR',
    documentType: 'IncomingInvoiceBooked',
    number: `RE-${itemId}`,
    issueDate: '2027-01-01',
    dueDate: '2027-01-10',
    amountMinor: 100n,
    openMinor: 100n,
    daysOverdue: 0,
    ...over,
  });
  const items = [
    open('due'),
    open('later', { dueDate: '2027-02-01' }),
    open('paid', { openMinor: 0n }),
    open('usd', { currency: 'USD' }),
    open('journal', { documentType: 'JournalEntryPosted' }),
    open('taken'),
  ];
  const runOf = (id: string) => (id === 'taken' ? 'r1' : undefined);

  it('by due date: booked incoming invoices in EUR, open, due by then, in no other run', () => {
    expect(selectPayables(items, { dueUntil: '2027-01-31' }, runOf).map((i) => i.itemId)).toEqual([
      'due',
    ]);
    expect(() => selectPayables(items, { dueUntil: '2026-12-31' }, runOf)).toThrow(
      BusinessRuleError,
    );
  });

  it('by ids: each must be payable (422 naming it); one in another run is a 409', () => {
    expect(selectPayables(items, { invoiceIds: ['later', 'due'] }, runOf)).toHaveLength(2);
    expect(() => selectPayables(items, { invoiceIds: ['due', 'usd'] }, runOf)).toThrow(
      /usd \(RE-usd\) is in USD/,
    );
    expect(() => selectPayables(items, { invoiceIds: ['nope'] }, runOf)).toThrow(
      /nope is no booked incoming invoice/,
    );
    expect(() => selectPayables(items, { invoiceIds: ['taken'] }, runOf)).toThrow(ConflictError);
  });
});
