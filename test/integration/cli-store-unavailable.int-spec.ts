/**
 * The built CLI (`node dist/src/cli.js`, built once) against a store it cannot open: it prints
 * one line naming the problem on stderr and exits 1, fast — also when the database address
 * accepts TCP connections but never answers (a blackhole: here a local server that accepts and
 * stays silent), thanks to KONTOR_DB_CONNECT_TIMEOUT_MS.
 */
import { execFile, execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'src', 'cli.js');
const buildTimeoutMilliseconds = 120_000;
/** A CLI still running after this long is taken as hanging (and killed). */
const hangMilliseconds = 30_000;
/** "Fast": node start, loading the app, and the 500 ms connect timeout, on a busy machine. */
const failFastMilliseconds = 6_000;

jest.setTimeout(60_000);

interface CliRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  milliseconds: number;
}

function runKontor(args: string[], env: Record<string, string>): Promise<CliRun> {
  const startedAt = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { cwd: root, env: { ...process.env, LOG_LEVEL: 'info', ...env }, timeout: hangMilliseconds, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const exitCode = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ exitCode, stdout, stderr, milliseconds: Date.now() - startedAt });
      },
    );
  });
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

describe('kontor with a store it cannot open (CLI)', () => {
  let blackhole: Server;
  let blackholePort: number;
  const held = new Set<Socket>();

  beforeAll(async () => {
    const startedAt = Date.now();
    try {
      execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'pipe', timeout: buildTimeoutMilliseconds });
    } catch (error) {
      // tsc still emits when files elsewhere have type errors; only a missing or stale CLI is fatal.
      const emitted = statSync(cli, { throwIfNoEntry: false });
      if (emitted === undefined || emitted.mtimeMs < startedAt - 1_000) throw error;
    }
    // Accepts connections and never says a word: what an unroutable address looks like to a client.
    blackhole = createServer((socket) => {
      held.add(socket);
      socket.on('close', () => held.delete(socket));
    });
    await new Promise<void>((listening) => blackhole.listen(0, '127.0.0.1', listening));
    blackholePort = (blackhole.address() as AddressInfo).port;
  }, buildTimeoutMilliseconds);

  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise<void>((closed) => blackhole.close(() => closed()));
  });

  it.each(['serve', 'verify'])('%s: a refused connection → one line on stderr, exit 1', async (command) => {
    const run = await runKontor([command], { KONTOR_STORE: 'postgres', DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/test' });

    expect(run.exitCode).toBe(1);
    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(/^kontor: cannot open the postgres event store at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test: .*ECONNREFUSED/),
    ]);
    expect(run.stdout).toBe('');
    expect(run.milliseconds).toBeLessThan(failFastMilliseconds);
  });

  it.each(['serve', 'verify'])('%s: a server that never answers → timeout after KONTOR_DB_CONNECT_TIMEOUT_MS, one line, exit 1', async (command) => {
    const run = await runKontor([command], {
      KONTOR_STORE: 'postgres',
      DATABASE_URL: `postgres://postgres@127.0.0.1:${blackholePort}/test`,
      KONTOR_DB_CONNECT_TIMEOUT_MS: '500',
    });

    expect(run.exitCode).toBe(1);
    expect(lines(run.stderr)).toEqual([
      expect.stringMatching(new RegExp(`^kontor: cannot open the postgres event store at postgres://postgres@127\\.0\\.0\\.1:${blackholePort}/test: .*timeout`, 'i')),
    ]);
    expect(run.stdout).toBe('');
    expect(run.milliseconds).toBeLessThan(failFastMilliseconds);
  });

  it.each([
    ['KONTOR_STORE=bogus', { KONTOR_STORE: 'bogus' }, /^kontor: configuration error: KONTOR_STORE must be sqlite, postgres or kurrentdb, got "bogus"$/],
    ['a bad KONTOR_DB_CONNECT_TIMEOUT_MS', { KONTOR_STORE: 'postgres', DATABASE_URL: 'postgres://127.0.0.1:1/test', KONTOR_DB_CONNECT_TIMEOUT_MS: 'soon' }, /^kontor: configuration error: KONTOR_DB_CONNECT_TIMEOUT_MS must be an integer/],
  ])('serve: %s → one line on stderr, exit 1', async (_case, env, message) => {
    const run = await runKontor(['serve'], env);

    expect(run.exitCode).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(message)]);
    expect(run.stdout).toBe('');
  });
});
