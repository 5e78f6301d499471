import { setImmediate as nextMacrotask } from 'node:timers/promises';
import { Clock } from '../src/event-sourcing/index.js';
import { TimerPort } from '../src/infrastructure/projections/index.js';
import { Random } from './random.js';
import { Trace } from './trace.js';

/** Simulated time starts here (a Monday in the books' year). */
export const simulationEpochMs = Date.parse('2026-03-02T08:00:00.000Z');

interface Completion {
  process: number;
  label: string;
  /** Steps it is still held back (a slow read). */
  delay: number;
  run(): void;
}

interface Timer {
  process: number;
  at: number;
  sequence: number;
  fire(): void;
  cancelled: boolean;
}

/**
 * The seeded scheduler. Every I/O of the simulated processes is a pending completion; one step
 * picks one by the seed, runs it, and lets the microtasks it releases run to the end (there is no
 * real I/O and no real timer, so that is all the code can do). Simulated time moves a little
 * each step and jumps to the next timer when nothing else is pending.
 */
export class Scheduler {
  private readonly pending: Completion[] = [];
  private timers: Timer[] = [];
  private timerSequence = 0;
  nowMs = 0;
  steps = 0;

  constructor(
    private readonly random: Random,
    private readonly trace: Trace,
  ) {}

  /** `operation` runs when the scheduler picks this completion; the promise settles with it. */
  defer<T>(process: number, label: string, operation: () => Promise<T>, delay = 0): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      this.pending.push({
        process,
        label,
        delay,
        run: () => {
          try {
            operation().then(resolve, reject);
          } catch (error) {
            reject(error);
          }
        },
      }),
    );
  }

  /** The timer port of one process: its timers die with it. */
  timerOf(process: number): TimerPort {
    return {
      setTimeout: (callback, milliseconds) => {
        const timer: Timer = {
          process,
          at: this.nowMs + Math.max(0, milliseconds),
          sequence: this.timerSequence++,
          fire: callback,
          cancelled: false,
        };
        this.timers.push(timer);
        return () => {
          timer.cancelled = true;
        };
      },
    };
  }

  /** A process's clock: simulated time plus its skew (which a clock jump changes). */
  clockOf(skew: () => number): Clock {
    return { now: () => new Date(simulationEpochMs + this.nowMs + skew()) };
  }

  /** A crash: the process's pending I/O and timers never complete. */
  dropProcess(process: number): void {
    for (let index = this.pending.length - 1; index >= 0; index--)
      if (this.pending[index]!.process === process) this.removeAt(index);
    this.timers = this.timers.filter((timer) => timer.process !== process);
  }

  get idle(): boolean {
    return this.pending.length === 0 && !this.timers.some((timer) => !timer.cancelled);
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** One step: completes one pending I/O (or fires the next timer), then drains the microtasks. */
  async step(): Promise<void> {
    this.steps++;
    this.nowMs += this.random.int(3);
    const timer = this.dueTimer();
    if (timer !== undefined) {
      this.trace.record(`t${this.nowMs} p${timer.process} timer`);
      timer.fire();
    } else if (this.pending.length > 0) {
      const index = this.random.int(this.pending.length);
      const completion = this.pending[index]!;
      this.removeAt(index);
      if (completion.delay > 0) {
        completion.delay--;
        this.pending.push(completion);
      } else {
        this.trace.record(`p${completion.process} ${completion.label}`);
        completion.run();
      }
    }
    await nextMacrotask();
  }

  /** A timer that is due (or, with nothing else to do, the next one: time jumps to it). */
  private dueTimer(): Timer | undefined {
    this.timers = this.timers.filter((timer) => !timer.cancelled);
    if (this.timers.length === 0) return undefined;
    let next = this.timers[0]!;
    for (const timer of this.timers)
      if (timer.at < next.at || (timer.at === next.at && timer.sequence < next.sequence))
        next = timer;
    if (next.at > this.nowMs && this.pending.length > 0) return undefined;
    this.nowMs = Math.max(this.nowMs, next.at);
    this.timers.splice(this.timers.indexOf(next), 1);
    return next;
  }

  private removeAt(index: number): void {
    const last = this.pending.pop()!;
    if (index < this.pending.length) this.pending[index] = last;
  }
}
