import fc from 'fast-check';
import { formatAmount, sumMinor } from '../../event-sourcing/index.js';
import { JournalLineInput } from './book.commands.js';
import { bookDecider } from './book.decider.js';
import { BookEvent } from './book.events.js';
import { BookState } from './book.state.js';
import { accountOpened, bookOpened, postEntry, refusal } from '../testing/book.test-fixtures.js';
import { UnbalancedEntryError } from './ledger.errors.js';

const accountCodes = ['1000', '1200', '4000', '6000', '7000'];
const currencies = ['EUR', 'JPY', 'BHD', 'USD'];
const openBook: BookEvent[] = [bookOpened, ...accountCodes.map((code) => accountOpened(code))];
const amountMinorMax = 10n ** 12n;

/** Positive parts that sum to `total`: cut [0, total] at distinct points. */
function partsOf(total: bigint): fc.Arbitrary<bigint[]> {
  if (total === 1n) return fc.constant([1n]);
  return fc.uniqueArray(fc.bigInt({ min: 1n, max: total - 1n }), { maxLength: 4 }).map((cuts) => {
    const points = [0n, ...cuts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), total];
    return points.slice(1).map((point, index) => point - points[index]!);
  });
}

function linesOf(
  currency: string,
  side: 'debit' | 'credit',
  amounts: bigint[],
  accounts: string[],
): JournalLineInput[] {
  return amounts.map((amountMinor, index) => ({
    account: accounts[index % accounts.length]!,
    [side]: formatAmount(amountMinor, currency),
    currency,
  }));
}

/** The lines of one currency: some debits, and credits that split the same total differently. */
const currencyLines = (currency: string): fc.Arbitrary<JournalLineInput[]> =>
  fc
    .tuple(
      fc.array(fc.bigInt({ min: 1n, max: amountMinorMax }), { minLength: 1, maxLength: 4 }),
      fc.shuffledSubarray(accountCodes, { minLength: 1 }),
    )
    .chain(([debits, accounts]) =>
      partsOf(sumMinor(debits)).map((credits) => [
        ...linesOf(currency, 'debit', debits, accounts),
        ...linesOf(currency, 'credit', credits, [...accounts].reverse()),
      ]),
    );

const balancedLines: fc.Arbitrary<JournalLineInput[]> = fc
  .shuffledSubarray(currencies, { minLength: 1, maxLength: 3 })
  .chain((chosen) => fc.tuple(...chosen.map(currencyLines)))
  .map((groups) => groups.flat());

function balancesPerCurrency(state: BookState): Map<string, bigint[]> {
  if (state.status !== 'open') throw new Error('book not open');
  const balances = new Map<string, bigint[]>();
  for (const account of state.accounts.values()) {
    for (const [currency, balanceMinor] of account.balancesMinor)
      balances.set(currency, [...(balances.get(currency) ?? []), balanceMinor]);
  }
  return balances;
}

describe('book decider properties', () => {
  it('accepts any balanced entries, and the balances of every currency then sum to zero', () => {
    fc.assert(
      fc.property(fc.array(balancedLines, { minLength: 1, maxLength: 5 }), (entries) => {
        let state = bookDecider.initialState();
        for (const event of openBook) state = bookDecider.evolve(state, event);
        entries.forEach((lines, index) => {
          const events = bookDecider.decide(postEntry({ entryId: `entry-${index}`, lines }), state);
          expect(events).toHaveLength(1);
          for (const event of events) state = bookDecider.evolve(state, event);
        });
        for (const [currency, balances] of balancesPerCurrency(state)) {
          expect([currency, sumMinor(balances)]).toEqual([currency, 0n]);
        }
      }),
    );
  });

  it('refuses any balanced entry made unbalanced with unbalanced-entry', () => {
    fc.assert(
      fc.property(
        balancedLines,
        fc.nat(),
        fc.bigInt({ min: 1n, max: amountMinorMax }),
        (lines, pick, deltaMinor) => {
          const index = pick % lines.length;
          const line = lines[index]!;
          const currency = line.currency!;
          const side = line.debit !== undefined ? 'debit' : 'credit';
          const amountMinor = BigInt(line[side]!.replace('.', '')) + deltaMinor;
          const unbalanced = lines.map((other, otherIndex) =>
            otherIndex === index
              ? { ...other, [side]: formatAmount(amountMinor, currency) }
              : other,
          );
          const error = refusal(openBook, postEntry({ lines: unbalanced }));
          expect(error).toBeInstanceOf(UnbalancedEntryError);
          expect(
            (error as UnbalancedEntryError).imbalances.map((imbalance) => imbalance.currency),
          ).toEqual([currency]);
        },
      ),
    );
  });
});
