// `npm run bench -- sse [--subscribers 50] [--rate 1000] [--seconds 10] [--baseline-seconds 5] [--only sqlite|postgres]`
//
// SSE fan-out. A real Kontor server runs in a child process (SQLite, then PostgreSQL), so the
// load generator never shares its event loop: this process only holds the SSE clients.
// Inside the server (sse-server.ts) an appender writes `rate` events/s straight into the event store (group
// commit coalesces them), each stamped with a sequence number and its send time, and records
// when each append committed. Two phases, same run, same server:
//   1. baseline: the same append load with no subscriber (what commit + fsync costs alone now);
//   2. fan-out: `subscribers` clients on GET /v1/events/stream, the same append load.
// Per delivered event and client: append-to-receive = receive − send; of which the append
// (commit, fsync) = commit − send, and the fan-out part = receive − commit (hub read, render,
// write, socket, client parse). Both processes report their event-loop delay, which shows when a
// figure is the machine's noise rather than Kontor's. Server RSS before the clients connect, at
// the peak, and after they left. Target: p99 append-to-receive < 50 ms.
import { fork, ChildProcess } from 'node:child_process';
import { request as httpRequest, IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBenchSchema } from './postgres-schema.js';
import {
  AppendResult,
  MemorySample,
  ParentMessage,
  ServerMessage,
  adminKey,
  loopDelayMonitor,
  now,
  pollMilliseconds,
  summarize,
} from './sse-server.js';

const targetP99Milliseconds = 50;
const deliveryWaitMilliseconds = 10_000;
const fanOutPhase = 'fanout';

type Engine = 'sqlite' | 'postgres';

interface Options {
  subscribers: number;
  rate: number;
  seconds: number;
  baselineSeconds: number;
  engines: Engine[];
}

function parseOptions(args: string[]): Options {
  const value = (name: string, fallback: number) => {
    const index = args.indexOf(`--${name}`);
    return index === -1 ? fallback : Number(args[index + 1]);
  };
  const only = args.indexOf('--only');
  const engines: Engine[] = only === -1 ? ['sqlite', 'postgres'] : [args[only + 1] as Engine];
  const seconds = value('seconds', 10);
  return {
    subscribers: value('subscribers', 50),
    rate: value('rate', 1_000),
    seconds,
    baselineSeconds: value('baseline-seconds', Math.min(seconds, 5)),
    engines,
  };
}

interface Deliveries {
  seqs: number[];
  sentAt: number[];
  receivedAt: number[];
}

