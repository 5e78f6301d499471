import { EventStore } from '../../event-sourcing/index.js';
import { BookWorker, BookWorkerLog, BookWorkerSettings, bookWorkerSettingsDefault } from './book-worker.js';

/** Optional provider overriding the book workers' settings (tests, benchmarks). */
export const BOOK_WORKER_SETTINGS = 'BOOK_WORKER_SETTINGS';

/**
 * One worker per book, created at first use. A worker keeps its book's state in memory while the
 * process runs, also when the book is idle: that memory is what makes posting fast (roughly the
 * accounts plus ~100 bytes per entry line, see OpenBookState). Workers of books that do not exist
 * are dropped as soon as their queue runs empty, so requests for made-up book ids hold nothing.
 */
export class BookWorkers {
  private readonly workers = new Map<string, BookWorker>();

  constructor(
    private readonly store: EventStore,
    private readonly settings: BookWorkerSettings = bookWorkerSettingsDefault,
    private readonly log?: BookWorkerLog,
  ) {}

  workerFor(bookId: string): BookWorker {
    let worker = this.workers.get(bookId);
    if (worker === undefined) {
      worker = new BookWorker(bookId, this.store, this.settings, this.log, (idle) => this.dropIfUnknown(idle));
      this.workers.set(bookId, worker);
    }
    return worker;
  }

  get size(): number {
    return this.workers.size;
  }

  /** Waits until every worker has answered its queue and saved its snapshot (shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.workers.values()].map((worker) => worker.settled()));
  }

  private dropIfUnknown(worker: BookWorker): void {
    const state = worker.loadedState;
    if (worker.idle && (state === undefined || state.status === 'none') && this.workers.get(worker.bookId) === worker) {
      this.workers.delete(worker.bookId);
    }
  }
}
