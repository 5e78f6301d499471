import { EventStore } from '../../event-sourcing/index.js';
import { toBookSnapshot } from '../domain/book.snapshot.js';
import { BookState } from '../domain/book.state.js';

/**
 * The snapshots of one book: when one is due, saving it in the background, and callers holding
 * them back. Snapshots only make loading faster: without one the book is folded from the events
 * after the last.
 */
export class BookSnapshots {
  private savedRevision = -1;
  private savingNow: Promise<void> | undefined;
  /** Callers holding snapshots back (`defer`): while > 0, no snapshot is saved. */
  private deferred = 0;

  constructor(
    private readonly streamId: string,
    private readonly store: EventStore,
    private readonly settings: { readonly snapshotStreamShare: number },
    private readonly log: { error(message: string): void },
    /** Called once a save has finished, whether it succeeded or not. */
    private readonly onSaveDone: () => void,
  ) {}

  /** The save in progress, if any (it never rejects). */
  get saving(): Promise<void> | undefined {
    return this.savingNow;
  }

  /** The state was loaded from the snapshot at `revision`. */
  restoredFrom(revision: number): void {
    this.savedRevision = Math.max(this.savedRevision, revision);
  }

  defer(): void {
    this.deferred++;
  }

  /** Ends one `defer`; true when no caller holds snapshots back any more. */
  resume(): boolean {
    return --this.deferred === 0;
  }

  /**
   * Saves a snapshot of `state` (at stream `revision`) when at least `eventsMin` events, or
   * `snapshotStreamShare` of the stream (whichever is larger), came after the last one.
   */
  saveIfBehindBy(state: BookState | undefined, revision: number, eventsMin: number): void {
    if (
      state === undefined ||
      state.status !== 'open' ||
      this.savingNow !== undefined ||
      this.deferred > 0
    )
      return;
    const interval = Math.max(
      eventsMin,
      Math.floor((revision + 1) * this.settings.snapshotStreamShare),
    );
    if (revision - this.savedRevision < interval) return;
    // Taken now, synchronously: the next batch changes the state in place.
    const snapshot = toBookSnapshot(state);
    this.savingNow = this.store
      .saveSnapshot({ streamId: this.streamId, revision, state: snapshot })
      .then(() => {
        this.savedRevision = Math.max(this.savedRevision, revision);
      })
      .catch((error: unknown) =>
        this.log.error(
          `saving the snapshot of ${this.streamId} at revision ${revision} failed: ${String(error)}`,
        ),
      )
      .finally(() => {
        this.savingNow = undefined;
        this.onSaveDone();
      });
  }
}
