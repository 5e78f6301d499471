/**
 * Posting load for fault tests: a few clients post journal entries to a running Kontor, each
 * with its own Idempotency-Key, and retry a refused one (503/507) with the same key and body, as
 * a well-behaved client does. What was acknowledged (201) is the record checked afterwards.
 *
 *   const load = new PostingLoad(baseUrl, adminKey, book); load.start();
 *   await load.until(() => load.acknowledged.size >= 20);
 *   ... fault ...; await load.stop(); expect(await load.missingAcknowledged()).toEqual([]);
 */
import { randomUUID } from 'node:crypto';

const clients = 4;
/** A client's pause before it retries a refused posting (it would honour Retry-After; shorter here). */
const retryPauseMilliseconds = 100;
const requestTimeoutMilliseconds = 30_000;
const untilTimeoutMilliseconds = 120_000;

export interface Refusal {
  status: number;
  type: string;
  retryAfter: string | null;
}

interface Condition {
  holds(): boolean;
  resolve(): void;
}

/** Opens `book` with a bank account (1200) and revenue (8400). */
export async function postingBook(baseUrl: string, key: string, book: string): Promise<void> {
  const send = async (path: string, body: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 201)
      throw new Error(`${path}: ${response.status} ${await response.text()}`);
  };
  await send('/v1/books', { id: book, name: 'Fault GmbH', baseCurrency: 'EUR' });
  await send(`/v1/books/${book}/accounts`, { code: '1200', name: 'Bank', type: 'asset' });
  await send(`/v1/books/${book}/accounts`, { code: '8400', name: 'Revenue', type: 'revenue' });
}

export class PostingLoad {
  /** Entry id → log position of every 201. */
  readonly acknowledged = new Map<string, number>();
  readonly refusals: Refusal[] = [];
  /** Anything but 201, 503 and 507: statuses with their bodies, and lost connections. */
  readonly unexpected: string[] = [];
  private stopped = false;
  private loops: Promise<void>[] = [];
  private readonly conditions = new Set<Condition>();

  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
    private readonly book: string,
  ) {}

  get refused(): number {
    return this.refusals.length;
  }

  start(): void {
    this.stopped = false;
    this.loops = Array.from({ length: clients }, () => this.client());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  /** Resolves once `holds()` is true, checked after every answer; fails after two minutes. */
  until(holds: () => boolean): Promise<void> {
    if (holds()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.conditions.delete(condition);
        reject(
          new Error(
            `condition not reached: ${this.acknowledged.size} acknowledged, ${this.refused} refused, unexpected: ${this.unexpected.slice(0, 5).join('; ')}`,
          ),
        );
      }, untilTimeoutMilliseconds);
      const condition: Condition = {
        holds,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      this.conditions.add(condition);
    });
  }

  /** Acknowledged entries the books do not show (read once the read models hold the last one). */
  async missingAcknowledged(): Promise<string[]> {
    const last = Math.max(...this.acknowledged.values());
    const missing: string[] = [];
    for (const entryId of this.acknowledged.keys()) {
      const response = await fetch(
        `${this.baseUrl}/v1/books/${this.book}/journal-entries/${entryId}?consistentWith=${last}`,
        { headers: { authorization: `Bearer ${this.key}` } },
      );
      if (response.status !== 200) missing.push(`${entryId}: ${response.status}`);
    }
    return missing;
  }

  private async client(): Promise<void> {
    while (!this.stopped) {
      const key = randomUUID();
      const body = JSON.stringify({
        effectiveDate: '2026-03-31',
        description: `Sale ${key}`,
        lines: [
          { account: '1200', debit: '10.00' },
          { account: '8400', credit: '10.00' },
        ],
      });
      while (!this.stopped && !(await this.attempt(key, body))) {
        await new Promise((resolve) => setTimeout(resolve, retryPauseMilliseconds));
      }
    }
  }

  /** One POST; true when it needs no retry (acknowledged, or failed for good). */
  private async attempt(key: string, body: string): Promise<boolean> {
    try {
      const response = await fetch(`${this.baseUrl}/v1/books/${this.book}/journal-entries`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.key}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body,
        signal: AbortSignal.timeout(requestTimeoutMilliseconds),
      });
      const text = await response.text();
      if (response.status === 201) {
        const answer = JSON.parse(text) as { id: string; position: number };
        this.acknowledged.set(answer.id, answer.position);
        return this.answered(true);
      }
      if (response.status === 503 || response.status === 507) {
        this.refusals.push({
          status: response.status,
          type: (JSON.parse(text) as { type: string }).type,
          retryAfter: response.headers.get('retry-after'),
        });
        return this.answered(false);
      }
      this.unexpected.push(`${response.status} ${text}`);
      return this.answered(true);
    } catch (error) {
      this.unexpected.push(`no answer: ${error instanceof Error ? error.message : String(error)}`);
      return this.answered(false);
    }
  }

  private answered<T>(result: T): T {
    for (const condition of this.conditions) {
      if (!condition.holds()) continue;
      this.conditions.delete(condition);
      condition.resolve();
    }
    return result;
  }
}
