/**
 * The built CLI (test/support/cli.ts, built once) against a store it cannot open: it prints
 * one line naming the problem on stderr and exits 1 by itself — also when the database address
 * accepts TCP connections but never answers (a blackhole: here a local server that accepts and
 * stays silent), thanks to KONTOR_DB_CONNECT_TIMEOUT_MS.
 */
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { builtCli, cliBuildTimeoutMilliseconds, runCli } from '../support/cli.js';

/**
 * A CLI still running after this long is taken as hanging: killed, so its status is not 1 and the
 * test fails. No tighter bound in milliseconds: how long node takes to start depends on the
 * machine's load (a timed assertion failed on a busy machine); without a connect timeout the
 * blackhole case would wait forever (pg's default), which this catches.
 */
const hangMilliseconds = 30_000;

jest.setTimeout(60_000);

function runKontor(args: string[], env: Record<string, string>) {
  return runCli(args, { LOG_LEVEL: 'info', ...env }, { timeoutMilliseconds: hangMilliseconds });
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

describe('kontor with a store it cannot open (CLI)', () => {
  let blackhole: Server;
  let blackholePort: number;
  const held = new Set<Socket>();

  beforeAll(async () => {
    builtCli();
    // Accepts connections and never says a word: what an unroutable address looks like to a client.
    blackhole = createServer((socket) => {
      held.add(socket);
      socket.on('close', () => held.delete(socket));
    });
    await new Promise<void>((listening) => blackhole.listen(0, '127.0.0.1', listening));
    blackholePort = (blackhole.address() as AddressInfo).port;
  }, cliBuildTimeoutMilliseconds);

  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise<void>((closed) => blackhole.close(() => closed()));
  });

  it.each(['serve', 'verify'])(
    '%s: a refused connection → one line on stderr, exit 1',
    async (command) => {
      const run = await runKontor([command], {
        KONTOR_STORE: 'postgres',
        DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:1/test',
      });

      expect(run.status).toBe(1);
      expect(lines(run.stderr)).toEqual([
        expect.stringMatching(
          /^kontor: cannot open the postgres event store at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/test: .*ECONNREFUSED/,
        ),
      ]);
      expect(run.stdout).toBe('');
    },
  );

  it.each(['serve', 'verify'])(
    '%s: a server that never answers → timeout after KONTOR_DB_CONNECT_TIMEOUT_MS, one line, exit 1',
    async (command) => {
      const run = await runKontor([command], {
        KONTOR_STORE: 'postgres',
        DATABASE_URL: `postgres://postgres@127.0.0.1:${blackholePort}/test`,
        KONTOR_DB_CONNECT_TIMEOUT_MS: '500',
      });

      expect(run.status).toBe(1);
      expect(lines(run.stderr)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^kontor: cannot open the postgres event store at postgres://postgres@127\\.0\\.0\\.1:${blackholePort}/test: .*timeout`,
            'i',
          ),
        ),
      ]);
      expect(run.stdout).toBe('');
    },
  );

  it.each([
    [
      'KONTOR_STORE=bogus',
      { KONTOR_STORE: 'bogus' },
      /^kontor: configuration error: KONTOR_STORE must be sqlite, postgres or kurrentdb, got "bogus"$/,
    ],
    [
      'a bad KONTOR_DB_CONNECT_TIMEOUT_MS',
      {
        KONTOR_STORE: 'postgres',
        DATABASE_URL: 'postgres://127.0.0.1:1/test',
        KONTOR_DB_CONNECT_TIMEOUT_MS: 'soon',
      },
      /^kontor: configuration error: KONTOR_DB_CONNECT_TIMEOUT_MS must be an integer/,
    ],
  ])('serve: %s → one line on stderr, exit 1', async (_case, env, message) => {
    const run = await runKontor(['serve'], env);

    expect(run.status).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringMatching(message)]);
    expect(run.stdout).toBe('');
  });
});
