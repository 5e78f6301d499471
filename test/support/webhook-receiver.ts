/**
 * A local webhook endpoint for tests: verifies every call with the `standardwebhooks` library,
 * can fail calls on purpose, and lets tests await a number of calls or accepted deliveries
 * (promises, never sleeps).
 */
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedDelivery {
  /** Path and query string the call was made to. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  event: Record<string, unknown>;
}

interface Waiter {
  count: number;
  of: 'calls' | 'received';
  resolve(): void;
}

export class WebhookReceiver {
  /** Deliveries answered 2xx, in arrival order. */
  readonly received: ReceivedDelivery[] = [];
  calls = 0;
  verificationFailures = 0;
  private secret: string | undefined;
  private failuresLeft = 0;
  private failingForever = false;
  private readonly waiters = new Set<Waiter>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    let receiver!: WebhookReceiver;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const status = receiver.handle(
          request.url ?? '',
          request.headers,
          Buffer.concat(chunks).toString('utf8'),
        );
        response.writeHead(status).end();
        receiver.settle();
      });
    });
    receiver = new WebhookReceiver(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/hooks/kontor`;
  }

  /** Signatures are verified with this secret from now on (until then every call is refused). */
  verifyWith(secret: string): void {
    this.secret = secret;
  }

  /** The next `count` calls get a 500. */
  failNext(count: number): void {
    this.failuresLeft = count;
  }

  failForever(failing: boolean): void {
    this.failingForever = failing;
  }

  waitForReceived(count: number): Promise<void> {
    return this.wait('received', count);
  }

  waitForCalls(count: number): Promise<void> {
    return this.wait('calls', count);
  }

  positions(): number[] {
    return this.received.map((delivery) => Number(delivery.event.kontorposition));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(path: string, headers: IncomingHttpHeaders, body: string): number {
    this.calls++;
    if (this.secret === undefined) return 503;
    try {
      new Webhook(this.secret).verify(body, headers as Record<string, string>);
    } catch {
      this.verificationFailures++;
      return 401;
    }
    if (this.failingForever) return 500;
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      return 500;
    }
    this.received.push({ path, headers, body, event: JSON.parse(body) as Record<string, unknown> });
    return 204;
  }

  private wait(of: Waiter['of'], count: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.add({ of, count, resolve });
      this.settle();
    });
  }

  private settle(): void {
    for (const waiter of this.waiters) {
      const reached = waiter.of === 'calls' ? this.calls : this.received.length;
      if (reached >= waiter.count) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }
}
