import { EventStore, ReadAllOptions, RecordedEvent } from '../../event-sourcing/index.js';

/** What a projection runner reads of the event store. */
export type LogReader = Pick<EventStore, 'readAll' | 'headPosition' | 'onAppended'>;

/**
 * Pages kept for the other runners, in events (about 1.5 KB each in memory). The runners of one
 * SQLite process take turns on the read-model write lock, one batch each, so they stay within a
 * page or two of each other while they catch up.
 */
export const sharedPagesEventsMaxDefault = 4_000;

/**
 * One read and one parse of each page of the log for all the runners of a process: while they
 * catch up (an import, a restart) they ask for the same pages one after another, and each used
 * to read and `JSON.parse` every event itself. Only full pages are kept: a page holding as many
 * events as were asked for is a fixed stretch of the gap-free log, right for whoever asks for it
 * later. A short page is the tail at the moment of its read and may miss what was appended since,
 * so it is never handed to another caller: each runner reads the tail itself, as before. The
 * events handed out are shared: projections read them and never change them.
 */
export class SharedLogReads implements LogReader {
  /** By `after`: reads in flight and full pages, oldest first. */
  private readonly pages = new Map<bigint, Page>();
  private eventsCached = 0;

  constructor(
    private readonly store: LogReader,
    private readonly eventsMax = sharedPagesEventsMaxDefault,
  ) {}

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { after, limit } = options;
    if (
      after === undefined ||
      limit === undefined ||
      limit > this.eventsMax ||
      options.from !== undefined ||
      options.until !== undefined
    )
      return this.store.readAll(options);
    const shared = this.pages.get(after);
    if (shared !== undefined && shared.limit >= limit) {
      const events = await shared.events;
      if (events.length >= limit) return events.slice(0, limit);
    }
    return this.read(after, limit);
  }

  headPosition(): Promise<bigint> {
    return this.store.headPosition();
  }

  onAppended(listener: () => void): () => void {
    return this.store.onAppended(listener);
  }

  /** Reads a page; while the read is in flight, and afterwards if it is full, others share it. */
  private read(after: bigint, limit: number): Promise<RecordedEvent[]> {
    const events = this.store.readAll({ after, limit });
    const page: Page = { limit, events };
    this.keep(after, page);
    const forget = () => {
      if (this.pages.get(after) !== page) return;
      this.pages.delete(after);
      this.eventsCached -= limit;
    };
    events.then((read) => read.length < limit && forget(), forget);
    return events;
  }

  private keep(after: bigint, page: Page): void {
    const replaced = this.pages.get(after);
    if (replaced !== undefined) {
      this.pages.delete(after);
      this.eventsCached -= replaced.limit;
    }
    this.pages.set(after, page);
    this.eventsCached += page.limit;
    for (const [oldest, { limit }] of this.pages) {
      if (this.eventsCached <= this.eventsMax) break;
      this.pages.delete(oldest);
      this.eventsCached -= limit;
    }
  }
}

interface Page {
  /** The events asked for: a page is full when it holds this many. */
  limit: number;
  events: Promise<RecordedEvent[]>;
}
