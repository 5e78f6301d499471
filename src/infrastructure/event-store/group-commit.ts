/** Counters of a store's group commit: transactions committed, append() calls and events in them. */
export interface GroupCommitStats {
  transactions: number;
  appends: number;
  events: number;
}

/**
 * The next group commit: the first queued appends, at most `appendsMax` of them and at most
 * `eventsMax` events (a single larger append still goes alone). Removes them from the queue.
 */
export function takeGroupCommitBatch<Append extends { events: readonly unknown[] }>(
  queue: Append[],
  limits: { appendsMax: number; eventsMax: number },
): Append[] {
  let count = 0;
  let events = 0;
  while (count < queue.length && count < limits.appendsMax) {
    const size = queue[count]!.events.length;
    if (count > 0 && events + size > limits.eventsMax) break;
    events += size;
    count += 1;
  }
  return queue.splice(0, count);
}
