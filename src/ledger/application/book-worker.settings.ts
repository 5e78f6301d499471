export interface BookWorkerSettings {
  /** At most this many queued commands are decided and appended together. */
  commandsPerBatchMax: number;
  /** A snapshot is saved once this many events were appended since the last one … */
  snapshotEveryEvents: number;
  /**
   * … or, for long streams, this share of the stream's length (whichever is larger): saving a
   * snapshot of a book with millions of entries is O(entries), so its cost stays amortised O(1)
   * per event while a restart folds at most this share of the stream.
   */
  snapshotStreamShare: number;
  /** Revision races lost in a row (another instance wrote) before the batch is refused. */
  appendAttemptsMax: number;
  /**
   * When its worker is evicted (BookWorkers' bound), a book's snapshot is saved if at least this
   * many events (or `snapshotStreamShare` of the stream, whichever is larger) came after the
   * last one, so the next use restores cheaply.
   */
  snapshotOnEvictionEventsMin: number;
  /**
   * A batch whose events take more JSON bytes than this is split in two before appending (and
   * on the store's AppendTooLargeError): KurrentDB takes at most 1 MiB per append.
   */
  batchBytesMax: number;
}

export const bookWorkerSettingsDefault: BookWorkerSettings = {
  commandsPerBatchMax: 256,
  snapshotEveryEvents: 1000,
  snapshotStreamShare: 0.1,
  appendAttemptsMax: 10,
  snapshotOnEvictionEventsMin: 100,
  batchBytesMax: 512 * 1024,
};

export interface BookWorkerLog {
  error(message: string): void;
}
