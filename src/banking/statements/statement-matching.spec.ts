import { readCamt053 } from './camt053.js';
import { MatchCandidate, matchLine } from './statement-matching.js';
import { camt053 } from '../../../test/support/camt053.js';

const line = (overrides: object = {}) => ({
  n: 1,
  statementIndex: 0,
  statementId: 's',
  entryReference: 'E1',
  detail: 1,
  date: '2027-01-20',
  amountMinor: 11_900n,
  currency: 'EUR',
  direction: 'credit' as const,
  ...overrides,
});
const items: MatchCandidate[] = [
  {
    itemId: 'r10',
    kind: 'receivable',
    party: 'c1',
    currency: 'EUR',
    openMinor: 5_000n,
    number: 'RE-10',
    dueDate: '2027-01-01',
  },
  {
    itemId: 'r1',
    kind: 'receivable',
    party: 'c1',
    currency: 'EUR',
    openMinor: 11_900n,
    number: 'RE-1',
    dueDate: '2027-01-05',
  },
  {
    itemId: 'p1',
    kind: 'payable',
    party: 's1',
    currency: 'EUR',
    openMinor: 11_900n,
    number: 'ER-4711',
    dueDate: '2027-01-05',
  },
];
const noIban = () => undefined;

describe('matching a statement line', () => {
  it('given RE-1 and RE-10 open, when the remittance names RE-1, then RE-1 is matched, not RE-10', () => {
    expect(matchLine(line({ remittance: 'Zahlung re-1 vom 3.1.' }), items, noIban)).toMatchObject({
      rule: 'invoice-number',
      item: { itemId: 'r1' },
      allocatedMinor: 11_900n,
    });
  });
  it('given the end-to-end id of a payment run paying p1, when a debit names RE-1 too, then p1 matches by end-to-end id first', () => {
    const debit = line({ direction: 'debit', endToEndId: 'RUN-1-1', remittance: 'ER-4711' });
    expect(matchLine(debit, items, noIban, 'p1')).toMatchObject({
      rule: 'end-to-end-id',
      item: { itemId: 'p1' },
    });
  });
  it('given an end-to-end item of the other kind (a receivable for a debit), then the next rule decides', () => {
    const debit = line({ direction: 'debit', remittance: 'ER-4711' });
    expect(matchLine(debit, items, noIban, 'r1')).toMatchObject({ rule: 'invoice-number' });
  });
  it('when a credit names a payable number, then nothing matches (a credit pays receivables)', () => {
    expect(matchLine(line({ remittance: 'ER-4711' }), items, noIban)).toBeUndefined();
  });
  it('when more than the open amount arrives, then only the open amount is allocated', () => {
    expect(
      matchLine(line({ remittance: 'RE-10', amountMinor: 9_000n }), items, noIban)?.allocatedMinor,
    ).toBe(5_000n);
  });
  it('given the supplier IBAN, when a debit of exactly the open amount, then the payable matches', () => {
    const match = matchLine(
      line({ direction: 'debit', counterpartyIban: 'DE89370400440532013000' }),
      items,
      (iban) => (iban === 'DE89370400440532013000' ? 's1' : undefined),
    );
    expect(match).toMatchObject({ rule: 'iban-amount', item: { itemId: 'p1' } });
  });
  it('given the supplier IBAN, when the amount differs, then the line waits', () => {
    expect(
      matchLine(
        line({ direction: 'debit', amountMinor: 100n, counterpartyIban: 'X' }),
        items,
        () => 's1',
      ),
    ).toBeUndefined();
  });
});

describe('reading camt.053.001.08', () => {
  const xml = camt053([
    {
      id: 'S1',
      iban: 'DE02120300000000202051',
      entries: [{ reference: 'E1', amount: '10.00', direction: 'CRDT', date: '2027-01-02' }],
    },
    {
      id: 'S2',
      iban: 'DE02120300000000202051',
      entries: [
        {
          reference: 'E2',
          amount: '3.00',
          direction: 'DBIT',
          date: '2027-01-03',
          transactions: [
            { amount: '1.00', endToEndId: 'E2E-1', counterpartyIban: 'DE89370400440532013000' },
            { amount: '2.00', remittance: 'RE-1' },
          ],
        },
      ],
    },
  ]);
  it('given two statements and a batch entry, then each TxDtls is a line, numbered in file order', () => {
    const read = readCamt053(xml);
    expect(read.statements.map((s) => s.id)).toEqual(['S1', 'S2']);
    expect(
      read.lines.map((l) => [
        l.n,
        l.statementIndex,
        l.statementId,
        l.direction,
        String(l.amountMinor),
        l.detail,
      ]),
    ).toEqual([
      [1, 0, 'S1', 'credit', '1000', 1],
      [2, 1, 'S2', 'debit', '100', 1],
      [3, 1, 'S2', 'debit', '200', 2],
    ]);
    expect(read.lines[1]).toMatchObject({
      endToEndId: 'E2E-1',
      counterpartyIban: 'DE89370400440532013000',
    });
    expect(read.lines[2]!.remittance).toBe('RE-1');
  });
  it('when an amount has more decimals than EUR allows, then the file is refused', () => {
    expect(() => readCamt053(xml.replace('10.00', '10.001'))).toThrow('10.001');
  });
  it('when the namespace is another camt version, then the file is refused', () => {
    expect(() => readCamt053(xml.replace('camt.053.001.08', 'camt.053.001.02'))).toThrow(
      'camt.053.001.08',
    );
  });
});
