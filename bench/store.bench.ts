// `npm run bench -- store [--quick] [--only sqlite|postgres] [--rounds N]`: append and read throughput of
// Kontor's SQLite and PostgreSQL event stores next to Emmett's, same workloads, same run.
// Every store runs in its own fresh child process (bench/store-kontor.ts, bench/peers/*/bench.js)
// on a fresh SQLite file or PostgreSQL schema; this process prepares, collects and prints.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchPostgresUrl, createBenchSchema, postgresAdmin } from './postgres-schema.js';
import {
  ChildArguments,
  StoreBenchResult,
  WorkloadConfig,
  WorkloadResult,
} from './store-workloads.js';

type Engine = 'sqlite' | 'postgres';

interface StoreUnderTest {
  name: string;
  engine: Engine;
  /** The child's command line before its JSON argument. */
  command: string[];
  /** Folder of a peer package whose node_modules `npm ci` installs when missing. */
  peerPackage?: string;
}

const repositoryRoot = join(__dirname, '..', '..');
const workloadsModule = join(__dirname, 'store-workloads.js');
const peersFolder = join(repositoryRoot, 'bench', 'peers');

const stores: StoreUnderTest[] = [
  {
    name: 'kontor-sqlite',
    engine: 'sqlite',
    command: [join(__dirname, 'store-kontor.js'), 'sqlite'],
  },
  {
    name: 'emmett-sqlite',
    engine: 'sqlite',
    command: [join(peersFolder, 'emmett-sqlite', 'bench.js'), workloadsModule],
    peerPackage: join(peersFolder, 'emmett-sqlite'),
  },
  {
    name: 'kontor-postgres',
    engine: 'postgres',
    command: [join(__dirname, 'store-kontor.js'), 'postgres'],
  },
  {
    name: 'emmett-postgresql',
    engine: 'postgres',
    command: [join(peersFolder, 'emmett-postgresql', 'bench.js'), workloadsModule],
    peerPackage: join(peersFolder, 'emmett-postgresql'),
  },
];

const fullConfigs: Record<Engine, WorkloadConfig> = {
  sqlite: {
    batchedEvents: 100_000,
    batchSize: 100,
    concurrentEvents: 20_000,
    writers: 32,
    readPageSize: 1000,
  },
  postgres: {
    batchedEvents: 50_000,
    batchSize: 100,
    concurrentEvents: 20_000,
    writers: 32,
    readPageSize: 1000,
  },
};
/** `--quick` divides the event counts by this (a smoke run, not a measurement). */
const quickDivisor = 10;

/** Targets on the 2-core bench machine, events/s (issue text). */
const targets: Record<Engine, { batched: number; concurrent: number }> = {
  sqlite: { batched: 100_000, concurrent: 20_000 },
  postgres: { batched: 20_000, concurrent: 5_000 },
};
/** Kontor must be this many times faster than the peer on concurrent single-event appends. */
const concurrentRatioTarget = 2;

const childTimeoutMilliseconds = 20 * 60_000;
const peerInstallTimeoutMilliseconds = 10 * 60_000;

/** A fresh place for one store's events; `drop` removes it whatever happened. */
interface Target {
  location: string;
  drop(): Promise<void>;
}

function sqliteTarget(store: StoreUnderTest): Target {
  const folder = mkdtempSync(join(tmpdir(), `kontor-bench-${store.name}-`));
  return {
    location: join(folder, 'events.db'),
    drop: async () => rmSync(folder, { recursive: true, force: true }),
  };
}

async function postgresTarget(store: StoreUnderTest): Promise<Target> {
  const schema = await createBenchSchema(store.name);
  return { location: schema.url, drop: schema.drop };
}

/** Why PostgreSQL cannot be used, or undefined when it can. */
async function postgresUnavailable(): Promise<string | undefined> {
  try {
    await postgresAdmin((client) => client.query('SELECT 1'));
    return undefined;
  } catch (error) {
    return `PostgreSQL at ${benchPostgresUrl()} is not reachable: ${(error as Error).message}`;
  }
}

/** Installs a peer package from its lock file when needed; returns why it cannot run, if so. */
function installPeer(folder: string): string | undefined {
  if (existsSync(join(folder, 'node_modules'))) return undefined;
  process.stderr.write(`installing ${folder} (npm ci) ...\n`);
  try {
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], {
      cwd: folder,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: peerInstallTimeoutMilliseconds,
    });
    return undefined;
  } catch (error) {
    const output = (error as { stderr?: Buffer }).stderr
      ?.toString()
      .trim()
      .split('\n')
      .slice(-5)
      .join('\n');
    rmSync(join(folder, 'node_modules'), { recursive: true, force: true });
    return `npm ci failed in ${folder}: ${output || (error as Error).message}`;
  }
}

