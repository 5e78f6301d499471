/**
 * The end checks of a crash run. Each returns mismatches (human-readable lines); none is the pass.
 *
 * 1. The log: every acknowledged key has exactly one JournalEntryPosted, with the id, position
 *    and lines that were acknowledged; nothing else was posted.
 * 2. The trial balance equals the sums of the acknowledged lines, per account and per currency,
 *    to the minor unit.
 * 3. The hash chain verifies (GET /v1/audit/verify here; `kontor verify` in the run).
 * 4. Read models equal a rebuild from zero: API answers and table contents before and after
 *    `kontor replay` (compareSnapshots / compareTables).
 */
import { isDeepStrictEqual } from 'node:util';
import { CrashCurrency, crashCurrencies, formatMinor, parseMinor } from './money.js';
import { Acknowledged, crashAccounts, crashBookId } from './workload.js';

/** Mismatches listed in full; beyond that only counted. */
const mismatchesListedMax = 20;
const pageLimit = 1000;
/** Each attempt waits server-side (KONTOR_CONSISTENCY_TIMEOUT_MS, 5 s by default). */
const notReadyAttemptsMax = 6;

export class Api {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  /** A 503 `not-ready` (`consistentWith` waited its 5 s on a busy machine) is asked again, a bounded number of times. */
  async get<Body = any>(path: string): Promise<Body> {
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${this.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${this.apiKey}` },
      });
      const text = await response.text();
      if (response.status === 503 && attempt < notReadyAttemptsMax) continue;
      if (response.status !== 200)
        throw new Error(`GET ${path}: ${response.status} ${text.slice(0, 500)}`);
      return JSON.parse(text) as Body;
    }
  }

  async post<Body = any>(path: string, body: unknown, expectedStatus: number): Promise<Body> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== expectedStatus)
      throw new Error(`POST ${path}: ${response.status} ${text.slice(0, 500)}`);
    return JSON.parse(text) as Body;
  }

  /** Every item of a `{ items, nextCursor }` list. */
  async all<Item = any>(path: string): Promise<Item[]> {
    const items: Item[] = [];
    const separator = path.includes('?') ? '&' : '?';
    for (let cursor: string | null = null; ;) {
      const page: { items: Item[]; nextCursor: string | null } = await this.get(
        `${path}${separator}limit=${pageLimit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
      );
      items.push(...page.items);
      if (page.nextCursor === null) return items;
      cursor = page.nextCursor;
    }
  }
}

export class Mismatches {
  readonly listed: string[] = [];
  count = 0;

  add(line: string): void {
    this.count++;
    if (this.listed.length < mismatchesListedMax) this.listed.push(line);
  }
}

export interface LogFigures {
  postedEvents: number;
  /** Keys whose entry was appended by an attempt that got no answer, and answered to a retry. */
  recoveredByReplay: number;
}

interface PostedEvent {
  position: number | string;
  data: {
    entryId: string;
    idempotencyKey?: string;
    lines: { account: string; side: 'debit' | 'credit'; amountMinor: string; currency: string }[];
  };
  metadata: { correlationId?: string };
}

/** Check 1: exactly one posting per key, equal to what was acknowledged; nothing unacknowledged. */
export async function checkLog(
  api: Api,
  acknowledged: ReadonlyMap<string, Acknowledged>,
  mismatches: Mismatches,
): Promise<LogFigures> {
  const events = await api.all<PostedEvent>(
    `/v1/events?types=JournalEntryPosted&book=${crashBookId}`,
  );
  const seen = new Map<string, PostedEvent>();
  let recoveredByReplay = 0;
  for (const event of events) {
    const key = event.data.idempotencyKey;
    if (key === undefined) {
      mismatches.add(`entry ${event.data.entryId} at ${event.position} has no Idempotency-Key`);
      continue;
    }
    if (seen.has(key)) {
      mismatches.add(
        `key ${key} posted twice: at ${seen.get(key)!.position} and ${event.position}`,
      );
      continue;
    }
    seen.set(key, event);
    const acked = acknowledged.get(key);
    if (!acked) {
      mismatches.add(`key ${key} posted at ${event.position} but never acknowledged`);
      continue;
    }
    if (event.data.entryId !== acked.entryId || String(event.position) !== acked.position) {
      mismatches.add(
        `key ${key}: acknowledged ${acked.entryId}@${acked.position}, logged ${event.data.entryId}@${event.position}`,
      );
    }
    const logged = event.data.lines.map(
      (line) => `${line.account} ${line.side} ${line.amountMinor} ${line.currency}`,
    );
    const sent = acked.lines.map(
      (line) => `${line.account} ${line.side} ${line.amountMinor} ${line.currency}`,
    );
    if (!isDeepStrictEqual(logged, sent))
      mismatches.add(`key ${key}: sent ${sent.join(', ')}; logged ${logged.join(', ')}`);
    const writtenBy = Number(event.metadata.correlationId?.split('#')[1]);
    if (writtenBy !== acked.answeredAttempt) recoveredByReplay++;
  }
  for (const key of acknowledged.keys()) {
    if (!seen.has(key)) mismatches.add(`key ${key} acknowledged but not in the log`);
  }
  return { postedEvents: events.length, recoveredByReplay };
}

