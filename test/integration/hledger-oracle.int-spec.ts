/**
 * An independent oracle: a generated book (deterministic seed; 2,400 entries over 36 accounts in
 * EUR, JPY and BHD, with reversals, spread over a year) is appended through the book decider into
 * a real SQLite store, projected into the read models, exported as an hledger journal, and
 * `hledger` (the Debian package) must report exactly Kontor's trial-balance balance for every
 * account and currency at several asOf dates.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currencyDigits } from '../../src/event-sourcing/index.js';
import { ProjectionRunner } from '../../src/infrastructure/projections/index.js';
import { SqliteDatabase } from '../../src/infrastructure/sql/index.js';
import { SqliteEventStore } from '../../src/infrastructure/sqlite/sqlite-event-store.js';
import { AccountType, BookCommand, JournalLineInput } from '../../src/ledger/index.js';
import { exportBook } from '../../src/ledger/export/book-export.js';
import { ledgerReadModels } from '../../src/ledger/projections/ledger-read-models.js';
import { ledgerProjection } from '../../src/ledger/projections/ledger.projection.js';
import { ensureDebianTool } from '../support/debian-tool.js';
import { BookWriter } from '../support/ledger-book.js';
import { seededRandom } from '../support/seeded-random.js';

const book = 'oracle';
const entryCount = 2_400;
const commandsPerAppend = 200;
const asOfDates = ['2025-01-31', '2025-03-31', '2025-06-30', '2025-09-15', '2025-12-31'];
const currencies = ['EUR', 'JPY', 'BHD'] as const;
const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** hledger's version, installing it with apt-get where it is missing. */
function ensureHledger(): string {
  ensureDebianTool('hledger', 'hledger', ['--version']);
  return spawnSync('hledger', ['--version'], { encoding: 'utf8' }).stdout.trim();
}

interface GeneratedAccount {
  code: string;
  type: AccountType;
  currency?: string;
}

