/**
 * The clients of a crash run: each posts journal entries with its own Idempotency-Keys and
 * retries every unacknowledged request with the SAME key and the SAME body until the server
 * answers it. What was acknowledged is the independent record the checks compare against.
 */
import { SeededRandom } from '../support/seeded-random.js';
import { CrashCurrency, formatMinor } from './money.js';
import { ServerProcess } from './server-process.js';

export const crashBookId = 'crash-book';
/** One account per currency that takes only that currency, and three that take any. */
export const bankAccounts: Record<CrashCurrency, string> = {
  EUR: '1200',
  USD: '1210',
  JPY: '1220',
};
export const crashAccounts = [
  { code: '1200', name: 'Bank EUR', type: 'asset', currency: 'EUR' },
  { code: '1210', name: 'Bank USD', type: 'asset', currency: 'USD' },
  { code: '1220', name: 'Bank JPY', type: 'asset', currency: 'JPY' },
  { code: '1590', name: 'Clearing', type: 'asset' },
  { code: '4000', name: 'Revenue', type: 'revenue' },
  { code: '6000', name: 'Expenses', type: 'expense' },
] as const;
const otherAccounts = ['1590', '4000', '6000'] as const;

/** A request that got no answer within this long counts as unacknowledged. */
export const requestTimeoutMilliseconds = 20_000;
/** Attempts at one key before the run is declared broken (a server that never answers it). */
export const attemptsPerKeyMax = 500;
/**
 * After this share of acknowledgments, the client sends one of its earlier keys again (same body):
 * a client that lost an answer long ago. Picked from all its keys, it usually crosses restarts
 * (and snapshots), so the repeat is answered from state rebuilt from the log.
 */
const duplicateShare = 0.03;
/** Share of entries with four lines in two currencies. */
const multiCurrencyShare = 0.25;
const amountMinorMax = 5_000_000;

export interface SentLine {
  account: string;
  side: 'debit' | 'credit';
  currency: CrashCurrency;
  amountMinor: bigint;
}

export interface Acknowledged {
  key: string;
  entryId: string;
  position: string;
  lines: SentLine[];
  /** Correlation id of the attempt that was answered (`<key>#<attempt>`). */
  answeredAttempt: number;
}

export interface WorkloadCounts {
  /** POSTs sent (first attempts, retries and deliberate duplicates). */
  requests: number;
  /** Attempts after the first at a key, because the previous one got no answer. */
  retries: number;
  /** Earlier keys sent again after their acknowledgment, on purpose. */
  duplicates: number;
  /** Answers 5xx (the request is retried). */
  serverErrors: number;
  /** No answer: connection refused or reset, timeout, body cut off. */
  networkErrors: number;
}

export interface WorkloadFailure {
  key: string;
  detail: string;
}

/** Shared state of all clients: counters, acknowledgments, the stop flag. */
export class Workload {
  readonly acknowledged = new Map<string, Acknowledged>();
  readonly counts: WorkloadCounts = {
    requests: 0,
    retries: 0,
    duplicates: 0,
    serverErrors: 0,
    networkErrors: 0,
  };
  readonly failures: WorkloadFailure[] = [];
  private stopping = false;
  private sentListeners: ((sent: number) => void)[] = [];

  constructor(
    private readonly server: ServerProcess,
    private readonly apiKey: string,
    private readonly runId: string,
  ) {}

  stop(): void {
    this.stopping = true;
  }

