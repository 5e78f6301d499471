/**
 * `kontor serve` as a real process (the built CLI): where it listens (127.0.0.1 unless HOST
 * says otherwise, and the log line names the real address) and one server per SQLite data dir
 * (a second `serve` on the same dir exits 1 with a clear message instead of leading twice).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { builtCli, cliBuildTimeoutMilliseconds, pathEnv, runCli } from '../support/cli.js';

jest.setTimeout(120_000);

const listeningLine = /Kontor listening on (http:\/\/\S+) /;

interface Served {
  child: ChildProcess;
  url: URL;
}

/** Spawns `kontor serve` on a free port and resolves with the URL its log line names. */
function serve(env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, [builtCli(), 'serve'], {
    env: { ...pathEnv(), PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const listening = listeningLine.exec(line);
      if (listening) resolve({ child, url: new URL(listening[1]!) });
    });
    child.once('exit', (code) =>
      reject(new Error(`kontor serve exited with ${code}:\n${output.join('\n')}`)),
    );
  });
}

async function stop(served: Served): Promise<void> {
  if (served.child.exitCode !== null) return;
  const exited = new Promise((resolve) => served.child.once('exit', resolve));
  served.child.kill('SIGTERM');
  await exited;
}

/** The local address of the listening TCP socket on `port`, from /proc/net/tcp and tcp6. */
function boundAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const listen = '0A';
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter(([, local, , state]) => local?.endsWith(`:${hexPort}`) && state === listen)
      .map(([, local]) => local!.split(':')[0]!),
  );
}

describe('kontor serve (built CLI)', () => {
  let dataDir: string;

  beforeAll(() => builtCli(), cliBuildTimeoutMilliseconds);
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'kontor-serve-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 by default and logs that address', async () => {
    const served = await serve({ KONTOR_DATA_DIR: dataDir });
    try {
      expect(served.url.hostname).toBe('127.0.0.1');
      const loopbackIpv4 = '0100007F';
      expect(boundAddresses(Number(served.url.port))).toEqual([loopbackIpv4]);
      expect((await fetch(new URL('/health', served.url))).status).toBe(200);
    } finally {
      await stop(served);
    }
  });

  it('HOST=0.0.0.0 listens on every interface and logs 0.0.0.0', async () => {
    const served = await serve({ KONTOR_DATA_DIR: dataDir, HOST: '0.0.0.0' });
    try {
      expect(served.url.hostname).toBe('0.0.0.0');
      expect(boundAddresses(Number(served.url.port))).toEqual(['00000000']);
    } finally {
      await stop(served);
    }
  });

  it('a second serve on the same SQLite data dir exits 1 naming the lock; the first keeps serving', async () => {
    const first = await serve({ KONTOR_DATA_DIR: dataDir });
    try {
      const second = await runCli(
        ['serve'],
        { KONTOR_DATA_DIR: dataDir, PORT: '0' },
        {
          timeoutMilliseconds: 60_000,
        },
      );

      expect(second.status).toBe(1);
      expect(second.stderr.trim()).toBe(
        `kontor: another kontor serve is running on the data dir ${dataDir} (it holds ${join(dataDir, 'serve.lock')}); stop it first, or serve a copy (kontor replay --out <dir>, then KONTOR_DATA_DIR=<dir> KONTOR_READ_ONLY=true)`,
      );
      const readOnly = await runCli(
        ['serve'],
        { KONTOR_DATA_DIR: dataDir, PORT: '0', KONTOR_READ_ONLY: 'true' },
        { timeoutMilliseconds: 60_000 },
      );
      expect(readOnly.status).toBe(1);
      expect((await fetch(new URL('/health/ready', first.url))).status).toBe(200);
    } finally {
      await stop(first);
    }
  });

  it('the lock dies with its holder: after a SIGKILL a new serve starts on the dir', async () => {
    const first = await serve({ KONTOR_DATA_DIR: dataDir });
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;

    const second = await serve({ KONTOR_DATA_DIR: dataDir });
    try {
      expect((await fetch(new URL('/health', second.url))).status).toBe(200);
    } finally {
      await stop(second);
    }
  });
});
