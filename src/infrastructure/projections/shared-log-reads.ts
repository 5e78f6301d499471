import { EventStore, ReadAllOptions, RecordedEvent } from '../../event-sourcing/index.js';
import { rebuildBatchSizeDefault } from './projection-runner.options.js';

/** What a projection runner reads of the event store. */
export type LogReader = Pick<EventStore, 'readAll' | 'headPosition' | 'onAppended'>;

/**
 * Pages kept for the other runners at most, in events: two batches of a runner that is behind.
 * The runners of one SQLite process take turns on the read-model write lock, one batch each, so
 * they stay within a batch of each other while they catch up.
 */
export const sharedPagesEventsMaxDefault = 2 * rebuildBatchSizeDefault;

/**
 * One read and one parse of each page of the log for all the runners of a process: while they
 * catch up (an import, a restart) they ask for the same pages one after another, and each used
 * to read and `JSON.parse` every event itself. Only full pages are kept: a page holding as many
 * events as were asked for is a fixed stretch of the gap-free log, right for whoever asks for it
 * later. A short page is the tail at the moment of its read and may miss what was appended since,
 * so it is never handed to another caller: each runner reads the tail itself, as before. A page
 * is dropped once each of the `readers` had it (or when the bound needs room). The events handed
 * out are shared: projections read them and never change them.
 */
export class SharedLogReads implements LogReader {
  /** By `after`: reads in flight and full pages, oldest first. */
  private readonly pages = new Map<bigint, Page>();
  private eventsCached = 0;
  /** The runners reading through this: a page every one of them had is not asked for again. */
  private readers = 0;

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
      if (++shared.served >= this.readers) this.drop(after, shared);
      const events = await shared.events;
      if (events.length >= limit) return events.slice(0, limit);
    }
    return this.read(after, limit);
  }

  /** One more runner reads through this (ProjectionsService.register). */
  addReader(): void {
    this.readers++;
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
    if (this.readers < 2) return events;
    const page: Page = { limit, events, served: 1 };
    this.keep(after, page);
    const forget = () => this.drop(after, page);
    events.then((read) => read.length < limit && forget(), forget);
    return events;
  }

  private keep(after: bigint, page: Page): void {
    const replaced = this.pages.get(after);
    if (replaced !== undefined) this.drop(after, replaced);
    this.pages.set(after, page);
    this.eventsCached += page.limit;
    for (const [oldest, kept] of this.pages) {
      if (this.eventsCached <= this.eventsMax) break;
      this.drop(oldest, kept);
    }
  }

  private drop(after: bigint, page: Page): void {
    if (this.pages.get(after) !== page) return;
    this.pages.delete(after);
    this.eventsCached -= page.limit;
  }
}

interface Page {
  /** The events asked for: a page is full when it holds this many. */
  limit: number;
  events: Promise<RecordedEvent[]>;
  /** Callers it was handed to (or is being read for). */
  served: number;
}
