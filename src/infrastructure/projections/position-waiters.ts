import { NotReadyError } from './projection.js';

interface Waiter {
  target: bigint;
  resolve(): void;
  reject(error: Error): void;
}

/** The callers waiting for a projection to reach a position (read-your-writes), each with a timeout. */
export class PositionWaiters {
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly projectionName: string) {}

  get size(): number {
    return this.waiters.size;
  }

  /** Resolves when `resolveUpTo` reaches `target`; NotReadyError after the timeout. */
  add(target: bigint, timeoutMilliseconds: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(
          new NotReadyError(
            `projection ${this.projectionName} has not reached position ${target} within ${timeoutMilliseconds} ms`,
          ),
        );
      }, timeoutMilliseconds);
      timer.unref();
      const waiter: Waiter = {
        target,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
  }

  resolveUpTo(position: bigint): void {
    for (const waiter of this.waiters) {
      if (position >= waiter.target) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  rejectAll(error: Error): void {
    for (const waiter of this.waiters) waiter.reject(error);
    this.waiters.clear();
  }
}
