import fc from 'fast-check';
import { ItemWithMovements, openItemsAsOf } from './aging.js';
import {
  DocumentFacts,
  openItemEffects,
  OriginalEffects,
  PartyLine,
  PostedEntry,
} from './open-items.js';
import { OpenInvoice, planPayment } from './payment.js';

const receivables = '1400';
const kindOf = (account: string) => (account === receivables ? 'receivable' : undefined);
const parties = ['p1', 'p2', 'p3'];

type Operation =
  | { op: 'issue'; party: number; net: number; rate: '19' | '7' | 'both' }
  | { op: 'credit'; invoice: number; share: number }
  | { op: 'pay'; party: number; invoices: number[]; share: number; extra: number; discount: number }
  | { op: 'manual'; party: number; amount: number; debit: boolean }
  | { op: 'reverse'; entry: number };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    op: fc.constant('issue' as const),
    party: fc.nat(2),
    net: fc.integer({ min: 1, max: 1_000_000 }),
    rate: fc.constantFrom('19' as const, '7' as const, 'both' as const),
  }),
  fc.record({
    op: fc.constant('credit' as const),
    invoice: fc.nat(50),
    share: fc.integer({ min: 1, max: 100 }),
  }),
  fc.record({
    op: fc.constant('pay' as const),
    party: fc.nat(2),
    invoices: fc.array(fc.nat(50), { maxLength: 3 }),
    share: fc.integer({ min: 1, max: 100 }),
    extra: fc.integer({ min: 0, max: 5_000 }),
    discount: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({
    op: fc.constant('manual' as const),
    party: fc.nat(2),
    amount: fc.integer({ min: 1, max: 50_000 }),
    debit: fc.boolean(),
  }),
  fc.record({ op: fc.constant('reverse' as const), entry: fc.nat(50) }),
);

/** The open items folded in memory the way the projection writes them, plus the control account. */
class Books {
  items = new Map<string, ItemWithMovements>();
  invoices: { id: string; party: string; taxes: OpenInvoice['taxes'] }[] = [];
  entries: { entry: PostedEntry; effects: OriginalEffects }[] = [];
  controlBalance = 0n;
  private next = 0;

  post(lines: PartyLine[], document?: DocumentFacts, reversalOf?: string): void {
    const entryId = `e${++this.next}`;
    const entry: PostedEntry = {
      entryId,
      effectiveDate: `2027-01-${String((this.next % 28) + 1).padStart(2, '0')}`,
      lines,
      reversalOf,
      documentType: document?.type,
      documentId: document?.documentId,
    };
    const original = this.entries.find((e) => e.entry.entryId === reversalOf)?.effects;
    const effects = openItemEffects(entry, kindOf, document, original);
    for (const item of effects.items)
      this.items.set(item.itemId, { ...item, kind: 'receivable', movements: [] });
    for (const s of effects.settlements) {
      const item = this.items.get(s.itemId);
      if (item === undefined) throw new Error(`settlement of unknown item ${s.itemId}`);
      (item.movements as { effectiveDate: string; amountMinor: bigint }[]).push(s);
    }
    this.entries.push({ entry, effects });
    for (const line of lines)
      if (line.account === receivables)
        this.controlBalance +=
          line.side === 'debit' ? BigInt(line.amountMinor) : -BigInt(line.amountMinor);
  }

  open(id: string): bigint {
    const item = this.items.get(id);
    return item === undefined
      ? 0n
      : item.movements.reduce((s, m) => s + m.amountMinor, item.amountMinor);
  }
}

function apply(books: Books, op: Operation): void {
  const line = (
    account: string,
    side: 'debit' | 'credit',
    minor: bigint,
    party?: string,
  ): PartyLine => ({
    account,
    side,
    amountMinor: minor.toString(),
    currency: 'EUR',
    ...(party ? { party } : {}),
  });
  switch (op.op) {
    case 'issue': {
      const id = `inv${books.invoices.length + 1}`;
      const party = parties[op.party]!;
      const net = BigInt(op.net);
      const taxes =
        op.rate === 'both'
          ? [
              {
                taxCode: 'USt19',
                ratePercent: '19',
                baseMinor: net,
                amountMinor: (net * 19n) / 100n,
              },
              { taxCode: 'USt7', ratePercent: '7', baseMinor: net, amountMinor: (net * 7n) / 100n },
            ]
          : [
              {
                taxCode: `USt${op.rate}`,
                ratePercent: op.rate,
                baseMinor: net,
                amountMinor: (net * BigInt(op.rate)) / 100n,
              },
            ];
      const gross = taxes.reduce((s, t) => s + t.baseMinor + t.amountMinor, 0n);
      books.invoices.push({ id, party, taxes });
      books.post([line(receivables, 'debit', gross, party), line('8400', 'credit', gross)], {
        type: 'InvoiceIssued',
        documentId: id,
        issueDate: '2027-01-01',
        dueDate: '2027-01-15',
      });
      return;
    }
    case 'credit': {
      const invoice = books.invoices[op.invoice % Math.max(1, books.invoices.length)];
      if (invoice === undefined) return;
      const amount = (books.open(invoice.id) * BigInt(op.share)) / 100n;
      if (amount <= 0n) return;
      books.post(
        [line('8400', 'debit', amount), line(receivables, 'credit', amount, invoice.party)],
        {
          type: 'CreditNoteIssued',
          documentId: `cn-${invoice.id}-${amount}`,
          invoiceId: invoice.id,
        },
      );
      return;
    }
    case 'pay': {
      const party = parties[op.party]!;
      const ids = [
        ...new Set(op.invoices.map((i) => books.invoices[i % Math.max(1, books.invoices.length)])),
      ].filter((i) => i !== undefined && i.party === party && books.open(i.id) > 0n);
      const allocations = ids
        .map((i) => ({
          invoiceId: i!.id,
          amountMinor: (books.open(i!.id) * BigInt(op.share)) / 100n,
        }))
        .filter((a) => a.amountMinor > 0n);
      const rest = allocations.reduce((s, a) => s + books.open(a.invoiceId) - a.amountMinor, 0n);
      const discount = allocations.length === 0 ? 0n : (rest * BigInt(op.discount)) / 3n;
      const amount = allocations.reduce((s, a) => s + a.amountMinor, 0n) + BigInt(op.extra);
      if (amount === 0n) return;
      const plan = planPayment(
        {
          paymentId: 'x',
          partyId: party,
          date: '2027-01-20',
          amountMinor: amount,
          currency: 'EUR',
          bankAccount: '1200',
          allocations,
          discountMinor: discount,
        },
        {
          controlAccount: receivables,
          discountAccount: '8735',
          invoice: (id) => {
            const invoice = books.invoices.find((i) => i.id === id);
            return (
              invoice && {
                invoiceId: id,
                party: invoice.party,
                currency: 'EUR',
                openMinor: books.open(id),
                taxes: invoice.taxes,
              }
            );
          },
          taxAccount: (code) => (code === 'USt19' ? '1776' : '1771'),
        },
      );
      const lines = plan.lines.map((l) =>
        line(
          l.account,
          l.debit ? 'debit' : 'credit',
          BigInt((l.debit ?? l.credit)!.replace('.', '')),
          l.party,
        ),
      );
      books.post(lines, {
        type: 'PaymentReceived',
        documentId: `pay${books.entries.length}`,
        allocations: plan.data.allocations,
      });
      return;
    }
    case 'manual': {
      const side = op.debit ? 'debit' : 'credit';
      books.post([
        line(receivables, side, BigInt(op.amount), parties[op.party]),
        line('1200', side === 'debit' ? 'credit' : 'debit', BigInt(op.amount)),
      ]);
      return;
    }
    case 'reverse': {
      const original = books.entries[op.entry % Math.max(1, books.entries.length)];
      if (original === undefined || original.entry.reversalOf !== undefined) return;
      if (books.entries.some((e) => e.entry.reversalOf === original.entry.entryId)) return;
      const swapped = original.entry.lines.map((l) => ({
        ...l,
        side: l.side === 'debit' ? ('credit' as const) : ('debit' as const),
      }));
      books.post(swapped, undefined, original.entry.entryId);
    }
  }
}

describe('open items reconcile with the receivables control account', () => {
  it('over random sequences of invoices, credit notes, payments (partial, over, with discount), manual lines and reversals', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 60 }), (operations) => {
        const books = new Books();
        for (const op of operations) apply(books, op);
        const open = openItemsAsOf([...books.items.values()], { asOf: '2099-12-31' });
        const total = open.reduce((sum, item) => sum + item.openMinor, 0n);
        expect(total).toBe(books.controlBalance);
        // A payment never settles an invoice below zero.
        for (const invoice of books.invoices) {
          const reversed = books.entries.some((e) => e.entry.reversalOf !== undefined);
          if (!reversed) expect(books.open(invoice.id) >= 0n).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
