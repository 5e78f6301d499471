import { EventStore, ReadAllOptions, RecordedEvent } from '../../event-sourcing/index.js';
import { EventStreamSession, SseSink } from './event-stream.session.js';
import { LiveEventHub, LiveListener } from './live-event-hub.js';

/** Positions as KurrentDB has them: byte offsets with gaps (never `lastSeen + 1`). */
function eventAt(position: bigint): RecordedEvent {
  return { position, eventId: `e${position}`, type: 'Tested' } as RecordedEvent;
}

async function settle(): Promise<void> {
  for (let turn = 0; turn < 5; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe('EventStreamSession live path with positions that have gaps', () => {
  it('writes a live event whose predecessor it has seen at once, and reads the store only on a real gap', async () => {
    const log = [eventAt(100n), eventAt(250n), eventAt(400n), eventAt(600n), eventAt(900n)];
    const reads: ReadAllOptions[] = [];
    let visible = 1; // the store holds the first event when the session starts
    const store = {
      readAll: async (options: ReadAllOptions) => {
        reads.push(options);
        return log.slice(0, visible).filter((event) => event.position > (options.after ?? 0n));
      },
    } as unknown as EventStore;
    let live!: LiveListener;
    const hub = {
      subscribe: (listener: LiveListener) => {
        live = listener;
        return () => undefined;
      },
    } as unknown as LiveEventHub;
    const written: string[] = [];
    const sink: SseSink = {
      write: (chunk) => (written.push(chunk), true),
      end: () => undefined,
      destroy: () => undefined,
      writableLength: 0,
      destroyed: false,
      on: () => undefined,
      off: () => undefined,
    };
    const session = new EventStreamSession(store, hub, sink, {
      after: 0n,
      matches: () => true,
      render: (event) => JSON.stringify({ position: String(event.position) }),
      bufferBytesMax: 1 << 20,
      heartbeatMilliseconds: 60_000,
    });
    session.start();
    await settle();
    expect(reads).toHaveLength(1);

    visible = 3;
    live(log[1]!, 100n);
    live(log[2]!, 250n);
    await settle();
    expect(reads).toHaveLength(1); // the fast path: no catch-up read per live event

    visible = 5;
    live(log[4]!, 600n); // 600 was never handed to this session: a gap, read it from the store
    await settle();
    expect(reads.length).toBeGreaterThan(1);
    const ids = [...written.join('').matchAll(/^id: (\d+)$/gm)].map((match) => match[1]);
    expect(ids).toEqual(['100', '250', '400', '600', '900']);
    session.stop();
  });
});
