/**
 * The compiled CLI, for tests that run `kontor` as a real process.
 *
 *   beforeAll(() => builtCli(), cliBuildTimeoutMilliseconds);
 *   const run = await runCli(['verify'], { KONTOR_STORE: 'sqlite', KONTOR_DATA_DIR: dataDir });
 *   expect(run.status).toBe(0);
 *
 * The build goes to .tmp/cli-builds/<hash of the compiled sources>/, not to dist/: it is compiled
 * once per state of src/ and bench/ and then reused by every test file, jest worker and later run,
 * and nothing ever rewrites it — another engineer's `npm run build` into dist/ cannot change a
 * server between two restarts. Parallel workers build under one flock(1) lock (released by the
 * kernel if a builder dies); whoever gets it second finds the build done. tsc writes into a scratch
 * dir that is renamed into place, so a half-written build is never used. node_modules resolve from
 * there as from dist/.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export const repositoryRoot = join(__dirname, '..', '..');
/** For a beforeAll that builds: one compile on a busy 2-core machine, plus waiting for another worker's. */
export const cliBuildTimeoutMilliseconds = 360_000;
const buildsDir = join(repositoryRoot, '.tmp', 'cli-builds');
/** What tsconfig.build.json compiles (its `include`), and the settings that shape the output. */
const sourceDirs = ['src', 'bench'];
const buildSettingsFiles = ['tsconfig.json', 'tsconfig.build.json'];
const notCompiled = /\.(spec|int-spec|e2e-spec)\.ts$|\/testing\//;
/** Builds of older sources are removed once this old (a running test may still use a recent one). */
const staleBuildMilliseconds = 24 * 60 * 60 * 1000;
const outputBytesMax = 64 * 1024 * 1024;

/**
 * Runs under the lock: $1 the build dir, $2 its scratch dir, $3 node, $4 tsc. tsc still emits when
 * files elsewhere have type errors (another engineer's unfinished work); only a missing CLI is fatal.
 */
const buildUnderLockScript = [
  'test -e "$1/src/cli.js" && exit 0',
  'rm -rf "$2"',
  '"$3" "$4" -p tsconfig.build.json --outDir "$2"; compiled=$?',
  'test -e "$2/src/cli.js" || exit "$compiled"',
  'rm -rf "$1" && mv "$2" "$1"',
].join('\n');

let builtCliPath: string | undefined;

/** The path of the compiled src/cli.js for the current sources; compiles them if no build exists yet. */
export function builtCli(): string {
  if (builtCliPath !== undefined) return builtCliPath;
  const buildDir = join(buildsDir, sourcesHash());
  const cliPath = join(buildDir, 'src', 'cli.js');
  if (!existsSync(cliPath)) {
    mkdirSync(buildsDir, { recursive: true });
    const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
    try {
      execFileSync(
        'flock',
        [
          join(buildsDir, 'build.lock'),
          'sh',
          '-c',
          buildUnderLockScript,
          'sh',
          buildDir,
          `${buildDir}.building`,
          process.execPath,
          tsc,
        ],
        {
          cwd: repositoryRoot,
          stdio: 'pipe',
          timeout: cliBuildTimeoutMilliseconds,
        },
      );
    } catch (error) {
      const failed = error as { stdout?: Buffer; stderr?: Buffer };
      throw new Error(
        `building the CLI failed:\n${failed.stdout?.toString() ?? ''}${failed.stderr?.toString() ?? ''}`,
      );
    }
    removeStaleBuilds(buildDir);
  }
  builtCliPath = cliPath;
  return cliPath;
}

export interface CliRun {
  /** The exit code; null when the CLI was killed (a signal, or timeoutMilliseconds). */
  status: number | null;
  stdout: string;
  stderr: string;
  milliseconds: number;
}

export interface CliRunOptions {
  /** Another build of the CLI (default: builtCli()). */
  cliPath?: string;
  /** false: the CLI gets only `env` plus PATH and HOME, not this process's environment (jest's, TEST_DATABASE_URL). */
  inheritEnv?: boolean;
  /** A CLI still running after this long is killed with SIGKILL (status null). */
  timeoutMilliseconds?: number;
}

/** Runs `node cli.js ...args` from the repository root with LOG_LEVEL=warn unless `env` says otherwise. */
export function runCli(
  args: string[],
  env: Record<string, string> = {},
  options: CliRunOptions = {},
): Promise<CliRun> {
  const cliPath = options.cliPath ?? builtCli();
  const base = options.inheritEnv === false ? pathEnv() : process.env;
  const startedAt = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      {
        cwd: repositoryRoot,
        env: { ...base, LOG_LEVEL: 'warn', ...env },
        maxBuffer: outputBytesMax,
        ...(options.timeoutMilliseconds === undefined
          ? {}
          : { timeout: options.timeoutMilliseconds, killSignal: 'SIGKILL' as const }),
      },
      (error, stdout, stderr) => {
        const status = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ status, stdout, stderr, milliseconds: Date.now() - startedAt });
      },
    );
  });
}

/** The least a child process needs from our environment. */
export function pathEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    ...(process.env.TZ ? { TZ: process.env.TZ } : {}),
  };
}

function sourcesHash(): string {
  const hash = createHash('sha256');
  const files = [
    ...buildSettingsFiles,
    ...sourceDirs.flatMap((dir) => compiledFiles(join(repositoryRoot, dir))),
  ];
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(repositoryRoot, file)));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** The .ts files below `dir` that the build compiles, relative to the repository root, in a stable order. */
function compiledFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') files.push(...compiledFiles(path));
    if (entry.isFile() && entry.name.endsWith('.ts')) files.push(relative(repositoryRoot, path));
  }
  return files.filter((file) => !notCompiled.test(file)).sort();
}

function removeStaleBuilds(current: string): void {
  for (const entry of readdirSync(buildsDir, { withFileTypes: true })) {
    const path = join(buildsDir, entry.name);
    if (!entry.isDirectory() || path === current || path === `${current}.building`) continue;
    if (Date.now() - statSync(path).mtimeMs > staleBuildMilliseconds)
      rmSync(path, { recursive: true, force: true });
  }
}