  /**
   * Resolves once `count` more requests were sent (the killer's trigger: requests are in flight),
   * or at once when the run failed.
   */
  afterRequests(count: number): Promise<void> {
    const target = this.counts.requests + count;
    if (this.failures.length > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const listener = (sent: number) => {
        if (sent < target && this.failures.length === 0) return;
        this.sentListeners = this.sentListeners.filter((candidate) => candidate !== listener);
        resolve();
      };
      this.sentListeners.push(listener);
    });
  }

  /** Resolves once `count` more keys were acknowledged. */
  async afterAcknowledgments(count: number): Promise<void> {
    const target = this.acknowledged.size + count;
    while (this.acknowledged.size < target && this.failures.length === 0)
      await this.afterRequests(1);
  }

  async runClient(index: number, random: SeededRandom): Promise<void> {
    const sentBodies: { acknowledged: Acknowledged; body: string }[] = [];
    for (let sequence = 0; !this.stopping && this.failures.length === 0; sequence++) {
      const key = `${this.runId}-c${index}-${sequence}`;
      const lines = entryLines(random);
      const body = entryBody(key, lines, random);
      const answer = await this.sendUntilAnswered(key, body);
      if (answer === undefined) return;
      const acknowledged: Acknowledged = {
        key,
        entryId: answer.body.id,
        position: String(answer.body.position),
        lines,
        answeredAttempt: answer.attempt,
      };
      this.acknowledged.set(key, acknowledged);
      sentBodies.push({ acknowledged, body });
      if (random.chance(duplicateShare)) {
        const earlier = random.pick(sentBodies);
        this.counts.duplicates++;
        const again = await this.sendUntilAnswered(earlier.acknowledged.key, earlier.body);
        if (again !== undefined) this.compareDuplicate(earlier.acknowledged, again.body);
      }
    }
  }

  /** Retries until a 201; a 4xx (or any other answer) is a failure of the run. */
  private async sendUntilAnswered(
    key: string,
    body: string,
  ): Promise<{ body: PostedEntry; attempt: number } | undefined> {
    for (let attempt = 1; attempt <= attemptsPerKeyMax; attempt++) {
      await this.server.whenUp();
      if (attempt > 1) this.counts.retries++;
      this.counts.requests++;
      this.notifySent();
      let status: number;
      let text: string;
      try {
        const response = await fetch(
          `${this.server.baseUrl}/v1/books/${crashBookId}/journal-entries`,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${this.apiKey}`,
              'content-type': 'application/json',
              'idempotency-key': key,
              'x-correlation-id': `${key}#${attempt}`,
            },
            body,
            signal: AbortSignal.timeout(requestTimeoutMilliseconds),
          },
        );
        status = response.status;
        text = await response.text();
      } catch {
        this.counts.networkErrors++;
        continue;
      }
      if (status === 201) return { body: JSON.parse(text) as PostedEntry, attempt };
      if (status >= 500) {
        this.counts.serverErrors++;
        continue;
      }
      this.fail(key, `attempt ${attempt}: ${status} ${text.slice(0, 500)}`);
      return undefined;
    }
    this.fail(key, `no answer after ${attemptsPerKeyMax} attempts`);
    return undefined;
  }

  private fail(key: string, detail: string): void {
    this.failures.push({ key, detail });
    this.notifySent();
  }

  private notifySent(): void {
    for (const listener of [...this.sentListeners]) listener(this.counts.requests);
  }

  private compareDuplicate(original: Acknowledged, again: PostedEntry): void {
    if (again.id !== original.entryId || String(again.position) !== original.position) {
      this.fail(
        original.key,
        `a repeat answered ${again.id}@${again.position}, the first answer was ${original.entryId}@${original.position}`,
      );
    }
  }
}

interface PostedEntry {
  id: string;
  position: number | string;
  status: string;
}

/** Two lines in one currency, or (a quarter of entries) four lines in two currencies. */
function entryLines(random: SeededRandom): SentLine[] {
  const first = random.pick(['EUR', 'USD', 'JPY'] as const);
  const lines = balancedPair(random, first);
  if (random.chance(multiCurrencyShare)) {
    const second = random.pick(
      (['EUR', 'USD', 'JPY'] as const).filter((currency) => currency !== first),
    );
    lines.push(...balancedPair(random, second));
  }
  return lines;
}

/** Money in (bank debit, other credit) or out (other debit, bank credit). */
function balancedPair(random: SeededRandom, currency: CrashCurrency): SentLine[] {
  const amountMinor = BigInt(random.integer(1, amountMinorMax));
  const bank = bankAccounts[currency];
  const other = random.pick(otherAccounts);
  const [debit, credit] = random.chance(0.5) ? [bank, other] : [other, bank];
  return [
    { account: debit, side: 'debit', currency, amountMinor },
    { account: credit, side: 'credit', currency, amountMinor },
  ];
}

function entryBody(key: string, lines: SentLine[], random: SeededRandom): string {
  const month = String(random.integer(1, 6)).padStart(2, '0');
  const day = String(random.integer(1, 28)).padStart(2, '0');
  return JSON.stringify({
    effectiveDate: `2026-${month}-${day}`,
    description: `crash ${key}`,
    reference: key.slice(-40),
    lines: lines.map((line) => ({
      account: line.account,
      [line.side]: formatMinor(line.amountMinor, line.currency),
      currency: line.currency,
    })),
  });
}
