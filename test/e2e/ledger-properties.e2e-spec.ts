/**
 * Properties over HTTP (fast-check, SQLite): any generated balanced entries → the trial balance
 * balances per currency and equals an independent sum of what was posted, per account and in
 * total; any unbalanced entry → 422 `unbalanced-entry` and nothing appended to the log.
 */
import fc from 'fast-check';
import { currencyDigits } from '../../src/event-sourcing/index.js';
import { startTestApp, TestApp } from '../support/app.js';

const book = 'props';
const currencies = ['EUR', 'JPY', 'BHD'] as const;
const accountCodes = ['1000', '1200', '1600', '4930', '8400'];
const amountMinorMax = 10_000_000_000;

interface Line {
  account: string;
  side: 'debit' | 'credit';
  amountMinor: bigint;
  currency: string;
}

function toDecimal(minor: bigint, currency: string): string {
  const digits = currencyDigits(currency)!;
  const text = minor.toString().padStart(digits + 1, '0');
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** Balanced lines in one currency: some debits, then credits that split the same total. */
const currencyLines = (currency: string) =>
  fc
    .record({
      debits: fc.array(
        fc.record({
          account: fc.constantFrom(...accountCodes),
          amount: fc.integer({ min: 1, max: amountMinorMax }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      creditAccounts: fc.array(fc.constantFrom(...accountCodes), { minLength: 1, maxLength: 3 }),
    })
    .filter(
      ({ debits, creditAccounts }) =>
        debits.reduce((sum, debit) => sum + debit.amount, 0) >= creditAccounts.length,
    )
    .map(({ debits, creditAccounts }): Line[] => {
      const total = debits.reduce((sum, debit) => sum + BigInt(debit.amount), 0n);
      const share = total / BigInt(creditAccounts.length);
      const credits = creditAccounts.map((account, index) => ({
        account,
        side: 'credit' as const,
        amountMinor: index === 0 ? total - share * BigInt(creditAccounts.length - 1) : share,
        currency,
      }));
      return [
        ...debits.map((debit) => ({
          account: debit.account,
          side: 'debit' as const,
          amountMinor: BigInt(debit.amount),
          currency,
        })),
        ...credits,
      ];
    });

const balancedEntry = fc
  .uniqueArray(fc.constantFrom(...currencies), { minLength: 1, maxLength: 3 })
  .chain((entryCurrencies) =>
    fc.tuple(...entryCurrencies.map(currencyLines)).map((groups) => groups.flat()),
  );

const effectiveDate = fc
  .date({
    min: new Date('2024-01-01T00:00:00Z'),
    max: new Date('2027-12-31T00:00:00Z'),
    noInvalidDate: true,
  })
  .map((date) => date.toISOString().slice(0, 10));

function requestLines(lines: Line[]) {
  return lines.map((line) => ({
    account: line.account,
    [line.side]: toDecimal(line.amountMinor, line.currency),
    currency: line.currency,
  }));
}

describe('ledger properties over HTTP', () => {
  let app: TestApp;
  let accountant: string;
  /** Independent model: debit − credit and gross debits per account and currency of everything posted. */
  const expectedBalances = new Map<string, bigint>();
  const expectedDebits = new Map<string, bigint>();

  beforeAll(async () => {
    app = await startTestApp({ store: 'sqlite' });
    accountant = await app.createKey('Prop', ['accountant']);
    const created = await app.request('POST', '/v1/books', {
      key: app.adminKey,
      body: { id: book, name: 'Properties', baseCurrency: 'EUR' },
    });
    expect(created.status).toBe(201);
    for (const code of accountCodes) {
      const type = code.startsWith('8')
        ? 'revenue'
        : code.startsWith('4')
          ? 'expense'
          : code === '1600'
            ? 'liability'
            : 'asset';
      const opened = await app.request('POST', `/v1/books/${book}/accounts`, {
        key: app.adminKey,
        body: { code, name: `Account ${code}`, type },
      });
      expect(opened.status).toBe(201);
    }
  });

  afterAll(async () => {
    await app?.close();
  });

  it('balanced entries: the trial balance balances per currency and equals the independent sums', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(balancedEntry, effectiveDate), { minLength: 1, maxLength: 4 }),
        async (entries) => {
          let position = 0;
          for (const [lines, date] of entries) {
            const posted = await app.request('POST', `/v1/books/${book}/journal-entries`, {
              key: accountant,
              body: { effectiveDate: date, description: 'generated', lines: requestLines(lines) },
            });
            expect(posted.status).toBe(201);
            position = Number(posted.body.position);
            for (const line of lines) {
              const key = `${line.account} ${line.currency}`;
              const signed = line.side === 'debit' ? line.amountMinor : -line.amountMinor;
              expectedBalances.set(key, (expectedBalances.get(key) ?? 0n) + signed);
              if (line.side === 'debit')
                expectedDebits.set(
                  line.currency,
                  (expectedDebits.get(line.currency) ?? 0n) + line.amountMinor,
                );
            }
          }
          const trial = await app.request(
            'GET',
            `/v1/books/${book}/trial-balance?consistentWith=${position}`,
            { key: accountant },
          );
          expect(trial.status).toBe(200);
          const balances = new Map<string, bigint>();
          for (const block of trial.body.currencies as {
            currency: string;
            lines: { account: string; balance: string }[];
            totals: { debit: string; credit: string };
          }[]) {
            expect(block.totals.debit).toBe(block.totals.credit);
            expect(block.totals.debit).toBe(
              toDecimal(expectedDebits.get(block.currency) ?? 0n, block.currency),
            );
            for (const line of block.lines) {
              const negative = line.balance.startsWith('-');
              const minor = BigInt(line.balance.replace(/[-.]/g, ''));
              balances.set(`${line.account} ${block.currency}`, negative ? -minor : minor);
            }
          }
          const nonZero = (map: Map<string, bigint>) =>
            [...map].filter(([, value]) => value !== 0n).sort();
          expect(nonZero(balances)).toEqual(nonZero(expectedBalances));
        },
      ),
      { numRuns: 30 },
    );
  }, 60_000);

  it('unbalanced entries: 422 unbalanced-entry and nothing appended', async () => {
    const unbalanced = fc
      .tuple(balancedEntry, fc.nat(), fc.integer({ min: 1, max: 1_000_000 }), fc.boolean())
      .map(([lines, index, delta, increase]) => {
        const target = lines[index % lines.length]!;
        const amountMinor =
          increase || target.amountMinor <= BigInt(delta)
            ? target.amountMinor + BigInt(delta)
            : target.amountMinor - BigInt(delta);
        return lines.map((line) => (line === target ? { ...line, amountMinor } : line));
      });
    await fc.assert(
      fc.asyncProperty(unbalanced, effectiveDate, async (lines, date) => {
        const headBefore = await app.store.headPosition();
        const response = await app.request('POST', `/v1/books/${book}/journal-entries`, {
          key: accountant,
          body: { effectiveDate: date, description: 'unbalanced', lines: requestLines(lines) },
        });
        expect(response.status).toBe(422);
        expect(response.body.type).toBe('/problems/unbalanced-entry');
        expect(await app.store.headPosition()).toBe(headBefore);
        const after = await app.request('GET', `/v1/events?fromPosition=${headBefore}`, {
          key: app.adminKey,
        });
        expect(after.body.items).toEqual([]);
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});