/** The independent sums: debit and credit per account and currency from the acknowledged lines. */
export function expectedTurnovers(
  acknowledged: Iterable<Acknowledged>,
): Map<string, { debit: bigint; credit: bigint }> {
  const sums = new Map<string, { debit: bigint; credit: bigint }>();
  for (const entry of acknowledged) {
    for (const line of entry.lines) {
      const id = `${line.currency} ${line.account}`;
      const sum = sums.get(id) ?? { debit: 0n, credit: 0n };
      sum[line.side] += line.amountMinor;
      sums.set(id, sum);
    }
  }
  return sums;
}

interface TrialBalance {
  currencies: {
    currency: string;
    lines: { account: string; debit: string; credit: string; balance: string }[];
    totals: { debit: string; credit: string };
  }[];
}

export interface CurrencyTotals {
  currency: CrashCurrency;
  debit: string;
}

/** Check 2: the trial balance equals the independent sums, per account and in total, to the cent. */
export async function checkTrialBalance(
  api: Api,
  acknowledged: ReadonlyMap<string, Acknowledged>,
  head: string,
  mismatches: Mismatches,
): Promise<CurrencyTotals[]> {
  const expected = expectedTurnovers(acknowledged.values());
  const trialBalance = await api.get<TrialBalance>(
    `/v1/books/${crashBookId}/trial-balance?consistentWith=${head}`,
  );
  const totals: CurrencyTotals[] = [];
  for (const currency of crashCurrencies) {
    const section = trialBalance.currencies.find((candidate) => candidate.currency === currency);
    const expectedLines = [...expected].filter(([id]) => id.startsWith(`${currency} `));
    const expectedDebit = expectedLines.reduce((sum, [, turnover]) => sum + turnover.debit, 0n);
    const expectedCredit = expectedLines.reduce((sum, [, turnover]) => sum + turnover.credit, 0n);
    totals.push({ currency, debit: formatMinor(expectedDebit, currency) });
    if (!section) {
      if (expectedLines.length > 0) mismatches.add(`trial balance has no ${currency}`);
      continue;
    }
    const debit = parseMinor(section.totals.debit, currency);
    const credit = parseMinor(section.totals.credit, currency);
    if (debit !== expectedDebit || credit !== expectedCredit) {
      mismatches.add(
        `${currency} totals: trial balance ${section.totals.debit}/${section.totals.credit}, acknowledged ${formatMinor(expectedDebit, currency)}/${formatMinor(expectedCredit, currency)}`,
      );
    }
    for (const { code } of crashAccounts) {
      const line = section.lines.find((candidate) => candidate.account === code);
      const want = expected.get(`${currency} ${code}`) ?? { debit: 0n, credit: 0n };
      const got = line
        ? { debit: parseMinor(line.debit, currency), credit: parseMinor(line.credit, currency) }
        : { debit: 0n, credit: 0n };
      if (got.debit !== want.debit || got.credit !== want.credit) {
        mismatches.add(
          `${currency} ${code}: trial balance ${got.debit}/${got.credit}, acknowledged ${want.debit}/${want.credit} (minor units)`,
        );
      }
    }
  }
  for (const section of trialBalance.currencies) {
    if (!crashCurrencies.includes(section.currency as CrashCurrency))
      mismatches.add(`trial balance holds ${section.currency}, never posted`);
  }
  return totals;
}

export interface Verification {
  ok: boolean;
  checkedEvents: number;
  headPosition: number | string;
  headHash: string;
  firstBrokenPosition?: number | string;
}