function runChildProcess(
  store: StoreUnderTest,
  argument: ChildArguments,
): Promise<StoreBenchResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [...store.command, JSON.stringify(argument)],
      {
        cwd: store.peerPackage ?? repositoryRoot,
        timeout: childTimeoutMilliseconds,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout) => {
        if (error)
          return reject(
            new Error(`${store.name} failed: ${error.message.split('\n').slice(-3).join(' ')}`),
          );
        const lastLine = stdout.trim().split('\n').at(-1) ?? '';
        try {
          resolve(JSON.parse(lastLine) as StoreBenchResult);
        } catch {
          reject(
            new Error(`${store.name} printed no result; last line: ${lastLine.slice(0, 200)}`),
          );
        }
      },
    );
    child.stderr?.pipe(process.stderr);
  });
}

async function benchStore(
  store: StoreUnderTest,
  config: WorkloadConfig,
): Promise<StoreBenchResult | string> {
  if (store.peerPackage !== undefined) {
    const installProblem = installPeer(store.peerPackage);
    if (installProblem !== undefined) return installProblem;
  }
  process.stderr.write(`${store.name} ...\n`);
  const target = store.engine === 'sqlite' ? sqliteTarget(store) : await postgresTarget(store);
  try {
    return await runChildProcess(store, { target: target.location, config });
  } catch (error) {
    return (error as Error).message;
  } finally {
    await target.drop();
  }
}

const workloads = [
  { key: 'batched', label: '(a) append, 1 writer, batches of 100' },
  { key: 'concurrent', label: '(b) append, 32 writers, 1 event/call' },
  { key: 'readAll', label: '(c) read all, pages of 1000' },
] as const;

function formatRate(result: WorkloadResult | undefined): string {
  return result === undefined ? 'n/a' : result.eventsPerSecond.toLocaleString('en-US');
}

function formatRatio(kontor: WorkloadResult | undefined, peer: WorkloadResult | undefined): string {
  if (kontor === undefined || peer === undefined) return 'n/a';
  return `${(kontor.eventsPerSecond / peer.eventsPerSecond).toFixed(1)}×`;
}

function formatLatency(result: WorkloadResult | undefined): string {
  return result?.p50Milliseconds === undefined
    ? 'n/a'
    : `${result.p50Milliseconds} / ${result.p99Milliseconds} ms`;
}

