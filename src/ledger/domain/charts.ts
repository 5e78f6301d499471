import skr03v2026 from '../charts/skr03-2026.json';
import skr04v2026 from '../charts/skr04-2026.json';
import { AccountType, ControlAccounts } from './book.events.js';

export type { ControlAccounts } from './book.events.js';
import { TaxCodeDefinition } from './tax-codes.js';

/**
 * The charts of accounts a book can open with (`OpenBook.chart`): data files in
 * src/ledger/charts, one per chart and fiscal-year version (`skr03-2026.json`). A book opens with
 * the newest version; a later version is a new file (the books opened with an older one keep
 * theirs: the accounts and codes are events of the book).
 */
export const chartIds = ['skr03', 'skr04'] as const;
export type ChartId = (typeof chartIds)[number];

export const controlAccountNames = [
  'receivables',
  'payables',
  'bank',
  'cash',
  'discountGranted',
  'discountReceived',
  'dunningFees',
  'interestIncome',
  'interestExpense',
  'retainedEarnings',
] as const satisfies readonly (keyof ControlAccounts)[];

export interface Chart {
  chart: ChartId;
  version: string;
  name: string;
  source: string;
  accounts: { code: string; name: string; type: AccountType }[];
  controlAccounts: ControlAccounts;
  taxCodes: TaxCodeDefinition[];
}

const charts: readonly Chart[] = [skr03v2026, skr04v2026] as readonly Chart[];

export function isChartId(value: unknown): value is ChartId {
  return typeof value === 'string' && (chartIds as readonly string[]).includes(value);
}

/** The newest version of a chart. */
export function latestChart(id: ChartId): Chart {
  const versions = charts.filter((chart) => chart.chart === id);
  return versions.reduce((latest, chart) => (chart.version > latest.version ? chart : latest));
}

export function allCharts(): readonly Chart[] {
  return charts;
}
