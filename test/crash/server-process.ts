/**
 * A real `kontor serve` child process that can be SIGKILLed and restarted on the same port and
 * store. "Up" means the server logged `Kontor listening on …` (pino, LOG_LEVEL=info): an event,
 * not a poll. Clients that lost a request wait for `whenUp()`.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

/** How long one boot may take before the run is declared broken. */
export const bootTimeoutMilliseconds = 60_000;
/** Lines of server output kept for the failure message. */
const outputLinesKept = 200;
/** pino levels: 50 error, 60 fatal. */
const pinoErrorLevel = 50;
const listeningLine = /Kontor listening on /;

export interface ServerProcessOptions {
  /** `node` runs this file with `serve`. */
  cliPath: string;
  cwd: string;
  env: Record<string, string>;
  port: number;
}

export type BootOutcome = 'listening' | 'killed-during-boot';

export class ServerProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private up = false;
  private upWaiters: (() => void)[] = [];
  private killing = false;
  private readonly output: string[] = [];
  /** Exits nobody asked for (a crash of the server itself). */
  unexpectedExits: string[] = [];
  /** Error and fatal log lines, with the boot they came from. */
  errorLines: string[] = [];
  boots = 0;
  kills = 0;
  bootKills = 0;
  /** stdout lines of the first boot up to `listening`: the range for kills during a boot. */
  bootLineCount = 0;
  /** Spawn to `listening`, of every boot that got there. */
  readonly bootMilliseconds: number[] = [];

  constructor(private readonly options: ServerProcessOptions) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get isUp(): boolean {
    return this.up;
  }

  /** Spawned but not listening yet. */
  get isStarting(): boolean {
    return this.child !== undefined && !this.up;
  }

  /** Resolves at once while the server is up, else when it is up again. */
  whenUp(): Promise<void> {
    if (this.up) return Promise.resolve();
    return new Promise((resolve) => this.upWaiters.push(resolve));
  }

  /**
   * Starts the server. With `killAtLine`, SIGKILLs it when it prints its n-th line of output
   * during the boot (somewhere in module init, store open, projection start …).
   */
  start(killAtLine?: number): Promise<BootOutcome> {
    if (this.child) throw new Error('the server is already running');
    this.boots++;
    const boot = this.boots;
    const spawnedAt = Date.now();
    const child = spawn(process.execPath, [this.options.cliPath, 'serve'], {
      cwd: this.options.cwd,
      env: {
        ...this.options.env,
        PORT: String(this.options.port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        const wasUp = this.up;
        this.child = undefined;
        this.up = false;
        resolve();
        if (this.killing) return;
        this.unexpectedExits.push(
          `boot ${boot}: exit code ${code} signal ${signal}\n${this.outputTail()}`,
        );
        // The clients wait for the server: bring it back (the run fails on the recorded exit).
        if (wasUp)
          void this.start().catch((error: unknown) => this.unexpectedExits.push(String(error)));
      });
    });
    createInterface({ input: child.stderr! }).on('line', (line) => this.keep(boot, line));
    return new Promise<BootOutcome>((resolve, reject) => {
      let lines = 0;
      const timer = setTimeout(() => {
        reject(
          new Error(
            `the server did not listen within ${bootTimeoutMilliseconds} ms (boot ${boot})\n${this.outputTail()}`,
          ),
        );
      }, bootTimeoutMilliseconds);
      void this.exited.then(() => {
        clearTimeout(timer);
        if (this.killing) resolve('killed-during-boot');
        else reject(new Error(`the server exited during boot ${boot}\n${this.outputTail()}`));
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        this.keep(boot, line);
        if (this.child !== child || this.up || this.killing) return;
        lines++;
        if (killAtLine !== undefined && lines >= killAtLine) {
          this.bootKills++;
          void this.kill();
          return;
        }
        if (!listeningLine.test(line)) return;
        if (this.boots === 1) this.bootLineCount = lines;
        this.bootMilliseconds.push(Date.now() - spawnedAt);
        clearTimeout(timer);
        this.markUp();
        resolve('listening');
      });
    });
  }

  /** SIGKILL: no shutdown hook runs, no buffer is flushed. Marked down before the signal. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.up = false;
    this.killing = true;
    this.kills++;
    child.kill('SIGKILL');
    await this.exited;
    this.killing = false;
  }

  /** SIGTERM and wait: the graceful shutdown (end of the run). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.up = false;
    this.killing = true;
    child.kill('SIGTERM');
    await this.exited;
    this.killing = false;
  }

  outputTail(): string {
    return this.output.slice(-40).join('\n');
  }

  private markUp(): void {
    this.up = true;
    const waiters = this.upWaiters;
    this.upWaiters = [];
    for (const wake of waiters) wake();
  }

  private keep(boot: number, line: string): void {
    this.output.push(line);
    if (this.output.length > outputLinesKept) this.output.shift();
    if (
      line.startsWith('{') &&
      /"level":(\d+)/.test(line) &&
      Number(/"level":(\d+)/.exec(line)![1]) >= pinoErrorLevel
    ) {
      this.errorLines.push(`boot ${boot}: ${line}`);
    }
  }
}

/** A port that was free a moment ago (the server is restarted on it again and again). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') return reject(new Error('no port'));
      server.close(() => resolve(address.port));
    });
  });
}