/** One SSE client from `after` on: records (seq, sentAt, receivedAt) of every fan-out BenchTick it receives. */
function subscribe(url: string, after: string, deliveries: Deliveries): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${url}/v1/events/stream?types=BenchTick&fromPosition=${after}`,
      { headers: { authorization: `Bearer ${adminKey}` } },
      (response) => {
        if (response.statusCode !== 200)
          return reject(new Error(`GET /v1/events/stream: ${response.statusCode}`));
        let buffer = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          const receivedAt = now();
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame.split('\n').find((line) => line.startsWith('data: '));
            if (!data) continue;
            const tick = (
              JSON.parse(data.slice(6)) as { data: { phase: string; seq: number; sentAt: number } }
            ).data;
            if (tick.phase !== fanOutPhase) continue;
            deliveries.seqs.push(tick.seq);
            deliveries.sentAt.push(tick.sentAt);
            deliveries.receivedAt.push(receivedAt);
          }
        });
        resolve(response);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

function next<T extends ServerMessage['kind']>(
  child: ChildProcess,
  kind: T,
): Promise<Extract<ServerMessage, { kind: T }>> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`server exited (${code}) while waiting for "${kind}"`));
    const onMessage = (message: ServerMessage) => {
      if (message.kind !== kind) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as Extract<ServerMessage, { kind: T }>);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

const fixed = (value: number) => value.toFixed(1);
const megabytes = (sample: MemorySample) =>
  `${sample.rssMegabytes.toFixed(0)} MB RSS / ${sample.heapMegabytes.toFixed(0)} MB heap`;

async function runEngine(engine: Engine, options: Options): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kontor-bench-sse-'));
  const schema = engine === 'postgres' ? await createBenchSchema('sse') : undefined;
  const env = {
    ...process.env,
    KONTOR_DATA_DIR: dataDir,
    KONTOR_STORE: engine,
    ...(schema ? { DATABASE_URL: schema.url } : {}),
  };
  const child = fork(join(__dirname, 'sse-server.js'), [], {
    env,
    execArgv: [...process.execArgv, '--expose-gc'],
  });
  try {
    const { url } = await next(child, 'listening');
    const loadBefore = loadavg()[0]!;
    console.log(
      `SSE fan-out (${engine}): ${options.subscribers} subscribers, ${options.rate} events/s for ${options.seconds} s; load average ${loadBefore.toFixed(2)} on ${cpus().length} cores`,
    );
    const baseline = await appendPhase(child, options.rate, options.baselineSeconds, 'baseline');
    console.log(
      `  baseline, no subscriber (${options.baselineSeconds} s): ${baseline.events} events, append p50 ${fixed(baseline.commit.p50)} ms, p99 ${fixed(baseline.commit.p99)} ms, max ${fixed(baseline.commit.max)} ms; server loop delay p99 ${fixed(baseline.serverLoopDelayP99)} ms`,
    );
    const { sample: memoryBefore, headPosition } = await serverMemory(child);
    const fanOut = await measureFanOut(child, url, headPosition, options);
    const { sample: memoryAfter, sessions: sessionsLeft } = await serverMemory(child);
    const loadAfter = loadavg()[0]!;
    return reportFanOut(engine, options, {
      loadBefore,
      loadAfter,
      baseline,
      memoryBefore,
      memoryAfter,
      sessionsLeft,
      ...fanOut,
    });
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ kind: 'stop' } satisfies ParentMessage);
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
    await schema?.drop();
  }
}

/** Has the server append `rate` events/s for `seconds` and waits for its result. */
async function appendPhase(
  child: ChildProcess,
  rate: number,
  seconds: number,
  phase: string,
): Promise<AppendResult> {
  const done = next(child, 'appended');
  child.send({ kind: 'append', rate, seconds, phase } satisfies ParentMessage);
  return (await done).result;
}

/** The server's memory once every SSE session is gone. */
function serverMemory(child: ChildProcess): Promise<Extract<ServerMessage, { kind: 'memory' }>> {
  const reply = next(child, 'memory');
  child.send({ kind: 'memory', sessions: 0 } satisfies ParentMessage);
  return reply;
}

interface FanOut {
  result: AppendResult;
  deliveries: Deliveries;
  expected: number;
  clientLoopDelayP99: number;
}

/** The fan-out phase: the clients subscribe from `headPosition`, the server appends, the clients leave. */
async function measureFanOut(
  child: ChildProcess,
  url: string,
  headPosition: string,
  options: Options,
): Promise<FanOut> {
  const deliveries: Deliveries = { seqs: [], sentAt: [], receivedAt: [] };
  const responses = await Promise.all(
    Array.from({ length: options.subscribers }, () => subscribe(url, headPosition, deliveries)),
  );
  const clientLoopDelay = loopDelayMonitor();
  const result = await appendPhase(child, options.rate, options.seconds, fanOutPhase);
  const expected = result.events * options.subscribers;
  const deadline = performance.now() + deliveryWaitMilliseconds;
  while (deliveries.seqs.length < expected && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, pollMilliseconds));
  const clientLoopDelayP99 = clientLoopDelay();
  for (const response of responses) response.destroy();
  return { result, deliveries, expected, clientLoopDelayP99 };
}

interface EngineFigures extends FanOut {
  loadBefore: number;
  loadAfter: number;
  baseline: AppendResult;
  memoryBefore: MemorySample;
  memoryAfter: MemorySample;
  sessionsLeft: number;
}

/** Prints the fan-out figures of one engine and returns its row of the summary table. */
function reportFanOut(engine: Engine, options: Options, figures: EngineFigures): string {
  const { result, deliveries, expected, clientLoopDelayP99, baseline } = figures;
  const { loadBefore, loadAfter, memoryBefore, memoryAfter, sessionsLeft } = figures;
  const total = deliveries.receivedAt.map(
    (receivedAt, index) => receivedAt - deliveries.sentAt[index]!,
  );
  const fanOut = deliveries.receivedAt.map(
    (receivedAt, index) => receivedAt - result.committedAt[deliveries.seqs[index]!]!,
  );
  const totalSummary = summarize(total);
  const fanOutSummary = summarize(fanOut);
  const met = totalSummary.p99 < targetP99Milliseconds;
  console.log(
    `  fan-out: appended ${result.events} events (${result.appendErrors} errors); delivered ${deliveries.seqs.length} of ${expected}`,
  );
  console.log(
    `  append-to-receive: p50 ${fixed(totalSummary.p50)} ms, p99 ${fixed(totalSummary.p99)} ms, max ${fixed(totalSummary.max)} ms (target p99 < ${targetP99Milliseconds} ms: ${met ? 'met' : 'MISSED'})`,
  );
  console.log(
    `    the append alone (commit, fsync): p50 ${fixed(result.commit.p50)} ms, p99 ${fixed(result.commit.p99)} ms, max ${fixed(result.commit.max)} ms`,
  );
  console.log(
    `    the fan-out part (receive − commit): p50 ${fixed(fanOutSummary.p50)} ms, p99 ${fixed(fanOutSummary.p99)} ms, max ${fixed(fanOutSummary.max)} ms`,
  );
  console.log(
    `  event-loop delay p99: server ${fixed(result.serverLoopDelayP99)} ms, clients ${fixed(clientLoopDelayP99)} ms; load average after ${loadAfter.toFixed(2)}`,
  );
  console.log(
    `  server memory: before ${megabytes(memoryBefore)}; peak ${megabytes(result.peak)}; after ${megabytes(memoryAfter)} (${sessionsLeft} sessions left)`,
  );
  return (
    `| ${engine} | ${loadBefore.toFixed(2)}–${loadAfter.toFixed(2)} | ${options.subscribers} | ${options.rate}/s | ${deliveries.seqs.length.toLocaleString('en')} / ${expected.toLocaleString('en')} | ` +
    `${fixed(totalSummary.p50)} / **${fixed(totalSummary.p99)}** / ${fixed(totalSummary.max)} | ${fixed(baseline.commit.p99)} | ${fixed(result.commit.p99)} | ` +
    `${fixed(fanOutSummary.p50)} / ${fixed(fanOutSummary.p99)} | ${fixed(result.serverLoopDelayP99)} / ${fixed(clientLoopDelayP99)} | ` +
    `${memoryBefore.rssMegabytes.toFixed(0)} / ${result.peak.rssMegabytes.toFixed(0)} / ${memoryAfter.rssMegabytes.toFixed(0)} |`
  );
}

export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const rows: string[] = [];
  for (const engine of options.engines) rows.push(await runEngine(engine, options));
  console.log('');
  console.log(
    '| store | load | subscribers | rate | delivered | append-to-receive p50 / p99 / max (ms) | append p99, no subscriber (ms) | append p99 (ms) | fan-out part p50 / p99 (ms) | loop delay p99 server / clients (ms) | server RSS before / peak / after (MB) |',
  );
  console.log('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const row of rows) console.log(row);
}
