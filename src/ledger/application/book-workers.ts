import { booksInMemoryMaxDefault } from '../../config.js';
import { EventStore } from '../../event-sourcing/index.js';
import {
  BookWorker,
  BookWorkerLog,
  BookWorkerSettings,
  bookWorkerSettingsDefault,
} from './book-worker.js';

/** Optional provider overriding the book workers' settings (tests, benchmarks). */
export const BOOK_WORKER_SETTINGS = 'BOOK_WORKER_SETTINGS';

/**
 * One worker per book, created at first use. A worker keeps its book's state in memory while the
 * book is in use: that memory is what makes posting fast (roughly the accounts plus ~100 bytes
 * per entry line, see OpenBookState). At most `booksInMemoryMax` workers are kept: beyond that the
 * least recently used IDLE worker is dropped (after saving a snapshot when many events came since
 * the last one) and its book is restored on next use from snapshot plus later events, as after a
 * restart. Busy workers (queued or running commands) are never dropped, so while more books than
 * that are busy at once the bound is exceeded until they run idle. Workers of books that do not
 * exist are dropped as soon as their queue runs empty, so requests for made-up book ids hold nothing.
 */
export class BookWorkers {
  /** In order of last use, least recent first (a Map iterates in insertion order). */
  private readonly workers = new Map<string, BookWorker>();
  /** Snapshots of evicted workers still being written (awaited at shutdown). */
  private readonly evictionSnapshots = new Set<Promise<void>>();
  private evictedCount = 0;

  constructor(
    private readonly store: EventStore,
    private readonly settings: BookWorkerSettings = bookWorkerSettingsDefault,
    private readonly log?: BookWorkerLog,
    private readonly booksInMemoryMax: number = booksInMemoryMaxDefault,
  ) {}

  workerFor(bookId: string): BookWorker {
    let worker = this.workers.get(bookId);
    if (worker === undefined) {
      worker = new BookWorker(bookId, this.store, this.settings, this.log, (idle) =>
        this.onIdle(idle),
      );
    } else {
      this.workers.delete(bookId);
    }
    this.workers.set(bookId, worker);
    this.evictOverBound(worker);
    return worker;
  }

  /** Workers (books' states) held in memory. */
  get size(): number {
    return this.workers.size;
  }

  /** Workers dropped to keep within `booksInMemoryMax` since the start. */
  get evicted(): number {
    return this.evictedCount;
  }

  /** Waits until every worker has answered its queue and saved its snapshot (shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.workers.values()].map((worker) => worker.settled()));
    await Promise.all(this.evictionSnapshots);
  }

  private onIdle(worker: BookWorker): void {
    const state = worker.loadedState;
    if (
      worker.idle &&
      (state === undefined || state.status === 'none') &&
      this.workers.get(worker.bookId) === worker
    ) {
      this.workers.delete(worker.bookId);
    }
    this.evictOverBound();
  }

  /** Drops the least recently used evictable workers while over the bound, never `keep`. */
  private evictOverBound(keep?: BookWorker): void {
    for (const [bookId, worker] of this.workers) {
      if (this.workers.size <= this.booksInMemoryMax) return;
      if (worker === keep || !worker.evictable) continue;
      this.workers.delete(bookId);
      this.evictedCount++;
      const saving = worker.snapshotBeforeEviction();
      this.evictionSnapshots.add(saving);
      void saving.finally(() => this.evictionSnapshots.delete(saving));
    }
  }
}
