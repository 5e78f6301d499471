/** An impossible state: a bug, never a user's mistake. Mapped to 500 and logged loudly. */
export class AssertionFailed extends Error {
  constructor(message: string) {
    super(`Assertion failed: ${message}`);
    this.name = 'AssertionFailed';
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionFailed(message);
}