/** One markdown table: workload × store → events/s, and Kontor/peer per engine. */
function table(results: Map<string, StoreBenchResult>, engines: Engine[]): string {
  const pairs = engines.map((engine) =>
    engine === 'sqlite'
      ? (['kontor-sqlite', 'emmett-sqlite'] as const)
      : (['kontor-postgres', 'emmett-postgresql'] as const),
  );
  const header = ['events/s', ...pairs.flatMap(([kontor, peer]) => [kontor, peer, 'Kontor/peer'])];
  const rows = workloads.map(({ key, label }) => [
    label,
    ...pairs.flatMap(([kontor, peer]) => {
      const k = results.get(kontor)?.[key];
      const p = results.get(peer)?.[key];
      return [formatRate(k), formatRate(p), formatRatio(k, p)];
    }),
  ]);
  rows.push([
    '(b) latency p50 / p99',
    ...pairs.flatMap(([kontor, peer]) => [
      formatLatency(results.get(kontor)?.concurrent),
      formatLatency(results.get(peer)?.concurrent),
      '',
    ]),
  ]);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function targetLines(results: Map<string, StoreBenchResult>, engines: Engine[]): string[] {
  const lines: string[] = [];
  for (const engine of engines) {
    const kontor = results.get(engine === 'sqlite' ? 'kontor-sqlite' : 'kontor-postgres');
    const peer = results.get(engine === 'sqlite' ? 'emmett-sqlite' : 'emmett-postgresql');
    if (kontor === undefined) continue;
    const check = (ok: boolean) => (ok ? 'met' : 'MISSED');
    const { batched, concurrent } = targets[engine];
    lines.push(
      `${engine}: (a) ≥ ${batched.toLocaleString('en-US')}/s ${check(kontor.batched.eventsPerSecond >= batched)}`,
    );
    lines.push(
      `${engine}: (b) ≥ ${concurrent.toLocaleString('en-US')}/s ${check(kontor.concurrent.eventsPerSecond >= concurrent)}`,
    );
    if (peer === undefined) continue;
    const ratio = kontor.concurrent.eventsPerSecond / peer.concurrent.eventsPerSecond;
    lines.push(
      `${engine}: (b) ≥ ${concurrentRatioTarget}× peer ${check(ratio >= concurrentRatioTarget)}`,
    );
    for (const { key } of workloads) {
      if (key === 'concurrent') continue;
      lines.push(
        `${engine}: ${key} no slower than peer ${check(kontor[key].eventsPerSecond >= peer[key].eventsPerSecond)}`,
      );
    }
  }
  return lines;
}

interface BenchArguments {
  quick: boolean;
  engines: Engine[];
  rounds: number;
}

const usageText = 'usage: npm run bench -- store [--quick] [--only sqlite|postgres] [--rounds N]';
const roundsMax = 9;

function parseArguments(args: string[]): BenchArguments {
  const parsed: BenchArguments = { quick: false, engines: ['sqlite', 'postgres'], rounds: 1 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = args[i + 1];
    if (arg === '--quick') parsed.quick = true;
    else if (arg === '--only' && (value === 'sqlite' || value === 'postgres')) {
      parsed.engines = [value];
      i++;
    } else if (
      arg === '--rounds' &&
      Number.isInteger(Number(value)) &&
      Number(value) >= 1 &&
      Number(value) <= roundsMax
    ) {
      parsed.rounds = Number(value);
      i++;
    } else throw new Error(`store bench: unexpected argument ${arg}; ${usageText}`);
  }
  return parsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Per workload, the median of the rounds (events/s and latencies each on their own). */
function medianResult(rounds: StoreBenchResult[]): StoreBenchResult {
  const of = (key: (typeof workloads)[number]['key']): WorkloadResult => {
    const results = rounds.map((round) => round[key]);
    const merged: WorkloadResult = {
      eventsPerSecond: Math.round(median(results.map((r) => r.eventsPerSecond))),
      events: results[0]!.events,
      seconds: median(results.map((r) => r.seconds)),
    };
    if (results[0]!.p50Milliseconds !== undefined) {
      merged.p50Milliseconds = Number(median(results.map((r) => r.p50Milliseconds!)).toFixed(2));
      merged.p99Milliseconds = Number(median(results.map((r) => r.p99Milliseconds!)).toFixed(2));
    }
    return merged;
  };
  const notes = [...new Set(rounds.flatMap((round) => round.notes))];
  return {
    store: rounds[0]!.store,
    batched: of('batched'),
    concurrent: of('concurrent'),
    readAll: of('readAll'),
    notes,
  };
}

function spreadLines(roundsByStore: Map<string, StoreBenchResult[]>): string[] {
  const lines: string[] = [];
  for (const [store, rounds] of roundsByStore) {
    if (rounds.length < 2) continue;
    const ranges = workloads.map(({ key }) => {
      const rates = rounds.map((round) => round[key].eventsPerSecond);
      return `${key} ${Math.min(...rates).toLocaleString('en-US')}–${Math.max(...rates).toLocaleString('en-US')}`;
    });
    lines.push(`spread over ${rounds.length} rounds, ${store}: ${ranges.join(', ')}`);
  }
  return lines;
}

function configFor(engine: Engine, quick: boolean): WorkloadConfig {
  const config = fullConfigs[engine];
  if (!quick) return config;
  return {
    ...config,
    batchedEvents: config.batchedEvents / quickDivisor,
    concurrentEvents: config.concurrentEvents / quickDivisor,
  };
}

export async function run(args: string[]): Promise<void> {
  const { quick, engines: wanted, rounds } = parseArguments(args);
  const engines: Engine[] = [];
  for (const engine of wanted) {
    const problem = engine === 'postgres' ? await postgresUnavailable() : undefined;
    if (problem === undefined) engines.push(engine);
    else process.stderr.write(`skipping PostgreSQL: ${problem}\n`);
  }
  // Rounds interleave the stores, so a burst of load from elsewhere hits Kontor and peer alike.
  const roundsByStore = new Map<string, StoreBenchResult[]>();
  const problems = new Map<string, string>();
  for (let round = 1; round <= rounds; round++) {
    for (const store of stores.filter((s) => engines.includes(s.engine) && !problems.has(s.name))) {
      if (rounds > 1) process.stderr.write(`round ${round} of ${rounds}: `);
      const outcome = await benchStore(store, configFor(store.engine, quick));
      if (typeof outcome === 'string') problems.set(store.name, outcome);
      else roundsByStore.set(store.name, [...(roundsByStore.get(store.name) ?? []), outcome]);
    }
  }
  const results = new Map(
    [...roundsByStore]
      .filter(([name]) => !problems.has(name))
      .map(([name, r]) => [name, medianResult(r)]),
  );
  const cpu = cpus();
  console.log(
    `\nEvent store benchmark, ${new Date().toISOString()}, node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ` +
      `${rounds === 1 ? '1 round' : `median of ${rounds} rounds`}${quick ? ' (--quick: not a measurement)' : ''}`,
  );
  for (const engine of engines) {
    const config = configFor(engine, quick);
    console.log(
      `${engine}: (a) ${config.batchedEvents} events, (b) ${config.concurrentEvents} events, (c) the whole log`,
    );
  }
  console.log(`\n${table(results, engines)}\n`);
  for (const line of targetLines(results, engines)) console.log(line);
  for (const line of spreadLines(roundsByStore)) console.log(line);
  for (const result of results.values())
    for (const note of result.notes) console.log(`note, ${result.store}: ${note}`);
  for (const [store, problem] of problems) console.log(`not measured, ${store}: ${problem}`);
  if (problems.size > 0) process.exitCode = 1;
}
