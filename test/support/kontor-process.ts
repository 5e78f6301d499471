import { ChildProcess, spawn } from 'node:child_process';
import { builtCli, repositoryRoot } from './cli.js';

export interface LogRecord {
  msg?: string;
  [field: string]: unknown;
}

interface LogWaiter {
  matches(record: LogRecord): boolean;
  resolve(record: LogRecord): void;
}

/** One `kontor serve` process; its JSON log lines can be awaited. */
export class KontorProcess {
  readonly records: LogRecord[] = [];
  private readonly waiters = new Set<LogWaiter>();
  private readonly exited: Promise<number | null>;
  baseUrl = '';

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    let pending = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) this.receive(line);
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => this.receive(chunk));
    this.exited = new Promise((done) => child.once('exit', (code) => done(code)));
  }

  static async start(name: string, env: Record<string, string>): Promise<KontorProcess> {
    const child = spawn(process.execPath, [builtCli(), 'serve'], {
      cwd: repositoryRoot,
      env: {
        ...process.env,
        ...env,
        KONTOR_INSTANCE_ID: name,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const instance = new KontorProcess(name, child);
    const listening = await instance.waitForLog(
      (record) => /^Kontor listening on /.test(record.msg ?? ''),
      60_000,
      'listening',
    );
    instance.baseUrl = /(http:\/\/[^ ]+)/.exec(listening.msg!)![1]!;
    return instance;
  }

  waitForLog(
    matches: (record: LogRecord) => boolean,
    timeoutMilliseconds: number,
    what: string,
  ): Promise<LogRecord> {
    const seen = this.records.find(matches);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const tail = this.records
          .slice(-15)
          .map((record) => JSON.stringify(record))
          .join('\n');
        reject(
          new Error(
            `${this.name}: no "${what}" log line within ${timeoutMilliseconds} ms; last lines:\n${tail}`,
          ),
        );
      }, timeoutMilliseconds);
      const waiter: LogWaiter = {
        matches,
        resolve: (record) => {
          clearTimeout(timer);
          resolvePromise(record);
        },
      };
      this.waiters.add(waiter);
    });
  }

  async request(
    method: string,
    path: string,
    key: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  async killHard(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    await this.exited;
  }

  private receive(line: string): void {
    if (line.trim() === '') return;
    let record: LogRecord;
    try {
      record = JSON.parse(line) as LogRecord;
    } catch {
      record = { msg: line };
    }
    this.records.push(record);
    for (const waiter of [...this.waiters]) {
      if (waiter.matches(record)) {
        this.waiters.delete(waiter);
        waiter.resolve(record);
      }
    }
  }
}