function generateBook(): BookCommand[] {
  const next = seededRandom(20260331);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const types: AccountType[] = ['asset', 'liability', 'equity', 'revenue', 'expense'];
  const accounts: GeneratedAccount[] = [];
  for (let index = 0; index < 36; index++) {
    const restricted = index % 4 === 0 ? pick(currencies) : undefined;
    accounts.push({
      code: String(1000 + index * 97),
      type: types[index % types.length]!,
      ...(restricted ? { currency: restricted } : {}),
    });
  }
  const commands: BookCommand[] = [
    { type: 'OpenBook', bookId: book, name: 'Oracle AG; with a semicolon', baseCurrency: 'EUR' },
    ...accounts.map((account): BookCommand => ({
      type: 'OpenAccount',
      bookId: book,
      code: account.code,
      name: `Account ${account.code}`,
      accountType: account.type,
      ...(account.currency ? { currency: account.currency } : {}),
    })),
  ];
  const originals: string[] = [];
  for (let index = 0; index < entryCount; index++) {
    if (index % 20 === 19 && originals.length > 0) {
      const target = originals.splice(Math.floor(next() * originals.length), 1)[0]!;
      commands.push({
        type: 'ReverseJournalEntry',
        bookId: book,
        entryId: target,
        newEntryId: `rev-${index}`,
        reason: `Storno\n${target}`,
      });
      continue;
    }
    const lines: JournalLineInput[] = [];
    const entryCurrencies = next() < 0.15 ? [...currencies] : [pick(currencies)];
    for (const currency of entryCurrencies) {
      const usable = accounts.filter(
        (account) => account.currency === undefined || account.currency === currency,
      );
      const legs = 1 + Math.floor(next() * 3);
      let totalMinor = 0n;
      for (let leg = 0; leg < legs; leg++) {
        const amountMinor = BigInt(1 + Math.floor(next() * 5_000_000));
        totalMinor += amountMinor;
        lines.push({
          account: pick(usable).code,
          debit: toDecimal(amountMinor, currency),
          currency,
          ...(next() < 0.1 ? { memo: 'memo; with "quotes"' } : {}),
        });
      }
      lines.push({ account: pick(usable).code, credit: toDecimal(totalMinor, currency), currency });
    }
    const month = 1 + Math.floor(next() * 12);
    const day = 1 + Math.floor(next() * 28);
    const entryId = `e-${index}`;
    originals.push(entryId);
    commands.push({
      type: 'PostJournalEntry',
      bookId: book,
      entryId,
      effectiveDate: `2025-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      description: `Entry ${index} (test) | payee;note`,
      ...(next() < 0.3 ? { reference: `INV-(${index})` } : {}),
      lines,
    });
  }
  return commands;
}

function toDecimal(minor: bigint, currency: string): string {
  const digits = currencyDigits(currency)!;
  const text = minor.toString().padStart(digits + 1, '0');
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** hledger's decimal (e.g. "-1234.500") as minor units of the currency. */
function fromDecimal(text: string, currency: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match)
    throw new Error(
      `hledger printed an amount we cannot parse: ${JSON.stringify(text)} ${currency}`,
    );
  const digits = currencyDigits(currency)!;
  const fraction = match[3] ?? '';
  if (fraction.length > digits)
    throw new Error(`hledger printed ${text} ${currency} with more than ${digits} decimals`);
  const minor = BigInt(match[2]! + fraction.padEnd(digits, '0'));
  return match[1] ? -minor : minor;
}

/** Parses `hledger bal -O csv --layout=bare`: `"account","commodity","balance"` rows, every field quoted. */
function parseHledgerCsv(csv: string): Map<string, bigint> {
  const rows = csv.trim().split(/\r?\n/);
  expect(rows[0]).toBe('"account","commodity","balance"');
  const balances = new Map<string, bigint>();
  for (const row of rows.slice(1)) {
    const match = /^"([^"]*)","([^"]*)","([^"]*)"$/.exec(row);
    if (!match) throw new Error(`unexpected hledger CSV row: ${row}`);
    const [, account, currency, amount] = match;
    if (account === 'total') continue;
    const minor = fromDecimal(amount!, currency!);
    if (minor !== 0n) balances.set(`${account} ${currency}`, minor);
  }
  return balances;
}

function nextDay(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

describe('hledger oracle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kontor-oracle-'));
  let store: SqliteEventStore;
  let db: SqliteDatabase;

  afterAll(async () => {
    await db?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the same balance as hledger for every account and currency at several dates', async () => {
    const hledgerVersion = ensureHledger();
    store = await SqliteEventStore.open(join(dir, 'events.db'));
    db = SqliteDatabase.open(join(dir, 'readmodels.db'));
    const writer = new BookWriter(store, book);
    const commands = generateBook();
    for (let start = 0; start < commands.length; start += commandsPerAppend) {
      await writer.execute(commands.slice(start, start + commandsPerAppend));
    }
    await new ProjectionRunner(ledgerProjection, store, db, { logger: silent }).catchUp();

    const journalFile = join(dir, 'oracle.journal');
    let journal = '';
    for await (const chunk of exportBook(store, book, 'hledger')) journal += chunk;
    writeFileSync(journalFile, journal);
    // hledger itself refuses an unbalanced transaction: this checks every exported entry too.
    execFileSync('hledger', ['-f', journalFile, 'check'], { encoding: 'utf8' });

    const { reports } = ledgerReadModels(db);
    let compared = 0;
    for (const asOf of asOfDates) {
      const csv = execFileSync(
        'hledger',
        ['-f', journalFile, 'balance', '--flat', '--layout=bare', '-O', 'csv', '-e', nextDay(asOf)],
        { encoding: 'utf8' },
      );
      const oracle = parseHledgerCsv(csv);
      const kontor = new Map<string, bigint>();
      for (const currency of await reports.trialBalance(book, { asOf })) {
        for (const line of currency.lines)
          if (line.balanceMinor !== 0n)
            kontor.set(`${line.account} ${currency.currency}`, line.balanceMinor);
      }
      expect({ asOf, hledgerVersion, balances: [...kontor].sort() }).toEqual({
        asOf,
        hledgerVersion,
        balances: [...oracle].sort(),
      });
      compared += kontor.size;
    }
    // The comparison covers many balances in all three currencies.
    expect(compared).toBeGreaterThan(asOfDates.length * 30);
    const latest = await reports.trialBalance(book, { asOf: '2025-12-31' });
    expect(latest.map((currency) => currency.currency)).toEqual(['BHD', 'EUR', 'JPY']);
  }, 120_000);
});
