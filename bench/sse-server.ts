// The server side of the SSE bench (sse.bench.ts forks it): a real Kontor server, and an appender
// that writes `rate` events/s straight into its event store when told, each stamped with a
// sequence number and its send time, recording when each append committed.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { EventStore, newId } from '../src/event-sourcing/index.js';
import { EVENT_STORE } from '../src/infrastructure/tokens.js';
import { createApp } from '../src/main.js';
import { EventStreamService } from '../src/subscriptions/subscriptions.module.js';

const appendTickMilliseconds = 10;
const memorySampleEveryTicks = 50;
const sessionsGoneWaitMilliseconds = 5_000;
export const pollMilliseconds = 50;
const streamsPerPhase = 8;
export const adminKey = `kontor_bench_admin_${'x'.repeat(32)}`;

export interface MemorySample {
  rssMegabytes: number;
  heapMegabytes: number;
}

export interface Summary {
  p50: number;
  p99: number;
  max: number;
}

export interface AppendResult {
  events: number;
  appendErrors: number;
  commit: Summary;
  /** Commit time of the event with sequence number i (NaN if it failed). */
  committedAt: number[];
  peak: MemorySample;
  serverLoopDelayP99: number;
}

export type ServerMessage =
  | { kind: 'listening'; url: string }
  | { kind: 'appended'; result: AppendResult }
  | { kind: 'memory'; sample: MemorySample; sessions: number; headPosition: string };

export type ParentMessage =
  | { kind: 'append'; rate: number; seconds: number; phase: string }
  | { kind: 'memory'; sessions: number }
  | { kind: 'stop' };

export function now(): number {
  return performance.timeOrigin + performance.now();
}

function memory(): MemorySample {
  const usage = process.memoryUsage();
  return { rssMegabytes: usage.rss / 1e6, heapMegabytes: usage.heapUsed / 1e6 };
}

function percentile(sorted: ArrayLike<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function summarize(values: number[] | Float64Array): Summary {
  const sorted = Float64Array.from(values).sort();
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

export function loopDelayMonitor() {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  return () => {
    histogram.disable();
    return histogram.percentile(99) / 1e6;
  };
}

/** The child: a real server, and an appender that runs when told. */
async function serve(): Promise<void> {
  const config = loadConfig({
    ...process.env,
    KONTOR_ADMIN_KEY: adminKey,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const store = app.get<EventStore>(EVENT_STORE);
  const streams = app.get(EventStreamService);
  const send = (message: ServerMessage) => process.send!(message);
  send({ kind: 'listening', url: (await app.getUrl()).replace('[::1]', '127.0.0.1') });
  process.on('message', (message: ParentMessage) => {
    if (message.kind === 'append')
      void append(store, message).then((result) => send({ kind: 'appended', result }));
    if (message.kind === 'memory')
      void settledMemory(streams, message.sessions).then(async (sample) =>
        send({
          kind: 'memory',
          sample,
          sessions: streams.sessionCount,
          headPosition: String(await store.headPosition()),
        }),
      );
    if (message.kind === 'stop') void app.close().then(() => process.exit(0));
  });
}

/** Memory once the server holds `sessions` SSE sessions, after a full GC. */
async function settledMemory(streams: EventStreamService, sessions: number): Promise<MemorySample> {
  const deadline = performance.now() + sessionsGoneWaitMilliseconds;
  while (streams.sessionCount !== sessions && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, pollMilliseconds));
  global.gc?.();
  return memory();
}

async function append(
  store: EventStore,
  { rate, seconds, phase }: { rate: number; seconds: number; phase: string },
): Promise<AppendResult> {
  const perTick = Math.round((rate * appendTickMilliseconds) / 1000);
  const ticks = Math.round((seconds * 1000) / appendTickMilliseconds);
  const loopDelay = loopDelayMonitor();
  const started = performance.now();
  let events = 0;
  let appendErrors = 0;
  let peak = memory();
  const inFlight = new Set<Promise<unknown>>();
  const committedAt: number[] = [];
  const commitLatencies: number[] = [];
  let seq = 0;
  for (let tick = 0; tick < ticks; tick++) {
    const due = started + tick * appendTickMilliseconds;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    for (let index = 0; index < perTick; index++) {
      const eventSeq = seq++;
      committedAt[eventSeq] = NaN;
      const sentAt = now();
      const call = store
        .append(`bench-${phase}-${eventSeq % streamsPerPhase}`, [
          {
            eventId: newId(),
            type: 'BenchTick',
            data: { phase, seq: eventSeq, sentAt },
            metadata: { actor: { id: 'bench', name: 'Bench' }, correlationId: newId() },
          },
        ])
        .then(
          () => {
            const at = now();
            events++;
            committedAt[eventSeq] = at;
            commitLatencies.push(at - sentAt);
          },
          () => appendErrors++,
        )
        .finally(() => inFlight.delete(call));
      inFlight.add(call);
    }
    if (tick % memorySampleEveryTicks === 0) {
      const sample = memory();
      if (sample.rssMegabytes > peak.rssMegabytes) peak = sample;
    }
  }
  await Promise.all(inFlight);
  const sample = memory();
  if (sample.rssMegabytes > peak.rssMegabytes) peak = sample;
  return {
    events,
    appendErrors,
    commit: summarize(commitLatencies),
    committedAt,
    peak,
    serverLoopDelayP99: loopDelay(),
  };
}

if (require.main === module) {
  serve().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
