import { Clock, deterministicId } from '../event-sourcing/index.js';
import { CLOCK } from '../infrastructure/tokens.js';
import { JournalLineInput, calendarDayOf, latestChart } from '../ledger/index.js';
import { LedgerCommands } from '../ledger/ledger.module.js';
import type { DemoContext } from './demo-context.js';

interface DemoEntry {
  step: string;
  effectiveDate: string;
  description: string;
  reference?: string;
  lines: JournalLineInput[];
}

const demoAccounts: [string, string, string][] = [
  ['0800', 'Gezeichnetes Kapital', 'equity'],
  ['1000', 'Kasse', 'asset'],
  ['1200', 'Bank', 'asset'],
  ['1400', 'Forderungen aus Lieferungen und Leistungen', 'asset'],
  ['1576', 'Abziehbare Vorsteuer 19 %', 'asset'],
  ['1600', 'Verbindlichkeiten aus Lieferungen und Leistungen', 'liability'],
  ['1776', 'Umsatzsteuer 19 %', 'liability'],
  ['4120', 'Gehälter', 'expense'],
  ['4210', 'Miete', 'expense'],
  ['4930', 'Bürobedarf', 'expense'],
  ['8400', 'Erlöse 19 % USt', 'revenue'],
];

/** The SKR03 chart (accounts named in the list but not in the chart are opened) and three months of entries, one reversal, one closed period. */
export async function seedLedger(context: DemoContext): Promise<void> {
  const ledger = context.app.get(LedgerCommands);
  const { book } = context;
  await reachedBy(
    context,
    ledger.execute(
      { type: 'OpenBook', bookId: book, name: 'Demo GmbH', baseCurrency: 'EUR', chart: 'skr03' },
      context.metadata('open-book'),
    ),
  );
  await openDemoAccountsMissingFromChart(context);
  const entryIds = await postDemoEntries(context);
  await reachedBy(
    context,
    ledger.execute(
      {
        type: 'ReverseJournalEntry',
        bookId: book,
        entryId: entryIds.get('office-supplies-twice')!,
        newEntryId: deterministicId('kontor-demo-entry', book, 'reversal'),
        reason: 'Storno: Bürobedarf doppelt erfasst',
      },
      context.metadata('reversal'),
    ),
  );
  await reachedBy(
    context,
    ledger.execute(
      {
        type: 'ClosePeriod',
        bookId: book,
        period: '2026-01',
        today: calendarDayOf(context.app.get<Clock>(CLOCK).now()),
      },
      context.metadata('close-2026-01'),
    ),
  );
  context.log(
    `seeded book ${book}: ${demoAccounts.length} accounts, ${demoEntries.length} entries, 1 reversal, period 2026-01 closed`,
  );
}

/** Waits for one ledger command and raises the context to its position. */
async function reachedBy(
  context: DemoContext,
  result: Promise<{ position: bigint }>,
): Promise<void> {
  context.reached((await result).position);
}

async function openDemoAccountsMissingFromChart(context: DemoContext): Promise<void> {
  const ledger = context.app.get(LedgerCommands);
  const inChart = new Set(latestChart('skr03').accounts.map((account) => account.code));
  for (const [code, name, accountType] of demoAccounts.filter(([code]) => !inChart.has(code))) {
    await reachedBy(
      context,
      ledger.execute(
        { type: 'OpenAccount', bookId: context.book, code, name, accountType },
        context.metadata(`account-${code}`),
      ),
    );
  }
}

/** Posts every demo entry; returns the entry id of each step. */
async function postDemoEntries(context: DemoContext): Promise<Map<string, string>> {
  const ledger = context.app.get(LedgerCommands);
  const { book } = context;
  const entryIds = new Map<string, string>();
  for (const entry of demoEntries) {
    const entryId = deterministicId('kontor-demo-entry', book, entry.step);
    entryIds.set(entry.step, entryId);
    const { step, ...fields } = entry;
    await reachedBy(
      context,
      ledger.execute(
        { type: 'PostJournalEntry', bookId: book, entryId, ...fields },
        context.metadata(step),
      ),
    );
  }
  return entryIds;
}

const demoEntries: DemoEntry[] = [
  {
    step: 'capital',
    effectiveDate: '2026-01-02',
    description: 'Einzahlung Stammkapital',
    lines: [
      { account: '1200', debit: '25000.00' },
      { account: '0800', credit: '25000.00' },
    ],
  },
  {
    step: 'invoice-1001',
    effectiveDate: '2026-01-15',
    description: 'Ausgangsrechnung Beratung',
    reference: 'AR-1001',
    lines: [
      { account: '1400', debit: '11900.00' },
      { account: '8400', credit: '10000.00' },
      { account: '1776', credit: '1900.00' },
    ],
  },
  {
    step: 'rent-january',
    effectiveDate: '2026-01-31',
    description: 'Miete Januar',
    lines: [
      { account: '4210', debit: '1500.00' },
      { account: '1200', credit: '1500.00' },
    ],
  },
  {
    step: 'payment-1001',
    effectiveDate: '2026-02-05',
    description: 'Zahlungseingang AR-1001',
    reference: 'AR-1001',
    lines: [
      { account: '1200', debit: '11900.00' },
      { account: '1400', credit: '11900.00' },
    ],
  },
  {
    step: 'office-supplies',
    effectiveDate: '2026-02-10',
    description: 'Eingangsrechnung Bürobedarf',
    reference: 'ER-2001',
    lines: [
      { account: '4930', debit: '200.00', memo: 'Papier, Toner' },
      { account: '1576', debit: '38.00' },
      { account: '1600', credit: '238.00' },
    ],
  },
  {
    step: 'salaries-february',
    effectiveDate: '2026-02-27',
    description: 'Gehälter Februar',
    lines: [
      { account: '4120', debit: '4000.00' },
      { account: '1200', credit: '4000.00' },
    ],
  },
  {
    step: 'pay-2001',
    effectiveDate: '2026-03-03',
    description: 'Zahlung ER-2001',
    reference: 'ER-2001',
    lines: [
      { account: '1600', debit: '238.00' },
      { account: '1200', credit: '238.00' },
    ],
  },
  {
    step: 'invoice-1002',
    effectiveDate: '2026-03-16',
    description: 'Ausgangsrechnung Workshop',
    reference: 'AR-1002',
    lines: [
      { account: '1400', debit: '5950.00' },
      { account: '8400', credit: '5000.00' },
      { account: '1776', credit: '950.00' },
    ],
  },
  {
    step: 'office-supplies-twice',
    effectiveDate: '2026-03-20',
    description: 'Eingangsrechnung Bürobedarf (doppelt erfasst)',
    reference: 'ER-2001',
    lines: [
      { account: '4930', debit: '200.00' },
      { account: '1200', credit: '200.00' },
    ],
  },
  {
    step: 'rent-march',
    effectiveDate: '2026-03-31',
    description: 'Miete März',
    lines: [
      { account: '4210', debit: '1500.00' },
      { account: '1200', credit: '1500.00' },
    ],
  },
];
