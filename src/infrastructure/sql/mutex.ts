/** Runs critical sections one at a time, in the order they asked (FIFO). */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  run<T>(critical: () => Promise<T>): Promise<T> {
    const result = this.tail.then(critical);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
