// `npm run bench -- sse [--subscribers 50] [--rate 1000] [--seconds 10]`
//
// SSE fan-out: one Kontor server (SQLite) in a child process appends `rate` events/s straight
// into its event store (group commit coalesces them), each stamped with its send time; this
// process holds `subscribers` SSE clients on GET /v1/events/stream and measures, per event and
// client, append-to-receive latency (p50/p99/max). The server reports its RSS and heap before,
// at the peak, and after the clients left. Target: p99 < 50 ms.
import { fork, ChildProcess } from 'node:child_process';
import { request as httpRequest, IncomingMessage } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { EventStore, newId } from '../src/event-sourcing/index.js';
import { EVENT_STORE } from '../src/infrastructure/tokens.js';
import { createApp } from '../src/main.js';

const targetP99Milliseconds = 50;
const appendTickMilliseconds = 10;
const adminKey = `kontor_bench_admin_${'x'.repeat(32)}`;

interface Options {
  subscribers: number;
  rate: number;
  seconds: number;
}

interface MemorySample {
  rssMegabytes: number;
  heapMegabytes: number;
}

type ServerMessage =
  | { kind: 'listening'; url: string }
  | { kind: 'appended'; events: number; appendErrors: number; commitP50: number; commitP99: number; peak: MemorySample; idle: MemorySample; before: MemorySample };

function now(): number {
  return performance.timeOrigin + performance.now();
}

function memory(): MemorySample {
  const usage = process.memoryUsage();
  return { rssMegabytes: usage.rss / 1e6, heapMegabytes: usage.heapUsed / 1e6 };
}

function parseOptions(args: string[]): Options {
  const value = (name: string, fallback: number) => {
    const index = args.indexOf(`--${name}`);
    return index === -1 ? fallback : Number(args[index + 1]);
  };
  return { subscribers: value('subscribers', 50), rate: value('rate', 1_000), seconds: value('seconds', 10) };
}

/** The child: a real server, and an appender that starts when told. */
async function serve(): Promise<void> {
  const dataDir = process.env.KONTOR_DATA_DIR!;
  const config = loadConfig({ ...process.env, KONTOR_ADMIN_KEY: adminKey, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', KONTOR_DATA_DIR: dataDir });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const store = app.get<EventStore>(EVENT_STORE);
  const before = memory();
  process.send!({ kind: 'listening', url: (await app.getUrl()).replace('[::1]', '127.0.0.1') } satisfies ServerMessage);
  process.on('message', (message: { kind: string; rate: number; seconds: number }) => {
    if (message.kind === 'append') void append(store, message.rate, message.seconds, before);
    if (message.kind === 'stop') void app.close().then(() => process.exit(0));
  });
}

async function append(store: EventStore, rate: number, seconds: number, before: MemorySample): Promise<void> {
  const perTick = Math.round((rate * appendTickMilliseconds) / 1000);
  const ticks = Math.round((seconds * 1000) / appendTickMilliseconds);
  const started = performance.now();
  let events = 0;
  let appendErrors = 0;
  let peak = memory();
  const inFlight = new Set<Promise<unknown>>();
  const commitLatencies: number[] = [];
  for (let tick = 0; tick < ticks; tick++) {
    const due = started + tick * appendTickMilliseconds;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    for (let index = 0; index < perTick; index++) {
      const sentAt = now();
      const call = store
        .append(`bench-${index % 8}`, [
          { eventId: newId(), type: 'BenchTick', data: { sentAt }, metadata: { actor: { id: 'bench', name: 'Bench' }, correlationId: newId() } },
        ])
        .then(
          () => {
            events++;
            commitLatencies.push(now() - sentAt);
          },
          () => appendErrors++,
        )
        .finally(() => inFlight.delete(call));
      inFlight.add(call);
    }
    if (tick % 50 === 0) {
      const sample = memory();
      if (sample.rssMegabytes > peak.rssMegabytes) peak = sample;
    }
  }
  await Promise.all(inFlight);
  global.gc?.();
  const sorted = commitLatencies.sort((a, b) => a - b);
  const commitP50 = percentile(sorted, 50);
  const commitP99 = percentile(sorted, 99);
  process.send!({ kind: 'appended', events, appendErrors, commitP50, commitP99, peak, idle: memory(), before } satisfies ServerMessage);
}

/** One SSE client: records the latency of every BenchTick it receives. */
function subscribe(url: string, key: string, latencies: number[]): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${url}/v1/events/stream?types=BenchTick`, { headers: { authorization: `Bearer ${key}`, 'last-event-id': '' } }, (response) => {
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').find((line) => line.startsWith('data: '));
          if (data) latencies.push(now() - (JSON.parse(data.slice(6)) as { data: { sentAt: number } }).data.sentAt);
        }
      });
      resolve(response);
    });
    request.on('error', reject);
    request.end();
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

function next<T extends ServerMessage['kind']>(child: ChildProcess, kind: T): Promise<Extract<ServerMessage, { kind: T }>> {
  return new Promise((resolve) => {
    const onMessage = (message: ServerMessage) => {
      if (message.kind !== kind) return;
      child.off('message', onMessage);
      resolve(message as Extract<ServerMessage, { kind: T }>);
    };
    child.on('message', onMessage);
  });
}

export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const dataDir = mkdtempSync(join(tmpdir(), 'kontor-bench-sse-'));
  const child = fork(__filename, ['--serve'], { env: { ...process.env, KONTOR_DATA_DIR: dataDir, KONTOR_STORE: 'sqlite' }, execArgv: ['--expose-gc'] });
  try {
    const { url } = await next(child, 'listening');
    const latencies: number[] = [];
    const responses = await Promise.all(Array.from({ length: options.subscribers }, () => subscribe(url, adminKey, latencies)));
    console.log(`SSE fan-out: ${options.subscribers} subscribers, ${options.rate} events/s for ${options.seconds} s (SQLite)`);
    const done = next(child, 'appended');
    child.send({ kind: 'append', rate: options.rate, seconds: options.seconds });
    const result = await done;
    const expected = result.events * options.subscribers;
    const deadline = performance.now() + 10_000;
    while (latencies.length < expected && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    for (const response of responses) response.destroy();
    const sorted = [...latencies].sort((a, b) => a - b);
    const p99 = percentile(sorted, 99);
    console.log(`  appended ${result.events} events (${result.appendErrors} errors); received ${latencies.length} of ${expected}`);
    console.log(`  append-to-receive latency: p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${sorted[sorted.length - 1]?.toFixed(1)} ms (target p99 < ${targetP99Milliseconds} ms: ${p99 < targetP99Milliseconds ? 'met' : 'MISSED'})`);
    console.log(`  of which the append itself (commit, fsync): p50 ${result.commitP50.toFixed(1)} ms, p99 ${result.commitP99.toFixed(1)} ms; machine load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
    console.log(`  server memory: before ${result.before.rssMegabytes.toFixed(0)} MB RSS / ${result.before.heapMegabytes.toFixed(0)} MB heap; peak ${result.peak.rssMegabytes.toFixed(0)} MB RSS / ${result.peak.heapMegabytes.toFixed(0)} MB heap; after ${result.idle.rssMegabytes.toFixed(0)} MB RSS / ${result.idle.heapMegabytes.toFixed(0)} MB heap`);
  } finally {
    child.send({ kind: 'stop' });
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--serve')) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
