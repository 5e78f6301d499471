import {
  exclusiveAfter,
  ReadAllOptions,
  readBatchSizeMax,
  RecordedEvent,
} from '../src/event-sourcing/index.js';
import { SimulatedDisk } from './disk.js';

/** How many of the latest durable events one process keeps parsed for its runners. */
const keptEventsMax = 4 * readBatchSizeMax;

/**
 * One read and one parse of each durable event for all the runners of a process: they follow
 * the tail within a few batches of each other, and each used to read and `JSON.parse` every
 * event itself (a tenth of the simulator's CPU). Only the durable prefix is kept, and a crash
 * never cuts into it, so a kept event is the one the store holds at its position for good. The
 * events are shared, as with the production `SharedLogReads`: projections never change them.
 */
export class DurableTail {
  /** Position of `events[0]`; `events` is a gap-free stretch of the durable prefix. */
  private start = 1;
  private events: RecordedEvent[] = [];

  constructor(private readonly disk: SimulatedDisk) {}

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const durable = Number(this.disk.durablePosition);
    const after = Math.max(0, Number(exclusiveAfter(options)));
    const until = Math.min(durable, Number(options.until ?? durable));
    const limit = Math.max(0, Math.min(options.limit ?? readBatchSizeMax, readBatchSizeMax));
    const end = Math.min(until, after + limit);
    if (end <= after) return [];
    if (after + 1 >= this.start && end < this.start + this.events.length) {
      return this.events.slice(after + 1 - this.start, end + 1 - this.start);
    }
    const read = await this.disk.store.readAll({ after: BigInt(after), until: BigInt(end) });
    this.keep(read);
    return read;
  }

  private keep(read: RecordedEvent[]): void {
    const first = read[0];
    if (first === undefined) return;
    const next = this.start + this.events.length;
    const position = Number(first.position);
    // A read past the window's end starts a new window; a read below it (a runner far behind
    // the others) is not kept, so it does not push out the tail the others share.
    if (position > next) {
      this.start = position;
      this.events = [...read];
    } else if (position + read.length > next) {
      this.events.push(...read.slice(next - position));
    }
    const excess = this.events.length - keptEventsMax;
    if (excess > 0) {
      this.events = this.events.slice(excess);
      this.start += excess;
    }
  }
}
