/**
 * A TCP proxy in front of a broker that a test can cut and restore, to simulate an outage
 * without stopping the machine's broker (other engineers' tests use it).
 *
 *   const proxy = await TcpProxy.start(4222);
 *   // KONTOR_RELAY_URL=nats://127.0.0.1:${proxy.port}
 *   await proxy.cut();     // drops every connection, refuses new ones
 *   await proxy.restore(); // accepts again, on the same port
 *   proxy.delayBy(100);    // new connections pass each chunk on 100 ms late: a slow network
 */
import { createServer, Server, Socket, connect } from 'node:net';

export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private delayMilliseconds = 0;
  private readonly drainWaiters: (() => void)[] = [];

  private constructor(
    private readonly targetPort: number,
    public port: number,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const proxy = new TcpProxy(targetPort, 0);
    await proxy.listen();
    return proxy;
  }

  /** Ends every proxied connection and stops listening (connects are refused). */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  restore(): Promise<void> {
    return this.listen();
  }

  close(): Promise<void> {
    return this.cut();
  }

  /** Connections made from now on pass every chunk on this late, in both directions. */
  delayBy(milliseconds: number): void {
    this.delayMilliseconds = milliseconds;
  }

  /** Resolves once no connection is open through the proxy. */
  drained(): Promise<void> {
    if (this.sockets.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          this.sockets.delete(socket);
          client.destroy();
          upstream.destroy();
          if (this.sockets.size === 0) this.drainWaiters.splice(0).forEach((resolve) => resolve());
        });
      }
      forward(client, upstream, this.delayMilliseconds);
      forward(upstream, client, this.delayMilliseconds);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        const address = server.address();
        if (address !== null && typeof address !== 'string') this.port = address.port;
        resolve();
      });
    });
  }
}

/** Pipes `from` into `to`, each chunk `delay` ms late (same delay, so in order). */
function forward(from: Socket, to: Socket, delay: number): void {
  if (delay === 0) {
    from.pipe(to);
    return;
  }
  from.on('data', (chunk) => setTimeout(() => to.destroyed || to.write(chunk), delay));
}