/** Check 3 (server side): the hash chain from genesis. */
export async function checkVerify(api: Api, mismatches: Mismatches): Promise<Verification> {
  const verification = await api.get<Verification>('/v1/audit/verify');
  if (!verification.ok)
    mismatches.add(`GET /v1/audit/verify: broken at ${verification.firstBrokenPosition}`);
  return verification;
}

/** What the read models answer through the API, every list read in full. */
export async function readModelAnswers(api: Api, head: string): Promise<Record<string, unknown>> {
  const book = `/v1/books/${crashBookId}`;
  const consistent = `consistentWith=${head}`;
  const answers: Record<string, unknown> = {
    projections: (
      await api.get<{ name: string; position: number }[]>(`/v1/projections?${consistent}`)
    ).map(({ name, position }) => ({ name, position })),
    book: await api.get(`${book}?${consistent}`),
    accounts: await api.all(`${book}/accounts?${consistent}`),
    trialBalance: await api.get(`${book}/trial-balance?${consistent}`),
    balanceSheet: await api.get(`${book}/balance-sheet?${consistent}`),
    incomeStatement: await api.get(`${book}/income-statement?${consistent}`),
    journalEntries: await api.all(`${book}/journal-entries?${consistent}`),
    auditTrail: await api.all(`/v1/audit?${consistent}`),
  };
  for (const { code } of crashAccounts) {
    answers[`balance ${code}`] = await api.get(`${book}/accounts/${code}/balance?${consistent}`);
    answers[`register ${code}`] = await api.all(`${book}/accounts/${code}/ledger?${consistent}`);
  }
  return answers;
}

export function compareAnswers(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  mismatches: Mismatches,
): void {
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!isDeepStrictEqual(before[name], after[name])) {
      mismatches.add(
        `read model answer "${name}" differs after the rebuild: ${firstDifference(before[name], after[name])}`,
      );
    }
  }
}

/** Rows of every read-model table, each row as canonical JSON, sorted. */
export type TableDump = Map<string, string[]>;

export function compareTables(before: TableDump, after: TableDump, mismatches: Mismatches): void {
  for (const table of new Set([...before.keys(), ...after.keys()])) {
    const rowsBefore = before.get(table);
    const rowsAfter = after.get(table);
    if (!rowsBefore || !rowsAfter) {
      mismatches.add(`table ${table} exists only ${rowsBefore ? 'before' : 'after'} the rebuild`);
      continue;
    }
    if (isDeepStrictEqual(rowsBefore, rowsAfter)) continue;
    const setBefore = new Set(rowsBefore);
    const setAfter = new Set(rowsAfter);
    const onlyBefore = rowsBefore.filter((row) => !setAfter.has(row));
    const onlyAfter = rowsAfter.filter((row) => !setBefore.has(row));
    mismatches.add(
      `table ${table}: ${rowsBefore.length} rows before the rebuild, ${rowsAfter.length} after; ` +
        `only before: ${onlyBefore.slice(0, 2).join(' | ') || '-'}; only after: ${onlyAfter.slice(0, 2).join(' | ') || '-'}`,
    );
  }
}

/** A row as JSON with sorted keys (bigints as strings), so two dumps compare as text. */
export function canonicalRow(row: Record<string, unknown>): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(row)
        .sort()
        .map((column) => [column, row[column]]),
    ),
    (_key, value: unknown) =>
      typeof value === 'bigint'
        ? value.toString()
        : value instanceof Date
          ? value.toISOString()
          : value,
  );
}

function firstDifference(before: unknown, after: unknown, path = ''): string {
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length !== after.length)
      return `${path || 'list'}: ${before.length} items before, ${after.length} after`;
    const index = before.findIndex((item, i) => !isDeepStrictEqual(item, after[i]));
    return firstDifference(before[index], after[index], `${path}[${index}]`);
  }
  if (before && after && typeof before === 'object' && typeof after === 'object') {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const key of keys) {
      const a = (before as Record<string, unknown>)[key];
      const b = (after as Record<string, unknown>)[key];
      if (!isDeepStrictEqual(a, b)) return firstDifference(a, b, `${path}.${key}`);
    }
  }
  return `${path || 'value'}: ${JSON.stringify(before)?.slice(0, 200)} before, ${JSON.stringify(after)?.slice(0, 200)} after`;
}
